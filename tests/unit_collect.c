/*
 * tests/unit_collect.c - unit tests for size parsing, pagemap entry
 * decoding and the shared schema-1 row formatter.
 */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "pagemap.h"
#include "ptwalk_csv.h"
#include "size.h"

static void test_size(void)
{
	uint64_t v = 0, s[64];
	const char *why = "";

	INT_EQ(size_parse("4096", &v, &why), 0, "size: plain bytes parse");
	INT_EQ(v, 4096, "size: plain bytes value");
	size_parse("4K", &v, &why);
	INT_EQ(v, 4096, "size: 4K");
	size_parse("64M", &v, &why);
	INT_EQ(v, 64ULL << 20, "size: 64M");
	size_parse("1g", &v, &why);
	INT_EQ(v, 1ULL << 30, "size: 1g (lower case)");
	size_parse("2GiB", &v, &why);
	INT_EQ(v, 2ULL << 30, "size: 2GiB");
	INT_EQ(size_parse("", &v, &why), -1, "size: empty is rejected");
	INT_EQ(size_parse("abc", &v, &why), -1, "size: letters are rejected");
	STR_EQ(why, "not a number", "size: letters say why");
	INT_EQ(size_parse("12Q", &v, &why), -1, "size: unknown suffix is rejected");
	INT_EQ(size_parse("-4K", &v, &why), -1, "size: negative is rejected");
	INT_EQ(size_parse("4K5", &v, &why), -1, "size: trailing junk is rejected");
	INT_EQ(size_parse("18446744073709551616", &v, &why), -1, "size: 2^64 overflows");
	INT_EQ(size_parse("16777216T", &v, &why), -1, "size: 2^64 by suffix overflows");
	INT_EQ(size_sweep_parse("4K:64K", s, 64, &why), 5, "sweep: 4K:64K is 5 sizes");
	INT_EQ(s[4], 65536, "sweep: last size is 64K");
	INT_EQ(size_sweep_parse("4K:4K", s, 64, &why), 1, "sweep: one size");
	INT_EQ(size_sweep_parse("64K:4K", s, 64, &why), -1, "sweep: reversed is rejected");
	INT_EQ(size_sweep_parse("3K:8K", s, 64, &why), -1, "sweep: not a power of two");
	INT_EQ(size_sweep_parse("4K", s, 64, &why), -1, "sweep: missing colon");
}

static void test_decode(void)
{
	struct pm_entry e;

	pagemap_decode(PM_PRESENT | PM_MMAP_EXCLUSIVE | PM_SOFT_DIRTY | 0x12345, &e);
	OK(e.present && e.exclusive && e.soft_dirty, "decode: present, exclusive, soft-dirty");
	OK(!e.swapped && !e.file_shared && !e.uffd_wp && !e.guard, "decode: other bits clear");
	INT_EQ(e.pfn, 0x12345, "decode: PFN");
	pagemap_decode(PM_PRESENT | PM_FILE | PM_UFFD_WP | PM_GUARD_REGION | PM_PFRAME_MASK, &e);
	INT_EQ(e.pfn, (1ULL << 55) - 1, "decode: widest PFN");
	OK(e.file_shared && e.uffd_wp && e.guard, "decode: file, uffd-wp, guard");
	pagemap_decode(PM_SWAP | (0xabcULL << 5) | 7, &e);
	OK(e.swapped && !e.present, "decode: swapped");
	INT_EQ(e.swap_type, 7, "decode: swap type");
	INT_EQ(e.swap_offset, 0xabc, "decode: swap offset");
	INT_EQ(e.pfn, 0, "decode: no PFN when swapped");
	pagemap_decode(PM_PRESENT, &e);
	OK(pagemap_pfn_hidden(&e), "decode: present with PFN 0 is hidden");
	pagemap_decode(0, &e);
	OK(!pagemap_pfn_hidden(&e), "decode: not present is not hidden");
}

static void test_row(void)
{
	char buf[PTW_ROW_MAX + 1];
	struct ptw_row r;
	unsigned n;

	memset(&r, 0, sizeof(r));
	r.source = "kernel";
	r.allocator = "vmalloc";
	r.size_bytes = 1048576;
	r.sample = 2;
	r.page = 255;
	r.va = 0xffffc90000eb8000ULL;
	r.pa = r.pa_walk = 0x14e745000ULL;
	r.pa_v2p = 0x410000eb8000ULL;
	r.has = PTW_HAS_PA | PTW_HAS_WALK | PTW_HAS_V2P | PTW_HAS_PGD_SLOT | PTW_HAS_ENTRIES;
	r.flags = PTW_F_PRESENT | PTW_F_VMALLOC_AREA;
	r.level = PTW_LVL_PTE;
	r.pgd_slot = 0xffff8800a9340c90ULL;
	r.entry[0] = 0x1; r.entry[1] = 0x1; r.entry[2] = 0x2;
	r.entry[3] = 0x3; r.entry[4] = 0x800000014e745163ULL;
	n = ptw_row_format(buf, &r);
	buf[n] = '\0';
	STR_EQ(buf, "kernel,vmalloc,1048576,2,255,0xffffc90000eb8000,0x000000014e745000,,"
	       "0x000000014e745000,0x0000410000eb8000,pte,present|vmalloc_area,"
	       "0xffff8800a9340c90,0x0000000000000001,0x0000000000000001,"
	       "0x0000000000000002,0x0000000000000003,0x800000014e745163\n",
	       "row: a full kernel row");

	memset(&r, 0, sizeof(r));
	r.source = "user";
	r.allocator = "malloc4k";
	r.flags = PTW_F_HIDDEN | PTW_F_PRESENT;
	n = ptw_row_format(buf, &r);
	buf[n] = '\0';
	STR_EQ(buf, "user,malloc4k,0,0,0,0x0000000000000000,,,,,,present|hidden,,,,,,\n",
	       "row: empty columns stay empty");
	STR_EQ(PTW_CSV_HEADER, "source,allocator,size_bytes,sample,page,va,pa,pa_pagemap,pa_walk,"
	       "pa_v2p,level,flags,pgd_slot,pgd,p4d,pud,pmd,pte\n", "header: schema 1");
}

int main(void)
{
	test_size();
	test_decode();
	test_row();
	return harness_done();
}
