/*
 * collect/ptentry.c - decode one x86-64 page-table entry: its bits under
 * their Intel SDM names, leaf or table, the next table's PA or the leaf
 * frame, and a VA's index at each level.  See ptentry.h.
 */
#include <stdio.h>
#include <string.h>

#include "ptentry.h"

static const char *const level_names[PT_NLEVELS] = { "pgd", "p4d", "pud", "pmd", "pte" };

const char *pt_level_name(enum pt_level level)
{
	return (unsigned)level < PT_NLEVELS ? level_names[level] : NULL;
}

int pt_level_parse(const char *name, enum pt_level *out)
{
	int i;

	for (i = 0; name && i < PT_NLEVELS; i++)
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum pt_level)i;
			return 0;
		}
	return -1;
}

int pt_shift(enum pt_level level, int levels)
{
	static const int shift5[PT_NLEVELS] = { 48, 39, 30, 21, 12 };

	if ((unsigned)level >= PT_NLEVELS || (levels != 4 && levels != 5))
		return -1;
	if (levels == 4 && level == PT_PGD)
		return 39;	/* the pgd takes the p4d's bits; the p4d is folded */
	return shift5[level];
}

int pt_folded(enum pt_level level, int levels)
{
	return levels == 4 && level == PT_P4D;
}

int pt_index(uint64_t va, enum pt_level level, int levels)
{
	int shift = pt_shift(level, levels);

	return shift < 0 ? -1 : (int)((va >> shift) & 511);
}

int pt_decode(enum pt_level level, uint64_t raw, struct pt_entry *out)
{
	if ((unsigned)level >= PT_NLEVELS)
		return -1;
	memset(out, 0, sizeof(*out));
	out->level = level;
	out->raw = raw;
	out->present = (raw & PTE_P) != 0;
	if (!out->present)
		return 0;
	if (level == PT_PTE)
		out->leaf_size = 1ULL << 12;
	else if (level == PT_PMD && (raw & PTE_PS))
		out->leaf_size = 1ULL << 21;
	else if (level == PT_PUD && (raw & PTE_PS))
		out->leaf_size = 1ULL << 30;
	out->leaf = out->leaf_size != 0;
	if (out->leaf) {
		/* A large leaf's low address bits hold PAT (bit 12) and
		 * reserved zeros: the alignment masks them off. */
		out->frame = raw & PTE_ADDR_MASK & ~(out->leaf_size - 1);
		out->pkey = (unsigned)((raw >> PTE_PKEY_SHIFT) & 15);
	} else {
		out->next_pa = raw & PTE_ADDR_MASK;
	}
	return 0;
}

uint64_t pt_leaf_pa(const struct pt_entry *e, uint64_t va)
{
	return e->frame + (va & (e->leaf_size - 1));
}

int pt_bits_str(enum pt_level level, uint64_t raw, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *name; int leaf_only; } names[] = {
		{ PTE_P, "P", 0 }, { PTE_RW, "RW", 0 }, { PTE_US, "US", 0 },
		{ PTE_PWT, "PWT", 0 }, { PTE_PCD, "PCD", 0 }, { PTE_A, "A", 0 },
		{ PTE_D, "D", 0 }, { PTE_PS, NULL, 0 }, { PTE_G, "G", 0 },
		{ PTE_SW_SPECIAL, "SPECIAL", 1 }, { PTE_SW_UFFD_WP, "UFFD_WP", 1 },
		{ PTE_SW_SOFT_DIRTY, "SOFT_DIRTY", 1 }, { PTE_PAT_LARGE, NULL, 1 },
		{ PTE_SW_DEVMAP, "DEVMAP", 1 },
	};
	struct pt_entry e;
	size_t i, n = 0;
	int w;

	if (len)
		buf[0] = '\0';
	if (pt_decode(level, raw, &e) < 0)
		return -1;
	if (!e.present)
		return snprintf(buf, len, "%s", raw ? "not-present" : "none");
#define PUT(...) do {							\
		w = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, \
			     "%s" __VA_ARGS__);				\
		n += (size_t)w;						\
	} while (0)
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *name = names[i].name;

		if (!(raw & names[i].bit) || (names[i].leaf_only && !e.leaf))
			continue;
		if (names[i].bit == PTE_PAT_LARGE && level == PT_PTE)
			continue;	/* bit 12 of a pte is an address bit */
		if (names[i].bit == PTE_PS)
			name = level == PT_PTE ? "PAT" : "PS";
		else if (names[i].bit == PTE_PAT_LARGE)
			name = "PAT";	/* a pud/pmd leaf's PAT */
		PUT("%s", n ? " " : "", name);
	}
	if (e.leaf && e.pkey)
		PUT("PKEY=%u", n ? " " : "", e.pkey);
	if (raw & PTE_NX)
		PUT("NX", n ? " " : "");
#undef PUT
	return (int)n;
}
