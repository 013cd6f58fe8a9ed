/*
 * tests/fuzz/fuzz_samples.c - libFuzzer target for the samples CSV reader.
 *
 * The input is a samples CSV file, read by samples_read()
 * (analyze/samples.c); an error must come with a message.  Each row is
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
	int in_group;
	struct sample_row key;
	struct group_metrics gm;
	struct frameset frames;
	struct groupbuf buf;
};

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c = { 0 };
	struct samples_error e;
	int err;

	frameset_init(&c.frames);
	err = samples_read(fuzz_file(data, size), on_row, &c, &e);
	if (!err && c.in_group)
		end_group(&c);
	frameset_free(&c.frames);
	groupbuf_free(&c.buf);
	FUZZ_CHECK(memchr(e.msg, '\0', sizeof(e.msg)), "unterminated message");
	FUZZ_CHECK(!err || e.msg[0], "error without a message");
	FUZZ_CHECK(!err || e.line <= (unsigned long)size + 1, "error line %lu of %zu bytes", e.line, size);
	return 0;
}
