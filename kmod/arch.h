/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * arch.h - what the walk asks of the architecture, one file per answer:
 * arch_x86.c (x86-64, 4- or 5-level paging chosen at boot) and
 * arch_arm64.c (arm64, the levels and VA bits fixed by the kernel's
 * configuration).  Kbuild links the one that matches the kernel, so no
 * other file tests the architecture.
 */
#ifndef PTWALK_ARCH_H
#define PTWALK_ARCH_H

/* Page-table levels this boot walks (x86-64: 4 or 5; arm64: 3 or 4). */
int ptw_arch_levels(void);
/* Significant bits of a virtual address (48 or 57; arm64: VA_BITS). */
int ptw_arch_va_bits(void);

#endif /* PTWALK_ARCH_H */
