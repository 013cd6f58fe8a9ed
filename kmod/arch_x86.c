// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * arch_x86.c - the x86-64 answers to arch.h: 5-level paging is a boot-time
 * choice (la57), and a canonical address has 48 or 57 significant bits.
 */
#include <linux/pgtable.h>

#include "arch.h"

int ptw_arch_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

int ptw_arch_va_bits(void)
{
	return __VIRTUAL_MASK_SHIFT + 1;
}
