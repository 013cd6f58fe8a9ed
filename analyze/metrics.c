/*
 * analyze/metrics.c - run statistics, PFN deltas, frame counts and the
 * kernel's fragmentation indices (see metrics.h for the definitions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

unsigned int metrics_order(uint64_t n)
{
	return n ? 63u - (unsigned int)__builtin_clzll(n) : 0;
}

double metrics_mean_run(uint64_t present, uint64_t runs)
{
	return runs ? (double)present / (double)runs : 0.0;
}

double metrics_contiguity(uint64_t pairs, uint64_t pages)
{
	return pages <= 1 ? 1.0 : (double)pairs / (double)(pages - 1);
}

int metrics_delta_bucket(int both_present, int64_t d)
{
	if (!both_present)
		return DELTA_ABSENT;
	if (d == 0)
		return DELTA_ZERO;
	if (d > 0)
		return DELTA_POS + (int)metrics_order((uint64_t)d);
	/* -d overflows for INT64_MIN; its magnitude is 2^63 all the same. */
	return DELTA_NEG + (int)metrics_order(0 - (uint64_t)d);
}

void metrics_delta_range(int bucket, char *label, size_t n,
			 int64_t *lo, int64_t *hi)
{
	int k;

	if (bucket == DELTA_ABSENT) {
		snprintf(label, n, "absent");
		*lo = *hi = 0;
	} else if (bucket == DELTA_ZERO) {
		snprintf(label, n, "0");
		*lo = *hi = 0;
	} else if (bucket < DELTA_NEG) {
		k = bucket - DELTA_POS;
		if (k == 0)
			snprintf(label, n, "+1");
		else
			snprintf(label, n, "+2^%d", k);
		*lo = (int64_t)(1ULL << k);
		*hi = k == 63 ? INT64_MAX : (int64_t)((1ULL << (k + 1)) - 1);
	} else {
		k = bucket - DELTA_NEG;
		if (k == 0)
			snprintf(label, n, "-1");
		else
			snprintf(label, n, "-2^%d", k);
		*hi = k == 63 ? INT64_MIN : -(int64_t)(1ULL << k);
		*lo = k >= 62 ? INT64_MIN : -(int64_t)((1ULL << (k + 1)) - 1);
	}
}

void frameset_init(struct frameset *s)
{
	memset(s, 0, sizeof(*s));
	s->cur = 1;
}

void frameset_free(struct frameset *s)
{
	free(s->key);
	free(s->gen);
	frameset_init(s);
}

void frameset_clear(struct frameset *s)
{
	s->count = 0;
	if (++s->cur == 0) {            /* generation wrapped: really clear */
		if (s->gen)
			memset(s->gen, 0, s->cap * sizeof(*s->gen));
		s->cur = 1;
	}
}

static size_t frame_hash(uint64_t k, size_t mask)
{
	k *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(k >> 29) & mask;
}

static int frameset_grow(struct frameset *s)
{
	size_t cap = s->cap ? 2 * s->cap : 1024, i, j;
	uint64_t *key = malloc(cap * sizeof(*key));
	uint32_t *gen = calloc(cap, sizeof(*gen));

	if (!key || !gen) {
		free(key);
		free(gen);
		return -1;
	}
	for (i = 0; i < s->cap; i++) {
		if (s->gen[i] != s->cur)
			continue;
		for (j = frame_hash(s->key[i], cap - 1); gen[j]; j = (j + 1) & (cap - 1))
			;
		key[j] = s->key[i];
		gen[j] = 1;
	}
	free(s->key);
	free(s->gen);
	s->key = key;
	s->gen = gen;
	s->cap = cap;
	s->cur = 1;
	return 0;
}

int frameset_add(struct frameset *s, uint64_t key)
{
	size_t j;

	if (2 * (s->count + 1) > s->cap && frameset_grow(s))
		return -1;
	for (j = frame_hash(key, s->cap - 1); s->gen[j] == s->cur;
	     j = (j + 1) & (s->cap - 1))
		if (s->key[j] == key)
			return 0;
	s->key[j] = key;
	s->gen[j] = s->cur;
	s->count++;
	return 1;
}

void groupbuf_free(struct groupbuf *b)
{
	free(b->pfn);
	free(b->stride);
	memset(b, 0, sizeof(*b));
}

static int push_u64(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 4096;
		uint64_t *p = realloc(*v, c * sizeof(*p));

		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

void group_metrics_begin(struct group_metrics *g, struct frameset *frames,
			 struct groupbuf *buf)
{
	memset(g, 0, sizeof(*g));
	g->frames = frames;
	g->buf = buf;
	g->pfn_up = g->pfn_down = g->stride_same = 1;
	buf->npfn = buf->nstride = 0;
	frameset_clear(frames);
}

static void close_run(struct group_metrics *g)
{
	unsigned int k;

	if (!g->cur_run)
		return;
	k = metrics_order(g->cur_run);
	g->run_count[k]++;
	g->run_pages[k] += g->cur_run;
	g->runs++;
	if (g->cur_run > g->largest_run)
		g->largest_run = g->cur_run;
	g->cur_run = 0;
}

int group_metrics_add(struct group_metrics *g, const struct sample_row *r)
{
	int present = (r->has & PTW_HAS_PA) != 0;
	uint64_t pa = r->pa;

	struct groupbuf *b = g->buf;

	g->pages++;
	if ((r->has & (PTW_HAS_V2P | PTW_HAS_WALK)) == (PTW_HAS_V2P | PTW_HAS_WALK)) {
		g->v2p_checked++;
		if (r->pa_v2p != r->pa_walk)
			g->v2p_mismatch++;
	}
	if ((r->has & (PTW_HAS_WALK | PTW_HAS_PAGEMAP)) == (PTW_HAS_WALK | PTW_HAS_PAGEMAP)) {
		g->walk_checked++;
		if (r->pa_walk != r->pa_pagemap)
			g->walk_mismatch++;
	}
	if (r->level < 4)
		g->leaf[r->level]++;
	if (r->flags & PTW_F_THP)
		g->thp++;
	if (r->flags & PTW_F_VMALLOC_AREA) {
		g->area++;
		if (r->level == PTW_LVL_PMD)
			g->area_pmd++;
	}
	if (g->have_prev) {
		/* va[i+1] - va[i] as a signed number of bytes */
		int64_t st = (int64_t)(r->va - g->prev_va);

		g->delta[metrics_delta_bucket(present && g->prev_present,
			(int64_t)((pa >> 12) - (g->prev_pa >> 12)))]++;
		if (b->nstride && st != b->stride[0])
			g->stride_same = 0;
		if (push_u64((uint64_t **)&b->stride, &b->nstride, &b->cap_stride,
			     (uint64_t)st))
			return -1;
		if (present && g->prev_present && r->page == g->prev_page + 1 &&
		    pa < g->prev_pa && g->prev_pa - pa == 4096)
			g->pairs_down++;
	}
	if (present) {
		uint64_t frame = pa >> 21, pfn = pa >> 12;

		if (b->npfn) {
			uint64_t last = b->pfn[b->npfn - 1];

			if (pfn < last)
				g->pfn_up = 0;
			if (pfn > last)
				g->pfn_down = 0;
		}
		if (push_u64(&b->pfn, &b->npfn, &b->cap_pfn, pfn))
			return -1;
		g->present++;
		/* pa - prev_pa, not prev_pa + 4096: that wraps past 2^64 to 0. */
		if (g->cur_run && r->page == g->prev_page + 1 && pa > g->prev_pa &&
		    pa - g->prev_pa == 4096) {
			g->pairs++;
			g->cur_run++;
		} else {
			close_run(g);
			g->cur_run = 1;
		}
		if (g->present == 1 || pa < g->min_pa)
			g->min_pa = pa;
		if (g->present == 1 || pa > g->max_pa)
			g->max_pa = pa;
		/* Consecutive pages mostly share a frame: skip the set then. */
		if (!g->have_frame || frame != g->last_frame) {
			int n = frameset_add(g->frames, frame);

			if (n < 0)
				return -1;
			g->frames_2m += (uint64_t)n;
			g->last_frame = frame;
			g->have_frame = 1;
		}
	} else {
		close_run(g);
	}
	g->have_prev = 1;
	g->prev_present = present;
	g->prev_page = r->page;
	g->prev_pa = pa;
	g->prev_va = r->va;
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

static int cmp_s64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

void group_metrics_end(struct group_metrics *g)
{
	struct groupbuf *b = g->buf;
	size_t i, n = 0, best = 0, cur;

	close_run(g);
	/* PFNs: sorted (most groups come sorted, up or down), distinct */
	if (g->pfn_down && !g->pfn_up) {
		for (i = 0; i < b->npfn / 2; i++) {
			uint64_t t = b->pfn[i];

			b->pfn[i] = b->pfn[b->npfn - 1 - i];
			b->pfn[b->npfn - 1 - i] = t;
		}
	} else if (!g->pfn_up) {
		qsort(b->pfn, b->npfn, sizeof(*b->pfn), cmp_u64);
	}
	g->set_runs = 0;
	for (i = 0; i < b->npfn; i++) {
		if (n && b->pfn[i] == b->pfn[n - 1])
			continue;
		if (!n || b->pfn[i] != b->pfn[n - 1] + 1)
			g->set_runs++;
		b->pfn[n++] = b->pfn[i];
	}
	g->nframes = n;
	/* VA stride: the most frequent, the smallest of the most frequent */
	g->has_stride = b->nstride > 0;
	if (!b->nstride)
		return;
	if (g->stride_same) {
		g->va_stride = b->stride[0];
		return;
	}
	qsort(b->stride, b->nstride, sizeof(*b->stride), cmp_s64);
	for (i = 0; i < b->nstride; i += cur) {
		for (cur = 1; i + cur < b->nstride && b->stride[i + cur] == b->stride[i]; cur++)
			;
		if (cur > best) {
			best = cur;
			g->va_stride = b->stride[i];
		}
	}
}

double metrics_contiguity_any(const struct group_metrics *g)
{
	return metrics_contiguity(g->pairs + g->pairs_down, g->pages);
}

uint64_t metrics_shared(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0;
	uint64_t n = 0;

	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			n++;
			i++;
			j++;
		}
	}
	return n;
}

uint64_t group_metrics_span_pages(const struct group_metrics *g)
{
	return g->present ? (g->max_pa >> 12) - (g->min_pa >> 12) : 0;
}

void metrics_contig_info(const uint64_t *nr_free, unsigned int norders,
			 unsigned int order, struct contig_info *ci)
{
	unsigned int k;

	ci->free_pages = ci->blocks_total = ci->blocks_suitable = 0;
	for (k = 0; k < norders; k++) {
		uint64_t blocks = nr_free[k];

		ci->blocks_total += blocks;
		ci->free_pages += blocks << k;
		if (k >= order)
			ci->blocks_suitable += blocks << (k - order);
	}
}

int metrics_unusable_index(unsigned int order, const struct contig_info *ci)
{
	if (ci->free_pages == 0)
		return 1000;
	return (int)((ci->free_pages - (ci->blocks_suitable << order)) * 1000ULL /
		     ci->free_pages);
}

int metrics_frag_index(unsigned int order, const struct contig_info *ci)
{
	uint64_t requested = 1ULL << order;

	if (!ci->blocks_total)
		return 0;
	if (ci->blocks_suitable)
		return -1000;
	/* Unsigned as in the kernel; the int conversion keeps a negative. */
	return (int)(1000 - (1000 + ci->free_pages * 1000ULL / requested) /
		     ci->blocks_total);
}

int metrics_fmt_index(char *buf, size_t n, int index, int width2)
{
	return snprintf(buf, n, width2 ? "%2d.%03d" : "%d.%03d",
			index / 1000, index % 1000);
}
