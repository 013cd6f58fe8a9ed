// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * arch_x86.c - the x86-64 answers to arch.h.
 *
 * 5-level paging is a boot-time choice (la57), and a canonical address has
 * 48 or 57 significant bits.  Every process's pgd holds the kernel half
 * too, so mm's pgd translates every address.
 *
 * What the MMU does with a page-table entry, by the Intel SDM (vol. 3A,
 * section 4.5, tables 4-14 to 4-20, 4- and 5-level paging).  An entry is
 * used when its P bit is set and none of its reserved bits is: bits
 * MAXPHYADDR..51 of every entry, the NX bit when NX is off (EFER.NXE=0),
 * PS in a PML5E or PML4E, PS in a PDPTE when the CPU has no 1 GiB pages,
 * and the bits between the PAT bit and the frame of a 1 GiB (29:13) or
 * 2 MiB (20:13) leaf.  With any of those the CPU faults (#PF with RSVD), so
 * the walk stops there as well.  The other bits (RW, US, NX, PWT, PCD, A,
 * the ignored ones) do not change where the CPU goes.  Leaves are present
 * as the kernel counts them (pmd_present(), pte_present(): a PROT_NONE
 * page is present, as pagemap says).
 */
#include <linux/bits.h>
#include <linux/mem_encrypt.h>
#include <linux/pgtable.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "arch.h"

int ptw_arch_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

int ptw_arch_va_bits(void)
{
	return __VIRTUAL_MASK_SHIFT + 1;
}

bool ptw_arch_va_canonical(unsigned long va)
{
	int shift = 64 - ptw_arch_va_bits();

	return (unsigned long)(((long)(va << shift)) >> shift) == va;
}

pgd_t *ptw_arch_pgd(struct mm_struct *mm, unsigned long va)
{
	return pgd_offset(mm, va);
}

static u64 hw_reserved(enum ptw_hw_level lvl, bool leaf)
{
	unsigned int m = boot_cpu_data.x86_phys_bits;
	u64 rsvd = m < 52 ? GENMASK_ULL(51, m) : 0;

	if (!(__supported_pte_mask & _PAGE_NX))
		rsvd |= _PAGE_NX;
	if (leaf && lvl == PTW_HW_PUD)
		rsvd |= GENMASK_ULL(29, 13);
	else if (leaf && lvl == PTW_HW_PMD)
		rsvd |= GENMASK_ULL(20, 13);
	return rsvd;
}

enum ptw_hw ptw_arch_entry(u64 e, enum ptw_hw_level lvl, bool present,
			   unsigned long *table_pfn)
{
	e &= ~sme_me_mask;   /* the memory-encryption bit is part of no field */
	if (!present)
		return PTW_HW_STOP;
	if (lvl == PTW_HW_PTE) {
		/* Not P but present to the kernel (PROT_NONE): no bits to judge. */
		if ((e & _PAGE_PRESENT) && (e & hw_reserved(lvl, false)))
			return PTW_HW_STOP;
		return PTW_HW_LEAF;
	}
	if (e & _PAGE_PSE) {
		if (lvl == PTW_HW_TOP ||
		    (lvl == PTW_HW_PUD && !boot_cpu_has(X86_FEATURE_GBPAGES)))
			return PTW_HW_STOP;
		if ((e & _PAGE_PRESENT) && (e & hw_reserved(lvl, true)))
			return PTW_HW_STOP;
		return PTW_HW_LEAF;
	}
	if (!(e & _PAGE_PRESENT) || (e & hw_reserved(lvl, false)))
		return PTW_HW_STOP;
	*table_pfn = (e & PTE_PFN_MASK) >> PAGE_SHIFT;
	return PTW_HW_TABLE;
}
