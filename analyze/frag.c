/*
 * analyze/frag.c - frag.csv from buddyinfo snapshots (per snapshot, zone
 * and order: free blocks, the zone's free pages, mm/vmstat.c's unusable
 * and fragmentation indices printed as debugfs does), fragphase.csv (per
 * snapshot: its sums over the zones, and the zone with the most free
 * memory), fragzone.csv (frag.csv's rows of the zone with the most free
 * pages in any snapshot, for every snapshot), the zone's stdout
 * line, and --print-index: exactly what debugfs extfrag/unusable_index or
 * extfrag/extfrag_index would print for a snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"

static void print_index(const struct buddy_zone *z, enum analyze_print kind)
{
	struct contig_info ci;
	char u[16];
	unsigned int k;

	printf("Node %d, zone %8s ", z->node, z->zone);
	for (k = 0; k < z->norders; k++) {
		metrics_contig_info(z->nr_free, z->norders, k, &ci);
		metrics_fmt_index(u, sizeof(u), kind == ANALYZE_PRINT_UNUSABLE ?
				  metrics_unusable_index(k, &ci) :
				  metrics_frag_index(k, &ci), kind == ANALYZE_PRINT_EXTFRAG);
		printf("%s ", u);
	}
	putchar('\n');
}

int frag_on_zone(void *ctx, const struct buddy_zone *z, unsigned long line,
		 struct samples_error *e)
{
	struct frag_ctx *s = ctx;
	struct analyzer *a = s->a;
	struct contig_info ci;
	char u[16], x[16];
	unsigned int k;
	int show = z->norders > 9 ? 9 : (int)z->norders - 1;

	(void)line;
	if (s->kind != ANALYZE_TABLES) {
		print_index(z, s->kind);
		return 0;
	}
	metrics_contig_info(z->nr_free, z->norders, 0, &ci);
	if (a->out[OUT_FRAGZONE]) {
		struct fragzone_ent *f = grow(a->fz, &a->cap_fz, a->nfz + 1, sizeof(*f));

		if (!f) {
			snprintf(e->msg, sizeof(e->msg), "%s", "out of memory");
			return -1;
		}
		a->fz = f;
		f = &a->fz[a->nfz++];
		snprintf(f->phase, sizeof(f->phase), "%s", s->phase);
		f->z = *z;
		f->free_pages = ci.free_pages;
	}
	s->zones++;
	s->free_pages += ci.free_pages;
	if (z->norders > s->norders)
		s->norders = z->norders;
	for (k = 0; k < z->norders; k++)
		s->blocks[k] += z->nr_free[k];
	if (s->zones == 1 || ci.free_pages > s->largest_free) {
		s->largest_free = ci.free_pages;
		s->largest_node = z->node;
		snprintf(s->largest_zone, sizeof(s->largest_zone), "%s", z->zone);
	}
	for (k = 0; k < z->norders; k++) {
		metrics_contig_info(z->nr_free, z->norders, k, &ci);
		metrics_fmt_index(u, sizeof(u), metrics_unusable_index(k, &ci), 0);
		metrics_fmt_index(x, sizeof(x), metrics_frag_index(k, &ci), 0);
		fprintf(a->out[OUT_FRAG], "%s,%d,%s,%u,%llu,%llu,%s,%s\n", s->phase,
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

void frag_phase_done(struct frag_ctx *s)
{
	unsigned int k, high = s->norders > 9 ? 9 : s->norders - 1;
	uint64_t blocks = 0;

	for (k = high; k < s->norders; k++)
		blocks += s->blocks[k];
	fprintf(s->a->out[OUT_FRAGPHASE], "%s,%u,%llu,%llu,%u,%u,%llu,%d,%s,%llu\n",
		s->phase, s->zones, (unsigned long long)s->free_pages,
		(unsigned long long)(s->free_pages * 4 / 1024), s->norders - 1, high,
		(unsigned long long)blocks, s->largest_node, s->largest_zone,
		(unsigned long long)s->largest_free);
}

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
 * which.  Sorted, so that thousands of snapshots cost n log n, not n^2.
 */
int frag_phase_twice(int n, char **args)
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

/*
 * fragzone.csv: the reference zone is the (node, zone) with the most free
 * pages in any one snapshot, the first seen on a tie; its rows of every
 * snapshot that has it, in input order, with unusable_pct = the unusable
 * index x 100 (the index is in thousandths, so one decimal is exact).
 */
void frag_zone_write(struct analyzer *a)
{
	const struct fragzone_ent *ref = NULL;
	size_t i;
	unsigned int k;

	for (i = 0; i < a->nfz; i++)
		if (!ref || a->fz[i].free_pages > ref->free_pages)
			ref = &a->fz[i];
	for (i = 0; ref && i < a->nfz; i++) {
		const struct fragzone_ent *f = &a->fz[i];

		if (f->z.node != ref->z.node || strcmp(f->z.zone, ref->z.zone) != 0)
			continue;
		for (k = 0; k < f->z.norders; k++) {
			struct contig_info ci;
			char u[16], x[16];
			int ui;

			metrics_contig_info(f->z.nr_free, f->z.norders, k, &ci);
			ui = metrics_unusable_index(k, &ci);
			metrics_fmt_index(u, sizeof(u), ui, 0);
			metrics_fmt_index(x, sizeof(x), metrics_frag_index(k, &ci), 0);
			fprintf(a->out[OUT_FRAGZONE], "%s,%d,%s,%u,%llu,%llu,%s,%d.%d,%s\n",
				f->phase, f->z.node, f->z.zone, k,
				(unsigned long long)f->z.nr_free[k],
				(unsigned long long)f->free_pages, u, ui / 10, ui % 10, x);
		}
	}
}
