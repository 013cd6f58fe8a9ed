/*
 * analyze/buddyinfo.h - read /proc/buddyinfo snapshots.
 *
 * A snapshot is a copy of /proc/buddyinfo, whose lines the kernel prints
 * (mm/vmstat.c, frag_show_print) as "Node %d, zone %8s" followed by the
 * number of free blocks of each order.  Snapshot files are named
 * buddyinfo.<phase>.txt; the phase names the moment it was taken.  A
 * node's zones appear once each, and nodes go up, as the kernel prints
 * them; anything else (two snapshots pasted into one file) is refused.
 */
#ifndef PTWALK_BUDDYINFO_H
#define PTWALK_BUDDYINFO_H

#include <stddef.h>
#include <stdint.h>

#include "samples.h"            /* struct samples_error */

#define BUDDY_MAX_ORDERS 32
#define BUDDY_ZONE_MAX 32
#define BUDDY_PHASE_MAX 64
#define BUDDY_NODE_ZONES 16             /* zones per node (MAX_NR_ZONES is 6) */
#define BUDDY_LINE_MAX 4000             /* longer lines are refused */
/* A zone's free pages: more than 2^52 (2^64 bytes) is refused. */
#define BUDDY_MAX_PAGES (1ULL << 52)

struct buddy_zone {
	int node;
	char zone[BUDDY_ZONE_MAX];
	unsigned int norders;
	uint64_t nr_free[BUDDY_MAX_ORDERS];
};

/* Skip spaces and tabs. */
const char *snap_skip_ws(const char *p);
/* A decimal number at *pp (advanced past it): 0, or -1 if none or past 2^64. */
int snap_parse_u64(const char **pp, uint64_t *v);

/* Parse one line (no newline). Returns 0, or -1 if it is not a zone line. */
int buddyinfo_parse_line(const char *line, struct buddy_zone *z);

/*
 * The phase of a snapshot from its file name: 1 and phase filled for
 * ".../buddyinfo.<phase>.txt" (phase of [A-Za-z0-9_.-]), 0 for a name
 * that is not a snapshot's, -1 for buddyinfo.*.txt with a bad phase.
 */
int buddyinfo_phase(const char *path, char *phase, size_t n);

/*
 * The same for any "<prefix><phase>.txt" snapshot name (prefix e.g.
 * "vmstat."): buddyinfo_phase() is snap_phase(path, "buddyinfo.", ...).
 */
int snap_phase(const char *path, const char *prefix, char *phase, size_t n);
/* The same with another extension than ".txt" (e.g. ".csv"). */
int snap_phase_ext(const char *path, const char *prefix, const char *ext,
		   char *phase, size_t n);

/*
 * Read a snapshot file line by line (at most BUDDY_LINE_MAX bytes, LF or
 * CRLF, no NUL), calling fn on each line that is not blank.  Returns 0,
 * or -1 with e filled (line, msg), fn's own message when fn returned -1.
 */
typedef int (*snap_line_fn)(void *ctx, const char *line, unsigned long lineno,
			    struct samples_error *e);
int snap_read_lines(const char *path, snap_line_fn fn, void *ctx,
		    struct samples_error *e);

/* Called per zone line; return -1 (with e->msg filled) to stop. */
typedef int (*buddyinfo_zone_fn)(void *ctx, const struct buddy_zone *z,
				 unsigned long line, struct samples_error *e);

/* Read a snapshot. Returns 0, or -1 with e filled (line, msg). */
int buddyinfo_read(const char *path, buddyinfo_zone_fn fn, void *ctx,
		   struct samples_error *e);

#endif
