/*
 * analyze/reuse.c - reuse.csv: how many of a group's frames the previous
 * group of the same (source, allocator, size_bytes) had too.  The one
 * table whose memory is per key, not per group: each key keeps its
 * previous group's sorted distinct PFNs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"

int reuse_add(struct analyzer *a, struct runhist *h)
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
		fprintf(a->out[OUT_REUSE], "%s,%s,%llu,%llu,%llu,%llu,%llu,%.6f\n",
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
