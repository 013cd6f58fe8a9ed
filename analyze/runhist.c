/*
 * analyze/runhist.c - runhist.csv: per (source, allocator, size_bytes),
 * runs of length L counted at order floor(log2 L) and summed over its
 * samples; keys in first-seen order, only orders with runs; size_share
 * is the order's share of the key's run pages (fig4's heatmap cell).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"

int runhist_add(struct analyzer *a, size_t pick)
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
	return reuse_add(a, h);
}

void runhist_write(struct analyzer *a)
{
	FILE *f = a->out[OUT_RUNHIST];
	size_t i;
	unsigned int k;

	for (i = 0; i < a->nhist; i++) {
		const struct runhist *h = &a->hist[i];
		const struct pfnpick *p = &a->picks[h->pick];
		uint64_t all = 0;

		for (k = 0; k < h->ncell; k++)
			all += h->cell[k].pages;
		for (k = 0; k < h->ncell; k++)
			fprintf(f, "%s,%s,%llu,%u,%llu,%llu,%.6f\n", p->source,
				p->allocator, (unsigned long long)h->size_bytes,
				h->cell[k].order, (unsigned long long)h->cell[k].runs,
				(unsigned long long)h->cell[k].pages,
				(double)h->cell[k].pages / (double)all);
	}
}
