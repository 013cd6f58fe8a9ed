// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * arch_arm64.c - the arm64 answers to arch.h: the number of levels is the
 * kernel's CONFIG_PGTABLE_LEVELS (Debian: 4, with 4 KiB pages and 48-bit
 * VAs), and the VA width is vabits_actual (VA_BITS, unless a 52-bit
 * kernel runs on a CPU without LVA).  User addresses (TTBR0) have the top
 * bits clear, kernel ones (TTBR1) set, so the sign-extension test for a
 * canonical address holds as on x86-64.
 */
#include <linux/pgtable.h>
#include <asm/memory.h>

#include "arch.h"

int ptw_arch_levels(void)
{
	return CONFIG_PGTABLE_LEVELS;
}

int ptw_arch_va_bits(void)
{
	return vabits_actual;
}
