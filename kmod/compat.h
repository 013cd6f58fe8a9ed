/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * compat.h - every kernel-version-dependent detail of ptwalk in one place.
 *
 * The module is built for Debian's 6.1 and must keep building on 6.12.
 * The walk code never tests a version itself; it uses the helpers below,
 * which hide: how a pte table is mapped (6.5 made pte_offset_map() take the
 * RCU read lock and return NULL when the pmd is no longer a table), the
 * largest buddy order (MAX_ORDER was exclusive until 6.4, inclusive from
 * 6.4, and renamed MAX_PAGE_ORDER in 6.8), how an entry is read once
 * and without faulting (pmdp_get() and friends are newer than 6.1), the
 * p4d level (folded into the pgd at run time when 5-level paging is off),
 * the mmap lock helpers (6.1 has mmap_read_lock_killable), and virt_to_phys(),
 * which with CONFIG_DEBUG_VIRTUAL would BUG on a vmalloc address.
 */
#ifndef PTWALK_COMPAT_H
#define PTWALK_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/io.h>

#include "arch.h"

/* Largest order alloc_pages() accepts. */
#if defined(MAX_PAGE_ORDER)
#define PTW_MAX_ORDER MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define PTW_MAX_ORDER MAX_ORDER
#else
#define PTW_MAX_ORDER (MAX_ORDER - 1)
#endif

/*
 * Read one entry once; later decisions use the copy, never the table.
 * The read cannot fault: kernel-half walks take no lock (ptwalk.h says
 * why), so a table could be freed under one, and a walk misled by what
 * such a page then holds could reach a page that the direct map does not
 * map (RAM hot-removed meanwhile, or taken out of the direct map as
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

/* True when the p4d level is real (5-level paging on this boot). */
#define ptw_p4d_real() (ptw_arch_levels() == 5)

/* Bits of a canonical virtual address: 48, or 57 with 5-level paging. */
#define ptw_va_bits() ptw_arch_va_bits()

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

#define ptw_pte_get(ptep) ptw_get(ptep)

static inline int ptw_mmap_read_lock(struct mm_struct *mm)
{
	return mmap_read_lock_killable(mm);
}

static inline void ptw_mmap_read_unlock(struct mm_struct *mm)
{
	mmap_read_unlock(mm);
}

/*
 * What virt_to_phys() answers for va.  Without CONFIG_DEBUG_VIRTUAL (as in
 * Debian) that is virt_to_phys() itself, which for a vmalloc address
 * silently returns a wrong value: the point the report makes.  With it,
 * virt_to_phys() would BUG on such an address, so the same linear formula
 * is applied without the check.
 */
static inline u64 ptw_virt_to_phys(unsigned long va)
{
#if defined(CONFIG_DEBUG_VIRTUAL) && defined(CONFIG_X86_64)
	return __phys_addr_nodebug(va);
#else
	return (u64)virt_to_phys((void *)va);
#endif
}

#endif /* PTWALK_COMPAT_H */
