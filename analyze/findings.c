/*
 * analyze/findings.c - findings.csv: per (source, allocator), the numbers
 * the report's findings print (groups, sizes, full groups, contiguous up
 * to which size, means at the largest size, mismatches with what was
 * checked, reuse sums, leaf counts, the THP share; analyze/README.md has the columns).
 * Per key it keeps one entry per distinct size.
 */
#include <stdio.h>
#include <stdlib.h>

#include "analyzer.h"

int findings_add(struct analyzer *a, size_t pick)
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
	f->pages += g->pages;
	f->thp += g->thp;
	if (g->largest_run > f->largest_run)
		f->largest_run = g->largest_run;
	f->area += g->area;
	f->area_pmd += g->area_pmd;
	if (g->area && (!f->area_size_min || a->key.size_bytes < f->area_size_min))
		f->area_size_min = a->key.size_bytes;
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
	if (g->area_pmd)
		z->area_pmd = 1;
	return 0;
}

static int cmp_findsize(const void *x, const void *y)
{
	uint64_t a = ((const struct findsize *)x)->size, b = ((const struct findsize *)y)->size;

	return (a > b) - (a < b);
}

/* floor(log2(n)), n > 0: the order runhist.csv gives a run of n pages. */
static unsigned int log2_floor(uint64_t n)
{
	unsigned int k = 0;

	while (n >>= 1)
		k++;
	return k;
}

/*
 * The columns after thp_pct (the kernel matrix's, analyze/README.md):
 * the largest size's page order, the longest run and its order, the walk
 * mismatch share, and the rows in the vmalloc area, at a pmd leaf, the
 * sizes that have such rows.  Sizes are sorted by then.
 */
static void findings_more(FILE *out, const struct finding *f, uint64_t size_max)
{
	uint64_t n = 0, lo = 0, hi = 0;
	size_t k;

	for (k = 0; k < f->nsize; k++)
		if (f->size[k].area_pmd) {
			if (!n++)
				lo = f->size[k].size;
			hi = f->size[k].size;
		}
	fprintf(out, ",%u,%llu,", kalloc_order(size_max), (unsigned long long)f->largest_run);
	if (f->largest_run)
		fprintf(out, "%u", log2_floor(f->largest_run));
	fputc(',', out);
	if (f->walk_checked)
		fprintf(out, "%.2f", 100.0 * (double)f->walk / (double)f->walk_checked);
	fprintf(out, ",%llu,%llu,", (unsigned long long)f->area, (unsigned long long)f->area_pmd);
	if (f->area)
		fprintf(out, "%.2f", 100.0 * (double)f->area_pmd / (double)f->area);
	fputc(',', out);
	if (f->area_size_min)
		fprintf(out, "%llu", (unsigned long long)f->area_size_min);
	fprintf(out, ",%llu,", (unsigned long long)n);
	if (n)
		fprintf(out, "%llu,%llu", (unsigned long long)lo, (unsigned long long)hi);
	else
		fputc(',', out);
	fputc('\n', out);
}

void findings_write(struct analyzer *a)
{
	FILE *out = a->out[OUT_FINDINGS];
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
			"%llu,%llu,%llu,",
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
		/* v2p_pct: empty when nothing was compared, never 0 */
		if (f->v2p_checked)
			fprintf(out, "%.2f", 100.0 * (double)f->v2p / (double)f->v2p_checked);
		/* all_pages, thp_pages, thp_pct (groups have a page at least) */
		fprintf(out, ",%llu,%llu,%.1f", (unsigned long long)f->pages,
			(unsigned long long)f->thp, 100.0 * (double)f->thp / (double)f->pages);
		findings_more(out, f, m->size);
	}
}
