/*
 * tests/fuzz/fuzz_row.c - libFuzzer target for pagemap_decode() and the
 * shared row formatter ptw_row_format() (kmod/ptwalk_csv.h).
 *
 * The input supplies a raw pagemap entry and the rest of a row: it is
 * decoded (collect/pagemap.c), turned into a row the way memalloc does
 * (flags from the entry, pa from the PFN, hidden for a present page
 * with PFN 0), formatted into a buffer of exactly PTW_ROW_MAX bytes on
 * the heap (so ASan sees any overrun), and read back through the
 * analyzer's reader (samples_read): one line, 18 fields, and every value
 * as it went in.  The decoder is checked bit by bit against the raw entry.
 */
#include "fuzz.h"
#include "pagemap.h"
#include "ptwalk_csv.h"
#include "samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char alloc_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";

static void check_decode(uint64_t raw, const struct pm_entry *e)
{
	FUZZ_CHECK(e->raw == raw, "raw");
	FUZZ_CHECK(e->present == !!(raw & PM_PRESENT) && e->swapped == !!(raw & PM_SWAP) &&
		   e->file_shared == !!(raw & PM_FILE) &&
		   e->exclusive == !!(raw & PM_MMAP_EXCLUSIVE) &&
		   e->soft_dirty == !!(raw & PM_SOFT_DIRTY) && e->uffd_wp == !!(raw & PM_UFFD_WP) &&
		   e->guard == !!(raw & PM_GUARD_REGION), "flag bits of %#llx", (unsigned long long)raw);
	if (e->present)
		FUZZ_CHECK(e->pfn == (raw & PM_PFRAME_MASK) && e->pfn < 1ULL << 55, "pfn");
	else
		FUZZ_CHECK(e->pfn == 0, "pfn of an absent page");
	if (!e->present && e->swapped)
		FUZZ_CHECK((e->swap_offset << PM_SWAP_TYPE_BITS | e->swap_type) ==
			   (raw & PM_PFRAME_MASK), "swap type/offset");
	FUZZ_CHECK(pagemap_pfn_hidden(e) == (e->present && e->pfn == 0), "hidden");
}

struct got {
	int rows;
	struct sample_row r;
};

static int on_row(void *ctx, const struct sample_row *r, unsigned long line,
		  struct samples_error *e)
{
	struct got *g = ctx;

	(void)line;
	(void)e;
	g->rows++;
	g->r = *r;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptw_row row = { 0 };
	struct pm_entry e;
	struct samples_error err;
	struct got got = { 0 };
	char alloc[SAMPLES_ALLOC_MAX], *buf, *file;
	uint64_t raw = fuzz_take(&data, &size, 8);
	unsigned int n, i, commas = 0, hl = sizeof(PTW_CSV_HEADER) - 1, alen;
	int k;

	pagemap_decode(raw, &e);
	check_decode(raw, &e);

	/* The rest of the row, as memalloc builds it from the entry. */
	row.source = fuzz_take(&data, &size, 1) & 1 ? "kernel" : "user";
	alen = 1 + fuzz_take(&data, &size, 1) % (SAMPLES_ALLOC_MAX - 1);
	for (i = 0; i < alen; i++)
		alloc[i] = alloc_chars[fuzz_take(&data, &size, 1) % (sizeof(alloc_chars) - 1)];
	alloc[alen] = '\0';
	row.allocator = alloc;
	row.size_bytes = fuzz_take(&data, &size, 8);
	row.sample = fuzz_take(&data, &size, 8);
	row.page = fuzz_take(&data, &size, 8);
	row.va = fuzz_take(&data, &size, 8);
	row.pa_walk = fuzz_take(&data, &size, 8);
	row.pa_v2p = fuzz_take(&data, &size, 8);
	row.pgd_slot = fuzz_take(&data, &size, 8);
	for (k = 0; k < 5; k++)
		row.entry[k] = fuzz_take(&data, &size, 8);
	row.has = (uint32_t)fuzz_take(&data, &size, 1) & (PTW_HAS_WALK | PTW_HAS_V2P |
							  PTW_HAS_PGD_SLOT | PTW_HAS_ENTRIES);
	row.level = (uint32_t)fuzz_take(&data, &size, 1);       /* formatter masks it */
	row.flags = (uint32_t)fuzz_take(&data, &size, 2) &
		    (PTW_F_THP | PTW_F_HUGETLB | PTW_F_DIRECT_MAP | PTW_F_VMALLOC_AREA);
	row.flags |= (e.present ? PTW_F_PRESENT : 0) | (e.swapped ? PTW_F_SWAPPED : 0) |
		     (e.file_shared ? PTW_F_FILE : 0) | (e.exclusive ? PTW_F_EXCLUSIVE : 0) |
		     (e.soft_dirty ? PTW_F_SOFTDIRTY : 0);
	if (pagemap_pfn_hidden(&e)) {
		row.flags |= PTW_F_HIDDEN;
	} else if (e.present) {
		row.pa = row.pa_pagemap = e.pfn << 12 | (row.va & 0xfff);
		row.has |= PTW_HAS_PA | PTW_HAS_PAGEMAP;
	}

	buf = malloc(PTW_ROW_MAX);
	if (!buf)
		abort();
	n = ptw_row_format(buf, &row);
	FUZZ_CHECK(n > 0 && n <= PTW_ROW_MAX, "%u bytes", n);
	FUZZ_CHECK(memchr(buf, '\n', n) == buf + n - 1, "not one line");
	for (i = 0; i < n; i++) {
		FUZZ_CHECK((buf[i] >= 0x20 && buf[i] < 0x7f) || i == n - 1, "byte %u", i);
		commas += buf[i] == ',';
	}
	FUZZ_CHECK(commas == PTW_CSV_NCOLS - 1, "%u fields", commas + 1);

	/* Back through the reader: header + row, as a file. */
	file = malloc(hl + n);
	if (!file)
		abort();
	memcpy(file, PTW_CSV_HEADER, hl);
	memcpy(file + hl, buf, n);
	FUZZ_CHECK(samples_read(fuzz_file((uint8_t *)file, hl + n), on_row, &got, &err) == 0,
		   "reader rejects '%.*s': line %lu: %s", (int)n - 1, buf, err.line, err.msg);
	FUZZ_CHECK(got.rows == 1, "%d rows", got.rows);
	FUZZ_CHECK(!strcmp(got.r.source, row.source) && !strcmp(got.r.allocator, row.allocator),
		   "source/allocator");
	FUZZ_CHECK(got.r.size_bytes == row.size_bytes && got.r.sample == row.sample &&
		   got.r.page == row.page && got.r.va == row.va, "numbers or va");
	FUZZ_CHECK(got.r.has == row.has && got.r.flags == row.flags &&
		   got.r.level == (row.level & 3), "has %#x/%#x flags %#x/%#x level %u/%u",
		   got.r.has, row.has, got.r.flags, row.flags, got.r.level, row.level & 3);
	FUZZ_CHECK(!(row.has & PTW_HAS_PA) || (got.r.pa == row.pa && got.r.pa_pagemap == row.pa_pagemap),
		   "pa");
	FUZZ_CHECK(!(row.has & PTW_HAS_WALK) || got.r.pa_walk == row.pa_walk, "pa_walk");
	FUZZ_CHECK(!(row.has & PTW_HAS_V2P) || got.r.pa_v2p == row.pa_v2p, "pa_v2p");
	FUZZ_CHECK(!(row.has & PTW_HAS_PGD_SLOT) || got.r.pgd_slot == row.pgd_slot, "pgd_slot");
	free(file);
	free(buf);
	return 0;
}
