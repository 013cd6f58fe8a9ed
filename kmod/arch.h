/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * arch.h - what the walk asks of the architecture, one file per answer:
 * arch_x86.c (x86-64: 4- or 5-level paging chosen at boot, the Intel SDM's
 * rules) and arch_arm64.c (arm64: levels and VA bits fixed by the kernel's
 * configuration, VMSAv8-64 descriptors, the TTBR0/TTBR1 halves).  Kbuild
 * links the one that matches the kernel, so walk.c and the rest never test
 * the architecture.  The levels are named as the kernel names them: TOP is
 * x86's PML4E/PML5E and arm64's level 0, PUD level 1, PMD level 2, PTE
 * level 3.
 */
#ifndef PTWALK_ARCH_H
#define PTWALK_ARCH_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include <linux/types.h>

enum ptw_hw { PTW_HW_STOP, PTW_HW_TABLE, PTW_HW_LEAF };
enum ptw_hw_level { PTW_HW_TOP, PTW_HW_PUD, PTW_HW_PMD, PTW_HW_PTE };

/* Page-table levels this boot walks (x86-64: 4 or 5; arm64: 3 or 4). */
int ptw_arch_levels(void);
/* Significant bits of a virtual address (48 or 57; arm64: VA_BITS). */
int ptw_arch_va_bits(void);
/*
 * Whether va is an address the MMU translates at all: on x86-64 the bits
 * above the top one repeat it (sign extension from bit 47 or 56); on arm64
 * the bits above VA_BITS are all clear (TTBR0) or all set (TTBR1), whatever
 * bit VA_BITS-1 is (the kernel's linear map starts at 0xffff000000000000).
 */
bool ptw_arch_va_canonical(unsigned long va);

/*
 * The top-level entry that translates va in mm: x86-64, mm's pgd for both
 * halves (every pgd carries the kernel half); arm64, mm's pgd (TTBR0) for
 * user addresses and the kernel's own table (TTBR1_EL1) for the others.
 */
pgd_t *ptw_arch_pgd(struct mm_struct *mm, unsigned long va);

/*
 * What the MMU does with entry e at level lvl: follow it to a table (its
 * frame in *table_pfn; not at PTE), stop (a fault), or use it as the leaf.
 * present is the kernel's pXd_present(), which also counts PROT_NONE
 * leaves, as pagemap does.
 */
enum ptw_hw ptw_arch_entry(u64 e, enum ptw_hw_level lvl, bool present,
			   unsigned long *table_pfn);

#endif /* PTWALK_ARCH_H */
