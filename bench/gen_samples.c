/*
 * gen_samples.c - write a synthetic samples CSV (schema 1) for the
 * analyzer's benchmark and cross-checks.
 *
 * Usage: gen_samples ROWS [GROUP_PAGES [SEED]] > FILE.  Groups of
 * GROUP_PAGES rows (default 4096) cycle through user malloc4k, block and
 * thp and kernel vmalloc, each with its own chance that a page follows
 * the previous one physically, a few pages not present and, for kernel
 * rows, an occasional virt_to_phys disagreement, so that every code path
 * of the analyzer is exercised.  Rows are formatted by ptw_row_format(),
 * as the collectors do.  Deterministic for a given seed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ptwalk_csv.h"

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 1 with probability per_mille / 1000. */
static int chance(unsigned int per_mille)
{
	return next() % 1000 < per_mille;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *source, *allocator;
		unsigned int contig, absent;    /* per mille */
	} kinds[] = {
		{ "user", "malloc4k", 100, 20 },
		{ "user", "block", 700, 5 },
		{ "user", "thp", 995, 0 },
		{ "kernel", "vmalloc", 300, 0 },
	};
	static char buf[1 << 16];
	unsigned long long rows, group, i, pfn = 0x100000;
	struct ptw_row r = { 0 };
	uint64_t v[3] = { 0, 4096, 0 };   /* ROWS, GROUP_PAGES, SEED */
	size_t used = 0;
	int a;

	for (a = 1; a < argc && a <= 3; a++)
		if (cli_parse_u64(argv[a], &v[a - 1]))
			break;
	if (argc < 2 || argc > 4 || a < argc || !(rows = v[0])) {
		fprintf(stderr, "usage: gen_samples ROWS [GROUP_PAGES [SEED]] (decimal or 0x-hex)\n");
		return 2;
	}
	group = v[1];
	rng ^= v[2] * 0x9e3779b97f4a7c15ULL;
	if (!group)
		group = 1;
	fputs(PTW_CSV_HEADER, stdout);
	for (i = 0; i < rows; i++) {
		unsigned long long g = i / group, page = i % group;
		unsigned int k = (unsigned int)(g % 4);
		int user = k < 3;

		r.source = kinds[k].source;
		r.allocator = kinds[k].allocator;
		r.size_bytes = group * 4096;
		r.sample = g / 4;
		r.page = page;
		r.va = (user ? 0x7f0000000000ULL : 0xffffc90000000000ULL) +
		       g * group * 4096 + page * 4096;
		if (page == 0 || !chance(kinds[k].contig))
			pfn = 0x1000 + next() % (1ULL << 22);
		else
			pfn++;
		r.flags = PTW_F_PRESENT;
		r.level = k == 2 ? PTW_LVL_PMD : PTW_LVL_PTE;
		r.pa = r.pa_pagemap = r.pa_walk = r.pa_v2p = pfn << 12;
		if (user) {
			r.has = PTW_HAS_PA | PTW_HAS_PAGEMAP;
			r.flags |= PTW_F_EXCLUSIVE | (k == 2 ? PTW_F_THP : 0);
			if (chance(kinds[k].absent)) {
				r.has = 0;
				r.flags = 0;
				r.level = PTW_LVL_NONE;
			}
		} else {
			r.has = PTW_HAS_PA | PTW_HAS_WALK | PTW_HAS_V2P |
				PTW_HAS_PGD_SLOT | PTW_HAS_ENTRIES;
			r.flags |= PTW_F_VMALLOC_AREA;
			if (chance(5))
				r.pa_v2p += 4096;
			r.pgd_slot = 0xffff888000001000ULL + 8 * (g % 512);
			r.entry[0] = 0x800000000a001067ULL;
			r.entry[1] = r.entry[0];
			r.entry[2] = 0x000000000a002067ULL;
			r.entry[3] = 0x000000000a003067ULL;
			r.entry[4] = 0x8000000000000163ULL | (pfn << 12);
		}
		used += ptw_row_format(buf + used, &r);
		if (used > sizeof(buf) - PTW_ROW_MAX) {
			fwrite(buf, 1, used, stdout);
			used = 0;
		}
	}
	fwrite(buf, 1, used, stdout);
	return ferror(stdout) != 0;
}
