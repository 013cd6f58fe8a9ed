/*
 * collect/ptentry_arm64.h - decode one arm64 page-table descriptor.
 *
 * The arm64 twin of ptentry.h (VMSAv8-64, 4 KiB granule, 48-bit VA and PA,
 * as Debian's arm64 kernel configures it): given a level (the kernel's pgd,
 * pud, pmd, pte are the Arm ARM's levels 0 to 3; the p4d is folded into
 * the pgd) and a raw 64-bit descriptor, say whether it is a table, a block
 * (levels 1 and 2), a page (level 3), invalid or reserved, decode its
 * fields under their Arm ARM names (D8.3) and Linux 6.1's software bits,
 * and give the next table's PA or the leaf's output address.  The VA
 * indices are ptentry.h's pt_index() with 4 levels (bits 47:39, 38:30,
 * 29:21, 20:12, as on x86-64).  Shared by analyze (the report's worked
 * walk, analyze --machine aarch64) and pfn_ioctl --explain on arm64.
 * Pure arithmetic: no I/O.
 */
#ifndef PTWALK_PTENTRY_ARM64_H
#define PTWALK_PTENTRY_ARM64_H

#include <stddef.h>
#include <stdint.h>

#include "ptentry.h"

/* Descriptor fields (Arm ARM D8.3, stage 1, 4 KiB granule). */
#define A64_VALID      (1ULL << 0)
#define A64_TYPE       (1ULL << 1)	/* 1: table (levels 0-2) or page (level 3) */
#define A64_ATTRINDX_SHIFT 2		/* bits 4:2, an index into MAIR_EL1 */
#define A64_NS         (1ULL << 5)
#define A64_AP_SHIFT   6		/* bits 7:6, AP[2:1] */
#define A64_SH_SHIFT   8		/* bits 9:8 */
#define A64_AF         (1ULL << 10)
#define A64_NG         (1ULL << 11)
#define A64_DBM        (1ULL << 51)	/* Linux's PTE_WRITE */
#define A64_CONT       (1ULL << 52)
#define A64_PXN        (1ULL << 53)
#define A64_UXN        (1ULL << 54)
#define A64_PXNTABLE   (1ULL << 59)
#define A64_UXNTABLE   (1ULL << 60)
#define A64_APTABLE_SHIFT 61		/* bits 62:61 */
#define A64_NSTABLE    (1ULL << 63)
/* Software bits as Linux 6.1 uses them (arch/arm64/include/asm/pgtable-prot.h). */
#define A64_SW_DIRTY     (1ULL << 55)
#define A64_SW_SPECIAL   (1ULL << 56)
#define A64_SW_DEVMAP    (1ULL << 57)
#define A64_SW_PROT_NONE (1ULL << 58)	/* only with VALID clear */
/* 48-bit output and table addresses: bits 47:12. */
#define A64_ADDR_MASK  0x0000fffffffff000ULL

enum a64_kind { A64_NONE, A64_INVALID, A64_RESERVED, A64_TABLE, A64_BLOCK, A64_PAGE };

/* "none", "invalid", "reserved", "table", "block", "page". */
const char *pt_arm64_kind_name(enum a64_kind kind);
/* What the MMU makes of `raw` at `level` (PT_P4D: as the pgd, level 0). */
enum a64_kind pt_arm64_kind(enum pt_level level, uint64_t raw);

/*
 * Decode `raw` at `level` into ptentry.h's struct (present: a table, block
 * or page; leaf_size 4 KiB, 2 MiB or 1 GiB; pkey 0).  -1 for a level out
 * of range.
 */
int pt_arm64_decode(enum pt_level level, uint64_t raw, struct pt_entry *out);

/*
 * The descriptor in words, space-separated, no commas:
 *   table NSTable=0 APTable=00 UXNTable=0 PXNTable=0
 *   page|block AttrIndx=0(NORMAL) SH=3(inner) AP=01(EL1-rw/EL0-rw) AF=1 nG=1 DBM=1 Cont=0 PXN=1 UXN=1
 * a leaf followed by NS and Linux's software bits DIRTY SPECIAL DEVMAP when
 * set; AttrIndx named by Linux's MAIR_EL1 layout (0 NORMAL, 1
 * NORMAL_TAGGED, 2 NORMAL_NC, 3 DEVICE_nGnRnE, 4 DEVICE_nGnRE), SH 0 non,
 * 2 outer, 3 inner; "none" for 0, "invalid" (plus PROT_NONE when bit 58
 * is set) without the valid bit, "reserved" for a block at level 0 or 3.
 * Returns the length snprintf would have written, -1 for a bad level.
 */
int pt_arm64_bits_str(enum pt_level level, uint64_t raw, char *buf, size_t len);

/* The table a VA is translated through: 1 for TTBR1_EL1 (bit 55 set, the
 * kernel's one table), 0 for TTBR0_EL1 (the process's own pgd). */
int pt_arm64_ttbr(uint64_t va);

#endif
