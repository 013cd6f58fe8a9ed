// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * walk.c - the software page-table walk, pgd -> p4d -> pud -> pmd -> pte.
 *
 * The handout's Part A, done so that it is safe on any address: each entry
 * is read once and the next table is found from that copy, huge pud and
 * pmd leaves are resolved to the 4 KiB frame inside them, and an empty or
 * malformed entry ends the walk (never pgd_clear_bad() and its log line).
 * The walk reads page tables only, never the memory they map.  A failed
 * walk says where the next mapping can start, so that a whole VMA is
 * walked table by table rather than page by page.  ptw_walk_pid() is the
 * `pid PID` command: every VMA of a live process, under its mmap read
 * lock, with a reference on its mm so that the target may exit meanwhile.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "compat.h"
#include "ptwalk.h"
#include "ptwalk_uapi.h"

bool ptw_va_canonical(unsigned long va)
{
	int shift = 64 - ptw_va_bits();

	return (unsigned long)(((long)(va << shift)) >> shift) == va;
}

static void walk_stop(struct ptw_walk *w, unsigned long va, unsigned long mask)
{
	unsigned long next = (va & mask) + ~mask + 1;

	w->next = next > va ? next : 0;   /* 0: the end of the address space */
}

static void walk_leaf(struct ptw_walk *w, unsigned long va, unsigned long pfn,
		      unsigned long mask, u32 level)
{
	w->present = true;
	w->level = level;
	w->huge = level != PTWALK_LEVEL_PTE;
	w->pfn = pfn + ((va & ~mask) >> PAGE_SHIFT);
}

void ptw_walk_va(struct mm_struct *mm, unsigned long va, struct ptw_walk *w)
{
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	memset(w, 0, sizeof(*w));
	pgdp = pgd_offset(mm, va);
	w->pgd_slot = (unsigned long)pgdp;
	pgd = ptw_get(pgdp);
	w->entry[0] = pgd_val(pgd);
	if (pgd_none(pgd) || !pgd_present(pgd) || pgd_bad(pgd))
		return walk_stop(w, va, PGDIR_MASK);

	/* With 4 levels p4d_offset() returns its argument: the copy. */
	p4dp = p4d_offset(&pgd, va);
	p4d = ptw_get(p4dp);
	w->entry[1] = p4d_val(p4d);
	if (p4d_none(p4d) || !p4d_present(p4d) || p4d_bad(p4d))
		return walk_stop(w, va, P4D_MASK);

	pudp = pud_offset(&p4d, va);
	pud = ptw_get(pudp);
	w->entry[2] = pud_val(pud);
	if (pud_none(pud) || !pud_present(pud))
		return walk_stop(w, va, PUD_MASK);
	if (ptw_pud_leaf(pud))
		return walk_leaf(w, va, pud_pfn(pud), PUD_MASK, PTWALK_LEVEL_PUD);
	if (pud_bad(pud))
		return walk_stop(w, va, PUD_MASK);

	pmdp = pmd_offset(&pud, va);
	pmd = ptw_get(pmdp);
	w->entry[3] = pmd_val(pmd);
	if (pmd_none(pmd) || !pmd_present(pmd))
		return walk_stop(w, va, PMD_MASK);
	if (ptw_pmd_leaf(pmd))
		return walk_leaf(w, va, pmd_pfn(pmd), PMD_MASK, PTWALK_LEVEL_PMD);
	if (pmd_bad(pmd))
		return walk_stop(w, va, PMD_MASK);

	ptep = ptw_pte_map(pmdp, &pmd, va);
	if (!ptep)
		return walk_stop(w, va, PMD_MASK);
	pte = ptw_pte_get(ptep);
	ptw_pte_unmap(ptep);
	w->entry[4] = pte_val(pte);
	if (!pte_present(pte))
		return walk_stop(w, va, PAGE_MASK);
	walk_leaf(w, va, pte_pfn(pte), PAGE_MASK, PTWALK_LEVEL_PTE);
}

static int walk_vma(struct mm_struct *mm, struct vm_area_struct *vma,
		    struct ptw_result *res, unsigned long *logged)
{
	bool hugetlb = is_vm_hugetlb_page(vma);
	unsigned long va = vma->vm_start;
	struct ptw_walk w;
	struct ptw_krow *row;

	while (va && va < vma->vm_end) {
		ptw_walk_va(mm, va, &w);
		if (!w.present) {
			va = w.next;
			continue;
		}
		row = ptw_result_add(res);
		if (IS_ERR(row))
			return PTR_ERR(row);
		memset(row, 0, sizeof(*row));
		row->va = va;
		row->pa = row->pa_walk = (u64)w.pfn << PAGE_SHIFT;
		row->pgd_slot = w.pgd_slot;
		memcpy(row->entry, w.entry, sizeof(row->entry));
		row->has = PTW_HAS_PA | PTW_HAS_WALK | PTW_HAS_PGD_SLOT |
			   PTW_HAS_ENTRIES;
		row->level = w.level;
		row->flags = PTW_F_PRESENT;
		if (hugetlb)
			row->flags |= PTW_F_HUGETLB;
		else if (w.huge)
			row->flags |= PTW_F_THP;
		if (*logged < ptw_log_pages) {
			pr_info("Pid %llu: VA=0x%016lx -> PA=0x%016llx\n",
				res->sample, va, row->pa);
			(*logged)++;
		}
		va += PAGE_SIZE;
		if (!(res->nrows & 1023)) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}

int ptw_walk_pid(pid_t nr, struct ptw_result **out)
{
	struct task_struct *task;
	struct vm_area_struct *vma;
	struct ptw_result *res;
	struct mm_struct *mm;
	unsigned long logged = 0;
	u64 vsize = 0;
	struct pid *pid;
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

	res = ptw_result_new("pidwalk", 0, nr, 4096);
	if (!res) {
		err = -ENOMEM;
		pr_notice("pid %d: no memory for the rows\n", nr);
		goto out_mmput;
	}
	err = ptw_mmap_read_lock(mm);
	if (err)
		goto out_put_result;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			vsize += vma->vm_end - vma->vm_start;
			err = walk_vma(mm, vma, res, &logged);
			if (err)
				break;
		}
	}
	ptw_mmap_read_unlock(mm);
	if (err == -E2BIG)
		pr_notice("pid %d: more than %lu present pages, the most one walk returns\n",
			  nr, PTW_MAX_ROWS);
	else if (err == -ENOMEM)
		pr_notice("pid %d: no memory for %zu rows\n", nr, res->nrows * 2);
	else if (err == -EINTR)
		pr_notice("pid %d: walk interrupted\n", nr);
	if (err)
		goto out_put_result;
	res->size_bytes = vsize;
	pr_info("pid %d: %zu present pages in %llu bytes of VMAs\n",
		nr, res->nrows, vsize);
	*out = res;
	mmput(mm);
	return 0;

out_put_result:
	ptw_result_put(res);
out_mmput:
	mmput(mm);
	return err;
}
