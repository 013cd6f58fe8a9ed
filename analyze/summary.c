/*
 * analyze/summary.c - summary.csv, one row per group in input order, and
 * the group's line on standard output (at most 80 columns).
 */
#include <stdio.h>

#include "analyzer.h"

void summary_add(struct analyzer *a)
{
	const struct group_metrics *g = &a->gm;
	const struct sample_row *k = &a->key;
	FILE *f = a->out[OUT_SUMMARY];

	fprintf(f, "%s,%s,%llu,%llu,%llu,%llu,%llu,%llu,%.3f,%.6f,%llu,%llu,%llu,%llu,",
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
	fprintf(f, "%llu,%llu,%llu,%.6f,%llu,",
		(unsigned long long)g->v2p_checked,
		(unsigned long long)g->walk_checked,
		(unsigned long long)g->pairs_down, metrics_contiguity_any(g),
		(unsigned long long)g->set_runs);
	if (g->has_stride)
		fprintf(f, "%lld", (long long)g->va_stride);
	fprintf(f, ",%llu,%llu,%llu\n",
		(unsigned long long)g->leaf[PTW_LVL_PTE],
		(unsigned long long)g->leaf[PTW_LVL_PMD],
		(unsigned long long)g->leaf[PTW_LVL_PUD]);
}

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

void summary_print_line(struct analyzer *a)
{
	const struct group_metrics *g = &a->gm;
	const struct sample_row *k = &a->key;
	char line[160], sz[32];

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
