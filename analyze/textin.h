/*
 * analyze/textin.h - the small text inputs' shared reading (userpm.c's
 * pagemap.<name>.txt, vmas.c's maps.<name>.csv): which file name is which
 * kind, and a line loop that stops at the first bad line with one stderr
 * line naming the file and line.
 */
#ifndef ANALYZE_TEXTIN_H
#define ANALYZE_TEXTIN_H

#include <stddef.h>

/* 1 when PATH's file name is PREFIX, at least one byte, then SUFFIX. */
int textin_named(const char *path, const char *prefix, const char *suffix);

/*
 * Call fn(ctx, line, n) for each line of path (its newline kept), n from
 * 1; fn returns NULL to go on or a message to stop.  A line over max
 * bytes stops with "line longer than MAX bytes".  Returns 0, or 1 after
 * "analyze: PATH:N: MESSAGE" on stderr (N 0 for open and read errors).
 */
int textin_read(const char *path, size_t max,
		const char *(*fn)(void *ctx, char *line, unsigned long n), void *ctx);

#endif
