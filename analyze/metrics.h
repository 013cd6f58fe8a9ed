/*
 * analyze/metrics.h - the analyzer's metrics as pure functions.
 *
 * Everything the analyzer reports is computed here and nowhere else:
 * run statistics of one group of sample rows (DESIGN.md "Analyzer
 * outputs"), the extra per-group measures (physical span, distinct 2 MiB
 * frames, histogram of PFN deltas between consecutive pages), and the
 * kernel's fragmentation indices from buddyinfo counts, in the integer
 * arithmetic of mm/vmstat.c so they match debugfs extfrag/ digit for
 * digit.  No I/O; the only allocation is the frame set's table, which
 * grows with the largest group and is reused for every group.
 */
#ifndef PTWALK_METRICS_H
#define PTWALK_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "samples.h"

#define METRICS_ORDERS 64               /* run-length orders, log2 buckets */

/* floor(log2 n) for n >= 1; 0 for n = 0. */
unsigned int metrics_order(uint64_t n);
/* present / runs, 0 when runs = 0. */
double metrics_mean_run(uint64_t present, uint64_t runs);
/* pairs / (pages - 1), 1 when pages <= 1. */
double metrics_contiguity(uint64_t pairs, uint64_t pages);

/*
 * Delta buckets for consecutive rows i, i+1 of a group, d = pfn[i+1] -
 * pfn[i]: ABSENT when either page has no pa, ZERO for d = 0, POS + k for
 * 2^k <= d < 2^(k+1) (so POS + 0 is exactly the next page, d = +1), and
 * NEG + k for -2^(k+1) < d <= -2^k.
 */
enum {
	DELTA_ABSENT = 0,
	DELTA_ZERO = 1,
	DELTA_POS = 2,
	DELTA_NEG = DELTA_POS + 64,
	DELTA_NBUCKETS = DELTA_NEG + 64,
};
int metrics_delta_bucket(int both_present, int64_t d);
/* Label ("absent", "0", "+1", "+2^k", "-2^k") and inclusive range. */
void metrics_delta_range(int bucket, char *label, size_t n,
			 int64_t *lo, int64_t *hi);

/* A set of 64-bit keys; clearing is O(1) (generation numbers). */
struct frameset {
	uint64_t *key;
	uint32_t *gen;
	size_t cap, count;
	uint32_t cur;
};
void frameset_init(struct frameset *s);
/* 1 if key is new, 0 if already there, -1 when out of memory. */
int frameset_add(struct frameset *s, uint64_t key);
void frameset_clear(struct frameset *s);
void frameset_free(struct frameset *s);

/*
 * The group's frame numbers and VA strides, kept for the measures that
 * need the whole group (set_runs, va_stride, reuse.csv): two arrays that
 * grow with the largest group and are reused for every group.
 */
struct groupbuf {
	uint64_t *pfn;
	int64_t *stride;
	size_t npfn, nstride, cap_pfn, cap_stride;
};
void groupbuf_free(struct groupbuf *b);

/* One group's measures, fed a row at a time in page order. */
struct group_metrics {
	uint64_t pages, present, pairs, runs, largest_run;
	uint64_t v2p_mismatch, walk_mismatch;
	uint64_t v2p_checked, walk_checked;     /* rows with both columns set */
	uint64_t pairs_down;            /* pa[i+1] = pa[i] - 4096, pages i, i+1 */
	uint64_t leaf[4];               /* rows per enum ptw_level */
	uint64_t thp;                   /* rows whose flags have thp */
	uint64_t area, area_pmd;        /* rows with vmalloc_area; of them at a pmd leaf */
	/* after group_metrics_end(): */
	uint64_t set_runs;              /* runs of consecutive distinct PFNs */
	uint64_t nframes;               /* distinct PFNs: buf->pfn[0..nframes) sorted */
	int64_t va_stride;              /* most frequent stride, smaller on a tie */
	int has_stride;                 /* 0 when pages < 2 */
	uint64_t min_pa, max_pa;        /* of present rows */
	uint64_t frames_2m;             /* distinct pa >> 21 */
	uint64_t run_count[METRICS_ORDERS], run_pages[METRICS_ORDERS];
	uint64_t delta[DELTA_NBUCKETS];
	/* running state */
	uint64_t cur_run, prev_page, prev_pa, last_frame;
	uint64_t prev_va;
	int have_prev, prev_present, have_frame;
	int pfn_up, pfn_down, stride_same;      /* so far: no sort needed */
	struct frameset *frames;
	struct groupbuf *buf;
};
void group_metrics_begin(struct group_metrics *g, struct frameset *frames,
			 struct groupbuf *buf);
/* Returns 0, or -1 when the frame set or the buffers cannot grow. */
int group_metrics_add(struct group_metrics *g, const struct sample_row *r);
/*
 * Closes the last run; sorts and de-duplicates the group's PFNs
 * (g->buf->pfn[0..g->nframes)) and works out set_runs and va_stride.
 */
void group_metrics_end(struct group_metrics *g);
/* (pairs + pairs_down) / (pages - 1), 1 when pages <= 1. */
double metrics_contiguity_any(const struct group_metrics *g);
/* How many of a[0..na) are in b[0..nb); both sorted, distinct. */
uint64_t metrics_shared(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);
/* (highest pfn - lowest pfn) of present rows, 0 when none is present. */
uint64_t group_metrics_span_pages(const struct group_metrics *g);

/* mm/vmstat.c: struct contig_page_info and fill_contig_page_info(). */
struct contig_info {
	uint64_t free_pages, blocks_total, blocks_suitable;
};
void metrics_contig_info(const uint64_t *nr_free, unsigned int norders,
			 unsigned int order, struct contig_info *ci);
/* unusable_free_index() and __fragmentation_index(): scaled by 1000. */
int metrics_unusable_index(unsigned int order, const struct contig_info *ci);
int metrics_frag_index(unsigned int order, const struct contig_info *ci);
/*
 * The kernel's "%d.%03d" (width2: "%2d.%03d", as extfrag_index prints),
 * index / 1000 and index % 1000 with C's truncating division, so -1000
 * is "-1.000" and, as in debugfs, -500 is "0.-500".
 */
int metrics_fmt_index(char *buf, size_t n, int index, int width2);

#endif
