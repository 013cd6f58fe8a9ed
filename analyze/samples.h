/*
 * analyze/samples.h - the project's one reader of samples CSV (schema 1).
 *
 * Streams a file through libcsv's callback parser with a large read buffer
 * and hands each row, already validated and decoded, to a callback: no row
 * is kept and nothing is allocated per row.  The header, the field count,
 * every address (0x + 16 lower-case hex digits), number, level and flag
 * word are checked against kmod/ptwalk_csv.h; the first problem stops the
 * read with a message that names the line.  Lines are counted by newline
 * characters, so LINE in a message is the line an editor shows; a CR
 * that does not end a CRLF, and a record longer than SAMPLES_LINE_MAX,
 * are errors.
 */
#ifndef PTWALK_SAMPLES_H
#define PTWALK_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "ptwalk_csv.h"

#define SAMPLES_SOURCE_MAX 8     /* "user", "kernel" */
#define SAMPLES_ALLOC_MAX 32     /* [a-z0-9_]{1,31} */
/*
 * The longest record: a schema-1 row is at most PTW_ROW_MAX bytes; a
 * longer one is refused before it is held, so a 1 GB field or line costs
 * nothing.  Generous for quoting and padding.
 */
#define SAMPLES_LINE_MAX 65536u

struct sample_row {
	char source[SAMPLES_SOURCE_MAX];
	char allocator[SAMPLES_ALLOC_MAX];
	uint64_t size_bytes, sample, page;
	uint64_t va, pa, pa_pagemap, pa_walk, pa_v2p, pgd_slot;
	uint64_t entry[5]; /* pgd, p4d, pud, pmd, pte (PTW_HAS_ENTRIES) */
	uint32_t has;      /* PTW_HAS_PA, _PAGEMAP, _WALK, _V2P, _PGD_SLOT, _ENTRIES */
	uint32_t flags;    /* PTW_F_* */
	uint32_t level;    /* enum ptw_level */
};

/* Where and why a read stopped; line 0 means "no line" (open, read). */
struct samples_error {
	unsigned long line;
	char msg[256];
};

/*
 * Called once per data row with its line number.  Return 0 to go on, or
 * fill e->msg (e->line is set to line beforehand) and return -1 to stop.
 */
typedef int (*samples_row_fn)(void *ctx, const struct sample_row *r,
			      unsigned long line, struct samples_error *e);

/* Read path ("-" is standard input). Returns 0, or -1 with e filled. */
int samples_read(const char *path, samples_row_fn fn, void *ctx,
		 struct samples_error *e);

/* Field decoders, exported for the unit tests. Return 0 or -1. */
int samples_parse_hex(const char *s, size_t len, uint64_t *v);
int samples_parse_dec(const char *s, size_t len, uint64_t *v);
int samples_parse_flags(const char *s, size_t len, uint32_t *flags);
int samples_parse_level(const char *s, size_t len, uint32_t *level);

#endif
