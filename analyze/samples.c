/*
 * analyze/samples.c - stream and validate samples CSV (schema 1) on libcsv.
 *
 * libcsv calls field_cb for every field and row_cb at every end of line
 * (CSV_REPALL_NL, so that blank lines are seen and lines can be counted).
 * Fields are decoded straight into one struct sample_row, which row_cb
 * hands to the caller and then clears: the reader's memory is the read
 * buffer, libcsv's field buffer and that one row, whatever the file size.
 * libcsv cannot be stopped from a callback, so after the first error the
 * callbacks only return until csv_parse() is done with the buffer.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "samples.h"

#define READ_BUF (1u << 20)

struct reader {
	samples_row_fn fn;
	void *ctx;
	struct samples_error *e;
	unsigned long line;       /* line of the record being parsed */
	uint64_t col;             /* fields seen in this record */
	size_t rec_bytes;         /* bytes of the record so far */
	unsigned long newlines;   /* row_cb calls for an unquoted '\n' */
	int header_done;
	int failed;
	struct sample_row row;
};

static const char *const col_names[PTW_CSV_NCOLS] = PTW_CSV_COL_NAMES;

/*
 * Eight hex digits at once (SWAR): every byte must be 0-9 or a-f, the
 * nibbles are then packed with the first character most significant.
 */
static int hex8(const unsigned char *p, uint32_t *out)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t w, digit, letter, v;

	memcpy(&w, p, 8);               /* little-endian: p[0] is byte 0 */
	if (w & high)
		return -1;
	digit = (w + 0x50 * ones) & ~(w + 0x46 * ones) & high;   /* 0x30..0x39 */
	letter = (w + 0x1f * ones) & ~(w + 0x19 * ones) & high;  /* 0x61..0x66 */
	if ((digit | letter) != high)
		return -1;
	v = (w & 0x0f * ones) + (letter >> 7) * 9;
	v = __builtin_bswap64(v);
	v = (v | v >> 4) & 0x00ff00ff00ff00ffULL;
	v = (v | v >> 8) & 0x0000ffff0000ffffULL;
	v = (v | v >> 16) & 0x00000000ffffffffULL;
	*out = (uint32_t)v;
	return 0;
}

int samples_parse_hex(const char *s, size_t len, uint64_t *v)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t hi, lo;

	if (len != 18 || p[0] != '0' || p[1] != 'x' ||
	    hex8(p + 2, &hi) || hex8(p + 10, &lo))
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int samples_parse_dec(const char *s, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		/* Up to 19 digits cannot overflow; the 20th is checked. */
		if (i == 19 && (__builtin_mul_overflow(x, 10, &x) ||
				__builtin_add_overflow(x, d, &x)))
			return -1;
		if (i < 19)
			x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* strlen of ptw_flag_names[], in its order. */
static const unsigned char flag_len[PTW_NFLAGS] = { 7, 7, 4, 9, 9, 3, 7, 6, 10, 12 };

int samples_parse_flags(const char *s, size_t len, uint32_t *flags)
{
	uint32_t f = 0;
	size_t i = 0;

	while (i < len) {
		size_t j = i, n;
		int k;

		while (j < len && s[j] != '|')
			j++;
		n = j - i;
		for (k = 0; k < PTW_NFLAGS; k++)
			if (flag_len[k] == n && ptw_flag_names[k][0] == s[i] &&
			    memcmp(ptw_flag_names[k], s + i, n) == 0)
				break;
		if (k == PTW_NFLAGS)
			return -1;
		f |= 1u << k;
		i = j + 1;
		if (j + 1 == len)      /* a trailing '|' */
			return -1;
	}
	*flags = f;
	return 0;
}

int samples_parse_level(const char *s, size_t len, uint32_t *level)
{
	uint32_t l;

	if (len == 0) {
		*level = PTW_LVL_NONE;
		return 0;
	}
	for (l = PTW_LVL_PTE; l <= PTW_LVL_PUD; l++)
		if (len == 3 && memcmp(s, ptw_level_names[l], 3) == 0) {
			*level = l;
			return 0;
		}
	return -1;
}

/* Copy at most 40 bytes of a field for a message, '?' for the unprintable. */
static const char *quote_field(char *buf, const char *s, size_t len)
{
	size_t i, n = len > 40 ? 40 : len;

	for (i = 0; i < n; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	strcpy(buf + n, len > 40 ? "..." : "");
	return buf;
}

static void fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = 1;
	r->e->line = r->line;
	va_start(ap, fmt);
	vsnprintf(r->e->msg, sizeof(r->e->msg), fmt, ap);
	va_end(ap);
}

static int copy_word(char *dst, size_t max, const char *s, size_t len,
		     int (*ok)(int))
{
	size_t i;

	if (len == 0 || len >= max)
		return -1;
	for (i = 0; i < len; i++)
		if (!ok((unsigned char)s[i]))
			return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int alloc_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static void opt_hex(struct reader *r, const char *s, size_t len,
		    uint64_t *v, uint32_t bit)
{
	if (len == 0)
		return;
	if (samples_parse_hex(s, len, v) == 0)
		r->row.has |= bit;
	else
		r->failed = -1;
}

static void field_header(struct reader *r, unsigned int col, const char *s,
			 size_t len)
{
	const char *want = col_names[col];
	char q[48];

	if (strlen(want) != len || memcmp(want, s, len) != 0)
		fail(r, "missing or wrong header (field %u is '%s', want '%s')",
		     col + 1, quote_field(q, s, len), want);
}

static void field_cb(void *field, size_t len, void *data)
{
	struct reader *r = data;
	const char *s = field ? field : "";
	struct sample_row *w = &r->row;
	uint64_t col = r->col++;
	char q[48];

	if (r->failed || col >= PTW_CSV_NCOLS)
		return;
	if (!r->header_done) {
		field_header(r, (unsigned int)col, s, len);
		return;
	}
	switch (col) {
	case PTW_COL_SOURCE:
		if ((len != 4 || memcmp(s, "user", 4)) &&
		    (len != 6 || memcmp(s, "kernel", 6)))
			fail(r, "bad source '%s' (want user or kernel)",
			     quote_field(q, s, len));
		else {
			memcpy(w->source, s, len);
			w->source[len] = '\0';
		}
		break;
	case PTW_COL_ALLOCATOR:
		if (copy_word(w->allocator, sizeof(w->allocator), s, len,
			      alloc_char))
			fail(r, "bad allocator '%s'", quote_field(q, s, len));
		break;
	case PTW_COL_SIZE:
	case PTW_COL_SAMPLE:
	case PTW_COL_PAGE:
		if (samples_parse_dec(s, len, col == PTW_COL_SIZE ? &w->size_bytes :
				      col == PTW_COL_SAMPLE ? &w->sample : &w->page))
			fail(r, "bad number in column %s: '%s'", col_names[col],
			     quote_field(q, s, len));
		break;
	case PTW_COL_VA:
		if (samples_parse_hex(s, len, &w->va))
			r->failed = -1;
		break;
	case PTW_COL_PA:
		opt_hex(r, s, len, &w->pa, PTW_HAS_PA);
		break;
	case PTW_COL_PA_PAGEMAP:
		opt_hex(r, s, len, &w->pa_pagemap, PTW_HAS_PAGEMAP);
		break;
	case PTW_COL_PA_WALK:
		opt_hex(r, s, len, &w->pa_walk, PTW_HAS_WALK);
		break;
	case PTW_COL_PA_V2P:
		opt_hex(r, s, len, &w->pa_v2p, PTW_HAS_V2P);
		break;
	case PTW_COL_LEVEL:
		if (samples_parse_level(s, len, &w->level))
			fail(r, "bad level '%s' (want pte, pmd, pud or empty)",
			     quote_field(q, s, len));
		break;
	case PTW_COL_FLAGS:
		if (samples_parse_flags(s, len, &w->flags))
			fail(r, "bad flags '%s'", quote_field(q, s, len));
		break;
	case PTW_COL_PGD_SLOT:
		opt_hex(r, s, len, &w->pgd_slot, PTW_HAS_PGD_SLOT);
		break;
	default:        /* pgd..pte */
		opt_hex(r, s, len, &w->entry[col - PTW_COL_PGD], PTW_HAS_ENTRIES);
		break;
	}
	/* The hex decoders only mark the failure; the message is made here. */
	if (r->failed == -1) {
		r->failed = 0;
		fail(r, "bad hex address in column %s: '%s'", col_names[col],
		     quote_field(q, s, len));
	}
}

static void row_cb(int c, void *data)
{
	struct reader *r = data;
	uint64_t n = r->col;

	if (c == '\n')
		r->newlines++;
	if (r->failed)
		return;
	if (n == 0) {                   /* blank line, or the \n of \r\n */
		if (c == '\n')
			r->line++;
		return;
	}
	if (n != PTW_CSV_NCOLS) {
		fail(r, "%llu fields, want %d", (unsigned long long)n, PTW_CSV_NCOLS);
		return;
	}
	if (!r->header_done) {
		r->header_done = 1;
	} else if (r->fn(r->ctx, &r->row, r->line, r->e)) {
		r->failed = 1;
		r->e->line = r->line;
		return;
	}
	memset(&r->row, 0, sizeof(r->row));
	r->col = 0;
	if (c == '\n')
		r->line++;
}

/* Report a NUL byte: libcsv would take it as data. */
static void check_nul(struct reader *r, const char *buf, size_t n)
{
	const char *z = memchr(buf, 0, n), *p;

	if (!z)
		return;
	for (p = buf; (p = memchr(p, '\n', (size_t)(z - p))); p++)
		r->line++;
	fail(r, "binary data (NUL byte)");
}

/*
 * A record may not grow past SAMPLES_LINE_MAX bytes (libcsv would hold it
 * all): len more bytes of a record that already has r->rec_bytes if
 * continued (a quoted field spans lines).
 */
static int check_length(struct reader *r, size_t len, int continued)
{
	if ((continued ? r->rec_bytes : 0) + len > SAMPLES_LINE_MAX) {
		fail(r, "line longer than %u bytes", SAMPLES_LINE_MAX);
		return -1;
	}
	return 0;
}

/*
 * A CR must be the CR of a CRLF: with CR-only line ends a file would be
 * one endless line.  The len bytes at s end with the '\n' if nl, else
 * they are the start of a line whose last byte may be a CR.
 */
static int check_cr(struct reader *r, const char *s, size_t len, int nl)
{
	const char *cr = memchr(s, '\r', len);

	if (cr && cr != s + len - 1 - nl) {
		fail(r, "carriage return without a line feed (CR-only line ends?): want LF or CRLF");
		return -1;
	}
	return 0;
}

int samples_read(const char *path, samples_row_fn fn, void *ctx,
		 struct samples_error *e)
{
	struct reader r = { .fn = fn, .ctx = ctx, .e = e, .line = 1 };
	struct csv_parser p;
	static char buf[READ_BUF];
	size_t total = 0, have = 0;
	ssize_t n;
	int fd, err = 0, pending = 0;

	e->line = 0;
	e->msg[0] = '\0';
	fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;
	if (fd < 0) {
		snprintf(e->msg, sizeof(e->msg), "cannot open: %s", strerror(errno));
		return -1;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) {
		snprintf(e->msg, sizeof(e->msg), "cannot start the CSV parser");
		err = -1;
		goto out_close;
	}
	/*
	 * buf holds an incomplete last line (no '\n') carried over from the
	 * previous read in buf[0..have); whole lines go one at a time to
	 * csv_parse(), so that a line's length and CRs are checked before
	 * libcsv holds it; pending: libcsv is inside a quoted field that
	 * spans lines.
	 */
	while ((n = read(fd, buf + have, sizeof(buf) - have)) > 0) {
		char *s = buf, *end = buf + have + n, *nl;

		total += (size_t)n;
		check_nul(&r, buf, have + (size_t)n);
		if (r.failed)
			break;
		while (!r.failed && (nl = memchr(s, '\n', (size_t)(end - s)))) {
			unsigned long before = r.newlines;
			size_t len = (size_t)(nl + 1 - s);

			if (check_length(&r, len, pending))
				break;
			r.rec_bytes = (pending ? r.rec_bytes : 0) + len;
			if (check_cr(&r, s, len, 1))
				break;
			if (csv_parse(&p, s, len, field_cb, row_cb, &r) != len)
				goto parse_error;
			pending = r.newlines == before;
			s = nl + 1;
		}
		if (r.failed)
			break;
		/* SAMPLES_LINE_MAX < sizeof(buf): a partial line always fits. */
		have = (size_t)(end - s);
		if (check_length(&r, have, pending) || check_cr(&r, s, have, 0))
			break;
		memmove(buf, s, have);
	}
	if (n < 0) {
		snprintf(e->msg, sizeof(e->msg), "read error: %s", strerror(errno));
		e->line = 0;
		err = -1;
		goto out_free;
	}
	if (!r.failed && have &&
	    csv_parse(&p, buf, have, field_cb, row_cb, &r) != have)
		goto parse_error;
	if (!r.failed && total == 0) {
		r.line = 1;
		fail(&r, "empty file");
	}
	if (!r.failed && csv_fini(&p, field_cb, row_cb, &r) != 0)
		fail(&r, "unterminated quoted field");
	if (!r.failed && !r.header_done) {
		r.line = 1;
		fail(&r, "empty file (no header)");
	}
	goto out_done;
parse_error:
	fail(&r, "%s", csv_error(&p) == CSV_EPARSE ? "malformed quoted field" :
	     csv_strerror(csv_error(&p)));
out_done:
	if (r.failed)
		err = -1;
out_free:
	csv_free(&p);
out_close:
	if (fd != 0)
		close(fd);
	return err;
}
