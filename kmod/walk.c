// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * walk.c - the software page-table walk, pgd -> p4d -> pud -> pmd -> pte.
 *
 * The handout's Part A, done so that it is safe on any address: each entry
 * is read once and the next table is found from that copy, huge pud and
 * pmd leaves are resolved to the 4 KiB frame inside them, and an empty or
 * malformed entry ends the walk (never pgd_clear_bad() and its log line).
 * Which table entries are followed is the MMU's rule, not pXd_bad()'s:
 * x86's pud_bad() and pmd_bad() call a table entry with NX set or RW clear
 * "bad", but the CPU follows it, and espfix is mapped so.  That rule, and
 * which table a VA starts from, are the architecture's (arch.h: one file
 * per architecture, arch_x86.c and arch_arm64.c); this file is the same
 * for all.
 * The walk reads page tables only, never the memory they map.  A failed
 * walk says where the next mapping can start, and a VMA is walked from the
 * pgd once per pte table or huge leaf, then entry by entry, as the
 * kernel's own pagemap walk does, rather than from the top for each page.
 * ptw_walk_pid() is the write of the `pid PID` command and ptw_pid_batch()
 * one batch of its rows, which the reader asks for (see ptwalk.h);
 * ptw_kernel_row() turns the walk of a kernel address into its row.  The
 * walk also records where each entry was read (entry_pa, for
 * IOCTL_EXPLAIN).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/vmalloc.h>
#include <asm/io.h>

#include "arch.h"
#include "compat.h"
#include "ptwalk.h"
#include "ptwalk_uapi.h"

/*
 * A table page is RAM: pfn_valid() and the resource tree's "System RAM".
 * The MMU would read a table from any address, but the walk reads it
 * through the direct map, which holds RAM only.  The last table found to
 * be RAM at each level is remembered, since one table serves many walks;
 * RAM stays RAM while the module is loaded.
 */
static bool hw_table_in_ram(enum ptw_hw_level lvl, unsigned long pfn)
{
	static unsigned long last_ram[PTW_HW_PTE];

	if (!pfn_valid(pfn))
		return false;
	if (READ_ONCE(last_ram[lvl]) == pfn)
		return true;
	if (page_is_ram(pfn) != 1)
		return false;
	WRITE_ONCE(last_ram[lvl], pfn);
	return true;
}

/*
 * What the MMU does with entry e (the architecture's rule, arch_*.c), a
 * table followed only into RAM; present is the kernel's pXd_present().
 */
static enum ptw_hw hw_entry(u64 e, enum ptw_hw_level lvl, bool present)
{
	unsigned long pfn = 0;
	enum ptw_hw what = ptw_arch_entry(e, lvl, present, &pfn);

	if (what == PTW_HW_TABLE && !hw_table_in_ram(lvl, pfn))
		return PTW_HW_STOP;
	return what;
}

/* Both return false: "no pte table to read" for walk_to_pmd(). */
static bool walk_stop(struct ptw_walk *w, unsigned long va, unsigned long mask)
{
	unsigned long next = (va & mask) + ~mask + 1;

	w->present = false;
	w->level = 0;
	w->pfn = 0;
	w->next = next > va ? next : 0;   /* 0: the end of the address space */
	return false;
}

static bool walk_leaf(struct ptw_walk *w, unsigned long va, unsigned long pfn,
		      unsigned long mask, u32 level)
{
	w->present = true;
	w->level = level;
	w->huge = level != PTWALK_LEVEL_PTE;
	w->pfn = pfn + ((va & ~mask) >> PAGE_SHIFT);
	return false;
}

/*
 * The PA of the entry at p.  A folded level's pXd_offset() returns the
 * copy of the entry above (copy): then it is that entry, at above_pa.
 */
static u64 slot_pa(const void *p, const void *copy, u64 above_pa)
{
	return p == copy ? above_pa : __pa(p);
}

/*
 * The walk down to the pmd.  Returns true when va is mapped by a pte table,
 * with the pmd's address and value in *pmdpp and *pmdv; otherwise w holds
 * the huge leaf, or where the walk stopped.
 */
static bool walk_to_pmd(struct mm_struct *mm, unsigned long va,
			struct ptw_walk *w, pmd_t **pmdpp, pmd_t *pmdv)
{
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;

	memset(w, 0, sizeof(*w));
	pgdp = ptw_arch_pgd(mm, va);
	w->pgd_slot = (unsigned long)pgdp;
	pgd = ptw_get(pgdp);
	w->entry[0] = pgd_val(pgd);
	w->entry_pa[0] = __pa(pgdp);
	/* With 4 levels the p4d is folded into the pgd: one entry, checked
	 * once as the p4d (x86's PML4E, arm64's level 0). */
	if (ptw_arch_levels() == 5 &&
	    hw_entry(pgd_val(pgd), PTW_HW_TOP, pgd_present(pgd)) != PTW_HW_TABLE)
		return walk_stop(w, va, PGDIR_MASK);

	/* With 4 levels p4d_offset() returns its argument: the copy. */
	p4dp = p4d_offset(&pgd, va);
	p4d = ptw_get(p4dp);
	w->entry[1] = p4d_val(p4d);
	w->entry_pa[1] = slot_pa(p4dp, &pgd, w->entry_pa[0]);
	if (hw_entry(p4d_val(p4d), PTW_HW_TOP, p4d_present(p4d)) != PTW_HW_TABLE)
		return walk_stop(w, va, P4D_MASK);

	pudp = pud_offset(&p4d, va);
	pud = ptw_get(pudp);
	w->entry[2] = pud_val(pud);
	w->entry_pa[2] = slot_pa(pudp, &p4d, w->entry_pa[1]);
	switch (hw_entry(pud_val(pud), PTW_HW_PUD, pud_present(pud))) {
	case PTW_HW_STOP:
		return walk_stop(w, va, PUD_MASK);
	case PTW_HW_LEAF:
		return walk_leaf(w, va, pud_pfn(pud), PUD_MASK, PTWALK_LEVEL_PUD);
	case PTW_HW_TABLE:
		break;
	}

	pmdp = pmd_offset(&pud, va);
	pmd = ptw_get(pmdp);
	w->entry[3] = pmd_val(pmd);
	w->entry_pa[3] = slot_pa(pmdp, &pud, w->entry_pa[2]);
	switch (hw_entry(pmd_val(pmd), PTW_HW_PMD, pmd_present(pmd))) {
	case PTW_HW_STOP:
		return walk_stop(w, va, PMD_MASK);
	case PTW_HW_LEAF:
		return walk_leaf(w, va, pmd_pfn(pmd), PMD_MASK, PTWALK_LEVEL_PMD);
	case PTW_HW_TABLE:
		break;
	}
	*pmdpp = pmdp;
	*pmdv = pmd;
	return true;
}

/* The last level: the pte of va in the table the caller mapped. */
static void walk_pte(struct ptw_walk *w, unsigned long va, pte_t pte)
{
	w->entry[4] = pte_val(pte);
	if (ptw_arch_entry(pte_val(pte), PTW_HW_PTE, pte_present(pte), NULL) ==
	    PTW_HW_LEAF)
		walk_leaf(w, va, pte_pfn(pte), PAGE_MASK, PTWALK_LEVEL_PTE);
	else
		walk_stop(w, va, PAGE_MASK);
}

void ptw_walk_va(struct mm_struct *mm, unsigned long va, struct ptw_walk *w)
{
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	if (!walk_to_pmd(mm, va, w, &pmdp, &pmd))
		return;
	ptep = ptw_pte_map(pmdp, &pmd, va);
	if (!ptep) {
		walk_stop(w, va, PMD_MASK);
		return;
	}
	pte = ptw_get(ptep);
	w->entry_pa[4] = __pa(ptep);
	ptw_pte_unmap(ptep);
	walk_pte(w, va, pte);
}

/*
 * What virt_to_phys() answers for va.  Without CONFIG_DEBUG_VIRTUAL (as in
 * Debian) that is virt_to_phys() itself, which for a vmalloc address
 * silently returns a wrong value: the point the report makes.  With it,
 * virt_to_phys() would BUG on such an address, so the same linear formula
 * is applied without the check.
 */
static u64 v2p(unsigned long va)
{
#if defined(CONFIG_DEBUG_VIRTUAL) && defined(CONFIG_X86_64)
	return __phys_addr_nodebug(va);
#else
	return (u64)virt_to_phys((void *)va);
#endif
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
		row->pa_v2p = v2p(va);
		row->has |= PTW_HAS_V2P;
	}
}

/* The row of a `pid` walk for va, which w found. */
static void pid_row(struct ptw_krow *row, unsigned long va,
		    const struct ptw_walk *w, bool hugetlb)
{
	memset(row, 0, sizeof(*row));
	row->va = va;
	row->pa = row->pa_walk = (u64)w->pfn << PAGE_SHIFT;
	row->pgd_slot = w->pgd_slot;
	memcpy(row->entry, w->entry, sizeof(row->entry));
	row->has = PTW_HAS_PA | PTW_HAS_WALK | PTW_HAS_PGD_SLOT | PTW_HAS_ENTRIES;
	row->level = w->level;
	row->flags = PTW_F_PRESENT;
	if (hugetlb)
		row->flags |= PTW_F_HUGETLB;
	else if (w->huge)
		row->flags |= PTW_F_THP;
}

/*
 * The present pages of [va, end) in the pte table that pmdp holds, end no
 * further than that table's last page, as rows[*n...]: the table is mapped
 * once and read entry by entry, the levels above are the ones w already
 * holds.  The caller has room for a whole table, because from 6.5 the
 * table is read under the RCU read lock and nothing here may sleep.
 * Returns the VA after the last page read.
 */
static unsigned long walk_ptes(pmd_t *pmdp, pmd_t *pmdv, unsigned long va,
			       unsigned long end, struct ptw_walk *w,
			       struct ptw_krow *rows, size_t *n, bool hugetlb)
{
	pte_t *ptep, *pte0;

	pte0 = ptep = ptw_pte_map(pmdp, pmdv, va);
	if (!ptep)   /* the table went away: no page of it is mapped now */
		return end;
	for (; va < end; va += PAGE_SIZE, ptep++) {
		walk_pte(w, va, ptw_get(ptep));
		if (w->present)
			pid_row(&rows[(*n)++], va, w, hugetlb);
	}
	ptw_pte_unmap(pte0);
	return va;
}

/*
 * One batch of a streamed `pid` walk (see ptwalk.h).  Under the mmap read
 * lock, from *cursor: the VMA at or above it, walked from the pgd once per
 * pte table or huge leaf, until rows were found (one pte table's worth at
 * most, or up to cap pages of a huge leaf) or 256 tables were empty.  The
 * cursor then is the next VA to walk, PTW_CURSOR_END past the last VMA.
 */
int ptw_pid_batch(struct mm_struct *mm, unsigned long *cursor,
		  struct ptw_krow *rows, size_t cap, size_t *n)
{
	unsigned long va = *cursor, end;
	struct vm_area_struct *vma;
	struct ptw_walk w;
	pmd_t *pmdp, pmd;
	int steps = 0, err;
	bool hugetlb;

	*n = 0;
	if (va == PTW_CURSOR_END)
		return 0;
	if (WARN_ON_ONCE(cap < PTRS_PER_PTE))
		return -EINVAL;
	if (fatal_signal_pending(current))
		return -EINTR;
	cond_resched();
	/* The process exited (its mm has no users left): the walk ends here. */
	if (!mmget_not_zero(mm)) {
		*cursor = PTW_CURSOR_END;
		return 0;
	}
	err = mmap_read_lock_killable(mm);
	if (err)
		goto out;
	while (*n == 0 && steps++ < 256) {
		vma = find_vma(mm, va);
		if (!vma) {
			va = PTW_CURSOR_END;
			break;
		}
		va = max(va, vma->vm_start);
		hugetlb = is_vm_hugetlb_page(vma);
		if (walk_to_pmd(mm, va, &w, &pmdp, &pmd)) {
			end = pmd_addr_end(va, vma->vm_end);
			va = walk_ptes(pmdp, &pmd, va, end, &w, rows, n, hugetlb);
			continue;
		}
		if (!w.present) {
			va = w.next ? w.next : PTW_CURSOR_END;
			if (va == PTW_CURSOR_END)
				break;
			continue;
		}
		/* A huge leaf: its pages up to its end, the VMA's, or cap. */
		end = w.level == PTWALK_LEVEL_PUD ? pud_addr_end(va, vma->vm_end) :
						    pmd_addr_end(va, vma->vm_end);
		for (; va < end && *n < cap; va += PAGE_SIZE, w.pfn++)
			pid_row(&rows[(*n)++], va, &w, hugetlb);
	}
	mmap_read_unlock(mm);
	*cursor = va;
out:
	mmput(mm);
	return err;
}

/*
 * The write of `pid PID`: the process must exist and have an address
 * space; the result holds a reference on its mm_struct (mmgrab(), which
 * keeps the structure, not the process's memory), and the rows are walked
 * by the reader (procfs.c).  The first log_pages present pages go to the
 * kernel log now, as Part A asks.
 */
int ptw_walk_pid(pid_t nr, struct ptw_result **out)
{
	struct task_struct *task;
	struct vm_area_struct *vma;
	struct ptw_result *res;
	struct ptw_krow *rows;
	struct mm_struct *mm;
	unsigned long cursor = 0, logged = 0;
	u64 vsize = 0;
	struct pid *pid;
	size_t i, n;
	int err;

	pid = find_get_pid(nr);
	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	put_pid(pid);
	if (!task) {
		pr_notice("pid %d: no such process\n", nr);
		return -ESRCH;
	}
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm) {
		pr_notice("pid %d: no user address space (kernel thread or exiting)\n", nr);
		return -ESRCH;
	}
	err = mmap_read_lock_killable(mm);
	if (err)
		goto out_mmput;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			vsize += vma->vm_end - vma->vm_start;
	}
	mmap_read_unlock(mm);
	res = ptw_result_new_stream("pidwalk", vsize, nr, mm);
	rows = ptw_log_pages > 0 ? kvmalloc_array(PTRS_PER_PTE, sizeof(*rows), PTW_GFP) : NULL;
	if (!res || (ptw_log_pages > 0 && !rows)) {
		pr_notice("pid %d: out of memory\n", nr);
		kvfree(rows);
		ptw_result_put(res);
		err = -ENOMEM;
		goto out_mmput;
	}
	while (logged < ptw_log_pages && cursor != PTW_CURSOR_END) {
		err = ptw_pid_batch(mm, &cursor, rows, PTRS_PER_PTE, &n);
		if (err) {
			pr_notice("pid %d: walk interrupted\n", nr);
			kvfree(rows);
			ptw_result_put(res);
			goto out_mmput;
		}
		for (i = 0; i < n && logged < ptw_log_pages; i++, logged++)
			pr_info("Pid %d: VA=0x%016llx -> PA=0x%016llx\n",
				nr, rows[i].va, rows[i].pa);
	}
	kvfree(rows);
	pr_info("pid %d: %llu bytes of VMAs, walked as they are read\n", nr, vsize);
	*out = res;
	err = 0;
out_mmput:
	mmput(mm);
	return err;
}
