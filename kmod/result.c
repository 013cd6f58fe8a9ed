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
 * read, with ptw_row_format() from ptwalk_csv.h.  Only a `walk` result
 * keeps a row (one, in the result).  An allocator's result owns its
 * allocation and a `pid` result holds the process's mm: their rows are
 * walked as they are read, a row or a batch at a time (procfs.c), so what
 * a result holds does not grow with its rows.
 *
 * The batches of the readers of `pid` walks come out of one row budget
 * (ptwalk.h), so that many open files reading at once cannot take the
 * memory that the rest of the system needs: a read whose batch would pass
 * it fails with -ENOMEM.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
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
 * 1/32 of RAM and at least 16 MiB, and less the CMA areas: MemAvailable
 * counts their free and reclaimable pages, but the module's allocations
 * are unmovable and never get a CMA page (Debian's arm64 kernel reserves
 * 64 MiB of CMA, its x86-64 kernels none).  Checked before every
 * allocation a command sizes, so that none of them runs memory out (see
 * alloc.c).
 */
static u64 cma_pages(void)
{
	u64 n = 0;
	int nid, z;

	for_each_online_node(nid)
		for (z = 0; z < MAX_NR_ZONES; z++)
			n += zone_cma_pages(&NODE_DATA(nid)->node_zones[z]);
	return n;
}

bool ptw_mem_fits(u64 pages, u64 *avail, u64 *reserve)
{
	u64 a = si_mem_available(), r;

	r = max_t(u64, totalram_pages() / 32, (16ULL << 20) >> PAGE_SHIFT) + cma_pages();
	if (avail)
		*avail = a;
	if (reserve)
		*reserve = r;
	return pages + r <= a;
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

/* A result of one row, which the caller fills (`walk`). */
struct ptw_result *ptw_result_new_one(const char *allocator, u64 size, u64 sample)
{
	struct ptw_result *r = result_alloc(allocator, size, sample);

	if (!r)
		return NULL;
	r->rows = &r->one;
	r->nrows = 1;
	return r;
}

/* An allocator's result: owns a, whose rows are walked as they are read. */
struct ptw_result *ptw_result_new_alloc(const char *allocator, u64 size,
					u64 sample, struct ptw_alloc *a)
{
	struct ptw_result *r = result_alloc(allocator, size, sample);

	if (!r)
		return NULL;
	r->alloc = a;
	r->nrows = a->npages;
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

static void result_free(struct kref *ref)
{
	struct ptw_result *r = container_of(ref, struct ptw_result, ref);

	ptw_alloc_put(r->alloc);
	ptw_alloc_put(r->keep);
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

void ptw_result_drop_last_alloc(void)
{
	struct ptw_result *old = NULL;

	spin_lock(&last_lock);
	if (last && last->alloc) {
		old = last;
		last = NULL;
	}
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
