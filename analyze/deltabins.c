/*
 * analyze/deltabins.c - deltabins.csv: per (source, allocator), its PFN
 * deltas d = pfn[i+1] - pfn[i] between consecutive present pages, over all
 * its sizes and samples, in five named bins (-1, 0, +1, +-2..511,
 * +-512 and more) with each bin's share of those pairs: what fig6 draws,
 * one panel per allocator.  It sums deltas.csv's power-of-two buckets
 * (analyze/metrics.h) of every group into its (source, allocator).
 */
#include <stdio.h>

#include "analyzer.h"

static const char *const bin_name[DBIN_N] = {
	"-1", "0", "+1", "+-2..511", "+-512+",
};

/* The named bin of a power-of-two bucket: 2^k <= |d| < 2^(k+1). */
static int bin_of(int bucket)
{
	int neg = bucket >= DELTA_NEG, k = bucket - (neg ? DELTA_NEG : DELTA_POS);

	if (bucket == DELTA_ZERO)
		return 1;
	if (k == 0)
		return neg ? 0 : 2;
	return k < 9 ? 3 : 4;
}

void deltabins_add(struct analyzer *a)
{
	struct pfnpick *p = &a->picks[a->cur_pick];
	int b;

	for (b = DELTA_ZERO; b < DELTA_NBUCKETS; b++)
		p->dbin[bin_of(b)] += a->gm.delta[b];
}

void deltabins_write(struct analyzer *a)
{
	FILE *f = a->out[OUT_DELTABINS];
	size_t i;
	int b;

	for (i = 0; i < a->npicks; i++) {
		const struct pfnpick *p = &a->picks[i];
		uint64_t all = 0;

		for (b = 0; b < DBIN_N; b++)
			all += p->dbin[b];
		for (b = 0; b < DBIN_N; b++)
			fprintf(f, "%s,%s,%s,%llu,%llu,%.6f\n", p->source, p->allocator,
				bin_name[b], (unsigned long long)p->dbin[b],
				(unsigned long long)all,
				all ? (double)p->dbin[b] / (double)all : 0.0);
	}
}
