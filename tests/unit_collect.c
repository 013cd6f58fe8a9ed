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
}

/* Field col (0-based) of a CSV line, into out; "" past the end. */
static const char *csv_field(const char *line, int col, char *out, size_t n)
{
	size_t len;

	while (col-- > 0 && (line = strchr(line, ',')))
		line++;
	if (!line)
		line = "";
	len = strcspn(line, ",\n");
	if (len >= n)
		len = n - 1;
	memcpy(out, line, len);
	out[len] = '\0';
	return out;
}

/*
 * The header, the column indices and the formatter agree: one list
 * (PTW_CSV_COLUMNS) makes the first two, the formatter writes by hand, so
 * each value of a row whose values all differ must stand under its own
 * column name.  (The header's exact text is held to the golden files by
 * t_analyze.sh, through analyze --schema.)
 */
static void test_schema(void)
{
	static const struct { int col; const char *name, *value; } want[] = {
		{ PTW_COL_SOURCE, "source", "kernel" },
		{ PTW_COL_ALLOCATOR, "allocator", "vmalloc" },
		{ PTW_COL_SIZE, "size_bytes", "11" },
		{ PTW_COL_SAMPLE, "sample", "12" },
		{ PTW_COL_PAGE, "page", "13" },
		{ PTW_COL_VA, "va", "0x0000000000000001" },
		{ PTW_COL_PA, "pa", "0x0000000000000002" },
		{ PTW_COL_PA_PAGEMAP, "pa_pagemap", "0x0000000000000003" },
		{ PTW_COL_PA_WALK, "pa_walk", "0x0000000000000004" },
		{ PTW_COL_PA_V2P, "pa_v2p", "0x0000000000000005" },
		{ PTW_COL_LEVEL, "level", "pmd" },
		{ PTW_COL_FLAGS, "flags", "thp" },
		{ PTW_COL_PGD_SLOT, "pgd_slot", "0x0000000000000006" },
		{ PTW_COL_PGD, "pgd", "0x0000000000000007" },
		{ PTW_COL_P4D, "p4d", "0x0000000000000008" },
		{ PTW_COL_PUD, "pud", "0x0000000000000009" },
		{ PTW_COL_PMD, "pmd", "0x000000000000000a" },
		{ PTW_COL_PTE, "pte", "0x000000000000000b" },
	};
	char buf[PTW_ROW_MAX + 1], f[64], name[96];
	struct ptw_row r = {
		.source = "kernel", .allocator = "vmalloc", .size_bytes = 11,
		.sample = 12, .page = 13, .va = 1, .pa = 2, .pa_pagemap = 3,
		.pa_walk = 4, .pa_v2p = 5, .pgd_slot = 6,
		.entry = { 7, 8, 9, 10, 11 }, .has = 0x3f, .flags = PTW_F_THP,
		.level = PTW_LVL_PMD,
	};
	const char *h = PTW_CSV_HEADER, *nl = strchr(h, '\n');
	unsigned int i, commas = 0, ordered = 1;

	INT_EQ(PTW_CSV_NCOLS, 18, "schema: 18 columns");
	INT_EQ(sizeof(want) / sizeof(want[0]), PTW_CSV_NCOLS, "schema: every column checked");
	for (i = 0; h[i]; i++)
		commas += h[i] == ',';
	INT_EQ(commas, PTW_CSV_NCOLS - 1, "schema: header has NCOLS - 1 commas");
	OK(nl && nl[1] == '\0', "schema: header ends in its only newline");
	buf[ptw_row_format(buf, &r)] = '\0';
	for (i = 0; i < PTW_CSV_NCOLS; i++)
		ordered &= want[i].col == (int)i;
	OK(ordered, "schema: PTW_COL_* in header order");
	for (i = 0; i < PTW_CSV_NCOLS; i++) {
		snprintf(name, sizeof(name), "schema: header column %u is %s", i, want[i].name);
		STR_EQ(csv_field(h, want[i].col, f, sizeof(f)), want[i].name, name);
		snprintf(name, sizeof(name), "schema: the row's %s is under its name", want[i].name);
		STR_EQ(csv_field(buf, want[i].col, f, sizeof(f)), want[i].value, name);
	}
}

int main(void)
{
	test_schema();
	test_size();
	test_decode();
	test_row();
	return harness_done();
}
