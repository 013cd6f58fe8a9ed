/*
 * analyze/buddyinfo.c - parse buddyinfo snapshots line by line.
 *
 * The parser is strict: a line that is not "Node N, zone NAME COUNT..."
 * is an error with its line number, because a half-copied snapshot
 * would otherwise give fragmentation indices that look plausible.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buddyinfo.h"

const char *snap_skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int snap_parse_u64(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*pp = p;
	*v = x;
	return 0;
}

int buddyinfo_parse_line(const char *line, struct buddy_zone *z)
{
	const char *p = snap_skip_ws(line);
	uint64_t v;
	size_t n;

	memset(z, 0, sizeof(*z));
	if (strncmp(p, "Node", 4) != 0)
		return -1;
	p = snap_skip_ws(p + 4);
	if (snap_parse_u64(&p, &v) || v > 1u << 20 || *p++ != ',')
		return -1;
	z->node = (int)v;
	p = snap_skip_ws(p);
	if (strncmp(p, "zone", 4) != 0 || (p[4] != ' ' && p[4] != '\t'))
		return -1;
	p = snap_skip_ws(p + 4);
	for (n = 0; p[n] && p[n] != ' ' && p[n] != '\t'; n++)
		if (!isalnum((unsigned char)p[n]) && p[n] != '_')
			return -1;
	if (n == 0 || n >= sizeof(z->zone))
		return -1;
	memcpy(z->zone, p, n);
	p += n;
	for (;;) {
		const char *q = snap_skip_ws(p);

		if (*q == '\0')
			break;
		if (q == p || z->norders == BUDDY_MAX_ORDERS ||
		    snap_parse_u64(&q, &z->nr_free[z->norders]))
			return -1;
		z->norders++;
		p = q;
	}
	return z->norders ? 0 : -1;
}

int snap_phase(const char *path, const char *prefix, char *phase, size_t n)
{
	return snap_phase_ext(path, prefix, ".txt", phase, n);
}

int snap_phase_ext(const char *path, const char *prefix, const char *ext,
		   char *phase, size_t n)
{
	const char *base = strrchr(path, '/');
	size_t len, i, pl = strlen(prefix), el = strlen(ext);

	base = base ? base + 1 : path;
	len = strlen(base);
	if (strncmp(base, prefix, pl) != 0 || len < pl + el ||
	    strcmp(base + len - el, ext) != 0)
		return 0;
	len -= pl + el;
	if (len == 0 || len >= n)
		return -1;
	for (i = 0; i < len; i++) {
		char c = base[pl + i];

		if (!isalnum((unsigned char)c) && c != '_' && c != '-' && c != '.')
			return -1;
	}
	memcpy(phase, base + pl, len);
	phase[len] = '\0';
	return 1;
}

int buddyinfo_phase(const char *path, char *phase, size_t n)
{
	return snap_phase(path, "buddyinfo.", phase, n);
}

/*
 * One line into buf (at most BUDDY_LINE_MAX bytes, newline excluded):
 * its length, -1 at the end of the file, -2 when it is longer, -3 on a
 * read error.  No allocation, so there is no allocation failure to take
 * for the end of the file.
 */
static long read_line(FILE *f, char *buf, int *nul)
{
	long n = 0;
	int c;

	*nul = 0;
	while ((c = getc_unlocked(f)) != EOF) {
		if (c == '\n')
			break;
		if (n == BUDDY_LINE_MAX)
			return -2;
		if (c == '\0')
			*nul = 1;
		buf[n++] = (char)c;
	}
	if (c == EOF && ferror(f))
		return -3;
	if (c == EOF && n == 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Free pages of a zone, or -1 past 2^52 (more than 64-bit memory). */
static int zone_pages(const struct buddy_zone *z)
{
	uint64_t total = 0;
	unsigned int k;

	for (k = 0; k < z->norders; k++) {
		if (z->nr_free[k] > (BUDDY_MAX_PAGES >> k))
			return -1;
		total += z->nr_free[k] << k;
		if (total > BUDDY_MAX_PAGES)
			return -1;
	}
	return 0;
}

int snap_read_lines(const char *path, snap_line_fn fn, void *ctx,
		    struct samples_error *e)
{
	static char line[BUDDY_LINE_MAX + 1];
	long got;
	unsigned long lineno = 0;
	FILE *f;
	int err = 0, nul;

	e->line = 0;
	e->msg[0] = '\0';
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		snprintf(e->msg, sizeof(e->msg), "cannot open: %s", strerror(errno));
		return -1;
	}
	while ((got = read_line(f, line, &nul)) >= -2) {
		size_t len = (size_t)got;
		char *cr;

		if (got == -1)
			break;
		e->line = ++lineno;
		if (got == -2) {
			snprintf(e->msg, sizeof(e->msg), "line longer than %d bytes", BUDDY_LINE_MAX);
			err = -1;
			break;
		}
		if (nul) {
			snprintf(e->msg, sizeof(e->msg), "binary data (NUL byte)");
			err = -1;
			break;
		}
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		cr = memchr(line, '\r', len);
		if (cr) {
			snprintf(e->msg, sizeof(e->msg),
				 "carriage return without a line feed (CR-only line ends?): want LF or CRLF");
			err = -1;
			break;
		}
		if (strspn(line, " \t") == len)
			continue;
		if (fn(ctx, line, lineno, e)) {
			err = -1;
			break;
		}
	}
	if (!err && got == -3) {
		snprintf(e->msg, sizeof(e->msg), "read error: %s", strerror(errno));
		e->line = 0;
		err = -1;
	}
	if (f != stdin)
		fclose(f);
	return err;
}

/* buddyinfo_read()'s state between lines. */
struct buddy_read {
	buddyinfo_zone_fn fn;
	void *ctx;
	unsigned long zones;
	/* The zones of the current node: each once, nodes going up. */
	struct { char zone[BUDDY_ZONE_MAX]; unsigned long line; } seen[BUDDY_NODE_ZONES];
	unsigned int nseen;
	int cur_node;
};

static int buddy_line(void *ctx, const char *line, unsigned long lineno,
		      struct samples_error *e)
{
	struct buddy_read *b = ctx;
	struct buddy_zone z;
	unsigned int i;

	if (buddyinfo_parse_line(line, &z)) {
		snprintf(e->msg, sizeof(e->msg),
			 "bad buddyinfo line (want 'Node N, zone NAME COUNT...')");
		return -1;
	}
	if (zone_pages(&z)) {
		snprintf(e->msg, sizeof(e->msg),
			 "free block counts add up to more than 2^52 pages (more than 64-bit memory)");
		return -1;
	}
	if (z.node < b->cur_node) {
		snprintf(e->msg, sizeof(e->msg),
			 "node %d after node %d (nodes go up in a snapshot: two snapshots in one file?)",
			 z.node, b->cur_node);
		return -1;
	}
	if (z.node != b->cur_node) {
		b->cur_node = z.node;
		b->nseen = 0;
	}
	for (i = 0; i < b->nseen && strcmp(b->seen[i].zone, z.zone); i++)
		;
	if (i < b->nseen) {
		snprintf(e->msg, sizeof(e->msg),
			 "node %d zone %s again (first at line %lu: two snapshots in one file?)",
			 z.node, z.zone, b->seen[i].line);
		return -1;
	}
	if (b->nseen == BUDDY_NODE_ZONES) {
		snprintf(e->msg, sizeof(e->msg), "more than %d zones in node %d",
			 BUDDY_NODE_ZONES, z.node);
		return -1;
	}
	snprintf(b->seen[b->nseen].zone, sizeof(b->seen[b->nseen].zone), "%s", z.zone);
	b->seen[b->nseen++].line = lineno;
	b->zones++;
	return b->fn(b->ctx, &z, lineno, e);
}

int buddyinfo_read(const char *path, buddyinfo_zone_fn fn, void *ctx,
		   struct samples_error *e)
{
	struct buddy_read b = { .fn = fn, .ctx = ctx, .cur_node = -1 };

	if (snap_read_lines(path, buddy_line, &b, e))
		return -1;
	if (b.zones == 0) {
		snprintf(e->msg, sizeof(e->msg), "empty file (no zone lines)");
		e->line = 1;
		return -1;
	}
	return 0;
}
