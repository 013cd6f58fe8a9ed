// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * alloc.c - kernel allocations and their three-way translation.
 *
 * The README seed's experiment: allocate kernel memory with kmalloc,
 * vmalloc, kvmalloc or alloc_pages and translate it page by page with
 * virt_to_phys() (pa_v2p), the software walk (pa_walk, which is also the
 * row's pa), and, for memory in the vmalloc area, vmalloc_to_page() +
 * page_to_phys() (pa_pagemap).  The first pages go to the kernel log in
 * the seed's words ("Vmalloc: VA=0x... -> PA=0x...", with the seed's
 * method: vmalloc_to_page for vmalloc memory, virt_to_phys otherwise).
 * Each command makes an allocation of its own, owned by its result
 * (struct ptw_alloc, reference counted): it stays alive while any
 * reference on that result does, the open file that wrote the command
 * (until its next command or its close) and the last result (until the
 * next command of any file), and while a `walk` result of one of its
 * addresses is the last, so that other processes can `walk` its addresses
 * one after the other (the lab report's two-context experiment), and so that a plan can keep sample N-1 alive
 * (its file open) while it takes sample N, which then cannot reuse N-1's
 * frames.  The rows are not kept: a reader walks row i of the allocation
 * when it reads it (ptw_alloc_row()), so a command's size is bounded by
 * what the kernel can allocate, not by a row array.  The caller
 * (procfs.c) serialises commands; the list of live allocations, which
 * `walk` looks addresses up in, has a spinlock of its own.  Every allocation asks for __GFP_NOWARN: a request
 * the kernel cannot meet is the user's error, not a kernel warning.
 *
 * No command may wake the OOM killer: a request larger than memory allows
 * fails with -ENOMEM, and nothing else is killed for it.  So allocations
 * ask for __GFP_RETRY_MAYFAIL (reclaim hard, then fail; never OOM-kill;
 * blocks above PAGE_ALLOC_COSTLY_ORDER need not, see block_gfp()),
 * and a request for more than si_mem_available() leaves, less a reserve
 * and the CMA areas (MemAvailable counts their pages, which an unmovable
 * allocation never gets), is refused up front (ptw_mem_fits()): on 6.1 vmalloc ignores
 * __GFP_NORETRY and allocates its page tables with GFP_KERNEL whatever it
 * is asked, so it could still wake the OOM killer when memory ran out
 * under it.  Each allocation that open files hold passed that check when
 * it was made, so together they never take memory below the reserve.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "ptwalk.h"

enum alloc_kind { AK_KMALLOC = 1, AK_VMALLOC, AK_KVMALLOC, AK_PAGES };

static const struct {
	const char *name;   /* command and allocator column */
	const char *log;    /* the seed's log word */
} kinds[] = {
	[AK_KMALLOC]  = { "kmalloc", "Kmalloc" },
	[AK_VMALLOC]  = { "vmalloc", "Vmalloc" },
	[AK_KVMALLOC] = { "kvmalloc", "Kvmalloc" },
	[AK_PAGES]    = { "alloc_pages", "Alloc_pages" },
};

/* Every live allocation, for ptw_alloc_lookup(); under alloc_lock. */
static LIST_HEAD(allocs);
static DEFINE_SPINLOCK(alloc_lock);
static u64 alloc_seq;

static void alloc_release(struct kref *ref)
{
	struct ptw_alloc *a = container_of(ref, struct ptw_alloc, ref);

	/* A lookup meanwhile finds it with no references and passes it by. */
	spin_lock(&alloc_lock);
	list_del(&a->node);
	spin_unlock(&alloc_lock);
	switch (a->kind) {
	case AK_KMALLOC:
		kfree(a->ptr);
		break;
	case AK_VMALLOC:
		vfree(a->ptr);
		break;
	case AK_KVMALLOC:
		kvfree(a->ptr);
		break;
	case AK_PAGES:
		__free_pages(a->page, a->order);
		break;
	}
	if (a->mm)
		mmdrop(a->mm);
	kfree(a);
}

void ptw_alloc_put(struct ptw_alloc *a)
{
	if (a)
		kref_put(&a->ref, alloc_release);
}

/*
 * Can memory hold a request of bytes?  The pages it takes and, for
 * vmalloc, its page array and tables.  No rows: they are walked as read.
 */
static u64 alloc_need(u64 bytes)
{
	/* Rounded up without DIV_ROUND_UP, which wraps near 2^64. */
	u64 pages = (bytes >> PAGE_SHIFT) + !!offset_in_page(bytes);

	return pages + DIV_ROUND_UP(pages * sizeof(void *), PAGE_SIZE) +
	       pages / PTRS_PER_PTE + 1;
}

static int alloc_fits(const char *name, u64 arg, u64 bytes, u64 freed)
{
	u64 need = alloc_need(bytes), avail, reserve;

	/* What the command frees before it allocates counts as available. */
	if (!ptw_mem_fits(need > freed ? need - freed : 0, &avail, &reserve)) {
		pr_notice("%s %llu: needs %llu pages, %llu available less %llu kept in reserve\n",
			  name, arg, need, avail, reserve);
		return -ENOMEM;
	}
	return 0;
}

static int alloc_check(enum alloc_kind kind, u64 arg, u64 freed)
{
	const char *name = kinds[kind].name;

	if (kind == AK_PAGES) {
		if (arg > PTW_MAX_ORDER) {
			pr_notice("alloc_pages %llu: order above the largest, %d\n",
				  arg, PTW_MAX_ORDER);
			return -EINVAL;
		}
		return alloc_fits(name, arg, PAGE_SIZE << arg, freed);
	}
	if (arg == 0) {
		pr_notice("%s 0: size must be at least 1 byte\n", name);
		return -EINVAL;
	}
	if (kind == AK_KMALLOC && arg > KMALLOC_MAX_SIZE) {
		pr_notice("kmalloc %llu: above KMALLOC_MAX_SIZE, %lu bytes\n",
			  arg, (unsigned long)KMALLOC_MAX_SIZE);
		return -ENOMEM;
	}
	return alloc_fits(name, arg, arg, freed);
}

/*
 * The flags for a block of 2^order pages.  Orders above
 * PAGE_ALLOC_COSTLY_ORDER never wake the OOM killer (the page allocator
 * fails them instead), and __GFP_RETRY_MAYFAIL would make them reclaim
 * and compact harder than the kernel does by default, which would change
 * what the fragmentation experiment measures; so they keep the default.
 */
static gfp_t block_gfp(unsigned int order)
{
	return order > PAGE_ALLOC_COSTLY_ORDER ? GFP_KERNEL | __GFP_NOWARN : PTW_GFP;
}

static struct ptw_alloc *alloc_new(enum alloc_kind kind, u64 arg)
{
	const gfp_t gfp = PTW_GFP;
	struct ptw_alloc *a = kzalloc(sizeof(*a), PTW_GFP);

	if (!a)
		goto fail;
	switch (kind) {
	case AK_KMALLOC:
		a->ptr = kmalloc(arg, block_gfp(get_order(arg)));
		break;
	case AK_VMALLOC:
		a->ptr = __vmalloc(arg, gfp);
		break;
	case AK_KVMALLOC:
		a->ptr = kvmalloc(arg, gfp);
		break;
	case AK_PAGES:
		a->page = alloc_pages(block_gfp(arg), arg);
		a->order = arg;
		a->ptr = a->page ? page_address(a->page) : NULL;
		break;
	}
	if (!a->ptr) {
		kfree(a);
		goto fail;
	}
	a->kind = kind;
	a->size = kind == AK_PAGES ? PAGE_SIZE << arg : arg;
	a->base = (unsigned long)a->ptr & PAGE_MASK;
	a->npages = DIV_ROUND_UP(offset_in_page(a->ptr) + a->size, PAGE_SIZE);
	INIT_LIST_HEAD(&a->node);
	kref_init(&a->ref);
	return a;
fail:
	pr_notice("%s %llu: out of memory\n", kinds[kind].name, arg);
	return NULL;
}

/*
 * Row i of a: the software walk of its page i in the writer's mm (its
 * kernel half), with virt_to_phys() and vmalloc_to_page() beside it.  The
 * allocation's mapping does not change while it is held, so every read
 * gives the same rows (the direct map may split a huge leaf meanwhile:
 * then the level column says so).
 */
void ptw_alloc_row(const struct ptw_alloc *a, unsigned long i, struct ptw_krow *row)
{
	unsigned long va = a->base + i * PAGE_SIZE;
	struct ptw_walk w;

	ptw_walk_va(a->mm, va, &w);
	ptw_kernel_row(row, va, &w, true);
}

static enum alloc_kind kind_of(const char *cmd)
{
	int k;

	for (k = AK_KMALLOC; k <= AK_PAGES; k++)
		if (!strcmp(cmd, kinds[k].name))
			return k;
	return 0;
}

int ptw_alloc_check(const char *cmd, u64 arg, u64 freed)
{
	enum alloc_kind kind = kind_of(cmd);

	return kind ? alloc_check(kind, arg, freed) : -EINVAL;
}

bool ptw_alloc_fits_now(const char *cmd, u64 arg)
{
	return ptw_mem_fits(alloc_need(kind_of(cmd) == AK_PAGES ? PAGE_SIZE << arg : arg),
			    NULL, NULL);
}

int ptw_alloc_make(const char *cmd, u64 arg, struct ptw_result **out)
{
	struct mm_struct *mm = current->mm ? current->mm : current->active_mm;
	enum alloc_kind kind = kind_of(cmd);
	struct ptw_result *res;
	struct ptw_alloc *a;
	struct ptw_krow row;
	unsigned long i;

	if (!kind)
		return -EINVAL;
	a = alloc_new(kind, arg);
	if (!a)
		return -ENOMEM;
	mmgrab(mm);
	a->mm = mm;
	res = ptw_result_new_alloc(kinds[kind].name, a->size, alloc_seq++, a);
	if (!res) {
		pr_notice("%s %llu: out of memory\n", kinds[kind].name, arg);
		ptw_alloc_put(a);
		return -ENOMEM;
	}
	spin_lock(&alloc_lock);
	list_add(&a->node, &allocs);
	spin_unlock(&alloc_lock);
	for (i = 0; i < a->npages && i < ptw_log_pages; i++) {
		ptw_alloc_row(a, i, &row);
		pr_info("%s: VA=0x%016llx -> PA=0x%016llx\n", kinds[kind].log,
			row.va, (row.flags & PTW_F_VMALLOC_AREA) ?
			row.pa_pagemap : row.pa_v2p);
	}
	/* The command's own argument (an order for alloc_pages), then bytes. */
	pr_info("%s %llu: %llu bytes, %lu pages at 0x%016lx\n", kinds[kind].name,
		arg, a->size, a->npages, (unsigned long)a->ptr);
	*out = res;
	return 0;
}

struct ptw_alloc *ptw_alloc_lookup(unsigned long va, u64 *page)
{
	struct ptw_alloc *a, *found = NULL;

	spin_lock(&alloc_lock);
	list_for_each_entry(a, &allocs, node) {
		if (va < a->base || va - a->base >= a->npages * PAGE_SIZE)
			continue;
		if (kref_get_unless_zero(&a->ref)) {
			*page = (va - a->base) >> PAGE_SHIFT;
			found = a;
		}
		break;
	}
	spin_unlock(&alloc_lock);
	return found;
}

const char *ptw_alloc_name(const struct ptw_alloc *a)
{
	return kinds[a->kind].name;
}
