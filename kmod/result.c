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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "compat.h"
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
	return ptw_mem_fits(DIV_ROUND_UP(n * sizeof(struct ptw_krow), PAGE_SIZE), NULL, NULL);
}

struct ptw_result *ptw_result_new(const char *allocator, u64 size, u64 sample,
				  size_t cap)
{
	struct ptw_result *r;

	r = kzalloc(sizeof(*r), PTW_GFP);
	if (!r)
		return NULL;
	cap = clamp_t(size_t, cap, 1, PTW_MAX_ROWS);
	if (!rows_fit(cap)) {
		kfree(r);
		return NULL;
	}
	r->rows = kvmalloc_array(cap, sizeof(*r->rows), PTW_GFP);
	if (!r->rows) {
		kfree(r);
		return NULL;
	}
	kref_init(&r->ref);
	r->source = "kernel";
	r->allocator = allocator;
	r->size_bytes = size;
	r->sample = sample;
	r->cap = cap;
	return r;
}

struct ptw_result *ptw_result_new_stream(const char *allocator, u64 size,
					 u64 sample, struct mm_struct *mm)
{
	struct ptw_result *r = kzalloc(sizeof(*r), PTW_GFP);

	if (!r)
		return NULL;
	kref_init(&r->ref);
	r->source = "kernel";
	r->allocator = allocator;
	r->size_bytes = size;
	r->sample = sample;
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
	if (!rows_fit(cap))
		return -ENOMEM;
	rows = kvmalloc_array(cap, sizeof(*rows), PTW_GFP);
	if (!rows)
		return -ENOMEM;
	memcpy(rows, r->rows, r->nrows * sizeof(*rows));
	kvfree(r->rows);
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

/*
 * A kernel row: pa_walk from the walk (and pa, which a kernel row asserts),
 * pa_v2p from virt_to_phys() when asked, and pa_pagemap, which for kernel
 * rows carries the kernel's own reference translation, vmalloc_to_page(),
 * for addresses in the vmalloc area (empty elsewhere).  Only called for
 * addresses whose walk found a page, or the caller's own allocation.
 */
void ptw_kernel_row(struct ptw_krow *row, unsigned long va,
		    const struct ptw_walk *w, bool with_v2p)
{
	unsigned long off = va & ~PAGE_MASK;

	memset(row, 0, sizeof(*row));
	row->va = va;
	row->pgd_slot = w->pgd_slot;
	memcpy(row->entry, w->entry, sizeof(row->entry));
	row->has = PTW_HAS_PGD_SLOT | PTW_HAS_ENTRIES;
	row->level = w->level;
	if (w->present) {
		row->pa = row->pa_walk = ((u64)w->pfn << PAGE_SHIFT) + off;
		row->has |= PTW_HAS_PA | PTW_HAS_WALK;
		row->flags |= PTW_F_PRESENT;
	}
	if (is_vmalloc_addr((void *)va)) {
		row->flags |= PTW_F_VMALLOC_AREA;
		if (w->present) {
			struct page *page = vmalloc_to_page((void *)va);

			if (page) {
				row->pa_pagemap = page_to_phys(page) + off;
				row->has |= PTW_HAS_PAGEMAP;
			}
		}
	} else if (va >= PAGE_OFFSET && va < VMALLOC_START &&
		   virt_addr_valid((void *)va)) {
		row->flags |= PTW_F_DIRECT_MAP;
	}
	if (with_v2p) {
		row->pa_v2p = ptw_virt_to_phys(va);
		row->has |= PTW_HAS_V2P;
	}
}
