/*
 * tests/unit_pagemap.c - the pagemap library's batches, whole at their
 * edges: reads of 65,535, 65,536 (one full PM_BATCH), 65,537 and
 * 2 x 65,536 + 1 touched pages through pagemap_read() and
 * pagemap_read_vpns() (in order, reversed, and scattered over windows),
 * and kpageflags runs of the same lengths up and down, each compared entry
 * for entry with an independent read of one pread per entry done here.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "pagemap.h"

#define PG 4096UL

/* One pread per entry: the naive reader, sharing no code with pagemap.c. */
static int naive(const char *path, uint64_t first, size_t n, uint64_t *out)
{
	int fd = open(path, O_RDONLY);
	size_t i;

	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (pread(fd, &out[i], 8, (off_t)((first + i) * 8)) != 8) {
			close(fd);
			return -1;
		}
	close(fd);
	return 0;
}

/* Index of the first entry that differs, or n. */
static size_t first_diff(const uint64_t *a, const uint64_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}

static size_t count_present(const uint64_t *raw, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += (raw[i] & PM_PRESENT) != 0;
	return k;
}

int main(void)
{
	static const size_t sizes[] = { PM_BATCH - 1, PM_BATCH, PM_BATCH + 1, 2 * PM_BATCH + 1 };
	const size_t npages = 2 * PM_BATCH + 1;
	uint64_t *want, *got, *vpns, base;
	struct pagemap pm;
	char name[160];
	unsigned char *p;
	size_t i, k, n;

	p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	want = malloc(npages * 8);
	got = malloc(npages * 8);
	vpns = malloc(npages * 8);
	if (p == MAP_FAILED || !want || !got || !vpns || pagemap_open(&pm, 0)) {
		printf("FAIL pagemap batches: cannot map %zu pages or open pagemap\n", npages);
		return 1;
	}
	/* 4 KiB pages only, so that nothing is collapsed between two reads. */
	madvise(p, npages * PG, MADV_NOHUGEPAGE);
	for (i = 0; i < npages; i++)
		p[i * PG] = (unsigned char)i;
	base = (uintptr_t)p / PG;
	if (naive("/proc/self/pagemap", base, npages, want)) {
		printf("FAIL pagemap batches: naive read of /proc/self/pagemap failed\n");
		return 1;
	}
	INT_EQ(count_present(want, npages), npages, "pagemap batches: every touched page is present (naive read)");

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		n = sizes[k];
		for (i = 0; i < n; i++)
			got[i] = 0;
		INT_EQ(pagemap_read(&pm, base, n, got), 0, n == PM_BATCH ? "pagemap_read: a full batch returns 0" : "pagemap_read: returns 0");
		snprintf(name, sizeof(name), "pagemap_read of %zu pages: entry for entry the naive read (first difference at)", n);
		INT_EQ(first_diff(got, want, n), n, name);
		snprintf(name, sizeof(name), "pagemap_read of %zu pages: all present, the last one too", n);
		OK(count_present(got, n) == n && (got[n - 1] & PM_PRESENT), name);

		/* The same pages as a list of VPNs: in order, then reversed. */
		for (i = 0; i < n; i++)
			vpns[i] = base + i;
		for (i = 0; i < n; i++)
			got[i] = 0;
		INT_EQ(pagemap_read_vpns(&pm, vpns, n, got), 0, "pagemap_read_vpns: returns 0");
		snprintf(name, sizeof(name), "pagemap_read_vpns of %zu pages in order: the naive read (first difference at)", n);
		INT_EQ(first_diff(got, want, n), n, name);
		for (i = 0; i < n; i++) {
			vpns[i] = base + n - 1 - i;
			got[i] = 0;
		}
		INT_EQ(pagemap_read_vpns(&pm, vpns, n, got), 0, "pagemap_read_vpns reversed: returns 0");
		for (i = 0; i < n && got[i] == want[n - 1 - i]; i++)
			;
		snprintf(name, sizeof(name), "pagemap_read_vpns of %zu pages reversed: the naive read (first difference at)", n);
		INT_EQ(i, n, name);
	}
	/* Scattered: every 3rd page, windows ending at odd places. */
	for (i = n = 0; i < npages; i += 3)
		vpns[n++] = base + i;
	pagemap_read_vpns(&pm, vpns, n, got);
	for (i = 0; i < n && got[i] == want[vpns[i] - base]; i++)
		;
	INT_EQ(i, n, "pagemap_read_vpns of every 3rd page over 2 x 65,536 + 1: the naive read (first difference at)");

	/*
	 * kpageflags: runs of consecutive PFNs, up and down, across a batch;
	 * PFNs 1..131073 exist on any machine with 512 MiB.  Root only.
	 */
	if (pm.kpf_fd < 0) {
		printf("SKIP pagemap_kpageflags batches: /proc/kpageflags is not readable (needs root)\n");
	} else {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			int dir;

			n = sizes[k];
			for (dir = 1; dir >= -1; dir -= 2) {
				size_t left = n, sent = 0;
				int try;

				/*
				 * Other processes change these frames' flags: a
				 * difference is retried (batched read, then the
				 * naive one, right after), a skipped entry never
				 * goes away.  The sentinel ~0 marks entries the
				 * batched read never wrote.
				 */
				for (try = 0; try < 5 && left; try++) {
					for (i = 0; i < n; i++) {
						vpns[i] = dir > 0 ? 1 + i : n - i;
						got[i] = ~0ULL;
					}
					if (pagemap_kpageflags(&pm, vpns, n, got) ||
					    naive("/proc/kpageflags", 1, n, want))
						break;
					for (i = sent = 0; i < n; i++)
						sent += got[i] == ~0ULL;
					for (i = 0; i < n && got[i] == want[dir > 0 ? i : n - 1 - i]; i++)
						;
					left = n - i;
				}
				snprintf(name, sizeof(name), "pagemap_kpageflags of %zu %s PFNs: every entry written", n,
					 dir > 0 ? "ascending" : "descending");
				INT_EQ(sent, 0, name);
				snprintf(name, sizeof(name), "pagemap_kpageflags of %zu %s PFNs: the naive read (entries from the first difference, %d tries)",
					 n, dir > 0 ? "ascending" : "descending", try);
				INT_EQ(left, 0, name);
			}
		}
	}
	pagemap_close(&pm);
	munmap(p, npages * PG);
	free(want);
	free(got);
	free(vpns);
	return harness_done();
}
