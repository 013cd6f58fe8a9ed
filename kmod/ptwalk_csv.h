/* SPDX-License-Identifier: MIT */
/*
 * ptwalk_csv.h - the samples CSV (schema 1): one row type, one formatter.
 *
 * Every producer of samples rows uses this header: the module formats rows
 * for /proc/pagetable with it, the collectors for their output files, and
 * the analyzer takes the column and flag names from it.  It is plain C with
 * no library calls, so the same inline code compiles in the kernel and in
 * user space, and it formats a row without snprintf or allocation, which
 * keeps CSV output cheap next to faulting the pages in.
 */
#ifndef PTWALK_CSV_H
#define PTWALK_CSV_H

#include <linux/types.h>

#define PTW_CSV_SCHEMA 1

/*
 * The columns, in order: the one list of them.  C(name, NAME) is called
 * for each column but the last, L(name, NAME) for the last, so that the
 * header below is one string literal (sizeof works on it, and the module
 * prints it with seq_puts).  `analyze --schema` prints it for shell
 * scripts and tests, which never write it out themselves.
 */
#define PTW_CSV_COLUMNS(C, L) \
	C(source, SOURCE) C(allocator, ALLOCATOR) C(size_bytes, SIZE) \
	C(sample, SAMPLE) C(page, PAGE) C(va, VA) C(pa, PA) \
	C(pa_pagemap, PA_PAGEMAP) C(pa_walk, PA_WALK) C(pa_v2p, PA_V2P) \
	C(level, LEVEL) C(flags, FLAGS) C(pgd_slot, PGD_SLOT) C(pgd, PGD) \
	C(p4d, P4D) C(pud, PUD) C(pmd, PMD) L(pte, PTE)

#define PTW__HDR_COL(name, NAME) #name ","
#define PTW__HDR_LAST(name, NAME) #name "\n"
#define PTW_CSV_HEADER PTW_CSV_COLUMNS(PTW__HDR_COL, PTW__HDR_LAST)

/* Column indices, in header order; PTW_CSV_NCOLS counts them. */
#define PTW__COL_ENUM(name, NAME) PTW_COL_##NAME,
enum ptw_col {
	PTW_CSV_COLUMNS(PTW__COL_ENUM, PTW__COL_ENUM)
	PTW_CSV_NCOLS
};

/* Column names, in header order (user space: the analyzer's checks). */
#define PTW__COL_NAME(name, NAME) #name,
#define PTW_CSV_COL_NAMES { PTW_CSV_COLUMNS(PTW__COL_NAME, PTW__COL_NAME) }

/* Row flags, written as |-separated words in this order. */
enum ptw_flag {
	PTW_F_PRESENT      = 1u << 0,
	PTW_F_SWAPPED      = 1u << 1,
	PTW_F_FILE         = 1u << 2,
	PTW_F_EXCLUSIVE    = 1u << 3,
	PTW_F_SOFTDIRTY    = 1u << 4,
	PTW_F_THP          = 1u << 5,
	PTW_F_HUGETLB      = 1u << 6,
	PTW_F_HIDDEN       = 1u << 7,
	PTW_F_DIRECT_MAP   = 1u << 8,
	PTW_F_VMALLOC_AREA = 1u << 9,
};
#define PTW_NFLAGS 10
static const char *const ptw_flag_names[PTW_NFLAGS] = {
	"present", "swapped", "file", "exclusive", "softdirty",
	"thp", "hugetlb", "hidden", "direct_map", "vmalloc_area",
};

/* Which optional columns a row fills; an unset one is written empty. */
enum ptw_has {
	PTW_HAS_PA       = 1u << 0,
	PTW_HAS_PAGEMAP  = 1u << 1,
	PTW_HAS_WALK     = 1u << 2,
	PTW_HAS_V2P      = 1u << 3,
	PTW_HAS_PGD_SLOT = 1u << 4,
	PTW_HAS_ENTRIES  = 1u << 5,   /* pgd..pte */
};

/* level column: 0 writes an empty field. */
enum ptw_level { PTW_LVL_NONE, PTW_LVL_PTE, PTW_LVL_PMD, PTW_LVL_PUD };
static const char *const ptw_level_names[4] = { "", "pte", "pmd", "pud" };

struct ptw_row {
	const char *source;     /* "user" or "kernel" */
	const char *allocator;  /* malloc4k, block, thp, ... (no commas) */
	__u64 size_bytes, sample, page;
	__u64 va, pa, pa_pagemap, pa_walk, pa_v2p;
	__u64 pgd_slot;
	__u64 entry[5];         /* pgd, p4d, pud, pmd, pte */
	__u32 has;              /* PTW_HAS_* */
	__u32 flags;            /* PTW_F_* */
	__u32 level;            /* enum ptw_level */
};

/* Longest row: 10 addresses of 18 chars, 3 numbers of 20, words, commas. */
#define PTW_ROW_MAX 512

static inline char *ptw__str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static inline char *ptw__dec(char *p, __u64 v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* "0x" and 16 lower-case hex digits, as the schema fixes; two a step. */
static inline char *ptw__hex(char *p, __u64 v)
{
	static const char pairs[] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
		"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
		"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
		"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
	int i;

	*p++ = '0';
	*p++ = 'x';
	for (i = 56; i >= 0; i -= 8) {
		const char *d = pairs + 2 * ((v >> i) & 0xff);

		*p++ = d[0];
		*p++ = d[1];
	}
	return p;
}

static inline char *ptw__opt_hex(char *p, int set, __u64 v)
{
	if (set)
		p = ptw__hex(p, v);
	*p++ = ',';
	return p;
}

/*
 * Write one row, newline included, into out (PTW_ROW_MAX bytes at least).
 * Returns the number of bytes written; no NUL is added.
 */
static inline unsigned int ptw_row_format(char *out, const struct ptw_row *r)
{
	char *p = out;
	int i, first = 1;

	p = ptw__str(p, r->source);     *p++ = ',';
	p = ptw__str(p, r->allocator);  *p++ = ',';
	p = ptw__dec(p, r->size_bytes); *p++ = ',';
	p = ptw__dec(p, r->sample);     *p++ = ',';
	p = ptw__dec(p, r->page);       *p++ = ',';
	p = ptw__hex(p, r->va);         *p++ = ',';
	p = ptw__opt_hex(p, r->has & PTW_HAS_PA, r->pa);
	p = ptw__opt_hex(p, r->has & PTW_HAS_PAGEMAP, r->pa_pagemap);
	p = ptw__opt_hex(p, r->has & PTW_HAS_WALK, r->pa_walk);
	p = ptw__opt_hex(p, r->has & PTW_HAS_V2P, r->pa_v2p);
	p = ptw__str(p, ptw_level_names[r->level & 3]); *p++ = ',';
	for (i = 0; i < PTW_NFLAGS; i++) {
		if (!(r->flags & (1u << i)))
			continue;
		if (!first)
			*p++ = '|';
		p = ptw__str(p, ptw_flag_names[i]);
		first = 0;
	}
	*p++ = ',';
	p = ptw__opt_hex(p, r->has & PTW_HAS_PGD_SLOT, r->pgd_slot);
	for (i = 0; i < 5; i++) {
		if (r->has & PTW_HAS_ENTRIES)
			p = ptw__hex(p, r->entry[i]);
		*p++ = i < 4 ? ',' : '\n';
	}
	return (unsigned int)(p - out);
}

#endif /* PTWALK_CSV_H */
