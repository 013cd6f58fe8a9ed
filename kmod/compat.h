/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * compat.h - what differs between the kernels ptwalk builds for, and
 * nothing else.
 *
 * The module is built for Debian's 6.1 and must keep building on 6.12.
 * Two things changed between them: the largest buddy order (MAX_ORDER was
 * exclusive until 6.4, inclusive from 6.4, and renamed MAX_PAGE_ORDER in
 * 6.8), and how a pte table is mapped (6.5 made pte_offset_map() take the
 * RCU read lock and return NULL when the pmd is no longer a table).  The
 * rest of the module calls the kernel's API directly.  Only x86-64 and
 * arm64 are supported (arch.h): any other architecture stops here.
 */
#ifndef PTWALK_COMPAT_H
#define PTWALK_COMPAT_H

#if !defined(CONFIG_X86_64) && !defined(CONFIG_ARM64)
#error "ptwalk supports x86-64 and arm64 only (kmod/arch_x86.c, kmod/arch_arm64.c)"
#endif

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>

#include "ptwalk.h"

/* Largest order alloc_pages() accepts. */
#if defined(MAX_PAGE_ORDER)
#define PTW_MAX_ORDER MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define PTW_MAX_ORDER MAX_ORDER
#else
#define PTW_MAX_ORDER (MAX_ORDER - 1)
#endif

/*
 * Map the pte table under the pmd *pmdp whose value the caller read into
 * *pmdv; NULL when it is gone.  Pair with ptw_pte_unmap().  Up to 6.4 a
 * pte table only goes away under the mmap write lock, which the caller
 * excludes, and pte_offset_map() of the copy is enough.  From 6.5 a table
 * can be retracted under only the mmap read lock and is freed after an
 * RCU grace period (which is why pte_offset_map() changed); its helper
 * __pte_offset_map() is not exported, so the same is done here: enter the
 * RCU read section, check the pmd still holds the table, map it.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
static inline pte_t *ptw_pte_map(pmd_t *pmdp, pmd_t *pmdv, unsigned long addr)
{
	return pte_offset_map(pmdv, addr);
}

static inline void ptw_pte_unmap(pte_t *ptep)
{
	pte_unmap(ptep);
}
#else
static inline pte_t *ptw_pte_map(pmd_t *pmdp, pmd_t *pmdv, unsigned long addr)
{
	rcu_read_lock();
	if (pmd_val(ptw_get(pmdp)) != pmd_val(*pmdv)) {
		rcu_read_unlock();
		return NULL;
	}
	return pte_offset_kernel(pmdv, addr);
}

static inline void ptw_pte_unmap(pte_t *ptep)
{
	rcu_read_unlock();
}
#endif

#endif /* PTWALK_COMPAT_H */
