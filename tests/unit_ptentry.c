/*
 * tests/unit_ptentry.c - the x86-64 page-table-entry decoder
 * (collect/ptentry.c) against cases computed by hand from the Intel SDM's
 * entry formats: VA indices under 4- and 5-level paging, table entries,
 * 2 MiB and 1 GiB leaves (PS, and PAT in bit 12), a pte's bit 7 as PAT,
 * protection keys, Linux's software bits, MAXPHYADDR 52, absent entries.
 */
#include <stdint.h>
#include <stdio.h>

#include "harness.h"
#include "ptentry.h"

static const char *bits(enum pt_level lvl, uint64_t raw)
{
	static char buf[160];

	pt_bits_str(lvl, raw, buf, sizeof(buf));
	return buf;
}

int main(void)
{
	const uint64_t kva = 0xffff888001234567ULL;	/* page_offset_base + 0x1234567 */
	const uint64_t uva = 0x7f1234567000ULL;
	struct pt_entry e;
	enum pt_level lvl;
	char small[4];

	/* Indices: 0xffff888000000000 is pgd slot 273 (bits 47:39 = 1_0001_0001). */
	INT_EQ(pt_index(kva, PT_PGD, 4), 273, "kva pgd index 4-level");
	INT_EQ(pt_index(kva, PT_P4D, 4), 273, "kva p4d folded onto the pgd's bits");
	INT_EQ(pt_index(kva, PT_PUD, 4), 0, "kva pud index");
	INT_EQ(pt_index(kva, PT_PMD, 4), 9, "kva pmd index (0x1234567 >> 21)");
	INT_EQ(pt_index(kva, PT_PTE, 4), 0x34, "kva pte index (0x1234 & 511)");
	INT_EQ(pt_index(kva, PT_PGD, 5), 511, "kva pgd index 5-level (bits 56:48)");
	INT_EQ(pt_index(kva, PT_P4D, 5), 273, "kva p4d index 5-level");
	INT_EQ(pt_index(uva, PT_PGD, 4), 254, "uva pgd index 011111110");
	INT_EQ(pt_index(uva, PT_PUD, 4), 72, "uva pud index 001001000");
	INT_EQ(pt_index(uva, PT_PMD, 4), 418, "uva pmd index 110100010");
	INT_EQ(pt_index(uva, PT_PTE, 4), 359, "uva pte index 101100111");
	INT_EQ(pt_shift(PT_PGD, 5), 48, "pgd shift 5-level");
	INT_EQ(pt_shift(PT_PGD, 4), 39, "pgd shift 4-level");
	INT_EQ(pt_shift(PT_PMD, 3), -1, "3 levels refused");
	INT_EQ(pt_index(uva, PT_NLEVELS, 4), -1, "level out of range refused");
	INT_EQ(pt_folded(PT_P4D, 4), 1, "p4d folded under 4-level");
	INT_EQ(pt_folded(PT_P4D, 5), 0, "p4d real under 5-level");
	INT_EQ(pt_folded(PT_PGD, 4), 0, "pgd never folded");

	/* Level names. */
	INT_EQ(pt_level_parse("pmd", &lvl), 0, "parse pmd");
	INT_EQ(lvl, PT_PMD, "parse pmd value");
	INT_EQ(pt_level_parse("PMD", &lvl), -1, "parse is case-sensitive");
	INT_EQ(pt_level_parse("pxd", &lvl), -1, "parse rejects pxd");
	STR_EQ(pt_level_name(PT_P4D), "p4d", "name p4d");
	OK(pt_level_name(PT_NLEVELS) == NULL, "name out of range");

	/* A pgd table entry (_PAGE_TABLE = P RW US A D). */
	pt_decode(PT_PGD, 0x0000000001a0d067ULL, &e);
	OK(e.present && !e.leaf, "pgd table entry is no leaf");
	INT_EQ(e.next_pa, 0x1a0d000, "pgd next table PA");
	STR_EQ(bits(PT_PGD, 0x0000000001a0d067ULL), "P RW US A D", "pgd bits");
	/* bit 7 in a pgd is PS (must be 0): named, and still no leaf. */
	pt_decode(PT_PGD, 0x0000000001a0d0e3ULL, &e);
	OK(!e.leaf, "pgd with PS is not a leaf");
	STR_EQ(bits(PT_PGD, 0x0000000001a0d0e3ULL), "P RW A D PS", "pgd bit 7 named PS");

	/* A 2 MiB direct-map leaf: 0xe3 = P RW A D PS, 0x100 = G, NX. */
	pt_decode(PT_PMD, 0x80000000026001e3ULL, &e);
	OK(e.leaf, "pmd with PS is a leaf");
	INT_EQ(e.leaf_size, 2 << 20, "pmd leaf size");
	INT_EQ(e.frame, 0x2600000, "pmd leaf frame");
	INT_EQ(pt_leaf_pa(&e, 0xffff888002654321ULL), 0x2654321, "pmd leaf PA");
	STR_EQ(bits(PT_PMD, 0x80000000026001e3ULL), "P RW A D PS G NX", "pmd leaf bits");
	/* Bit 12 of a pmd leaf is PAT, not an address bit. */
	pt_decode(PT_PMD, 0x0000000002601083ULL, &e);
	INT_EQ(e.frame, 0x2600000, "pmd leaf frame masks PAT bit 12");
	STR_EQ(bits(PT_PMD, 0x0000000002601083ULL), "P RW PS PAT", "pmd leaf bit 12 is PAT");
	/* A pmd table entry: bit 12 is an address bit, no PAT. */
	pt_decode(PT_PMD, 0x0000000002601063ULL, &e);
	OK(!e.leaf, "pmd without PS is a table");
	INT_EQ(e.next_pa, 0x2601000, "pmd table keeps bit 12");
	STR_EQ(bits(PT_PMD, 0x0000000002601063ULL), "P RW A D", "pmd table bits");

	/* A 1 GiB leaf and a pud table. */
	pt_decode(PT_PUD, 0x00000000c00000e3ULL, &e);
	OK(e.leaf, "pud with PS is a leaf");
	INT_EQ(e.leaf_size, 1 << 30, "pud leaf size");
	INT_EQ(e.frame, 0xc0000000, "pud leaf frame");
	INT_EQ(pt_leaf_pa(&e, 0xffff8880c1234567ULL), 0xc1234567, "pud leaf PA");
	pt_decode(PT_PUD, 0x0000000003456067ULL, &e);
	OK(!e.leaf && e.next_pa == 0x3456000, "pud table");

	/* A pte: bit 7 is PAT; bit 11 is Linux's soft-dirty; bit 12 is address. */
	pt_decode(PT_PTE, 0x8000000012345987ULL, &e);
	OK(e.leaf, "pte is a leaf");
	INT_EQ(e.frame, 0x12345000, "pte frame");
	INT_EQ(pt_leaf_pa(&e, uva + 0xabc), 0x12345abc, "pte PA");
	STR_EQ(bits(PT_PTE, 0x8000000012345987ULL), "P RW US PAT G SOFT_DIRTY NX", "pte bits, bit 7 PAT");
	STR_EQ(bits(PT_PTE, 0x0000000012346001ULL), "P", "pte bit 12 is no PAT");
	pt_decode(PT_PTE, 0x0000000012346001ULL, &e);
	INT_EQ(e.frame, 0x12346000, "pte frame keeps bit 12");
	STR_EQ(bits(PT_PTE, 0x0400000000005603ULL), "P RW SPECIAL UFFD_WP DEVMAP", "pte software bits");

	/* Protection keys: bits 59-62, in leaves only. */
	pt_decode(PT_PTE, 0x3000000000001025ULL, &e);
	INT_EQ(e.pkey, 6, "pte pkey 6");
	INT_EQ(e.frame, 0x1000, "pkey bits are not address");
	STR_EQ(bits(PT_PTE, 0x3000000000001025ULL), "P US A PKEY=6", "pte pkey bits");
	pt_decode(PT_PMD, 0x3000000000001067ULL, &e);
	INT_EQ(e.next_pa, 0x1000, "pmd table: bits 59-62 not address");
	STR_EQ(bits(PT_PMD, 0x3000000000001067ULL), "P RW US A D", "no PKEY in a table entry");

	/* MAXPHYADDR 52: bits 51:12 are address, 52 and up are not. */
	pt_decode(PT_PTE, 0x000ffffffffff001ULL, &e);
	INT_EQ(e.frame, 0xffffffffff000, "pte frame bits 51:12");
	pt_decode(PT_PTE, 0x0010000000000001ULL, &e);
	INT_EQ(e.frame, 0, "bit 52 is not address");

	/* Absent entries. */
	pt_decode(PT_PTE, 0, &e);
	OK(!e.present && !e.leaf && e.next_pa == 0, "zero pte");
	STR_EQ(bits(PT_PTE, 0), "none", "zero entry prints none");
	STR_EQ(bits(PT_PMD, 0x12345000ULL), "not-present", "non-zero absent entry");
	INT_EQ(pt_decode(PT_NLEVELS, 1, &e), -1, "decode level out of range");

	/* Truncation: snprintf's contract. */
	INT_EQ(pt_bits_str(PT_PGD, 0x67, small, sizeof(small)), 11, "length without truncation");
	STR_EQ(small, "P R", "truncated output terminated");
	return harness_done();
}
