/*
 * tests/unit_metrics.c - unit tests of the analyzer's pure functions:
 * analyze/metrics.c (runs, deltas, frame set, fragmentation indices),
 * the field decoders of analyze/samples.c and analyze/buddyinfo.c.
 * Expected values are worked out by hand in the comments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddyinfo.h"
#include "harness.h"
#include "metrics.h"
#include "samples.h"

static void test_basic(void)
{
	INT_EQ(metrics_order(1), 0, "order of 1");
	INT_EQ(metrics_order(2), 1, "order of 2");
	INT_EQ(metrics_order(3), 1, "order of 3");
	INT_EQ(metrics_order(512), 9, "order of 512");
	INT_EQ(metrics_order(262143), 17, "order of 2^18-1");
	INT_EQ(metrics_order(UINT64_MAX), 63, "order of 2^64-1");
	OK(metrics_mean_run(4, 3) > 1.3333 && metrics_mean_run(4, 3) < 1.3334, "mean_run 4/3");
	OK(metrics_mean_run(0, 0) == 0.0, "mean_run 0 when no runs");
	OK(metrics_contiguity(1, 5) == 0.25, "contiguity 1/4");
	OK(metrics_contiguity(0, 1) == 1.0, "contiguity 1 for one page");
	OK(metrics_contiguity(0, 0) == 1.0, "contiguity 1 for no page");
}

static void test_deltas(void)
{
	char label[16];
	int64_t lo, hi;

	INT_EQ(metrics_delta_bucket(0, 1), DELTA_ABSENT, "delta absent");
	INT_EQ(metrics_delta_bucket(1, 0), DELTA_ZERO, "delta 0");
	INT_EQ(metrics_delta_bucket(1, 1), DELTA_POS, "delta +1");
	INT_EQ(metrics_delta_bucket(1, 200), DELTA_POS + 7, "delta +200 in +2^7");
	INT_EQ(metrics_delta_bucket(1, -1), DELTA_NEG, "delta -1");
	INT_EQ(metrics_delta_bucket(1, -131074), DELTA_NEG + 17, "delta -131074 in -2^17");
	INT_EQ(metrics_delta_bucket(1, INT64_MIN), DELTA_NEG + 63, "delta INT64_MIN");
	metrics_delta_range(DELTA_POS + 7, label, sizeof(label), &lo, &hi);
	STR_EQ(label, "+2^7", "label +2^7");
	INT_EQ(lo, 128, "+2^7 lo");
	INT_EQ(hi, 255, "+2^7 hi");
	metrics_delta_range(DELTA_NEG + 17, label, sizeof(label), &lo, &hi);
	STR_EQ(label, "-2^17", "label -2^17");
	INT_EQ(lo, -262143, "-2^17 lo");
	INT_EQ(hi, -131072, "-2^17 hi");
	metrics_delta_range(DELTA_NEG, label, sizeof(label), &lo, &hi);
	STR_EQ(label, "-1", "label -1");
	INT_EQ(lo, -1, "-1 lo");
	metrics_delta_range(DELTA_ABSENT, label, sizeof(label), &lo, &hi);
	STR_EQ(label, "absent", "label absent");
}

static void test_frameset(void)
{
	struct frameset s;
	uint64_t i;
	int fresh = 0, dup = 0;

	frameset_init(&s);
	/* 5000 distinct keys force three doublings of the table. */
	for (i = 0; i < 5000; i++)
		fresh += frameset_add(&s, i * 7919) == 1;
	for (i = 0; i < 5000; i++)
		dup += frameset_add(&s, i * 7919) == 0;
	INT_EQ(fresh, 5000, "frameset 5000 new keys");
	INT_EQ(dup, 5000, "frameset finds them all after growing");
	INT_EQ(s.count, 5000, "frameset count");
	frameset_clear(&s);
	INT_EQ(s.count, 0, "frameset clear");
	INT_EQ(frameset_add(&s, 7919), 1, "frameset key new again after clear");
	INT_EQ(frameset_add(&s, 0), 1, "frameset key 0");
	frameset_free(&s);
}

static struct sample_row row(uint64_t page, long pfn)
{
	struct sample_row r;

	memset(&r, 0, sizeof(r));
	r.page = page;
	if (pfn >= 0) {
		r.pa = r.pa_pagemap = (uint64_t)pfn << 12;
		r.has = PTW_HAS_PA | PTW_HAS_PAGEMAP;
	}
	return r;
}

static void test_group(void)
{
	/* pfns 256 257 - 512 511 | then a page gap: 9 -> 513 */
	static const long pfn[] = { 256, 257, -1, 512, 511 };
	struct frameset fs;
	struct groupbuf gb = { 0 };
	struct group_metrics g;
	struct sample_row r;
	unsigned int i;

	frameset_init(&fs);
	group_metrics_begin(&g, &fs, &gb);
	for (i = 0; i < 5; i++) {
		r = row(i, pfn[i]);
		group_metrics_add(&g, &r);
	}
	r = row(9, 512);                /* pa contiguous, page is not: no pair */
	group_metrics_add(&g, &r);
	group_metrics_end(&g);
	INT_EQ(g.pages, 6, "group pages");
	INT_EQ(g.present, 5, "group present");
	INT_EQ(g.pairs, 1, "group pairs (page gap is no pair)");
	INT_EQ(g.runs, 4, "group runs = present - pairs");
	INT_EQ(g.largest_run, 2, "group largest run");
	INT_EQ(g.run_count[0], 3, "runhist order 0 runs");
	INT_EQ(g.run_count[1], 1, "runhist order 1 runs");
	INT_EQ(g.run_pages[1], 2, "runhist order 1 pages");
	INT_EQ(group_metrics_span_pages(&g), 256, "group span 512-256");
	INT_EQ(g.frames_2m, 2, "group 2 MiB frames (0 and 1)");
	INT_EQ(g.delta[DELTA_POS], 2, "deltas +1 (257, 512 after 511)");
	INT_EQ(g.delta[DELTA_NEG], 1, "deltas -1");
	INT_EQ(g.delta[DELTA_ABSENT], 2, "deltas absent");

	/* Mismatches: v2p vs walk, walk vs pagemap; unset columns never count. */
	group_metrics_begin(&g, &fs, &gb);
	r = row(0, 100);
	r.pa_walk = r.pa; r.pa_v2p = r.pa + 4096;
	r.has |= PTW_HAS_WALK | PTW_HAS_V2P;
	group_metrics_add(&g, &r);
	r = row(1, 101);
	r.pa_walk = r.pa + 4096;
	r.has |= PTW_HAS_WALK;
	group_metrics_add(&g, &r);
	r = row(2, 102);
	r.pa_v2p = 0;                   /* set to 0 but not marked: not counted */
	group_metrics_add(&g, &r);
	group_metrics_end(&g);
	INT_EQ(g.v2p_mismatch, 1, "v2p mismatch");
	INT_EQ(g.walk_mismatch, 1, "walk mismatch");
	INT_EQ(g.runs, 1, "three contiguous pages, one run");
	INT_EQ(g.largest_run, 3, "largest run 3");

	/* No page present. */
	group_metrics_begin(&g, &fs, &gb);
	r = row(0, -1);
	group_metrics_add(&g, &r);
	group_metrics_end(&g);
	INT_EQ(g.runs, 0, "absent page: no run");
	INT_EQ(group_metrics_span_pages(&g), 0, "absent page: span 0");
	INT_EQ(g.frames_2m, 0, "absent page: no frame");
	frameset_free(&fs);
	groupbuf_free(&gb);
}

static void test_frag(void)
{
	/* DMA32 of the golden before snapshot: 5 4 3 2 1 0... */
	const uint64_t z[11] = { 5, 4, 3, 2, 1 };
	/* one free block of order 2 and nothing else */
	const uint64_t one[11] = { 0, 0, 1 };
	const uint64_t none[11] = { 0 };
	struct contig_info ci;
	char buf[16];

	metrics_contig_info(z, 11, 1, &ci);
	INT_EQ(ci.free_pages, 57, "free pages 5+8+12+16+16");
	INT_EQ(ci.blocks_total, 15, "blocks total");
	INT_EQ(ci.blocks_suitable, 26, "suitable for order 1: 4+6+8+8");
	INT_EQ(metrics_unusable_index(1, &ci), 87, "unusable(1) = 5000/57 truncated");
	INT_EQ(metrics_frag_index(1, &ci), -1000, "frag -1000 when a block fits");
	metrics_contig_info(z, 11, 5, &ci);
	INT_EQ(metrics_unusable_index(5, &ci), 1000, "unusable(5) = 1");
	/* 1000 - (1000 + 57000/32) / 15 = 1000 - 2781/15 = 815 */
	INT_EQ(metrics_frag_index(5, &ci), 815, "frag(5) = 0.815");
	metrics_contig_info(one, 11, 3, &ci);
	/* 1000 - (1000 + 4000/8) / 1 = -500, which debugfs prints 0.-500 */
	INT_EQ(metrics_frag_index(3, &ci), -500, "frag(3) of one order-2 block");
	metrics_fmt_index(buf, sizeof(buf), -500, 0);
	STR_EQ(buf, "0.-500", "format -500 as the kernel does");
	metrics_fmt_index(buf, sizeof(buf), -1000, 1);
	STR_EQ(buf, "-1.000", "format -1000 width 2");
	metrics_fmt_index(buf, sizeof(buf), 7, 1);
	STR_EQ(buf, " 0.007", "format 7 width 2");
	metrics_contig_info(none, 11, 0, &ci);
	INT_EQ(metrics_unusable_index(0, &ci), 1000, "unusable 1 with no free page");
	INT_EQ(metrics_frag_index(0, &ci), 0, "frag 0 with no free block");
}

static void test_decoders(void)
{
	uint64_t v = 0;
	uint32_t f = 0, l = 9;
	int i, bad = 0;
	char s[19];

	OK(samples_parse_hex("0x0123456789abcdef", 18, &v) == 0 &&
	   v == 0x0123456789abcdefULL, "hex all digits");
	OK(samples_parse_hex("0xffffffffffffffff", 18, &v) == 0 && v == UINT64_MAX, "hex max");
	OK(samples_parse_hex("0x00000000000000AB", 18, &v) < 0, "hex upper case refused");
	OK(samples_parse_hex("0x0000000000001", 15, &v) < 0, "hex short refused");
	OK(samples_parse_hex("1x0000000000000000", 18, &v) < 0, "hex prefix");
	/* Every byte value in every position: only 0-9a-f may pass. */
	for (i = 0; i < 256 * 16; i++) {
		int c = i % 256, pos = 2 + i / 256;
		int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');

		memcpy(s, "0x0000000000000000", 19);
		s[pos] = (char)c;
		if ((samples_parse_hex(s, 18, &v) == 0) != ok ||
		    (ok && v != (uint64_t)strtoull(s, NULL, 16)))
			bad++;
	}
	INT_EQ(bad, 0, "hex: each byte value at each position");
	OK(samples_parse_dec("18446744073709551615", 20, &v) == 0 && v == UINT64_MAX, "dec max");
	OK(samples_parse_dec("18446744073709551616", 20, &v) < 0, "dec overflow");
	OK(samples_parse_dec("", 0, &v) < 0, "dec empty");
	OK(samples_parse_dec("12a", 3, &v) < 0, "dec letter");
	OK(samples_parse_flags("present|exclusive|thp", 21, &f) == 0 &&
	   f == (PTW_F_PRESENT | PTW_F_EXCLUSIVE | PTW_F_THP), "flags three words");
	for (i = 0; i < PTW_NFLAGS; i++)
		if (samples_parse_flags(ptw_flag_names[i], strlen(ptw_flag_names[i]), &f) ||
		    f != 1u << i)
			bad++;
	INT_EQ(bad, 0, "flags: every name of ptwalk_csv.h");
	OK(samples_parse_flags("", 0, &f) == 0 && f == 0, "flags empty");
	OK(samples_parse_flags("present|", 8, &f) < 0, "flags trailing bar");
	OK(samples_parse_flags("presents", 8, &f) < 0, "flags unknown word");
	OK(samples_parse_level("pmd", 3, &l) == 0 && l == PTW_LVL_PMD, "level pmd");
	OK(samples_parse_level("", 0, &l) == 0 && l == PTW_LVL_NONE, "level empty");
	OK(samples_parse_level("pgd", 3, &l) < 0, "level pgd refused");
}

static void test_buddyinfo(void)
{
	struct buddy_zone z;
	char phase[BUDDY_PHASE_MAX];

	OK(buddyinfo_parse_line("Node 1, zone   Normal    731    412 150 ", &z) == 0,
	   "buddyinfo line parses");
	INT_EQ(z.node, 1, "buddyinfo node");
	STR_EQ(z.zone, "Normal", "buddyinfo zone name");
	INT_EQ(z.norders, 3, "buddyinfo orders");
	INT_EQ(z.nr_free[1], 412, "buddyinfo order 1 count");
	OK(buddyinfo_parse_line("Node 0, zone DMA", &z) < 0, "buddyinfo no counts");
	OK(buddyinfo_parse_line("Node 0 zone DMA 1", &z) < 0, "buddyinfo no comma");
	OK(buddyinfo_parse_line("Node 0, zone DMA 1 -2", &z) < 0, "buddyinfo negative");
	INT_EQ(buddyinfo_phase("out/buddyinfo.before.txt", phase, sizeof(phase)), 1,
	       "snapshot name");
	STR_EQ(phase, "before", "snapshot phase");
	INT_EQ(buddyinfo_phase("samples.csv", phase, sizeof(phase)), 0, "not a snapshot");
	INT_EQ(buddyinfo_phase("buddyinfo.a,b.txt", phase, sizeof(phase)), -1, "bad phase");
	INT_EQ(buddyinfo_phase("buddyinfo..txt", phase, sizeof(phase)), -1, "empty phase");
}

int main(void)
{
	test_basic();
	test_deltas();
	test_frameset();
	test_group();
	test_frag();
	test_decoders();
	test_buddyinfo();
	return harness_done();
}
