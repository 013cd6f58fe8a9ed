// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * arch_arm64.c - the arm64 answers to arch.h (VMSAv8-64, 4 KiB granule).
 *
 * Levels and VA width are fixed when the kernel is built: Debian's arm64
 * kernel has CONFIG_PGTABLE_LEVELS=4 and VA_BITS=48 (levels 0-3 of the Arm
 * ARM are the pgd, pud, pmd and pte; the p4d is folded into the pgd).  A
 * VA selects its table by bit 55: clear, TTBR0_EL1, the process's own pgd
 * (mm->pgd); set, TTBR1_EL1, the kernel's swapper_pg_dir, one table for
 * every process, which mm->pgd does not hold at all (unlike x86-64, where
 * each pgd carries the kernel half).  So the kernel half is walked from
 * the table TTBR1_EL1 points at, read from the register itself.
 *
 * What the MMU does with a descriptor (Arm ARM D8.3, 4 KiB granule):
 * bit 0 (valid) clear: a fault.  Levels 0-2, bits[1:0] 0b11: a table;
 * levels 1-2, 0b01: a block (1 GiB, 2 MiB), at level 0 a fault.  Level 3:
 * 0b11 a page, 0b01 a fault.  An output or table address at or above the
 * PA size of TCR_EL1.IPS is an address size fault.  The other bits (AF,
 * SH, AP, nG, PXN, UXN, Contiguous, AttrIndx, ...) change permissions and
 * attributes, not where the walk goes.  A leaf the kernel calls present
 * without the valid bit (PROT_NONE: bit 58) counts as present, as
 * pagemap says.
 */
#include <linux/bits.h>
#include <linux/pgtable.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>

#include "arch.h"

int ptw_arch_levels(void)
{
	return CONFIG_PGTABLE_LEVELS;
}

int ptw_arch_va_bits(void)
{
	return vabits_actual;
}

bool ptw_arch_va_canonical(unsigned long va)
{
	unsigned long top = va >> ptw_arch_va_bits();

	return top == 0 || top == ~0UL >> ptw_arch_va_bits();
}

/* The kernel's table for the TTBR1 half: TTBR1_EL1 less its ASID and CnP. */
static pgd_t *ttbr1_pgd(void)
{
	u64 ttbr1 = read_sysreg(ttbr1_el1);

	return (pgd_t *)__va(ttbr1 & ~(TTBR_ASID_MASK | TTBR_CNP_BIT));
}

pgd_t *ptw_arch_pgd(struct mm_struct *mm, unsigned long va)
{
	return va & BIT(55) ? pgd_offset_pgd(ttbr1_pgd(), va) : pgd_offset(mm, va);
}

/* The PA size the MMU checks addresses against (TCR_EL1.IPS), read once. */
static unsigned int pa_bits(void)
{
	static const u8 ips[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
	static unsigned int bits;

	if (!READ_ONCE(bits))
		WRITE_ONCE(bits, ips[(read_sysreg(tcr_el1) & TCR_IPS_MASK) >> TCR_IPS_SHIFT]);
	return READ_ONCE(bits);
}

enum ptw_hw ptw_arch_entry(u64 e, enum ptw_hw_level lvl, bool present,
			   unsigned long *table_pfn)
{
	u64 oa = e & PTE_ADDR_MASK;

	if (!(e & PTE_VALID))   /* PROT_NONE leaves are present to the kernel */
		return present && lvl != PTW_HW_TOP ? PTW_HW_LEAF : PTW_HW_STOP;
	if (oa >> pa_bits())
		return PTW_HW_STOP;
	if ((e & PMD_TYPE_MASK) == PMD_TYPE_TABLE) {
		if (lvl == PTW_HW_PTE)
			return PTW_HW_LEAF;   /* a page descriptor */
		if (table_pfn)
			*table_pfn = oa >> PAGE_SHIFT;
		return PTW_HW_TABLE;
	}
	/* 0b01: a block at levels 1 and 2, reserved at levels 0 and 3. */
	return lvl == PTW_HW_PUD || lvl == PTW_HW_PMD ? PTW_HW_LEAF : PTW_HW_STOP;
}
