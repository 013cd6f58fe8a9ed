/*
 * analyze/run.c - analyze_run(), the analyzer's entry point (analyze.h):
 * classify the inputs, open the tables, stream every input through
 * group.c or frag.c, write the per-key tables at the end and commit them
 * all or nothing (outset.h); and the tables' names and header lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "analyzer.h"

/* Every table can be open at once (all kinds of input in one run), and
 * vmas.csv (opened beside the OUT_* tables when maps inputs come) too. */
_Static_assert(NOUT + 1 <= OUTSET_MAX, "OUTSET_MAX below the number of tables");

const char *const analyze_out_names[NOUT] = {
	"summary.csv", "runhist.csv", "deltas.csv", "pfnmap.csv", "reuse.csv",
	"findings.csv", "walks.csv", "v2p.csv", "leaves.csv", "overview.csv",
	"deltabins.csv", "frag.csv", "compact.csv", "pageblocks.csv", "fragphase.csv",
	"pagemap.csv", "fragzone.csv", "allocphase.csv", "refusals.csv",
};
const char *const analyze_out_headers[NOUT] = {
	"source,allocator,size_bytes,sample,pages,present,runs,largest_run,"
	"mean_run,contiguity,v2p_mismatch,walk_mismatch,span_pages,frames_2m,"
	"v2p_checked,walk_checked,pairs_down,contiguity_any,set_runs,va_stride,"
	"leaf_pte,leaf_pmd,leaf_pud\n",
	"source,allocator,size_bytes,order,runs,pages,size_share\n",
	"source,allocator,size_bytes,sample,bucket,lo_pages,hi_pages,pairs\n",
	"source,allocator,size_bytes,sample,page,pfn,pfn_offset,va,thp\n",
	"source,allocator,size_bytes,sample,prev_sample,frames,shared_frames,shared_share\n",
	"source,allocator,groups,sizes,size_min,size_max,one_run_groups,contiguous_upto,"
	"contiguous_all,max_samples,max_mean_run,max_contiguity,max_contiguity_any,"
	"max_largest_run_min,max_largest_run_max,max_frames_2m,max_pages,all_mean_run,"
	"v2p_mismatch,v2p_checked,walk_mismatch,walk_checked,reuse_groups,reuse_shared,"
	"reuse_frames,leaf_pte,leaf_pmd,leaf_pud,v2p_pct,all_pages,thp_pages,thp_pct,"
	"size_max_order,largest_run_all,largest_run_order,walk_pct,area_pages,"
	"area_pmd_pages,area_pmd_pct,area_size_min,area_pmd_sizes,area_pmd_size_min,"
	"area_pmd_size_max\n",
	TEACH_WALKS_HEADER, TEACH_V2P_HEADER, TEACH_LEAVES_HEADER, TEACH_OVERVIEW_HEADER,
	"source,allocator,bin,pairs,present_pairs,share\n",
	"phase,node,zone,order,free_blocks,free_pages,unusable_index,frag_index\n",
	"phase,compact_stall,compact_success,compact_fail,compact_migrate_scanned,"
	"compact_free_scanned,compact_daemon_wake,thp_collapse_alloc,prev_phase,"
	"d_compact_stall,d_compact_success,d_compact_fail,d_compact_migrate_scanned,"
	"d_compact_free_scanned,d_compact_daemon_wake,d_thp_collapse_alloc\n",
	"phase,node,zone,migratetype,pageblock_order,pageblocks,free_pages,"
	"free_high_blocks,capped\n",
	"phase,zones,free_pages,free_mib,max_order,high_order,high_blocks,"
	"largest_node,largest_zone,largest_free_pages\n",
	USERPM_HEADER,
	"phase,node,zone,order,free_blocks,free_pages,unusable_index,unusable_pct,"
	"frag_index\n",
	"phase,allocator,tries,succeeded,largest_ok_bytes,largest_ok_order,"
	"fail_bytes,fail_order,fail_errno\n",
	"allocator,size_bytes,order,sample,errno,message,refused_by,limit_name,"
	"limit_value\n",
};

const char *analyze_header_name(unsigned int i)
{
	return i == 0 ? "samples" : i <= NOUT ? analyze_out_names[i - 1] : NULL;
}

const char *analyze_header(const char *name)
{
	int i;

	if (strcmp(name, "samples") == 0)
		return PTW_CSV_HEADER;
	if (strcmp(name, "vmas.csv") == 0)     /* not in OUT_*: maps inputs only */
		return VMAS_HEADER;
	for (i = 0; i < NOUT; i++)
		if (strcmp(name, analyze_out_names[i]) == 0)
			return analyze_out_headers[i];
	return NULL;
}

/* --print-index: every input is a snapshot, whatever its name. */
static int print_index(struct analyzer *a, enum analyze_print kind, int n,
		       char **inputs)
{
	struct frag_ctx s = { .a = a, .phase = "", .kind = kind };
	struct samples_error e;
	int i;

	for (i = 0; i < n; i++) {
		if (buddyinfo_read(inputs[i], frag_on_zone, &s, &e)) {
			fprintf(stderr, PROG ": %s:%lu: %s\n", inputs[i], e.line, e.msg);
			return 1;
		}
	}
	return outfile_stdout_done(PROG);  /* the indices are the result */
}

/* Count the samples and snapshot inputs; 1 after a message if a name is bad. */
static int classify(int n, char **inputs, int *nsamples, int *nsnaps, int nkind[3],
		    int *npm, int nka[3])
{
	char phase[BUDDY_PHASE_MAX];
	int i;

	for (i = 0; i < n; i++) {
		int r = buddyinfo_phase(inputs[i], phase, sizeof(phase));
		int k = compact_kind(inputs[i], phase, sizeof(phase));
		int ka = kalloc_kind(inputs[i], phase, sizeof(phase));

		if (ka < 0) {
			fprintf(stderr, PROG ": %s:0: bad phase in name (want allocs.<phase>.csv, phase of A-Z a-z 0-9 _ . -)\n", inputs[i]);
			return 1;
		}
		if (ka) {
			nka[ka]++;
			continue;
		}

		if (k < 0) {
			fprintf(stderr, PROG ": %s:0: bad phase in snapshot name (want vmstat.<phase>.txt or pagetypeinfo.<phase>.txt, phase of A-Z a-z 0-9 _ . -)\n", inputs[i]);
			return 1;
		}
		if (k) {
			nkind[k]++;
			continue;
		}
		if (r < 0) {
			fprintf(stderr, PROG ": %s:0: bad phase in snapshot name (want buddyinfo.<phase>.txt, phase of A-Z a-z 0-9 _ . -)\n", inputs[i]);
			return 1;
		}
		if (r)
			(*nsnaps)++;
		else if (vmas_name(inputs[i]))
			continue;       /* counted by analyze_run() */
		else if (userpm_name(inputs[i]))
			(*npm)++;
		else
			(*nsamples)++;
	}
	return *nsnaps > 1 && frag_phase_twice(n, inputs);
}

static int read_input(struct analyzer *a, const char *path)
{
	char phase[BUDDY_PHASE_MAX];
	struct samples_error e;
	int err;

	a->file = path;
	if (kalloc_kind(path, phase, sizeof(phase)) > 0) {
		err = kalloc_read(a, path, &e);
	} else if (compact_kind(path, phase, sizeof(phase)) > 0) {
		err = compact_read(a, path, &e);
	} else if (userpm_name(path)) {
		return userpm_read(a->userpm, path);
	} else if (vmas_name(path)) {
		return vmas_read(a->vmas, path);
	} else if (buddyinfo_phase(path, phase, sizeof(phase)) == 1) {
		struct frag_ctx s = { .a = a, .phase = phase, .kind = ANALYZE_TABLES };

		err = buddyinfo_read(path, frag_on_zone, &s, &e);
		if (!err)
			frag_phase_done(&s);
	} else {
		err = samples_read(path, group_on_row, a, &e);
		if (!err && a->in_group) {
			e.line = 0;
			err = group_finish(a, &e);
		}
	}
	if (err) {
		if (e.line)
			fprintf(stderr, PROG ": %s:%lu: %s\n", path, e.line, e.msg);
		else
			fprintf(stderr, PROG ": %s: %s\n", path, e.msg);
	}
	return err;
}

static void print_stats(const struct analyzer *a)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, PROG ": stats rows=%llu cpu_s=%.3f maxrss_kb=%ld\n",
		(unsigned long long)a->rows,
		ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6, ru.ru_maxrss);
}

static void analyzer_free(struct analyzer *a)
{
	size_t n;

	if (a->spill)
		fclose(a->spill);
	for (n = 0; n < a->npicks; n++) {
		if (a->picks[n].find)
			free(a->picks[n].find->size);
		free(a->picks[n].find);
	}
	free(a->picks);
	for (n = 0; n < a->nhist; n++) {
		free(a->hist[n].cell);
		free(a->hist[n].prev_pfn);
	}
	free(a->hist);
	free(a->group_at);
	strmap_free(&a->groups);
	strmap_free(&a->hist_map);
	strmap_free(&a->pick_map);
	frameset_free(&a->frames);
	groupbuf_free(&a->buf);
	teach_free(a->teach);
	free(a->ka);
	strmap_free(&a->ka_map);
	free(a->fz);
	vmas_free(a->vmas);
	userpm_free(a->userpm);
}

int analyze_run(const struct analyze_opts *o, int n, char **inputs)
{
	struct analyzer a = {
		.outdir = o->outdir ? o->outdir : ".",
		.quiet = o->quiet,
		.set = { .prog = PROG },
	};
	int i, err = 0, nsamples = 0, nsnaps = 0, npm = 0, nkind[3] = { 0, 0, 0 };
	int nka[3] = { 0, 0, 0 };

	if (o->print != ANALYZE_TABLES)
		return print_index(&a, o->print, n, inputs);
	if (classify(n, inputs, &nsamples, &nsnaps, nkind, &npm, nka))
		return 1;
	if (mkdir(a.outdir, 0777) && errno != EEXIST) {
		fprintf(stderr, PROG ": cannot create %s: %s\n", a.outdir, strerror(errno));
		return 1;
	}
	frameset_init(&a.frames);
	a.teach = teach_new(o->arm64);
	a.userpm = userpm_new();
	if (!a.teach || !a.userpm) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	for (i = 0; i < NOUT && !err; i++)
		if (i == OUT_FRAG || i == OUT_FRAGPHASE || i == OUT_FRAGZONE ? nsnaps > 0 :
		    i == OUT_COMPACT ? nkind[COMPACT_VMSTAT] > 0 :
		    i == OUT_PAGEBLOCKS ? nkind[COMPACT_PAGETYPE] > 0 : i == OUT_PAGEMAP ? npm > 0 :
		    i == OUT_ALLOCPHASE ? nka[KALLOC_ALLOCS] > 0 :
		    i == OUT_REFUSALS ? nka[KALLOC_FAILURES] > 0 : nsamples > 0) {
			a.out[i] = outset_open(&a.set, a.outdir, analyze_out_names[i],
					       analyze_out_headers[i]);
			err = !a.out[i];
		}
	for (i = 0; i < n && !err; i++)
		if (vmas_name(inputs[i]) && !a.vmas_out) {
			a.vmas = vmas_new();
			a.vmas_out = a.vmas ? outset_open(&a.set, a.outdir, "vmas.csv", VMAS_HEADER) : NULL;
			err = !a.vmas_out;
			if (!a.vmas)
				fprintf(stderr, PROG ": out of memory\n");
		}
	for (i = 0; i < n && !err; i++)
		err = read_input(&a, inputs[i]);
	if (!err && nsamples) {
		findings_write(&a);
		if (teach_write(a.teach, a.out[OUT_WALKS], a.out[OUT_V2P],
				a.out[OUT_LEAVES], a.out[OUT_OVERVIEW])) {
			fprintf(stderr, PROG ": out of memory\n");
			err = 1;
		}
		runhist_write(&a);
		deltabins_write(&a);
		if (!err)
			err = pfnmap_write(&a);
	}
	if (!err && npm)
		userpm_write(a.userpm, a.out[OUT_PAGEMAP]);
	if (!err && nsnaps)
		frag_zone_write(&a);
	if (!err)
		kalloc_write(&a);
	if (!err && a.vmas_out)
		err = vmas_write(a.vmas, a.vmas_out);
	if (outset_finish(&a.set, !err))
		err = 1;
	if (!err && !a.quiet)
		printf("%llu rows in %llu groups, %llu snapshot zones -> %s\n",
		       (unsigned long long)a.rows, (unsigned long long)a.ngroups,
		       (unsigned long long)a.nzones, a.outdir);
	if (o->stats)
		print_stats(&a);
	analyzer_free(&a);
	return err != 0;
}
