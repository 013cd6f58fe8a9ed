/*
 * analyze/compact.c - compact.csv from /proc/vmstat snapshots (the
 * compaction counters per phase and their change since the snapshot
 * before) and pageblocks.csv from /proc/pagetypeinfo snapshots (per
 * phase, zone and migrate type: pageblocks, free pages, free blocks of
 * pageblock order or more).  Inputs vmstat.<phase>.txt and
 * pagetypeinfo.<phase>.txt; the phase is the name's, as for buddyinfo.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"

/* compact.csv's counters, in its column order. */
static const char *const counters[NCOMPACT] = {
	"compact_stall", "compact_success", "compact_fail",
	"compact_migrate_scanned", "compact_free_scanned",
	"compact_daemon_wake", "thp_collapse_alloc",
};

int compact_kind(const char *path, char *phase, size_t n)
{
	int r = snap_phase(path, "vmstat.", phase, n);

	if (r)
		return r < 0 ? -1 : COMPACT_VMSTAT;
	r = snap_phase(path, "pagetypeinfo.", phase, n);
	return r < 0 ? -1 : r ? COMPACT_PAGETYPE : 0;
}

/* One word of [A-Za-z0-9_] into w (size n); NULL if none or too long. */
static const char *word(const char *p, char *w, size_t n)
{
	size_t k = 0;

	p = snap_skip_ws(p);
	while (isalnum((unsigned char)p[k]) || p[k] == '_')
		k++;
	if (k == 0 || k >= n)
		return NULL;
	memcpy(w, p, k);
	w[k] = '\0';
	return p + k;
}

/* vmstat: "name value" lines. */
struct vm_read {
	uint64_t v[NCOMPACT];
	int has[NCOMPACT];
};

static int vm_line(void *ctx, const char *line, unsigned long lineno,
		   struct samples_error *e)
{
	struct vm_read *r = ctx;
	char name[64];
	const char *p = word(line, name, sizeof(name));
	uint64_t v;
	int i;

	(void)lineno;
	if (!p || (*p != ' ' && *p != '\t') || snap_parse_u64((p = snap_skip_ws(p), &p), &v) ||
	    *snap_skip_ws(p) != '\0') {
		snprintf(e->msg, sizeof(e->msg), "bad vmstat line (want 'NAME COUNT')");
		return -1;
	}
	for (i = 0; i < NCOMPACT; i++)
		if (strcmp(name, counters[i]) == 0) {
			if (r->has[i]) {
				snprintf(e->msg, sizeof(e->msg),
					 "%s twice (two snapshots in one file?)", name);
				return -1;
			}
			r->v[i] = v;
			r->has[i] = 1;
		}
	return 0;
}

static void put_u64(FILE *f, int has, uint64_t v)
{
	if (has)
		fprintf(f, ",%llu", (unsigned long long)v);
	else
		fputs(",", f);
}

static int read_vmstat(struct analyzer *a, const char *path, const char *phase,
		       struct samples_error *e)
{
	struct compact_prev *p = &a->compact;
	struct vm_read r = { { 0 }, { 0 } };
	FILE *f = a->out[OUT_COMPACT];
	int i, any = 0, down = 0;

	if (snap_read_lines(path, vm_line, &r, e))
		return -1;
	for (i = 0; i < NCOMPACT; i++)
		any |= r.has[i];
	if (!any && e->line == 0) {
		snprintf(e->msg, sizeof(e->msg), "empty file (no vmstat lines)");
		e->line = 1;
		return -1;
	}
	fputs(phase, f);
	for (i = 0; i < NCOMPACT; i++)
		put_u64(f, r.has[i], r.v[i]);
	fprintf(f, ",%s", p->has_prev ? p->phase : "");
	/* a counter that went down: another boot, no change to give at all */
	for (i = 0; i < NCOMPACT; i++)
		if (p->has_prev && p->has[i] && r.has[i] && r.v[i] < p->v[i])
			down = 1;
	for (i = 0; i < NCOMPACT; i++) {
		int ok = !down && p->has_prev && p->has[i] && r.has[i];

		put_u64(f, ok, r.v[i] - (ok ? p->v[i] : 0));
	}
	fputc('\n', f);
	p->has_prev = 1;
	snprintf(p->phase, sizeof(p->phase), "%s", phase);
	memcpy(p->v, r.v, sizeof(p->v));
	memcpy(p->has, r.has, sizeof(p->has));
	return 0;
}

/* pagetypeinfo: the free lists per (zone, type), then blocks per zone. */
#define PT_TYPES 8
#define PT_NAME 32

struct pt_zone {
	int node;
	char zone[BUDDY_ZONE_MAX];
	int has_free[PT_TYPES], has_blocks[PT_TYPES], capped[PT_TYPES];
	uint64_t free_pages[PT_TYPES], free_high[PT_TYPES], blocks[PT_TYPES];
};

struct pt_read {
	int order;              /* pageblock order, -1 until read */
	char type[PT_TYPES][PT_NAME];
	int ntype;
	int blocks_hdr;         /* the "Number of blocks type" line was read */
	int hdr[PT_TYPES], nhdr;        /* its columns' types */
	int mixed;              /* past "Number of mixed blocks": ignored */
	struct pt_zone z[BUDDY_NODE_ZONES];
	int nz;
};

static int pt_type(struct pt_read *r, const char *name, struct samples_error *e)
{
	int i;

	for (i = 0; i < r->ntype; i++)
		if (strcmp(r->type[i], name) == 0)
			return i;
	if (r->ntype == PT_TYPES) {
		snprintf(e->msg, sizeof(e->msg), "more than %d migrate types", PT_TYPES);
		return -1;
	}
	snprintf(r->type[r->ntype], PT_NAME, "%s", name);
	return r->ntype++;
}

static struct pt_zone *pt_zone(struct pt_read *r, int node, const char *zone,
			       struct samples_error *e)
{
	int i;

	for (i = 0; i < r->nz; i++)
		if (r->z[i].node == node && strcmp(r->z[i].zone, zone) == 0)
			return &r->z[i];
	if (r->nz == BUDDY_NODE_ZONES) {
		snprintf(e->msg, sizeof(e->msg), "more than %d zones", BUDDY_NODE_ZONES);
		return NULL;
	}
	memset(&r->z[r->nz], 0, sizeof(r->z[0]));
	r->z[r->nz].node = node;
	snprintf(r->z[r->nz].zone, BUDDY_ZONE_MAX, "%s", zone);
	return &r->z[r->nz++];
}

/* "Node N, zone NAME" (a comma after NAME when comma): the rest, or NULL. */
static const char *node_zone(const char *p, int *node, char *zone, int comma)
{
	uint64_t v;

	p = snap_skip_ws(p);
	if (strncmp(p, "Node", 4) != 0)
		return NULL;
	p = snap_skip_ws(p + 4);
	if (snap_parse_u64(&p, &v) || v > 1u << 20 || *p++ != ',')
		return NULL;
	*node = (int)v;
	p = snap_skip_ws(p);
	if (strncmp(p, "zone", 4) != 0 || !(p = word(p + 4, zone, BUDDY_ZONE_MAX)))
		return NULL;
	if (comma && *p++ != ',')
		return NULL;
	return p;
}

static int pt_bad(struct samples_error *e, const char *what)
{
	snprintf(e->msg, sizeof(e->msg), "bad pagetypeinfo line (%s)", what);
	return -1;
}

static int pt_line(void *ctx, const char *line, unsigned long lineno,
		   struct samples_error *e)
{
	struct pt_read *r = ctx;
	const char *p = snap_skip_ws(line);
	char zone[BUDDY_ZONE_MAX], name[PT_NAME];
	struct pt_zone *z;
	int node, t, k;
	uint64_t v;

	(void)lineno;
	if (r->mixed)
		return 0;
	if (strncmp(p, "Page block order:", 17) == 0) {
		p = snap_skip_ws(p + 17);
		if (r->order >= 0)
			return pt_bad(e, "'Page block order:' twice: two snapshots in one file?");
		if (snap_parse_u64(&p, &v) || v >= BUDDY_MAX_ORDERS || *snap_skip_ws(p))
			return pt_bad(e, "want 'Page block order: N', N < 32");
		r->order = (int)v;
		return 0;
	}
	if (strncmp(p, "Pages per block:", 16) == 0 ||
	    strncmp(p, "Free pages count per migrate type at order", 42) == 0)
		return 0;
	if (strncmp(p, "Number of mixed blocks", 22) == 0) {
		r->mixed = 1;
		return 0;
	}
	if (strncmp(p, "Number of blocks type", 21) == 0) {
		p += 21;
		if (r->blocks_hdr)
			return pt_bad(e, "'Number of blocks type' twice: two snapshots in one file?");
		r->blocks_hdr = 1;
		while (*(p = snap_skip_ws(p))) {
			if (!(p = word(p, name, sizeof(name))))
				return pt_bad(e, "a migrate type name");
			if (r->nhdr == PT_TYPES || (t = pt_type(r, name, e)) < 0)
				return r->nhdr == PT_TYPES ? pt_bad(e, "too many types") : -1;
			r->hdr[r->nhdr++] = t;
		}
		return 0;
	}
	if (r->order < 0)
		return pt_bad(e, "a zone line before 'Page block order:'");
	if (!r->blocks_hdr) {
		/* Node N, zone NAME, type TYPE COUNT... (">N": the kernel stopped counting) */
		if (!(p = node_zone(p, &node, zone, 1)))
			return pt_bad(e, "want 'Node N, zone NAME, type TYPE COUNT...'");
		p = snap_skip_ws(p);
		if (strncmp(p, "type", 4) != 0 || !(p = word(p + 4, name, sizeof(name))))
			return pt_bad(e, "want 'type TYPE' after the zone");
		if (!(z = pt_zone(r, node, zone, e)) || (t = pt_type(r, name, e)) < 0)
			return -1;
		if (z->has_free[t])
			return pt_bad(e, "a zone and type twice: two snapshots in one file?");
		z->has_free[t] = 1;
		for (k = 0; *(p = snap_skip_ws(p)); k++) {
			if (*p == '>') {
				z->capped[t] = 1;
				p++;
			}
			if (k >= BUDDY_MAX_ORDERS || snap_parse_u64(&p, &v) || v > (BUDDY_MAX_PAGES >> k))
				return pt_bad(e, "a free count");
			z->free_pages[t] += v << k;
			if (k >= r->order)
				z->free_high[t] += v;
		}
		if (k == 0)
			return pt_bad(e, "no free counts");
		return 0;
	}
	/* Node N, zone NAME COUNT... one per type of the header */
	if (!(p = node_zone(p, &node, zone, 0)))
		return pt_bad(e, "want 'Node N, zone NAME COUNT...'");
	if (!(z = pt_zone(r, node, zone, e)))
		return -1;
	for (k = 0; *(p = snap_skip_ws(p)); k++) {
		if (k >= r->nhdr || snap_parse_u64(&p, &v))
			return pt_bad(e, "more block counts than types, or not a number");
		t = r->hdr[k];
		if (z->has_blocks[t])
			return pt_bad(e, "a zone's blocks twice: two snapshots in one file?");
		z->has_blocks[t] = 1;
		z->blocks[t] = v;
	}
	if (k != r->nhdr)
		return pt_bad(e, "fewer block counts than types");
	return 0;
}

static int read_pagetype(struct analyzer *a, const char *path, const char *phase,
			 struct samples_error *e)
{
	struct pt_read *r = calloc(1, sizeof(*r));
	FILE *f = a->out[OUT_PAGEBLOCKS];
	int i, t;

	if (!r) {
		snprintf(e->msg, sizeof(e->msg), "out of memory");
		return -1;
	}
	r->order = -1;
	if (snap_read_lines(path, pt_line, r, e)) {
		free(r);
		return -1;
	}
	if (r->nz == 0) {
		snprintf(e->msg, sizeof(e->msg), "empty file (no zone lines)");
		e->line = 1;
		free(r);
		return -1;
	}
	for (i = 0; i < r->nz; i++) {
		const struct pt_zone *z = &r->z[i];

		for (t = 0; t < r->ntype; t++) {
			if (!z->has_free[t] && !z->has_blocks[t])
				continue;
			fprintf(f, "%s,%d,%s,%s,%d", phase, z->node, z->zone, r->type[t], r->order);
			put_u64(f, z->has_blocks[t], z->blocks[t]);
			put_u64(f, z->has_free[t], z->free_pages[t]);
			put_u64(f, z->has_free[t], z->free_high[t]);
			fprintf(f, ",%d\n", z->capped[t]);
		}
	}
	free(r);
	return 0;
}

int compact_read(struct analyzer *a, const char *path, struct samples_error *e)
{
	char phase[BUDDY_PHASE_MAX];
	int k = compact_kind(path, phase, sizeof(phase));

	e->line = 0;
	return k == COMPACT_VMSTAT ? read_vmstat(a, path, phase, e) :
		read_pagetype(a, path, phase, e);
}
