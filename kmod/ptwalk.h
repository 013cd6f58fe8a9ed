/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ptwalk.h - what the parts of ptwalk.ko share.
 *
 * walk.c    the software page-table walk (one VA, or every VMA of a task)
 * result.c  what one command produced, reference counted, the last one,
 *           and the row budget over the readers' batches
 * alloc.c   kmalloc/vmalloc/kvmalloc/alloc_pages, an allocation per result
 * procfs.c  /proc/pagetable: commands in, schema-1 CSV out
 * chardev.c /dev/ptwalk: IOCTL_GET_PFN, IOCTL_SET_PID, IOCTL_XLATE,
 *           IOCTL_EXPLAIN, IOCTL_XLATE_BATCH
 * main.c    parameters, load and unload
 */
#ifndef PTWALK_H
#define PTWALK_H

#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#include "ptwalk_csv.h"

/* How many pages of each walk go to the kernel log (module parameter). */
extern int ptw_log_pages;
/* A number: decimal or 0x-hex, never octal, no sign; 0 or -EINVAL/-ERANGE. */
int ptw_parse_u64(const char *s, u64 *out);

/*
 * Every allocation a command sizes: may fail (-ENOMEM), never warns and
 * never wakes the OOM killer (alloc.c says why that is not enough alone).
 */
#define PTW_GFP (GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)

/*
 * Read one entry once; later decisions use the copy, never the table.
 * The read cannot fault: kernel-half walks take no lock (ptw_walk_va()
 * says why), so a table could be freed under one, and a walk misled by
 * what such a page then holds could reach a page that the direct map does
 * not map (RAM hot-removed meanwhile, or taken out of the direct map as
 * secretmem does), although walk.c follows tables in RAM only.  An entry
 * that cannot be read reads as empty, and the walk ends there.  One
 * aligned 8-byte load, as READ_ONCE would be.
 */
#define ptw_get(p) ({							\
	typeof(*(p)) __ptw_v;						\
	if (copy_from_kernel_nofault(&__ptw_v, (p), sizeof(__ptw_v)))	\
		memset(&__ptw_v, 0, sizeof(__ptw_v));			\
	__ptw_v;							\
})

/* One software walk of one VA. */
struct ptw_walk {
	u64 pgd_slot;       /* kernel address of the pgd entry used */
	u64 entry[5];       /* raw pgd, p4d, pud, pmd, pte; 0 below the leaf */
	u64 entry_pa[5];    /* where each entry was read (PA); 0 not read */
	u64 pfn;            /* the 4 KiB frame of va, when present */
	u32 level;          /* PTWALK_LEVEL_* of the leaf; 0 if none */
	bool present;
	bool huge;
	unsigned long next; /* not present: first VA that may be mapped */
};

/*
 * Walk va in mm.  The caller holds what keeps mm's tables alive: for a
 * user address (the lower canonical half, through its last byte) mm's
 * mmap read lock and a reference on mm.
 *
 * Kernel addresses are walked without a lock, and this is why that is
 * safe here.  ptdump reads under init_mm's mmap read lock, but init_mm is
 * not exported to modules on 6.1 (nor are get_online_mems() and
 * lock_device_hotplug()), and on x86-64 that lock excludes nothing that
 * frees kernel page tables anyway: vmalloc and vmap never free their
 * tables, the direct map's splits only add tables, and the two things that
 * do free them take other locks (memory hot-remove: mem_hotplug_lock and
 * the device hotplug lock) or none (a huge vmap replacing a pte or pmd
 * table, pmd_free_pte_page()), so ptdump races them just the same.  What
 * keeps this walk safe is how it reads: every entry once, the next table
 * only from an entry the MMU would follow and only when it is RAM
 * (walk.c, hw_entry()), and tables through the direct map,
 * which on Debian's kernels (no DEBUG_PAGEALLOC) maps every page of RAM
 * at all times, freed or not, and every entry with a read that cannot
 * fault (ptw_get() above), in case a freed table's page was reused
 * and pointed the walk outside RAM.  A table freed under the walk yields
 * stale entries for that one walk (the row says what the tables said a
 * moment ago), or an empty one, never a fault.
 */
void ptw_walk_va(struct mm_struct *mm, unsigned long va, struct ptw_walk *w);

/* One row of /proc/pagetable, compact: source etc. are per result. */
struct ptw_krow {
	u64 va, pa, pa_pagemap, pa_walk, pa_v2p, pgd_slot;
	u64 entry[5];
	u16 flags;          /* PTW_F_* */
	u8 has;             /* PTW_HAS_* */
	u8 level;           /* enum ptw_level */
};

/*
 * One kernel allocation (alloc.c), owned by the result of the command that
 * made it: freed with that result, when its last reference goes.
 */
struct ptw_alloc {
	struct kref ref;        /* its result's, and `walk` results' in it */
	struct list_head node;  /* the live allocations, for `walk` */
	int kind;
	void *ptr;
	struct page *page;      /* alloc_pages */
	unsigned int order;     /* alloc_pages */
	u64 size;               /* bytes asked for (alloc_pages: the block) */
	unsigned long base;     /* first page's VA */
	unsigned long npages;
	struct mm_struct *mm;   /* the writer's (mmgrab): its kernel half */
};

/*
 * What one command produced.  Exactly one of: rows (`walk`: one, in one),
 * alloc (an allocator: nrows rows, walked as read, ptw_alloc_row()), mm
 * (`pid`: streamed, a reference (mmgrab) on its mm, nrows unknown), or
 * nothing (before any command).
 */
struct ptw_result {
	struct kref ref;
	const char *source, *allocator;
	u64 size_bytes, sample;
	u64 page0;          /* page column of the first row */
	size_t nrows;
	struct ptw_krow *rows;
	struct ptw_krow one;
	struct ptw_alloc *alloc;
	struct ptw_alloc *keep;   /* `walk`: the allocation its VA is in */
	struct mm_struct *mm;
};

/*
 * Would pages more pages leave enough memory for everyone else?  *avail and
 * *reserve (if not NULL) get the pages available and kept in reserve (a
 * margin and the CMA areas, which the module's allocations cannot use).
 */
bool ptw_mem_fits(u64 pages, u64 *avail, u64 *reserve);
/* A result of one row, result->rows[0], that the caller fills. */
struct ptw_result *ptw_result_new_one(const char *allocator, u64 size, u64 sample);
/* A result that owns a (freed with it); NULL, a not taken, on -ENOMEM. */
struct ptw_result *ptw_result_new_alloc(const char *allocator, u64 size,
					u64 sample, struct ptw_alloc *a);
/* A streamed result of mm (takes its own mmgrab() reference). */
struct ptw_result *ptw_result_new_stream(const char *allocator, u64 size,
					 u64 sample, struct mm_struct *mm);
void ptw_result_put(struct ptw_result *r);
/* The last command's result, with a reference (never NULL). */
struct ptw_result *ptw_result_last(void);
/* Make r the last result (takes over the caller's reference). */
void ptw_result_publish(struct ptw_result *r);
void ptw_result_exit(void);
/* The last result, if it owns an allocation, is no longer the last. */
void ptw_result_drop_last_alloc(void);
void ptw_result_to_row(const struct ptw_result *r, size_t i, struct ptw_row *out);
/* Row k of r (the text columns are r's), whose page column is page. */
void ptw_krow_to_row(const struct ptw_result *r, const struct ptw_krow *k,
		     u64 page, struct ptw_row *out);

/*
 * The row budget: the bytes of rows (sizeof(struct ptw_krow) each) that
 * all readers' batches together may hold, however many files are open
 * (the only rows kept: an allocator's rows are walked one at a time as
 * read, a `walk` has one).  Set at load (parameter row_budget; 0, the
 * default, is 1/8 of RAM), so that many open files reading `pid` walks
 * cannot take the memory the rest of the system needs.  The allocations
 * that open files hold are bounded by ptw_mem_fits() instead, which each
 * of them passed when it was made.  ptw_rows_charge() takes n rows
 * from it, false (and nothing taken) when that would pass the budget;
 * ptw_rows_uncharge() gives them back.
 */
extern u64 ptw_row_budget;
bool ptw_rows_charge(size_t n);
void ptw_rows_uncharge(size_t n);
/* Bytes of rows held now, and what n rows take. */
u64 ptw_rows_held(void);
#define PTW_ROWS_BYTES(n) ((u64)(n) * sizeof(struct ptw_krow))

/* walk.c: a kernel row for va from a walk and, where apt, the other methods. */
void ptw_kernel_row(struct ptw_krow *row, unsigned long va,
		    const struct ptw_walk *w, bool with_v2p);

/*
 * `pid PID`: a streamed result of pid's address space; -ESRCH, -EINTR,
 * -ENOMEM.  Its rows are made as they are read, a batch at a time, by
 * ptw_pid_batch(): the present pages from *cursor (a user VA) up, at most
 * one pte table's worth or cap pages of a huge leaf (cap >= PTRS_PER_PTE),
 * into rows; *n of them, and *cursor moves past them (PTW_CURSOR_END after
 * the last VMA).  Each batch takes a reference on mm's users and its mmap
 * read lock, and drops both before it returns, so the lock is never held
 * while the reader is in user space, and the memory held is one batch
 * whatever the size of the process.  Between batches the process may map
 * and unmap: the walk goes on from the cursor in the mappings as they are
 * then (VAs only increase, no page is given twice; a page below the cursor
 * is as it was when its batch was read).  If the process has exited (no
 * users left on its mm), the walk ends there: the rows so far, then EOF.
 * Errors: -EINTR (a fatal signal), the cursor then unchanged.
 */
#define PTW_CURSOR_END ULONG_MAX
int ptw_walk_pid(pid_t pid, struct ptw_result **out);
int ptw_pid_batch(struct mm_struct *mm, unsigned long *cursor,
		  struct ptw_krow *rows, size_t cap, size_t *n);

/*
 * Kernel allocations (alloc.c): a new one per command, owned by its
 * result.  ptw_alloc_check() refuses up front what cannot be had (-EINVAL,
 * -ENOMEM and one log line), counting freed pages, which the caller frees
 * before ptw_alloc_make(), as available; ptw_alloc_make() allocates and
 * makes the result (-ENOMEM).  Never -E2BIG: there is no row cap.
 */
int ptw_alloc_check(const char *allocator, u64 arg, u64 freed);
/* After ptw_alloc_check(): does it fit with nothing freed first? */
bool ptw_alloc_fits_now(const char *allocator, u64 arg);
int ptw_alloc_make(const char *allocator, u64 arg, struct ptw_result **out);
/* Row i (< a->npages) of a, walked now. */
void ptw_alloc_row(const struct ptw_alloc *a, unsigned long i, struct ptw_krow *row);
/* Drop a reference on a (NULL: nothing); the last frees it. */
void ptw_alloc_put(struct ptw_alloc *a);
/* Which live allocation va falls in, if any, with a reference; its page. */
struct ptw_alloc *ptw_alloc_lookup(unsigned long va, u64 *page);
const char *ptw_alloc_name(const struct ptw_alloc *a);

int ptw_procfs_init(void);
/* Part A at load: walk pid's memory and make it the last result. */
int ptw_procfs_walk_pid(int pid);
void ptw_procfs_exit(void);
int ptw_chardev_init(int default_pid);
void ptw_chardev_exit(void);

#endif /* PTWALK_H */
