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
 * The allocation stays alive until the next allocation command or rmmod,
 * so that other processes can `walk` its addresses (the lab report's
 * two-context experiment).  The caller (procfs.c) serialises commands;
 * nothing here locks.  Every allocation asks for __GFP_NOWARN: a request
 * the kernel cannot meet is the user's error, not a kernel warning.
 *
 * No command may wake the OOM killer: a request larger than memory allows
 * fails with -ENOMEM, and nothing else is killed for it.  So allocations
 * ask for __GFP_RETRY_MAYFAIL (reclaim hard, then fail; never OOM-kill;
 * blocks above PAGE_ALLOC_COSTLY_ORDER need not, see block_gfp()),
 * and a request for more than si_mem_available() leaves, less a reserve,
 * is refused up front (ptw_mem_fits()): on 6.1 vmalloc ignores
 * __GFP_NORETRY and allocates its page tables with GFP_KERNEL whatever it
 * is asked, so it could still wake the OOM killer when memory ran out
 * under it.  The rows of every result that open files still hold come out
 * of one row budget (ptwalk.h): a command whose rows would pass it is
 * refused too, before anything is allocated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "ptwalk.h"

enum alloc_kind { AK_NONE, AK_KMALLOC, AK_VMALLOC, AK_KVMALLOC, AK_PAGES };

static const struct {
	const char *name;   /* command and allocator column */
	const char *log;    /* the seed's log word */
} kinds[] = {
	[AK_KMALLOC]  = { "kmalloc", "Kmalloc" },
	[AK_VMALLOC]  = { "vmalloc", "Vmalloc" },
	[AK_KVMALLOC] = { "kvmalloc", "Kvmalloc" },
	[AK_PAGES]    = { "alloc_pages", "Alloc_pages" },
};

/* The live allocation. */
static struct {
	enum alloc_kind kind;
	void *ptr;
	struct page *page;      /* AK_PAGES */
	unsigned int order;     /* AK_PAGES */
	u64 size;               /* bytes asked for */
	unsigned long base;     /* first page's VA */
	unsigned long npages;
} live;
static u64 alloc_seq;

static void alloc_free(void)
{
	switch (live.kind) {
	case AK_KMALLOC:
		kfree(live.ptr);
		break;
	case AK_VMALLOC:
		vfree(live.ptr);
		break;
	case AK_KVMALLOC:
		kvfree(live.ptr);
		break;
	case AK_PAGES:
		__free_pages(live.page, live.order);
		break;
	case AK_NONE:
		break;
	}
	memset(&live, 0, sizeof(live));
}

/*
 * Can memory hold a request of bytes, with its rows?  The pages it takes,
 * its rows and, for vmalloc, its page array and tables.
 */
static int alloc_fits(const char *name, u64 arg, u64 bytes)
{
	u64 pages = DIV_ROUND_UP(bytes, PAGE_SIZE), need, avail, reserve;
	/* The rows: at most one page more than pages, for a start mid-page. */
	u64 rows = PTW_ROWS_BYTES(pages + 1), held = ptw_rows_held();

	if (held + rows > ptw_row_budget) {
		pr_notice("%s %llu: its rows need %llu bytes, %llu of the row budget of %llu are held by open files\n",
			  name, arg, rows, held, ptw_row_budget);
		return -ENOMEM;
	}
	need = pages + DIV_ROUND_UP(pages * (sizeof(struct ptw_krow) + sizeof(void *)),
				    PAGE_SIZE) + pages / PTRS_PER_PTE + 1;
	if (!ptw_mem_fits(need, &avail, &reserve)) {
		pr_notice("%s %llu: needs %llu pages, %llu available less %llu kept in reserve\n",
			  name, arg, need, avail, reserve);
		return -ENOMEM;
	}
	return 0;
}

static int alloc_check(enum alloc_kind kind, u64 arg)
{
	const char *name = kinds[kind].name;

	if (kind == AK_PAGES) {
		if (arg > PTW_MAX_ORDER) {
			pr_notice("alloc_pages %llu: order above the largest, %d\n",
				  arg, PTW_MAX_ORDER);
			return -EINVAL;
		}
		return alloc_fits(name, arg, PAGE_SIZE << arg);
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
	if (arg > (u64)PTW_MAX_ROWS * PAGE_SIZE) {
		pr_notice("%s %llu: more than %lu pages, the most one command returns\n",
			  name, arg, PTW_MAX_ROWS);
		return -E2BIG;
	}
	return alloc_fits(name, arg, arg);
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

static int alloc_new(enum alloc_kind kind, u64 arg)
{
	const gfp_t gfp = PTW_GFP;

	switch (kind) {
	case AK_KMALLOC:
		live.ptr = kmalloc(arg, block_gfp(get_order(arg)));
		break;
	case AK_VMALLOC:
		live.ptr = __vmalloc(arg, gfp);
		break;
	case AK_KVMALLOC:
		live.ptr = kvmalloc(arg, gfp);
		break;
	case AK_PAGES:
		live.page = alloc_pages(block_gfp(arg), arg);
		live.order = arg;
		live.ptr = live.page ? page_address(live.page) : NULL;
		arg = PAGE_SIZE << arg;
		break;
	case AK_NONE:
		break;
	}
	if (!live.ptr) {
		live.page = NULL;
		pr_notice("%s %llu: out of memory\n", kinds[kind].name,
			  kind == AK_PAGES ? (u64)live.order : arg);
		return -ENOMEM;
	}
	live.kind = kind;
	live.size = arg;
	live.base = (unsigned long)live.ptr & PAGE_MASK;
	live.npages = DIV_ROUND_UP(offset_in_page(live.ptr) + arg, PAGE_SIZE);
	return 0;
}

int ptw_alloc_cmd(const char *cmd, u64 arg, struct ptw_result **out)
{
	struct mm_struct *mm = current->mm ? current->mm : current->active_mm;
	enum alloc_kind kind = AK_NONE;
	struct ptw_result *res;
	struct ptw_krow *row;
	struct ptw_walk w;
	unsigned long i, va;
	int err, k;

	for (k = AK_KMALLOC; k <= AK_PAGES; k++)
		if (!strcmp(cmd, kinds[k].name))
			kind = k;
	if (kind == AK_NONE)
		return -EINVAL;
	err = alloc_check(kind, arg);
	if (err)
		return err;

	alloc_free();
	err = alloc_new(kind, arg);
	if (err)
		return err;
	res = ptw_result_new(kinds[kind].name, live.size, alloc_seq++, live.npages);
	if (!res) {
		pr_notice("%s %llu: no memory for %lu rows\n",
			  kinds[kind].name, arg, live.npages);
		alloc_free();
		return -ENOMEM;
	}
	for (i = 0; i < live.npages; i++) {
		va = live.base + i * PAGE_SIZE;
		ptw_walk_va(mm, va, &w);
		row = ptw_result_add(res);  /* cannot fail: cap is npages */
		ptw_kernel_row(row, va, &w, true);
		if (i < ptw_log_pages)
			pr_info("%s: VA=0x%016lx -> PA=0x%016llx\n", kinds[kind].log,
				va, (row->flags & PTW_F_VMALLOC_AREA) ?
				row->pa_pagemap : row->pa_v2p);
		if (!(i & 1023))
			cond_resched();
	}
	/* The command's own argument (an order for alloc_pages), then bytes. */
	pr_info("%s %llu: %llu bytes, %lu pages at 0x%016lx\n", kinds[kind].name,
		arg, live.size, live.npages, (unsigned long)live.ptr);
	*out = res;
	return 0;
}

const char *ptw_alloc_lookup(unsigned long va, u64 *size, u64 *page)
{
	if (live.kind == AK_NONE || va < live.base ||
	    va - live.base >= live.npages * PAGE_SIZE)
		return NULL;
	*size = live.size;
	*page = (va - live.base) >> PAGE_SHIFT;
	return kinds[live.kind].name;
}

void ptw_alloc_exit(void)
{
	alloc_free();
}
