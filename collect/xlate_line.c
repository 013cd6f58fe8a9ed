/*
 * collect/xlate_line.c - one translation printed as pfn_ioctl prints it
 * (see xlate_line.h); shared with the 32-bit test client ioctl32.
 */
#include <string.h>

#include "xlate_line.h"

#define PAGE_SHIFT_4K 12

const char *xlate_level_name(uint32_t level)
{
	switch (level) {
	case PTWALK_LEVEL_PTE: return "pte";
	case PTWALK_LEVEL_PMD: return "pmd";
	case PTWALK_LEVEL_PUD: return "pud";
	default: return "none";
	}
}

void xlate_line_print(FILE *f, uint64_t vpn, uint64_t off, uint64_t pfn,
		      const struct ptwalk_xlate *x)
{
	fprintf(f, "VPN=0x%llx VA=0x%016llx PFN=0x%llx PA=0x%016llx",
		(unsigned long long)vpn,
		(unsigned long long)((vpn << PAGE_SHIFT_4K) | off),
		(unsigned long long)pfn,
		(unsigned long long)((pfn << PAGE_SHIFT_4K) | off));
	if (x)
		fprintf(f, " level=%s pgd=0x%016llx p4d=0x%016llx pud=0x%016llx"
			" pmd=0x%016llx pte=0x%016llx", xlate_level_name(x->level),
			(unsigned long long)x->entry[0], (unsigned long long)x->entry[1],
			(unsigned long long)x->entry[2], (unsigned long long)x->entry[3],
			(unsigned long long)x->entry[4]);
	fputc('\n', f);
}

void xlate_from_rec(uint64_t vpn, const struct ptwalk_batch_rec *r, struct ptwalk_xlate *x)
{
	memset(x, 0, sizeof(*x));
	x->vpn = vpn;
	x->pfn = r->pfn;
	x->level = r->level;
	x->flags = r->flags;
	memcpy(x->entry, r->entry, sizeof(x->entry));
}
