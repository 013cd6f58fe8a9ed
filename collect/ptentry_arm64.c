/*
 * collect/ptentry_arm64.c - decode one arm64 page-table descriptor: table,
 * block, page, invalid or reserved, its fields under their Arm ARM names,
 * and the next table's PA or the leaf's output address.  See
 * ptentry_arm64.h.
 */
#include <stdio.h>
#include <string.h>

#include "ptentry_arm64.h"

static const char *const kind_names[] = { "none", "invalid", "reserved", "table", "block", "page" };

const char *pt_arm64_kind_name(enum a64_kind kind)
{
	return (unsigned)kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : NULL;
}

enum a64_kind pt_arm64_kind(enum pt_level level, uint64_t raw)
{
	if (!raw)
		return A64_NONE;
	if (!(raw & A64_VALID))
		return A64_INVALID;
	if (raw & A64_TYPE)
		return level == PT_PTE ? A64_PAGE : A64_TABLE;
	/* 0b01: a block at levels 1 (pud) and 2 (pmd) only. */
	return level == PT_PUD || level == PT_PMD ? A64_BLOCK : A64_RESERVED;
}

int pt_arm64_decode(enum pt_level level, uint64_t raw, struct pt_entry *out)
{
	enum a64_kind kind;

	if ((unsigned)level >= PT_NLEVELS)
		return -1;
	memset(out, 0, sizeof(*out));
	out->level = level;
	out->raw = raw;
	kind = pt_arm64_kind(level, raw);
	out->present = kind == A64_TABLE || kind == A64_BLOCK || kind == A64_PAGE;
	if (kind == A64_PAGE)
		out->leaf_size = 1ULL << 12;
	else if (kind == A64_BLOCK)
		out->leaf_size = level == PT_PMD ? 1ULL << 21 : 1ULL << 30;
	out->leaf = out->leaf_size != 0;
	if (out->leaf)
		out->frame = raw & A64_ADDR_MASK & ~(out->leaf_size - 1);
	else if (out->present)
		out->next_pa = raw & A64_ADDR_MASK;
	return 0;
}

int pt_arm64_bits_str(enum pt_level level, uint64_t raw, char *buf, size_t len)
{
	static const char *const attr[] = { "NORMAL", "NORMAL_TAGGED", "NORMAL_NC",
					    "DEVICE_nGnRnE", "DEVICE_nGnRE" };
	static const char *const sh[] = { "non", "reserved", "outer", "inner" };
	static const char *const ap[] = { "EL1-rw/EL0-none", "EL1-rw/EL0-rw",
					  "EL1-ro/EL0-none", "EL1-ro/EL0-ro" };
	enum a64_kind kind;
	unsigned ai, a;

	if (len)
		buf[0] = '\0';
	if ((unsigned)level >= PT_NLEVELS)
		return -1;
	kind = pt_arm64_kind(level, raw);
	switch (kind) {
	case A64_TABLE:
		return snprintf(buf, len, "table NSTable=%d APTable=%d%d UXNTable=%d PXNTable=%d",
				!!(raw & A64_NSTABLE), (int)(raw >> 62 & 1), (int)(raw >> 61 & 1),
				!!(raw & A64_UXNTABLE), !!(raw & A64_PXNTABLE));
	case A64_BLOCK:
	case A64_PAGE:
		ai = (unsigned)(raw >> A64_ATTRINDX_SHIFT & 7);
		a = (unsigned)(raw >> A64_AP_SHIFT & 3);
		return snprintf(buf, len, "%s AttrIndx=%u(%s) SH=%u(%s) AP=%u%u(%s) AF=%d nG=%d DBM=%d Cont=%d PXN=%d UXN=%d%s%s%s%s",
				pt_arm64_kind_name(kind), ai, ai < 5 ? attr[ai] : "?",
				(unsigned)(raw >> A64_SH_SHIFT & 3), sh[raw >> A64_SH_SHIFT & 3],
				a >> 1, a & 1, ap[a], !!(raw & A64_AF), !!(raw & A64_NG),
				!!(raw & A64_DBM), !!(raw & A64_CONT), !!(raw & A64_PXN), !!(raw & A64_UXN),
				raw & A64_NS ? " NS" : "", raw & A64_SW_DIRTY ? " DIRTY" : "",
				raw & A64_SW_SPECIAL ? " SPECIAL" : "", raw & A64_SW_DEVMAP ? " DEVMAP" : "");
	case A64_INVALID:
		return snprintf(buf, len, "invalid%s", raw & A64_SW_PROT_NONE ? " PROT_NONE" : "");
	default:
		return snprintf(buf, len, "%s", pt_arm64_kind_name(kind));
	}
}

int pt_arm64_ttbr(uint64_t va)
{
	return (int)(va >> 55 & 1);
}
