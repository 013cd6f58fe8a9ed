/*
 * analyze/analyzer.h - the analyzer's state, shared by its files (not an
 * API: analyze.h is).  run.c drives the inputs; group.c cuts the rows
 * into groups; one file per table adds each finished group to its table
 * and writes it: summary.c (and the stdout line), deltas.c, deltabins.c, runhist.c,
 * reuse.c, findings.c, pfnmap.c; frag.c the snapshots' table.
 */
#ifndef PTWALK_ANALYZER_H
#define PTWALK_ANALYZER_H

#include <stdint.h>
#include <stdio.h>

#include "analyze.h"
#include "buddyinfo.h"
#include "map.h"
#include "metrics.h"
#include "outset.h"
#include "samples.h"
#include "teach.h"
#include "userpm.h"
#include "vmas.h"

#define PROG "analyze"

enum { OUT_SUMMARY, OUT_RUNHIST, OUT_DELTAS, OUT_PFNMAP, OUT_REUSE, OUT_FINDINGS,
       OUT_WALKS, OUT_V2P, OUT_LEAVES, OUT_OVERVIEW, OUT_DELTABINS, OUT_FRAG,
       OUT_COMPACT, OUT_PAGEBLOCKS, OUT_FRAGPHASE, OUT_PAGEMAP, OUT_FRAGZONE,
       OUT_ALLOCPHASE, OUT_REFUSALS, NOUT };

/* Table names and header lines, by OUT_*. */
extern const char *const analyze_out_names[NOUT];
extern const char *const analyze_out_headers[NOUT];

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

/* deltabins.csv's named bins (deltabins.c). */
#define DBIN_N 5

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
	uint64_t dbin[DBIN_N];  /* deltabins.csv: pairs per named bin */
};

/* findings.csv: per request size of one (source, allocator). */
struct findsize {
	uint64_t size, groups, full;            /* full: one run, all present */
	double sum_mean_run, sum_contig, sum_contig_any;
	uint64_t lr_min, lr_max, sum_frames_2m, sum_pages;
	int area_pmd;                           /* a vmalloc_area row at a pmd leaf */
};

/* findings.csv: one (source, allocator), over all its groups. */
struct finding {
	uint64_t groups, full, present, runs, pages, thp;
	uint64_t v2p, v2p_checked, walk, walk_checked, leaf[4];
	uint64_t reuse_groups, reuse_shared, reuse_frames;
	uint64_t largest_run, area, area_pmd, area_size_min;   /* area_size_min: 0 none */
	struct findsize *size;
	size_t nsize, cap_size;
};

/* compact.c: the vmstat snapshot before, for compact.csv's changes. */
#define NCOMPACT 7
struct compact_prev {
	int has_prev;
	char phase[BUDDY_PHASE_MAX];
	uint64_t v[NCOMPACT];
	int has[NCOMPACT];
};

/* kalloc.c: allocphase.csv, one (phase, allocator) of allocs.<phase>.csv. */
struct kalloc_ent {
	char phase[BUDDY_PHASE_MAX], allocator[SAMPLES_ALLOC_MAX];
	uint64_t tries, succeeded, ok_bytes, fail_bytes;
	unsigned int ok_order, fail_order;
	int failed;
	char fail_errno[32];
};

/* frag.c: one zone of one snapshot, kept for fragzone.csv. */
struct fragzone_ent {
	char phase[BUDDY_PHASE_MAX];
	struct buddy_zone z;
	uint64_t free_pages;
};

struct analyzer {
	const char *outdir;
	int quiet;
	struct outset set;
	FILE *out[NOUT];        /* the tables being written, or NULL */
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
	struct teach *teach;    /* walks, v2p, leaves, overview (teach.c) */
	struct vmas *vmas;      /* vmas.csv (vmas.c), written to vmas_out */
	FILE *vmas_out;
	struct compact_prev compact;    /* compact.c */
	struct userpm *userpm;  /* pagemap.csv (userpm.c) */
	struct kalloc_ent *ka;  /* allocphase.csv (kalloc.c) */
	size_t nka, cap_ka;
	struct strmap ka_map;   /* "phase,allocator" -> its ka index */
	struct fragzone_ent *fz;        /* fragzone.csv (frag.c) */
	size_t nfz, cap_fz;
};

/* group.c: the samples_read() callback; and the end of the last group. */
int group_on_row(void *ctx, const struct sample_row *r, unsigned long line,
		 struct samples_error *e);
int group_finish(struct analyzer *a, struct samples_error *e);

/* summary.c: the finished group's summary.csv row and stdout line. */
void summary_add(struct analyzer *a);
void summary_print_line(struct analyzer *a);
/* deltas.c: the finished group's deltas.csv rows. */
void deltas_add(struct analyzer *a);
/* deltabins.c: add the group's deltas to its (source, allocator); write. */
void deltabins_add(struct analyzer *a);
void deltabins_write(struct analyzer *a);
/* runhist.c: add the finished group to its key's histogram (and reuse). */
int runhist_add(struct analyzer *a, size_t pick);
void runhist_write(struct analyzer *a);
/* reuse.c: the group's reuse.csv row; it becomes h's previous group. */
int reuse_add(struct analyzer *a, struct runhist *h);
/* findings.c */
int findings_add(struct analyzer *a, size_t pick);
void findings_write(struct analyzer *a);
/* pfnmap.c: pick the starting group or not; record a row; write. */
int pfnmap_pick(struct analyzer *a, struct samples_error *e);
int pfnmap_row(struct analyzer *a, const struct sample_row *r, struct samples_error *e);
int pfnmap_write(struct analyzer *a);
/* frag.c: the buddyinfo_read() callback (ctx: struct frag_ctx). */
struct frag_ctx {
	struct analyzer *a;
	const char *phase;
	enum analyze_print kind;
	/* fragphase.csv: the snapshot's sums over its zones */
	uint64_t free_pages, blocks[BUDDY_MAX_ORDERS], largest_free;
	unsigned int norders, zones;
	int largest_node;
	char largest_zone[BUDDY_ZONE_MAX];
};
/* frag.c: the snapshot's fragphase.csv row, once it is read. */
void frag_phase_done(struct frag_ctx *s);
int frag_on_zone(void *ctx, const struct buddy_zone *z, unsigned long line,
		 struct samples_error *e);
/*
 * compact.c: compact_kind() is COMPACT_VMSTAT for vmstat.<phase>.txt,
 * COMPACT_PAGETYPE for pagetypeinfo.<phase>.txt (phase filled), 0 for
 * another name, -1 for a bad phase; compact_read() reads one into
 * compact.csv or pageblocks.csv (0, or -1 with e filled).
 */
enum { COMPACT_VMSTAT = 1, COMPACT_PAGETYPE = 2 };
int compact_kind(const char *path, char *phase, size_t n);
int compact_read(struct analyzer *a, const char *path, struct samples_error *e);
/*
 * kalloc.c: kalloc_kind() is KALLOC_ALLOCS for allocs.<phase>.csv (phase
 * filled), KALLOC_FAILURES for failures.csv, 0 for another name, -1 for
 * a bad phase; kalloc_read() reads one (0, or -1 with e filled);
 * kalloc_write() writes allocphase.csv.
 */
enum { KALLOC_ALLOCS = 1, KALLOC_FAILURES = 2 };
int kalloc_kind(const char *path, char *phase, size_t n);
int kalloc_read(struct analyzer *a, const char *path, struct samples_error *e);
/* get_order(): the smallest k with 4096 << k >= bytes (bytes > 0). */
unsigned int kalloc_order(uint64_t bytes);
void kalloc_write(struct analyzer *a);
/* frag.c: fragzone.csv, the reference zone's rows of every snapshot. */
void frag_zone_write(struct analyzer *a);
/* frag.c: 1 (after one stderr line) if a phase is given twice, else 0. */
int frag_phase_twice(int n, char **args);

#endif
