/*
 * tests/unit_ptentry_arm64.c - the arm64 descriptor decoder
 * (collect/ptentry_arm64.c) against cases worked out by hand from the Arm
 * ARM's stage-1 descriptor formats (D8.3, 4 KiB granule, 48-bit OA) and
 * Linux 6.1's arm64 software bits: tables and their hierarchical
 * controls, 2 MiB and 1 GiB blocks, pages, the block encoding where it is
 * reserved (levels 0 and 3), invalid and PROT_NONE entries, bits 51 and up
 * kept out of the address, and the TTBR0/TTBR1 halves.
 */
#include <stdint.h>
#include <stdio.h>

#include "harness.h"
#include "ptentry_arm64.h"

static const char *bits(enum pt_level lvl, uint64_t raw)
{
	static char buf[200];

	pt_arm64_bits_str(lvl, raw, buf, sizeof(buf));
	return buf;
}

int main(void)
{
	struct pt_entry e;
	char small[8];

	/* A user page as the guest's pid walk recorded it: 0xf43 is valid,
	 * page (bit 1), AttrIndx 0, AP 01, SH 11, AF, nG; 0x00e8 << 48 is
	 * DBM (51), PXN (53), UXN (54) and Linux's DIRTY (55). */
	pt_arm64_decode(PT_PTE, 0x00e8000044369f43ULL, &e);
	OK(e.present && e.leaf, "page: present leaf");
	INT_EQ(e.leaf_size, 4096, "page: 4 KiB");
	INT_EQ(e.frame, 0x44369000, "page: output address bits 47:12");
	INT_EQ(pt_arm64_kind(PT_PTE, 0x00e8000044369f43ULL), A64_PAGE, "page kind");
	STR_EQ(bits(PT_PTE, 0x00e8000044369f43ULL),
	       "page AttrIndx=0(NORMAL) SH=3(inner) AP=01(EL1-rw/EL0-rw) AF=1 nG=1 DBM=1 Cont=0 PXN=1 UXN=1 DIRTY",
	       "page bits");
	/* The same bits 1:0 above level 3 make a table; its address ignores
	 * bits 51 and up, which x86-64's mask (51:12) would take in. */
	pt_arm64_decode(PT_PMD, 0x00e8000044369f43ULL, &e);
	OK(e.present && !e.leaf, "0b11 at level 2: a table");
	INT_EQ(e.next_pa, 0x44369000, "table address bits 47:12");
	pt_arm64_decode(PT_PTE, 0x0008000040000003ULL, &e);
	INT_EQ(e.frame, 0x40000000, "DBM (bit 51) is not address");
	STR_EQ(bits(PT_PGD, 0x0000000041fff003ULL), "table NSTable=0 APTable=00 UXNTable=0 PXNTable=0",
	       "kernel table, no hierarchical controls");
	STR_EQ(bits(PT_PUD, 0x0800000041fff003ULL), "table NSTable=0 APTable=00 UXNTable=0 PXNTable=1",
	       "PXNTable is bit 59");
	STR_EQ(bits(PT_PUD, 0xd000000041fff003ULL), "table NSTable=1 APTable=10 UXNTable=1 PXNTable=0",
	       "NSTable 63, APTable 62:61, UXNTable 60");
	INT_EQ(pt_arm64_kind(PT_P4D, 0x41fff003ULL), A64_TABLE, "the folded p4d decodes as level 0");

	/* Blocks: 0b01 at levels 1 and 2. 0x701: SH 11, AF, AP 00. */
	pt_arm64_decode(PT_PMD, 0x0060000040200701ULL, &e);
	OK(e.present && e.leaf, "pmd block: present leaf");
	INT_EQ(e.leaf_size, 2 << 20, "pmd block: 2 MiB");
	INT_EQ(e.frame, 0x40200000, "pmd block: output address");
	INT_EQ(pt_leaf_pa(&e, 0xffff000000312345ULL), 0x40312345, "pmd block: PA = frame + va's low 21 bits");
	STR_EQ(bits(PT_PMD, 0x0060000040200701ULL),
	       "block AttrIndx=0(NORMAL) SH=3(inner) AP=00(EL1-rw/EL0-none) AF=1 nG=0 DBM=0 Cont=0 PXN=1 UXN=1",
	       "linear-map block bits");
	pt_arm64_decode(PT_PUD, 0x00600000c0000705ULL, &e);
	INT_EQ(e.leaf_size, 1 << 30, "pud block: 1 GiB");
	INT_EQ(e.frame, 0xc0000000, "pud block: output address");
	STR_EQ(bits(PT_PUD, 0x00700000c0000785ULL),
	       "block AttrIndx=1(NORMAL_TAGGED) SH=3(inner) AP=10(EL1-ro/EL0-none) AF=1 nG=0 DBM=0 Cont=1 PXN=1 UXN=1",
	       "pud block: AttrIndx 1, read-only, contiguous hint");
	STR_EQ(bits(PT_PTE, 0x0068000009000713ULL),
	       "page AttrIndx=4(DEVICE_nGnRE) SH=3(inner) AP=00(EL1-rw/EL0-none) AF=1 nG=0 DBM=1 Cont=0 PXN=1 UXN=1",
	       "device page: AttrIndx 4");
	STR_EQ(bits(PT_PTE, 0x030000000000003fULL),
	       "page AttrIndx=7(?) SH=0(non) AP=00(EL1-rw/EL0-none) AF=0 nG=0 DBM=0 Cont=0 PXN=0 UXN=0 NS SPECIAL DEVMAP",
	       "AttrIndx 7 unnamed; NS, SPECIAL (56), DEVMAP (57)");
	STR_EQ(bits(PT_PTE, 0x00000000000000c3ULL),
	       "page AttrIndx=0(NORMAL) SH=0(non) AP=11(EL1-ro/EL0-ro) AF=0 nG=0 DBM=0 Cont=0 PXN=0 UXN=0",
	       "AP 11");

	/* Reserved: a block encoding at level 0 or 3 faults. */
	pt_arm64_decode(PT_PGD, 0x0000000040000701ULL, &e);
	OK(!e.present && !e.leaf, "block at level 0: no translation");
	STR_EQ(bits(PT_PGD, 0x0000000040000701ULL), "reserved", "block at level 0 is reserved");
	pt_arm64_decode(PT_PTE, 0x0000000040000701ULL, &e);
	OK(!e.present && !e.leaf, "0b01 at level 3: no translation");
	STR_EQ(bits(PT_PTE, 0x0000000040000701ULL), "reserved", "0b01 at level 3 is reserved");

	/* Invalid entries. */
	pt_arm64_decode(PT_PTE, 0, &e);
	OK(!e.present && !e.leaf && !e.next_pa && !e.frame, "zero descriptor");
	STR_EQ(bits(PT_PTE, 0), "none", "zero prints none");
	STR_EQ(bits(PT_PMD, 0x0000000040000702ULL), "invalid", "valid bit clear");
	STR_EQ(bits(PT_PTE, 0x0440000044369f42ULL), "invalid PROT_NONE", "PROT_NONE: bit 58 without valid");
	INT_EQ(pt_arm64_decode(PT_NLEVELS, 3, &e), -1, "decode level out of range");
	INT_EQ(pt_arm64_bits_str(PT_NLEVELS, 3, small, sizeof(small)), -1, "bits level out of range");

	/* The halves: bit 55 picks TTBR1 (the kernel's table). */
	INT_EQ(pt_arm64_ttbr(0xffff000012345000ULL), 1, "linear map address: TTBR1");
	INT_EQ(pt_arm64_ttbr(0xffff800008000000ULL), 1, "vmalloc address: TTBR1");
	INT_EQ(pt_arm64_ttbr(0x0000ffffa0000000ULL), 0, "user address: TTBR0");
	STR_EQ(pt_arm64_kind_name(A64_BLOCK), "block", "kind name");
	OK(pt_arm64_kind_name((enum a64_kind)9) == NULL, "kind name out of range");

	/* Truncation: snprintf's contract. */
	INT_EQ(pt_arm64_bits_str(PT_PUD, 0x41fff003ULL, small, sizeof(small)), 48, "length without truncation");
	STR_EQ(small, "table N", "truncated output terminated");
	return harness_done();
}
