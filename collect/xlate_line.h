/*
 * collect/xlate_line.h - one translation printed as pfn_ioctl prints it.
 *
 * pfn_ioctl and the 32-bit test client tests/helpers/ioctl32.c (built from
 * the same source with -m32) print the module's answers with these, so
 * that a test can compare the two byte for byte, and a batched answer
 * (IOCTL_XLATE_BATCH) prints as a one-a-call one does.
 */
#ifndef PTWALK_XLATE_LINE_H
#define PTWALK_XLATE_LINE_H

#include <stdint.h>
#include <stdio.h>

#include "ptwalk_uapi.h"

/* The leaf level of an IOCTL_XLATE answer: "pte", "pmd", "pud" or "none". */
const char *xlate_level_name(uint32_t level);

/*
 * "VPN=0x... VA=0x... PFN=0x... PA=0x..." for vpn and pfn, VA and PA
 * with 16 hex digits and off (the offset in the 4 KiB page) added; with
 * x, IOCTL_XLATE's answer, also " level=... pgd=0x... p4d=... pud=...
 * pmd=... pte=0x..."; then a newline.
 */
void xlate_line_print(FILE *f, uint64_t vpn, uint64_t off, uint64_t pfn,
		      const struct ptwalk_xlate *x);

/* IOCTL_XLATE_BATCH's record for vpn as the struct IOCTL_XLATE fills. */
void xlate_from_rec(uint64_t vpn, const struct ptwalk_batch_rec *r, struct ptwalk_xlate *x);

#endif
