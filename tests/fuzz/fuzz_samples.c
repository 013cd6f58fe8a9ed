/*
 * tests/fuzz/fuzz_samples.c - libFuzzer target for the samples CSV reader.
 *
 * The input is a samples CSV file.  It is read twice by samples_read()
 * (analyze/samples.c): once with the fast path for plain lines, once
 * with every byte going to libcsv (samples_libcsv_only), and the two must
 * agree on the outcome, the line of an error and every row.  Each row is
 * checked against schema 1 and fed, grouped as analyze groups them, to
 * the analyzer's metric functions (analyze/metrics.c), whose results
 * must be self-consistent: runs, pairs, run histogram and delta buckets
 * all account for the same pages.
 */
#include "fuzz.h"
#include "metrics.h"
#include "samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	unsigned long rows;
	uint64_t hash;
	int in_group;
	struct sample_row key;
	struct group_metrics gm;
	struct frameset frames;
	struct groupbuf buf;
};

static void mix(uint64_t *h, uint64_t v)
{
	*h = (*h ^ v) * 0x100000001b3ULL;
}

static void hash_row(uint64_t *h, const struct sample_row *r)
{
	const char *p;

	for (p = r->source; *p; p++)
		mix(h, (unsigned char)*p);
	for (p = r->allocator; *p; p++)
		mix(h, (unsigned char)*p);
	mix(h, r->size_bytes); mix(h, r->sample); mix(h, r->page);
	mix(h, r->va); mix(h, r->pa); mix(h, r->pa_pagemap);
	mix(h, r->pa_walk); mix(h, r->pa_v2p); mix(h, r->pgd_slot);
	mix(h, r->has); mix(h, r->flags); mix(h, r->level);
}

static void end_group(struct ctx *c)
{
	const struct group_metrics *g = &c->gm;
	uint64_t runs = 0, pages = 0, deltas = 0;
	double contig;
	int k;

	group_metrics_end(&c->gm);
	for (k = 0; k < METRICS_ORDERS; k++) {
		runs += g->run_count[k];
		pages += g->run_pages[k];
	}
	for (k = 0; k < DELTA_NBUCKETS; k++)
		deltas += g->delta[k];
	FUZZ_CHECK(g->present <= g->pages && g->runs <= g->present, "pages %llu present %llu runs %llu",
		   (unsigned long long)g->pages, (unsigned long long)g->present,
		   (unsigned long long)g->runs);
	FUZZ_CHECK(g->runs + g->pairs == g->present, "runs + pairs != present");
	FUZZ_CHECK(runs == g->runs && pages == g->present, "run histogram %llu runs %llu pages",
		   (unsigned long long)runs, (unsigned long long)pages);
	FUZZ_CHECK(g->largest_run <= g->present && (g->present == 0 || g->largest_run >= 1),
		   "largest run %llu", (unsigned long long)g->largest_run);
	FUZZ_CHECK(deltas == g->pages - 1, "%llu deltas for %llu pages",
		   (unsigned long long)deltas, (unsigned long long)g->pages);
	/* the issue-15 measures account for the same pages */
	FUZZ_CHECK(g->pairs + g->pairs_down <= (g->pages ? g->pages - 1 : 0), "pairs %llu + down %llu",
		   (unsigned long long)g->pairs, (unsigned long long)g->pairs_down);
	FUZZ_CHECK(g->set_runs <= g->nframes && g->nframes <= g->present &&
		   (g->present == 0) == (g->nframes == 0) && (g->nframes == 0) == (g->set_runs == 0),
		   "set_runs %llu frames %llu present %llu", (unsigned long long)g->set_runs,
		   (unsigned long long)g->nframes, (unsigned long long)g->present);
	FUZZ_CHECK(g->leaf[1] + g->leaf[2] + g->leaf[3] <= g->pages &&
		   g->v2p_mismatch <= g->v2p_checked && g->walk_mismatch <= g->walk_checked &&
		   g->v2p_checked <= g->pages && g->walk_checked <= g->pages, "leaf or checked counts");
	FUZZ_CHECK(g->has_stride == (g->pages > 1), "va_stride for %llu pages",
		   (unsigned long long)g->pages);
	FUZZ_CHECK(g->frames_2m <= g->present && (g->present == 0) == (g->frames_2m == 0),
		   "frames_2m %llu", (unsigned long long)g->frames_2m);
	FUZZ_CHECK(g->v2p_mismatch <= g->pages && g->walk_mismatch <= g->pages, "mismatch");
	contig = metrics_contiguity(g->pairs, g->pages);
	FUZZ_CHECK(contig >= 0 && contig <= 1, "contiguity %f", contig);
	c->in_group = 0;
}

static int on_row(void *ctx, const struct sample_row *r, unsigned long line,
		  struct samples_error *e)
{
	struct ctx *c = ctx;
	size_t i;

	(void)line;
	FUZZ_CHECK(!strcmp(r->source, "user") || !strcmp(r->source, "kernel"), "source");
	FUZZ_CHECK(r->allocator[0], "empty allocator");
	for (i = 0; r->allocator[i]; i++)
		FUZZ_CHECK(strchr("abcdefghijklmnopqrstuvwxyz0123456789_", r->allocator[i]),
			   "allocator '%s'", r->allocator);
	FUZZ_CHECK(r->level <= PTW_LVL_PUD && r->flags < 1u << PTW_NFLAGS &&
		   r->has < 1u << 6, "level %u flags %#x has %#x", r->level, r->flags, r->has);
	c->rows++;
	hash_row(&c->hash, r);

	/* Grouping as analyze does: a new key starts a group, pages go up. */
	if (c->in_group && (r->sample != c->key.sample || r->size_bytes != c->key.size_bytes ||
			    strcmp(r->source, c->key.source) || strcmp(r->allocator, c->key.allocator)))
		end_group(c);
	if (!c->in_group) {
		c->key = *r;
		c->in_group = 1;
		group_metrics_begin(&c->gm, &c->frames, &c->buf);
	} else if (r->page <= c->gm.prev_page) {
		snprintf(e->msg, sizeof(e->msg), "page out of order");
		return -1;
	}
	if (group_metrics_add(&c->gm, r)) {
		snprintf(e->msg, sizeof(e->msg), "out of memory");
		return -1;
	}
	return 0;
}

struct outcome {
	int err;
	unsigned long line, rows;
	uint64_t hash;
	char msg[256];
};

static void read_once(const char *path, int libcsv_only, struct outcome *o)
{
	struct ctx c = { .hash = 0xcbf29ce484222325ULL };
	struct samples_error e;

	frameset_init(&c.frames);
	samples_libcsv_only = libcsv_only;
	o->err = samples_read(path, on_row, &c, &e);
	if (!o->err && c.in_group)
		end_group(&c);
	frameset_free(&c.frames);
	groupbuf_free(&c.buf);
	FUZZ_CHECK(memchr(e.msg, '\0', sizeof(e.msg)), "unterminated message");
	FUZZ_CHECK(!o->err || e.msg[0], "error without a message");
	o->line = o->err ? e.line : 0;
	o->rows = c.rows;
	o->hash = c.hash;
	memcpy(o->msg, e.msg, sizeof(o->msg));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	struct outcome fast, slow;

	read_once(path, 0, &fast);
	read_once(path, 1, &slow);
	samples_libcsv_only = 0;
	FUZZ_CHECK(fast.err == slow.err, "fast path %d ('%s' at line %lu), libcsv %d ('%s' at line %lu)",
		   fast.err, fast.msg, fast.line, slow.err, slow.msg, slow.line);
	FUZZ_CHECK(fast.line == slow.line, "error line %lu (%s) vs %lu (%s)",
		   fast.line, fast.msg, slow.line, slow.msg);
	FUZZ_CHECK(fast.rows == slow.rows && fast.hash == slow.hash,
		   "rows %lu vs %lu, or their values differ", fast.rows, slow.rows);
	return 0;
}
