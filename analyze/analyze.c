/*
 * analyze.c - turn samples CSV and buddyinfo snapshots into the tables the
 * figures and the report draw from.
 *
 * Usage: analyze [-o OUTDIR] [-q] [--stats] [--print-index unusable|extfrag]
 *        INPUT...   (analyze/README.md says the same at more length)
 * An INPUT named buddyinfo.<phase>.txt is a /proc/buddyinfo snapshot; any
 * other INPUT is a samples CSV (schema 1, kmod/ptwalk_csv.h).  Samples are
 * streamed (analyze/samples.c): only the current group is held, so memory
 * does not grow with the file.  A group is the rows of one (source,
 * allocator, size_bytes, sample); its rows stand together, in increasing
 * page order, and a group never reappears, in one file or across files.
 *
 * Output files (in OUTDIR, default "."; committed all or nothing by
 * collect/outfile.c, only when every input was read without error, so an
 * error leaves no partial output and no mix of old and new tables).  The samples tables are written when a
 * samples CSV is given, frag.csv when a snapshot is given.
 *
 * summary.csv - one row per group, in input order:
 *   source,allocator,size_bytes,sample   the group
 *   pages        rows in the group
 *   present      rows with pa
 *   runs         present - contiguous pairs (pages i, i+1 both with pa
 *                and pa[i+1] = pa[i] + 4096)
 *   largest_run  longest run, in pages
 *   mean_run     present / runs, 0 when runs = 0, "%.3f"
 *   contiguity   contiguous pairs / (pages - 1), 1 when pages = 1, "%.6f"
 *   v2p_mismatch rows with pa_v2p and pa_walk both set and different
 *   walk_mismatch rows with pa_walk and pa_pagemap both set and different
 *   span_pages   highest pfn - lowest pfn of present rows (0 if none)
 *   frames_2m    distinct 2 MiB physical frames (pa >> 21) touched
 *   v2p_checked, walk_checked  rows where that comparison ran
 *   pairs_down   pages i, i+1 both with pa and pa[i+1] = pa[i] - 4096
 *   contiguity_any (pairs + pairs_down) / (pages - 1), 1 when pages = 1
 *   set_runs     runs of consecutive numbers in the sorted distinct PFNs
 *   va_stride    most frequent va[i+1] - va[i], smaller on a tie; empty
 *                when pages = 1
 *   leaf_pte, leaf_pmd, leaf_pud  rows with that level
 *
 * reuse.csv - source,allocator,size_bytes,sample,prev_sample,frames,
 *   shared_frames,shared_share: per group after the first of its (source,
 *   allocator, size_bytes): its distinct PFNs, how many the previous
 *   group of that key had too, and their share (0 when frames = 0).
 *
 * runhist.csv - source,allocator,size_bytes,order,runs,pages: runs of
 *   length L counted at order floor(log2 L), summed over the samples of
 *   (source, allocator, size_bytes); pages is the sum of their lengths.
 *   Only orders with runs; keys in first-seen order, orders ascending.
 *
 * deltas.csv - source,allocator,size_bytes,sample,bucket,lo_pages,
 *   hi_pages,pairs: per group, the histogram of d = pfn[i+1] - pfn[i]
 *   over consecutive rows.  bucket is "-2^k" (lo..hi = -(2^(k+1)-1) ..
 *   -2^k), "-1", "0", "+1", "+2^k" (2^k .. 2^(k+1)-1) or "absent" (either
 *   row has no pa; lo = hi = 0).  Only buckets with pairs, from the most
 *   negative to the most positive, absent last.
 *
 * pfnmap.csv - source,allocator,size_bytes,sample,page,pfn,pfn_offset:
 *   every row of one group per (source, allocator): the first group in
 *   input order among those with the largest size_bytes, for "page index
 *   against PFN" maps.  pfn = pa >> 12 in decimal; pfn_offset = pfn minus
 *   the group's lowest pfn; both empty when the page has no pa.
 *
 * findings.csv - per (source, allocator): the numbers the report's
 *   findings print (groups, sizes, full groups, contiguous up to which
 *   size, means at the largest size, all-size mean run, mismatches with
 *   what was checked, reuse sums, leaf counts); analyze/README.md has
 *   the columns.
 *
 * frag.csv - phase,node,zone,order,free_blocks,free_pages,unusable_index,
 *   frag_index: per snapshot, zone and order.  free_blocks is the count
 *   of that order, free_pages the zone's free pages in all; the indices
 *   are mm/vmstat.c's unusable_free_index() and __fragmentation_index()
 *   printed "%d.%03d" as debugfs extfrag/ does.
 *
 * Standard output gets one line per group (and per snapshot zone), at
 * most 80 columns.  --print-index prints instead, for every INPUT taken
 * as a snapshot whatever its name, exactly what debugfs
 * extfrag/unusable_index or extfrag/extfrag_index would print for it, so
 * that the two can be compared with diff; it writes no file.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buddyinfo.h"
#include "metrics.h"
#include "outfile.h"
#include "grow.h"
#include "teach.h"
#include "samples.h"

#define PROG "analyze"
#define OUT_BUF (1u << 20)

/* ---- a string-keyed table: key -> index, insertion ordered ---- */

struct strmap {
	char **keys;
	size_t *idx;
	size_t cap, count;
};

static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Index of key, or (size_t)-1. */
static size_t strmap_find(const struct strmap *m, const char *key)
{
	size_t j;

	if (!m->cap)
		return (size_t)-1;
	for (j = str_hash(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (strcmp(m->keys[j], key) == 0)
			return m->idx[j];
	return (size_t)-1;
}

static int strmap_put(struct strmap *m, const char *key, size_t idx);

static int strmap_grow(struct strmap *m)
{
	struct strmap n = { 0 };
	size_t i;

	n.cap = m->cap ? 2 * m->cap : 64;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.idx = calloc(n.cap, sizeof(*n.idx));
	if (!n.keys || !n.idx) {
		free(n.keys);
		free(n.idx);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		for (j = str_hash(m->keys[i]) & (n.cap - 1); n.keys[j]; j = (j + 1) & (n.cap - 1))
			;
		n.keys[j] = m->keys[i];
		n.idx[j] = m->idx[i];
	}
	n.count = m->count;
	free(m->keys);
	free(m->idx);
	*m = n;
	return 0;
}

static int strmap_put(struct strmap *m, const char *key, size_t idx)
{
	size_t j;
	char *k;

	if (2 * (m->count + 1) > m->cap && strmap_grow(m))
		return -1;
	k = strdup(key);
	if (!k)
		return -1;
	for (j = str_hash(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		;
	m->keys[j] = k;
	m->idx[j] = idx;
	m->count++;
	return 0;
}

static void strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->idx);
	memset(m, 0, sizeof(*m));
}

/* ---- output files: temporary name until everything succeeded ---- */

enum { OUT_SUMMARY, OUT_RUNHIST, OUT_DELTAS, OUT_PFNMAP, OUT_REUSE, OUT_FINDINGS,
       OUT_WALKS, OUT_V2P, OUT_LEAVES, OUT_OVERVIEW, OUT_FRAG, NOUT };

static const char *const out_names[NOUT] = {
	"summary.csv", "runhist.csv", "deltas.csv", "pfnmap.csv", "reuse.csv",
	"findings.csv", "walks.csv", "v2p.csv", "leaves.csv", "overview.csv", "frag.csv",
};
static const char *const out_headers[NOUT] = {
	"source,allocator,size_bytes,sample,pages,present,runs,largest_run,"
	"mean_run,contiguity,v2p_mismatch,walk_mismatch,span_pages,frames_2m,"
	"v2p_checked,walk_checked,pairs_down,contiguity_any,set_runs,va_stride,"
	"leaf_pte,leaf_pmd,leaf_pud\n",
	"source,allocator,size_bytes,order,runs,pages\n",
	"source,allocator,size_bytes,sample,bucket,lo_pages,hi_pages,pairs\n",
	"source,allocator,size_bytes,sample,page,pfn,pfn_offset\n",
	"source,allocator,size_bytes,sample,prev_sample,frames,shared_frames,shared_share\n",
	"source,allocator,groups,sizes,size_min,size_max,one_run_groups,contiguous_upto,"
	"contiguous_all,max_samples,max_mean_run,max_contiguity,max_contiguity_any,"
	"max_largest_run_min,max_largest_run_max,max_frames_2m,max_pages,all_mean_run,"
	"v2p_mismatch,v2p_checked,walk_mismatch,walk_checked,reuse_groups,reuse_shared,"
	"reuse_frames,leaf_pte,leaf_pmd,leaf_pud\n",
	TEACH_WALKS_HEADER, TEACH_V2P_HEADER, TEACH_LEAVES_HEADER, TEACH_OVERVIEW_HEADER,
	"phase,node,zone,order,free_blocks,free_pages,unusable_index,frag_index\n",
};

/* One table: a stdio stream on the output file (collect/outfile.h). */
struct table {
	FILE *f;
	char *buf;
	int file;               /* index in analyzer.files, or -1 */
};

/* One order of a run histogram with runs in it. */
struct runcell {
	uint64_t runs, pages;
	unsigned int order;
};

/*
 * Per (source, allocator, size_bytes): runs summed over its samples.
 * Only the orders that have runs are kept, in increasing order, so an
 * entry costs tens of bytes, not 64 orders' worth.
 */
struct runhist {
	size_t pick;            /* its (source, allocator): index in picks */
	uint64_t size_bytes;
	struct runcell *cell;
	unsigned int ncell;
	/* reuse.csv: the previous group of this key, its sorted distinct PFNs */
	int has_prev;
	uint64_t prev_sample, *prev_pfn;
	size_t nprev, cap_prev;
};

/*
 * Per (source, allocator): the group chosen for pfnmap.csv so far.  Its
 * rows are binary (page, pfn + 1; 0 = absent) pairs in the one spill
 * file all picks share: no descriptor per key.
 */
struct pfnpick {
	uint64_t size_bytes, sample, min_pfn;
	char source[SAMPLES_SOURCE_MAX], allocator[SAMPLES_ALLOC_MAX];
	int has_rows;
	uint64_t off, nrows;    /* its pairs in the spill file */
	struct finding *find;   /* findings.csv of this (source, allocator) */
};

/* findings.csv: per request size of one (source, allocator). */
struct findsize {
	uint64_t size, groups, full;            /* full: one run, all present */
	double sum_mean_run, sum_contig, sum_contig_any;
	uint64_t lr_min, lr_max, sum_frames_2m, sum_pages;
};

/* findings.csv: one (source, allocator), over all its groups. */
struct finding {
	uint64_t groups, full, present, runs;
	uint64_t v2p, v2p_checked, walk, walk_checked, leaf[4];
	uint64_t reuse_groups, reuse_shared, reuse_frames;
	struct findsize *size;
	size_t nsize, cap_size;
};

struct analyzer {
	const char *outdir;
	int quiet;
	struct table out[NOUT];
	struct outfile files[NOUT];
	size_t nfiles;
	const char *file;       /* input being read */

	/* the current group */
	int in_group;
	struct sample_row key;
	struct group_metrics gm;
	struct frameset frames;
	struct groupbuf buf;
	struct pfnpick *pick;   /* non-NULL while this group is recorded */
	size_t cur_pick;        /* this group's (source, allocator) */

	struct strmap groups;   /* "src,alloc,size,sample" -> first line */
	struct { const char *file; unsigned long line; } *group_at;
	size_t ngroup_at, cap_group_at;
	struct strmap hist_map;
	struct runhist *hist;
	size_t nhist, cap_hist;
	struct strmap pick_map;
	struct pfnpick *picks;
	size_t npicks, cap_picks;
	FILE *spill;            /* the picks' rows */
	uint64_t spill_end, spill_dead;         /* in pairs */

	uint64_t rows, ngroups, nzones;
	int wrote_header;
	struct teach *teach;    /* walks, v2p, leaves, overview (analyze/teach.c) */
};

static int out_open(struct analyzer *a, int which)
{
	struct table *t = &a->out[which];
	struct outfile *o = &a->files[a->nfiles];
	char path[PATH_MAX];
	int err, fd;

	if (snprintf(path, sizeof(path), "%s/%s", a->outdir, out_names[which]) >=
	    (int)sizeof(path)) {
		fprintf(stderr, PROG ": cannot create %s/%s: %s\n", a->outdir,
			out_names[which], strerror(ENAMETOOLONG));
		return -1;
	}
	err = outfile_open(o, path);
	if (err) {
		fprintf(stderr, PROG ": cannot create %s: %s\n", path, strerror(-err));
		return -1;
	}
	t->file = (int)a->nfiles++;
	fd = dup(o->fd);
	t->f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!t->f) {
		fprintf(stderr, PROG ": cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	t->buf = malloc(OUT_BUF);
	if (t->buf)
		setvbuf(t->f, t->buf, _IOFBF, OUT_BUF);
	fputs(out_headers[which], t->f);
	return 0;
}

/*
 * Close every table; commit them all or none (collect/outfile.h) if
 * commit, else remove them.
 */
static int out_finish(struct analyzer *a, int commit)
{
	int i, err = 0;
	size_t j, bad = 0;

	for (i = 0; i < NOUT; i++) {
		struct table *t = &a->out[i];

		if (!t->f)
			continue;
		errno = 0;
		if ((ferror(t->f) | fclose(t->f)) && commit) {
			fprintf(stderr, PROG ": cannot write %s: %s\n",
				a->files[t->file].path, strerror(errno ? errno : EIO));
			commit = 0;
			err = -1;
		}
		t->f = NULL;
		free(t->buf);
		t->buf = NULL;
	}
	if (commit && a->nfiles) {
		int e = outfile_commit(a->files, a->nfiles, &bad);

		if (e) {
			fprintf(stderr, PROG ": cannot write %s: %s (no table changed)\n",
				a->files[bad].path, strerror(-e));
			err = -1;
		}
	} else {
		for (j = 0; j < a->nfiles; j++)
			outfile_abort(&a->files[j]);
	}
	a->nfiles = 0;
	return err;
}

/* ---- samples ---- */

static const char *human_size(char *buf, size_t n, uint64_t b)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (b && b % 1024 == 0 && u < 3) {
		b /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, n, "%llu", (unsigned long long)b);
	else
		snprintf(buf, n, "%llu%c", (unsigned long long)b, units[u]);
	return buf;
}

static void print_group_line(struct analyzer *a)
{
	const struct group_metrics *g = &a->gm;
	const struct sample_row *k = &a->key;
	char line[160], sz[32];

	if (a->quiet)
		return;
	if (a->ngroups == 1)
		printf("%-6s %-11s %5s %6s %8s %8s %8s %8s %6s %5s\n", "source",
		       "allocator", "size", "sample", "pages", "present", "runs",
		       "largest", "contig", "mism");
	snprintf(line, sizeof(line),
		 "%-6s %-11s %5s %6llu %8llu %8llu %8llu %8llu %6.4f %5llu",
		 k->source, k->allocator, human_size(sz, sizeof(sz), k->size_bytes),
		 (unsigned long long)k->sample, (unsigned long long)g->pages,
		 (unsigned long long)g->present, (unsigned long long)g->runs,
		 (unsigned long long)g->largest_run,
		 metrics_contiguity(g->pairs, g->pages),
		 (unsigned long long)(g->v2p_mismatch + g->walk_mismatch));
	line[80] = '\0';
	puts(line);
}

/*
 * reuse.csv: how many of this group's frames the previous group of the
 * same (source, allocator, size_bytes) had; then this group becomes the
 * previous one.  The one table whose memory is per key, not per group.
 */
static int add_reuse(struct analyzer *a, struct runhist *h)
{
	const struct group_metrics *g = &a->gm;
	const uint64_t *pfn = a->buf.pfn;

	if (h->has_prev) {
		uint64_t shared = metrics_shared(pfn, g->nframes, h->prev_pfn, h->nprev);

		struct finding *fd = a->picks[h->pick].find;

		if (teach_reuse(a->teach, &a->key, shared, g->nframes))
			return -1;
		if (fd) {
			fd->reuse_groups++;
			fd->reuse_shared += shared;
			fd->reuse_frames += g->nframes;
		}
		fprintf(a->out[OUT_REUSE].f, "%s,%s,%llu,%llu,%llu,%llu,%llu,%.6f\n",
			a->key.source, a->key.allocator,
			(unsigned long long)a->key.size_bytes,
			(unsigned long long)a->key.sample,
			(unsigned long long)h->prev_sample,
			(unsigned long long)g->nframes, (unsigned long long)shared,
			g->nframes ? (double)shared / (double)g->nframes : 0.0);
	}
	if (g->nframes > h->cap_prev) {
		uint64_t *n = realloc(h->prev_pfn, g->nframes * sizeof(*n));

		if (!n)
			return -1;
		h->prev_pfn = n;
		h->cap_prev = g->nframes;
	}
	if (g->nframes)
		memcpy(h->prev_pfn, pfn, g->nframes * sizeof(*pfn));
	h->nprev = g->nframes;
	h->prev_sample = a->key.sample;
	h->has_prev = 1;
	return 0;
}

static int add_runhist(struct analyzer *a, size_t pick)
{
	char key[64];
	size_t i;
	unsigned int k, c;
	struct runhist *h;

	snprintf(key, sizeof(key), "%zu,%llu", pick, (unsigned long long)a->key.size_bytes);
	i = strmap_find(&a->hist_map, key);
	if (i == (size_t)-1) {
		h = grow(a->hist, &a->cap_hist, a->nhist + 1, sizeof(*h));
		if (!h)
			return -1;
		a->hist = h;
		i = a->nhist++;
		h[i].pick = pick;
		h[i].size_bytes = a->key.size_bytes;
		if (strmap_put(&a->hist_map, key, i))
			return -1;
	}
	h = &a->hist[i];
	for (k = 0; k < METRICS_ORDERS; k++) {
		if (!a->gm.run_count[k])
			continue;
		for (c = 0; c < h->ncell && h->cell[c].order < k; c++)
			;
		if (c == h->ncell || h->cell[c].order != k) {
			struct runcell *n = realloc(h->cell, (h->ncell + 1) * sizeof(*n));

			if (!n)
				return -1;
			h->cell = n;
			memmove(n + c + 1, n + c, (h->ncell - c) * sizeof(*n));
			n[c].order = k;
			n[c].runs = n[c].pages = 0;
			h->ncell++;
		}
		h->cell[c].runs += a->gm.run_count[k];
		h->cell[c].pages += a->gm.run_pages[k];
	}
	return add_reuse(a, h);
}

static void write_deltas(struct analyzer *a)
{
	FILE *f = a->out[OUT_DELTAS].f;
	const uint64_t *d = a->gm.delta;
	int order[DELTA_NBUCKETS], n = 0, b, i;

	for (b = DELTA_NEG + 63; b >= DELTA_NEG; b--)
		order[n++] = b;
	order[n++] = DELTA_ZERO;
	for (b = DELTA_POS; b < DELTA_NEG; b++)
		order[n++] = b;
	order[n++] = DELTA_ABSENT;
	for (i = 0; i < n; i++) {
		char label[16];
		int64_t lo, hi;

		if (!d[order[i]])
			continue;
		metrics_delta_range(order[i], label, sizeof(label), &lo, &hi);
		fprintf(f, "%s,%s,%llu,%llu,%s,%lld,%lld,%llu\n", a->key.source,
			a->key.allocator, (unsigned long long)a->key.size_bytes,
			(unsigned long long)a->key.sample, label, (long long)lo,
			(long long)hi, (unsigned long long)d[order[i]]);
	}
}

/* findings.csv: add the finished group to its (source, allocator). */
static int add_finding(struct analyzer *a, size_t pick)
{
	const struct group_metrics *g = &a->gm;
	struct pfnpick *p = &a->picks[pick];
	struct finding *f = p->find;
	struct findsize *z;
	size_t i;

	if (!f) {
		f = p->find = calloc(1, sizeof(*f));
		if (!f)
			return -1;
	}
	for (i = 0; i < f->nsize && f->size[i].size != a->key.size_bytes; i++)
		;
	if (i == f->nsize) {
		z = grow(f->size, &f->cap_size, f->nsize + 1, sizeof(*z));
		if (!z)
			return -1;
		f->size = z;
		f->nsize++;
		z[i].size = a->key.size_bytes;
		z[i].lr_min = g->largest_run;
	}
	z = &f->size[i];
	f->groups++;
	f->present += g->present;
	f->runs += g->runs;
	f->v2p += g->v2p_mismatch;
	f->v2p_checked += g->v2p_checked;
	f->walk += g->walk_mismatch;
	f->walk_checked += g->walk_checked;
	for (i = 1; i < 4; i++)
		f->leaf[i] += g->leaf[i];
	z->groups++;
	if (g->runs == 1 && g->present == g->pages) {
		z->full++;
		f->full++;
	}
	z->sum_mean_run += metrics_mean_run(g->present, g->runs);
	z->sum_contig += metrics_contiguity(g->pairs, g->pages);
	z->sum_contig_any += metrics_contiguity_any(g);
	if (g->largest_run < z->lr_min)
		z->lr_min = g->largest_run;
	if (g->largest_run > z->lr_max)
		z->lr_max = g->largest_run;
	z->sum_frames_2m += g->frames_2m;
	z->sum_pages += g->pages;
	return 0;
}

static int cmp_findsize(const void *x, const void *y)
{
	uint64_t a = ((const struct findsize *)x)->size, b = ((const struct findsize *)y)->size;

	return (a > b) - (a < b);
}

static void write_findings(struct analyzer *a)
{
	FILE *out = a->out[OUT_FINDINGS].f;
	size_t i, k;

	for (i = 0; i < a->npicks; i++) {
		const struct pfnpick *p = &a->picks[i];
		struct finding *f = p->find;
		const struct findsize *m;
		uint64_t upto = 0;
		int all = 1;

		if (!f || !f->nsize)
			continue;
		qsort(f->size, f->nsize, sizeof(*f->size), cmp_findsize);
		for (k = 0; k < f->nsize; k++) {
			if (f->size[k].full != f->size[k].groups) {
				all = 0;
				break;
			}
			upto = f->size[k].size;
		}
		m = &f->size[f->nsize - 1];
		fprintf(out, "%s,%s,%llu,%zu,%llu,%llu,%llu,%llu,%d,%llu,%.3f,%.6f,%.6f,"
			"%llu,%llu,%.1f,%.0f,%.3f,%llu,%llu,%llu,%llu,%llu,%llu,%llu,"
			"%llu,%llu,%llu\n",
			p->source, p->allocator, (unsigned long long)f->groups,
			f->nsize, (unsigned long long)f->size[0].size,
			(unsigned long long)m->size, (unsigned long long)f->full,
			(unsigned long long)upto, all, (unsigned long long)m->groups,
			m->sum_mean_run / m->groups, m->sum_contig / m->groups,
			m->sum_contig_any / m->groups, (unsigned long long)m->lr_min,
			(unsigned long long)m->lr_max,
			(double)m->sum_frames_2m / m->groups,
			(double)m->sum_pages / m->groups,
			metrics_mean_run(f->present, f->runs),
			(unsigned long long)f->v2p, (unsigned long long)f->v2p_checked,
			(unsigned long long)f->walk, (unsigned long long)f->walk_checked,
			(unsigned long long)f->reuse_groups,
			(unsigned long long)f->reuse_shared,
			(unsigned long long)f->reuse_frames,
			(unsigned long long)f->leaf[PTW_LVL_PTE],
			(unsigned long long)f->leaf[PTW_LVL_PMD],
			(unsigned long long)f->leaf[PTW_LVL_PUD]);
	}
}

static int finish_group(struct analyzer *a, struct samples_error *e)
{
	struct group_metrics *g = &a->gm;
	const struct sample_row *k = &a->key;

	a->in_group = 0;
	group_metrics_end(g);
	fprintf(a->out[OUT_SUMMARY].f,
		"%s,%s,%llu,%llu,%llu,%llu,%llu,%llu,%.3f,%.6f,%llu,%llu,%llu,%llu,",
		k->source, k->allocator, (unsigned long long)k->size_bytes,
		(unsigned long long)k->sample, (unsigned long long)g->pages,
		(unsigned long long)g->present, (unsigned long long)g->runs,
		(unsigned long long)g->largest_run,
		metrics_mean_run(g->present, g->runs),
		metrics_contiguity(g->pairs, g->pages),
		(unsigned long long)g->v2p_mismatch,
		(unsigned long long)g->walk_mismatch,
		(unsigned long long)group_metrics_span_pages(g),
		(unsigned long long)g->frames_2m);
	fprintf(a->out[OUT_SUMMARY].f, "%llu,%llu,%llu,%.6f,%llu,",
		(unsigned long long)g->v2p_checked,
		(unsigned long long)g->walk_checked,
		(unsigned long long)g->pairs_down, metrics_contiguity_any(g),
		(unsigned long long)g->set_runs);
	if (g->has_stride)
		fprintf(a->out[OUT_SUMMARY].f, "%lld", (long long)g->va_stride);
	fprintf(a->out[OUT_SUMMARY].f, ",%llu,%llu,%llu\n",
		(unsigned long long)g->leaf[PTW_LVL_PTE],
		(unsigned long long)g->leaf[PTW_LVL_PMD],
		(unsigned long long)g->leaf[PTW_LVL_PUD]);
	write_deltas(a);
	if (a->pick) {
		a->pick->min_pfn = g->min_pa >> 12;
		a->pick = NULL;
	}
	print_group_line(a);
	if (teach_group(a->teach, k, g) || add_finding(a, a->cur_pick) ||
	    add_runhist(a, a->cur_pick)) {
		snprintf(e->msg, sizeof(e->msg), "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Copy the live picks' rows to a new spill file once most of the old
 * one is rows of groups no longer picked: the spill file stays within
 * twice the rows pfnmap.csv will hold, whatever the input's size.
 */
static int spill_compact(struct analyzer *a, struct samples_error *e)
{
	FILE *n = tmpfile();
	uint64_t pair[2], end = 0, j;
	size_t i;

	if (!n)
		goto fail;
	for (i = 0; i < a->npicks; i++) {
		struct pfnpick *p = &a->picks[i];

		if (!p->has_rows)
			continue;
		if (fseeko(a->spill, (off_t)(p->off * sizeof(pair)), SEEK_SET))
			goto fail;
		for (j = 0; j < p->nrows; j++)
			if (fread(pair, sizeof(pair), 1, a->spill) != 1 ||
			    fwrite(pair, sizeof(pair), 1, n) != 1)
				goto fail;
		p->off = end;
		end += p->nrows;
	}
	if (fflush(n))
		goto fail;
	fclose(a->spill);
	a->spill = n;
	a->spill_end = end;
	a->spill_dead = 0;
	return 0;
fail:
	snprintf(e->msg, sizeof(e->msg), "cannot write a temporary file for pfnmap.csv: %s",
		 strerror(errno ? errno : EIO));
	if (n)
		fclose(n);
	return -1;
}

/* Should this group's rows go to pfnmap.csv? Sets a->pick if so. */
static int pick_group(struct analyzer *a, struct samples_error *e)
{
	char key[64];
	size_t i;
	struct pfnpick *p;

	snprintf(key, sizeof(key), "%s,%s", a->key.source, a->key.allocator);
	i = strmap_find(&a->pick_map, key);
	if (i == (size_t)-1) {
		p = grow(a->picks, &a->cap_picks, a->npicks + 1, sizeof(*p));
		if (!p)
			goto nomem;
		a->picks = p;
		i = a->npicks++;
		if (strmap_put(&a->pick_map, key, i))
			goto nomem;
	} else if (a->key.size_bytes <= a->picks[i].size_bytes) {
		a->cur_pick = i;
		return 0;
	}
	a->cur_pick = i;
	p = &a->picks[i];
	if (p->has_rows)
		a->spill_dead += p->nrows;
	if (!a->spill) {
		errno = 0;
		a->spill = tmpfile();
		if (!a->spill) {
			snprintf(e->msg, sizeof(e->msg),
				 "cannot create a temporary file for pfnmap.csv: %s",
				 strerror(errno ? errno : EIO));
			return -1;
		}
	}
	p->has_rows = 0;
	if (a->spill_dead > (1u << 20) && a->spill_dead > a->spill_end - a->spill_dead &&
	    spill_compact(a, e))
		return -1;
	if (fseeko(a->spill, 0, SEEK_END)) {
		snprintf(e->msg, sizeof(e->msg), "cannot write a temporary file for pfnmap.csv: %s",
			 strerror(errno));
		return -1;
	}
	p->has_rows = 1;
	p->off = a->spill_end;
	p->nrows = 0;
	p->size_bytes = a->key.size_bytes;
	p->sample = a->key.sample;
	strcpy(p->source, a->key.source);
	strcpy(p->allocator, a->key.allocator);
	a->pick = p;
	return 0;
nomem:
	snprintf(e->msg, sizeof(e->msg), "out of memory");
	return -1;
}

static int start_group(struct analyzer *a, const struct sample_row *r,
		       unsigned long line, struct samples_error *e)
{
	char key[128];
	size_t i;

	snprintf(key, sizeof(key), "%s,%s,%llu,%llu", r->source, r->allocator,
		 (unsigned long long)r->size_bytes, (unsigned long long)r->sample);
	i = strmap_find(&a->groups, key);
	if (i != (size_t)-1) {
		snprintf(e->msg, sizeof(e->msg),
			 "group %s reappears (first seen at %s:%lu)", key,
			 a->group_at[i].file, a->group_at[i].line);
		return -1;
	}
	a->group_at = grow(a->group_at, &a->cap_group_at, a->ngroup_at + 1,
			   sizeof(*a->group_at));
	if (!a->group_at)
		goto nomem;
	a->group_at[a->ngroup_at].file = a->file;      /* an argv string */
	a->group_at[a->ngroup_at].line = line;
	if (strmap_put(&a->groups, key, a->ngroup_at++))
		goto nomem;
	a->key = *r;
	a->in_group = 1;
	a->ngroups++;
	group_metrics_begin(&a->gm, &a->frames, &a->buf);
	return pick_group(a, e);
nomem:
	snprintf(e->msg, sizeof(e->msg), "out of memory");
	return -1;
}

static int same_group(const struct sample_row *k, const struct sample_row *r)
{
	return k->sample == r->sample && k->size_bytes == r->size_bytes &&
	       strcmp(k->allocator, r->allocator) == 0 &&
	       strcmp(k->source, r->source) == 0;
}

static int on_row(void *ctx, const struct sample_row *r, unsigned long line,
		  struct samples_error *e)
{
	struct analyzer *a = ctx;

	if (!a->in_group || !same_group(&a->key, r)) {
		if (a->in_group && finish_group(a, e))
			return -1;
		if (start_group(a, r, line, e))
			return -1;
	} else if (r->page <= a->gm.prev_page) {
		snprintf(e->msg, sizeof(e->msg),
			 "page %llu out of order (after page %llu in the same group)",
			 (unsigned long long)r->page,
			 (unsigned long long)a->gm.prev_page);
		return -1;
	}
	if (group_metrics_add(&a->gm, r) || teach_row(a->teach, r)) {
		snprintf(e->msg, sizeof(e->msg), "out of memory");
		return -1;
	}
	if (a->pick) {
		uint64_t pair[2] = { r->page, r->has & PTW_HAS_PA ? (r->pa >> 12) + 1 : 0 };

		if (fwrite(pair, sizeof(pair), 1, a->spill) != 1) {
			snprintf(e->msg, sizeof(e->msg),
				 "cannot write a temporary file for pfnmap.csv: %s",
				 strerror(errno ? errno : EIO));
			return -1;
		}
		a->pick->nrows++;
		a->spill_end++;
	}
	a->rows++;
	return 0;
}

static int write_tables(struct analyzer *a)
{
	FILE *f = a->out[OUT_RUNHIST].f;
	size_t i;
	unsigned int k;
	uint64_t j;

	write_findings(a);
	if (teach_write(a->teach, a->out[OUT_WALKS].f, a->out[OUT_V2P].f,
			a->out[OUT_LEAVES].f, a->out[OUT_OVERVIEW].f)) {
		fprintf(stderr, PROG ": out of memory\n");
		return -1;
	}
	for (i = 0; i < a->nhist; i++) {
		const struct runhist *h = &a->hist[i];
		const struct pfnpick *p = &a->picks[h->pick];

		for (k = 0; k < h->ncell; k++)
			fprintf(f, "%s,%s,%llu,%u,%llu,%llu\n", p->source,
				p->allocator, (unsigned long long)h->size_bytes,
				h->cell[k].order, (unsigned long long)h->cell[k].runs,
				(unsigned long long)h->cell[k].pages);
	}
	f = a->out[OUT_PFNMAP].f;
	if (a->spill && fflush(a->spill)) {
		fprintf(stderr, PROG ": cannot write a temporary file for pfnmap.csv: %s\n",
			strerror(errno));
		return -1;
	}
	for (i = 0; i < a->npicks; i++) {
		struct pfnpick *p = &a->picks[i];
		uint64_t pair[2];

		if (!p->has_rows)
			continue;
		if (fseeko(a->spill, (off_t)(p->off * sizeof(pair)), SEEK_SET))
			goto rd;
		for (j = 0; j < p->nrows; j++) {
			if (fread(pair, sizeof(pair), 1, a->spill) != 1)
				goto rd;
			fprintf(f, "%s,%s,%llu,%llu,%llu,", p->source, p->allocator,
				(unsigned long long)p->size_bytes,
				(unsigned long long)p->sample,
				(unsigned long long)pair[0]);
			if (pair[1])
				fprintf(f, "%llu,%llu\n", (unsigned long long)(pair[1] - 1),
					(unsigned long long)(pair[1] - 1 - p->min_pfn));
			else
				fputs(",\n", f);
		}
	}
	return 0;
rd:
	fprintf(stderr, PROG ": cannot read back the pfnmap rows: %s\n",
		strerror(errno ? errno : EIO));
	return -1;
}

/* ---- buddyinfo ---- */

struct snap_ctx {
	struct analyzer *a;
	const char *phase;
	int kind;               /* 0 tables, 1 unusable, 2 extfrag */
};

static int on_zone(void *ctx, const struct buddy_zone *z, unsigned long line,
		   struct samples_error *e)
{
	struct snap_ctx *s = ctx;
	struct analyzer *a = s->a;
	struct contig_info ci;
	char u[16], x[16];
	unsigned int k;
	int show = z->norders > 9 ? 9 : (int)z->norders - 1;

	(void)line;
	(void)e;
	if (s->kind) {
		printf("Node %d, zone %8s ", z->node, z->zone);
		for (k = 0; k < z->norders; k++) {
			metrics_contig_info(z->nr_free, z->norders, k, &ci);
			metrics_fmt_index(u, sizeof(u), s->kind == 1 ?
					  metrics_unusable_index(k, &ci) :
					  metrics_frag_index(k, &ci), s->kind == 2);
			printf("%s ", u);
		}
		putchar('\n');
		return 0;
	}
	for (k = 0; k < z->norders; k++) {
		metrics_contig_info(z->nr_free, z->norders, k, &ci);
		metrics_fmt_index(u, sizeof(u), metrics_unusable_index(k, &ci), 0);
		metrics_fmt_index(x, sizeof(x), metrics_frag_index(k, &ci), 0);
		fprintf(a->out[OUT_FRAG].f, "%s,%d,%s,%u,%llu,%llu,%s,%s\n", s->phase,
			z->node, z->zone, k, (unsigned long long)z->nr_free[k],
			(unsigned long long)ci.free_pages, u, x);
	}
	a->nzones++;
	if (!a->quiet) {
		char line80[160];

		metrics_contig_info(z->nr_free, z->norders, (unsigned int)show, &ci);
		metrics_fmt_index(u, sizeof(u), metrics_unusable_index((unsigned int)show, &ci), 0);
		metrics_fmt_index(x, sizeof(x), metrics_frag_index((unsigned int)show, &ci), 0);
		snprintf(line80, sizeof(line80),
			 "frag %-8s n%d %-7s free %9llu order %d unusable %s frag %s",
			 s->phase, z->node, z->zone,
			 (unsigned long long)ci.free_pages, show, u, x);
		line80[80] = '\0';
		puts(line80);
	}
	return 0;
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [-o OUTDIR] [-q] INPUT...\n"
"       " PROG " --print-index unusable|extfrag SNAPSHOT...\n"
"Reduce samples CSV (schema 1) and buddyinfo snapshots to the tables the\n"
"figures draw: summary.csv, runhist.csv, deltas.csv, pfnmap.csv (from samples)\n"
"and frag.csv (from snapshots named buddyinfo.<phase>.txt).\n"
"\n"
"  -o, --outdir DIR          write the tables to DIR (default: .)\n"
"  -q, --quiet               no per-group lines on standard output\n"
"  -p, --print-index KIND    print what debugfs extfrag/KIND_index shows for\n"
"                            each snapshot (any name), write no file\n"
"      --stats               rows, CPU seconds and peak RSS on stderr at the end\n"
"  -h, --help                this help\n"
"\n"
"EXAMPLES\n"
"  " PROG " -o out/ out/samples.csv out/buddyinfo.before.txt\n"
"  " PROG " -o out/ run1.csv run2.csv\n"
"  cat /proc/buddyinfo > b.txt; " PROG " -p extfrag b.txt |\n"
"      diff - /sys/kernel/debug/extfrag/extfrag_index\n");
}

/* ---- one snapshot per phase ---- */

struct phase_arg {
	char phase[BUDDY_PHASE_MAX];
	int arg;
};

static int phase_cmp(const void *x, const void *y)
{
	const struct phase_arg *a = x, *b = y;
	int c = strcmp(a->phase, b->phase);

	return c ? c : (a->arg > b->arg) - (a->arg < b->arg);
}

/*
 * A second snapshot of a phase would give frag.csv duplicate keys: say
 * which, and return 1 (0 when every phase is given once).  Sorted, so
 * that thousands of snapshots cost n log n, not n^2.
 */
static int phase_twice(int n, char **args)
{
	struct phase_arg *p = malloc((size_t)n * sizeof(*p));
	int i, k = 0, dup = -1;

	if (!p) {
		fprintf(stderr, PROG ": out of memory for %d snapshot names\n", n);
		return 1;
	}
	for (i = 0; i < n; i++)
		if (buddyinfo_phase(args[i], p[k].phase, sizeof(p[k].phase)) == 1)
			p[k++].arg = i;
	qsort(p, (size_t)k, sizeof(*p), phase_cmp);
	for (i = 1; i < k; i++)
		if (strcmp(p[i].phase, p[i - 1].phase) == 0 &&
		    (dup < 0 || p[i].arg < p[dup].arg))
			dup = i;    /* the earliest second one, as a reader meets it */
	if (dup >= 0)
		fprintf(stderr, PROG ": %s:0: phase '%s' given twice (also %s)\n",
			args[p[dup].arg], p[dup].phase, args[p[dup - 1].arg]);
	free(p);
	return dup >= 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "outdir", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "print-index", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "libcsv-only", no_argument, NULL, 'L' },
		{ "stats", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct analyzer a = { .outdir = "." };
	struct samples_error e;
	int c, i, err = 0, kind = 0, nsamples = 0, nsnaps = 0, stats = 0;
	size_t n;
	char phase[BUDDY_PHASE_MAX];

	opterr = 0;             /* one message of ours, not getopt's */
	while ((c = getopt_long(argc, argv, "o:qp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a.outdir = optarg;
			break;
		case 'q':
			a.quiet = 1;
			break;
		case 'p':
			if (strcmp(optarg, "unusable") == 0)
				kind = 1;
			else if (strcmp(optarg, "extfrag") == 0)
				kind = 2;
			else {
				fprintf(stderr, PROG ": --print-index takes unusable or extfrag, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'S':
			stats = 1;
			break;
		case 'L':       /* undocumented: benchmark and tests */
			samples_libcsv_only = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, PROG ": bad usage: '%s'; try '" PROG " -h'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, PROG ": no INPUT given; try '" PROG " -h'\n");
		return 2;
	}
	if (kind) {
		struct snap_ctx s = { .a = &a, .phase = "", .kind = kind };

		for (i = optind; i < argc; i++) {
			if (buddyinfo_read(argv[i], on_zone, &s, &e)) {
				fprintf(stderr, PROG ": %s:%lu: %s\n", argv[i], e.line, e.msg);
				return 1;
			}
		}
		return outfile_stdout_done(PROG);  /* the indices are the result */
	}
	for (i = optind; i < argc; i++) {
		int r = buddyinfo_phase(argv[i], phase, sizeof(phase));

		if (r < 0) {
			fprintf(stderr, PROG ": %s:0: bad phase in snapshot name (want buddyinfo.<phase>.txt, phase of A-Z a-z 0-9 _ . -)\n", argv[i]);
			return 1;
		}
		if (r)
			nsnaps++;
		else
			nsamples++;
	}
	if (nsnaps > 1 && phase_twice(argc - optind, argv + optind))
		return 1;
	if (mkdir(a.outdir, 0777) && errno != EEXIST) {
		fprintf(stderr, PROG ": cannot create %s: %s\n", a.outdir, strerror(errno));
		return 1;
	}
	frameset_init(&a.frames);
	a.teach = teach_new();
	if (!a.teach) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	for (i = 0; i < NOUT && !err; i++)
		if (i == OUT_FRAG ? nsnaps > 0 : nsamples > 0)
			err = out_open(&a, i);
	for (i = optind; i < argc && !err; i++) {
		a.file = argv[i];
		if (buddyinfo_phase(argv[i], phase, sizeof(phase)) == 1) {
			struct snap_ctx s = { .a = &a, .phase = phase };

			err = buddyinfo_read(argv[i], on_zone, &s, &e);
		} else {
			err = samples_read(argv[i], on_row, &a, &e);
			if (!err && a.in_group) {
				e.line = 0;
				err = finish_group(&a, &e);
			}
		}
		if (err) {
			if (e.line)
				fprintf(stderr, PROG ": %s:%lu: %s\n", argv[i], e.line, e.msg);
			else
				fprintf(stderr, PROG ": %s: %s\n", argv[i], e.msg);
		}
	}
	if (!err && nsamples)
		err = write_tables(&a);
	if (out_finish(&a, !err))
		err = 1;
	if (!err && !a.quiet)
		printf("%llu rows in %llu groups, %llu snapshot zones -> %s\n",
		       (unsigned long long)a.rows, (unsigned long long)a.ngroups,
		       (unsigned long long)a.nzones, a.outdir);
	if (stats) {
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		fprintf(stderr, PROG ": stats rows=%llu cpu_s=%.3f maxrss_kb=%ld\n",
			(unsigned long long)a.rows,
			ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
			(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6, ru.ru_maxrss);
	}

	if (a.spill)
		fclose(a.spill);
	for (n = 0; n < a.npicks; n++) {
		if (a.picks[n].find)
			free(a.picks[n].find->size);
		free(a.picks[n].find);
	}
	free(a.picks);
	for (n = 0; n < a.nhist; n++) {
		free(a.hist[n].cell);
		free(a.hist[n].prev_pfn);
	}
	free(a.hist);
	free(a.group_at);
	strmap_free(&a.groups);
	strmap_free(&a.hist_map);
	strmap_free(&a.pick_map);
	frameset_free(&a.frames);
	groupbuf_free(&a.buf);
	teach_free(a.teach);
	return err != 0;
}
