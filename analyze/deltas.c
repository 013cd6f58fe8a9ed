/*
 * analyze/deltas.c - deltas.csv: per group, the histogram of
 * d = pfn[i+1] - pfn[i] over consecutive rows, in power-of-two buckets
 * (analyze/metrics.h), most negative first, "absent" last.
 */
#include <stdio.h>

#include "analyzer.h"

void deltas_add(struct analyzer *a)
{
	FILE *f = a->out[OUT_DELTAS];
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
