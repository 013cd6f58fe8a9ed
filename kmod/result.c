// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * result.c - the rows one command produced, and which result is the last.
 *
 * A result is reference counted: /proc/pagetable takes a reference when it
 * is opened (or written through), so a reader sees one command's rows from
 * the header to the end even while other writers run new commands.  The
 * last result is swapped under a spinlock, apart from the mutex that
 * serialises commands, so that a long walk never blocks readers.  Rows are
 * kept compact (the text columns are per result) and formatted only when
 * read, with ptw_row_format() from ptwalk_csv.h.  A `pid` result has no
 * rows: it holds the process's mm, and each reader walks it (procfs.c).
 *
 * The rows of all results, and the batches of the readers of `pid` walks,
 * come out of one row budget (ptwalk.h), so that many open files each
 * holding a large result cannot take the memory that the rest of the
 * system needs: a command whose rows would pass it fails with -ENOMEM.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "ptwalk.h"

static DEFINE_SPINLOCK(last_lock);
static struct ptw_result *last;
/* Before any command: a valid, empty result. */
static struct ptw_result empty = {
	.ref = KREF_INIT(1),
	.source = "kernel",
	.allocator = "none",
};

/*
 * Would pages more pages leave enough for everyone else?  What
 * si_mem_available() says can be had without swapping, less a reserve of
 * 1/32 of RAM and at least 16 MiB.  Checked before every allocation a
 * command sizes, so that none of them runs memory out (see alloc.c).
 */
bool ptw_mem_fits(u64 pages, u64 *avail, u64 *reserve)
{
	u64 a = si_mem_available(), r;

	r = max_t(u64, totalram_pages() / 32, (16ULL << 20) >> PAGE_SHIFT);
	if (avail)
		*avail = a;
	if (reserve)
		*reserve = r;
	return pages + r <= a;
}

static bool rows_fit(size_t n)
{
	return ptw_mem_fits(DIV_ROUND_UP(PTW_ROWS_BYTES(n), PAGE_SIZE), NULL, NULL);
}

u64 ptw_row_budget;
static atomic64_t rows_held = ATOMIC64_INIT(0);

bool ptw_rows_charge(size_t n)
{
	s64 held = atomic64_read(&rows_held);

	do {
		if (held + PTW_ROWS_BYTES(n) > ptw_row_budget)
			return false;
	} while (!atomic64_try_cmpxchg(&rows_held, &held, held + PTW_ROWS_BYTES(n)));
	return true;
}

void ptw_rows_uncharge(size_t n)
{
	atomic64_sub(PTW_ROWS_BYTES(n), &rows_held);
}

u64 ptw_rows_held(void)
{
	return atomic64_read(&rows_held);
}

/* A result with no rows yet: the header's columns, one reference. */
static struct ptw_result *result_alloc(const char *allocator, u64 size, u64 sample)
{
	struct ptw_result *r = kzalloc(sizeof(*r), PTW_GFP);

	if (!r)
		return NULL;
	kref_init(&r->ref);
	r->source = "kernel";
	r->allocator = allocator;
	r->size_bytes = size;
	r->sample = sample;
	return r;
}

/* Rows for cap, within the budget and what memory can spare. */
static struct ptw_krow *rows_alloc(size_t cap)
{
	struct ptw_krow *rows;

	if (!rows_fit(cap) || !ptw_rows_charge(cap))
		return NULL;
	rows = kvmalloc_array(cap, sizeof(*rows), PTW_GFP);
	if (!rows)
		ptw_rows_uncharge(cap);
	return rows;
}

struct ptw_result *ptw_result_new(const char *allocator, u64 size, u64 sample,
				  size_t cap)
{
	struct ptw_result *r = result_alloc(allocator, size, sample);

	if (!r)
		return NULL;
	cap = clamp_t(size_t, cap, 1, PTW_MAX_ROWS);
	r->rows = rows_alloc(cap);
	if (!r->rows) {
		kfree(r);
		return NULL;
	}
	r->cap = cap;
	return r;
}

struct ptw_result *ptw_result_new_stream(const char *allocator, u64 size,
					 u64 sample, struct mm_struct *mm)
{
	struct ptw_result *r = result_alloc(allocator, size, sample);

	if (!r)
		return NULL;
	mmgrab(mm);
	r->mm = mm;
	return r;
}

/* Grow the rows to at least want (doubling, at most PTW_MAX_ROWS). */
static int result_grow(struct ptw_result *r, size_t want)
{
	struct ptw_krow *rows;
	size_t cap = r->cap;

	while (cap < want && cap < PTW_MAX_ROWS)
		cap = min_t(size_t, cap * 2, PTW_MAX_ROWS);
	if (cap == r->cap)
		return 0;
	rows = rows_alloc(cap);
	if (!rows)
		return -ENOMEM;
	memcpy(rows, r->rows, r->nrows * sizeof(*rows));
	kvfree(r->rows);
	ptw_rows_uncharge(r->cap);
	r->rows = rows;
	r->cap = cap;
	return 0;
}

struct ptw_krow *ptw_result_add(struct ptw_result *r)
{
	int err;

	if (r->nrows == r->cap) {
		if (r->cap >= PTW_MAX_ROWS)
			return ERR_PTR(-E2BIG);
		err = result_grow(r, r->nrows + 1);
		if (err)
			return ERR_PTR(err);
	}
	return &r->rows[r->nrows++];
}

static void result_free(struct kref *ref)
{
	struct ptw_result *r = container_of(ref, struct ptw_result, ref);

	kvfree(r->rows);
	ptw_rows_uncharge(r->cap);
	if (r->mm)
		mmdrop(r->mm);
	kfree(r);
}

void ptw_result_put(struct ptw_result *r)
{
	if (r && r != &empty)
		kref_put(&r->ref, result_free);
}

struct ptw_result *ptw_result_last(void)
{
	struct ptw_result *r;

	spin_lock(&last_lock);
	r = last ? last : &empty;
	kref_get(&r->ref);
	spin_unlock(&last_lock);
	return r;
}

void ptw_result_publish(struct ptw_result *r)
{
	struct ptw_result *old;

	spin_lock(&last_lock);
	old = last;
	last = r;
	spin_unlock(&last_lock);
	ptw_result_put(old);
}

void ptw_result_exit(void)
{
	ptw_result_publish(NULL);
}

void ptw_result_to_row(const struct ptw_result *r, size_t i, struct ptw_row *out)
{
	ptw_krow_to_row(r, &r->rows[i], r->page0 + i, out);
}

void ptw_krow_to_row(const struct ptw_result *r, const struct ptw_krow *k,
		     u64 page, struct ptw_row *out)
{
	out->source = r->source;
	out->allocator = r->allocator;
	out->size_bytes = r->size_bytes;
	out->sample = r->sample;
	out->page = page;
	out->va = k->va;
	out->pa = k->pa;
	out->pa_pagemap = k->pa_pagemap;
	out->pa_walk = k->pa_walk;
	out->pa_v2p = k->pa_v2p;
	out->pgd_slot = k->pgd_slot;
	memcpy(out->entry, k->entry, sizeof(out->entry));
	out->has = k->has;
	out->flags = k->flags;
	out->level = k->level;
}
