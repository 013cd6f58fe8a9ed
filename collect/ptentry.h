/*
 * collect/ptentry.h - decode one x86-64 page-table entry.
 *
 * Given a level (pgd, p4d, pud, pmd, pte) and a raw 64-bit entry, say which
 * bits are set under their Intel SDM names (vol. 3A, tables 4-15 to 4-20),
 * whether the entry is a leaf, and the next table's physical address or
 * the leaf's frame; and give the index a virtual address takes at each
 * level, for 4- and 5-level paging.  Shared by analyze (the report's
 * worked walks) and pfn_ioctl --explain.  Pure arithmetic: no I/O.
 */
#ifndef PTWALK_PTENTRY_H
#define PTWALK_PTENTRY_H

#include <stddef.h>
#include <stdint.h>

enum pt_level { PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE, PT_NLEVELS };

/* Hardware bits (Intel SDM names). */
#define PTE_P    (1ULL << 0)
#define PTE_RW   (1ULL << 1)
#define PTE_US   (1ULL << 2)
#define PTE_PWT  (1ULL << 3)
#define PTE_PCD  (1ULL << 4)
#define PTE_A    (1ULL << 5)
#define PTE_D    (1ULL << 6)
#define PTE_PS   (1ULL << 7)	/* PS in a pud/pmd (and pgd/p4d: must be 0) */
#define PTE_PAT  (1ULL << 7)	/* the same bit in a pte is PAT */
#define PTE_G    (1ULL << 8)
#define PTE_PAT_LARGE (1ULL << 12)	/* PAT of a pud/pmd leaf */
#define PTE_NX   (1ULL << 63)
#define PTE_PKEY_SHIFT 59		/* bits 59-62, leaves only */
/* Software bits as Linux 6.1 uses them (arch/x86/include/asm/pgtable_types.h). */
#define PTE_SW_SPECIAL (1ULL << 9)	/* _PAGE_BIT_SOFTW1 */
#define PTE_SW_UFFD_WP (1ULL << 10)	/* _PAGE_BIT_SOFTW2 */
#define PTE_SW_SOFT_DIRTY (1ULL << 11)	/* _PAGE_BIT_SOFTW3 */
#define PTE_SW_DEVMAP  (1ULL << 58)	/* _PAGE_BIT_SOFTW4 */

/* MAXPHYADDR 52: physical-address bits 51:12. */
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

struct pt_entry {
	enum pt_level level;
	uint64_t raw;
	int present;		/* P set */
	int leaf;		/* maps a frame: a pte, or a pud/pmd with PS */
	uint64_t next_pa;	/* !leaf && present: the next table's PA */
	uint64_t frame;		/* leaf: the frame's PA, aligned to leaf_size */
	uint64_t leaf_size;	/* leaf: 4 KiB, 2 MiB or 1 GiB; else 0 */
	unsigned pkey;		/* leaf: bits 59-62 */
};

/* "pgd" .. "pte"; NULL for a level out of range. */
const char *pt_level_name(enum pt_level level);
/* 0 and *out set for "pgd" .. "pte", -1 otherwise. */
int pt_level_parse(const char *name, enum pt_level *out);

/*
 * The VA bit a level's index starts at, for paging with `levels` (4 or 5)
 * levels: 48/39/30/21/12 with 5, and 39/39/30/21/12 with 4, where the p4d
 * is folded into the pgd (p4d_offset() returns the pgd entry itself).
 * -1 for a level or a level count out of range.
 */
int pt_shift(enum pt_level level, int levels);
/* 1 when the level is folded away (the p4d under 4-level paging). */
int pt_folded(enum pt_level level, int levels);
/* (va >> shift) & 511; -1 for a level or a level count out of range. */
int pt_index(uint64_t va, enum pt_level level, int levels);

/* Decode `raw` at `level`.  -1 for a level out of range. */
int pt_decode(enum pt_level level, uint64_t raw, struct pt_entry *out);
/* The PA `va` translates to through leaf `e`: frame + (va & (size - 1)). */
uint64_t pt_leaf_pa(const struct pt_entry *e, uint64_t va);

/*
 * The set bits of `raw` at `level`, in bit order, space-separated:
 * "P RW US PWT PCD A D PS G SPECIAL UFFD_WP SOFT_DIRTY PAT DEVMAP PKEY=n NX"
 * (bit 7 prints PS in a pgd..pmd, PAT in a pte; bit 12 prints PAT in a
 * pud/pmd leaf only; PKEY only in a leaf and when non-zero).  An entry
 * without P prints "none" when zero and "not-present" otherwise.  Returns
 * the length snprintf would have written.
 */
int pt_bits_str(enum pt_level level, uint64_t raw, char *buf, size_t len);

#endif
