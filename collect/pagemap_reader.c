/*
 * collect/pagemap_reader.c - translate another process's addresses.
 *
 * The tutorial's tool: for each virtual address of process PID it prints
 * the page frame number and physical address from /proc/PID/pagemap, the
 * entry's flags, and the /proc/PID/maps line (the VMA) that holds it.
 * --range START END prints one line per page of a whole range, read in
 * batches.  An address at or above the top of the process's user address
 * space gets one line on stderr, the good ones are printed all the same,
 * and the exit status is 1; a process without one (a kernel thread) is
 * one error line.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "pagemap.h"
#include "proc.h"

#define PROG "pagemap_reader"
#define PAGE_SZ 4096ULL
/* Above this no user address exists, even with 5-level paging. */
#define USER_VA_LIMIT (1ULL << 57)

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [--allow-hidden] PID VA...\n"
"       " PROG " [--allow-hidden] PID --range START END\n"
"\n"
"Translate virtual addresses (hex, 0x optional) of process PID to page\n"
"frame numbers and physical addresses through /proc/PID/pagemap.\n"
"\n"
"  -r, --range START END  one line per page from START up to END (exclusive)\n"
"      --allow-hidden     print even when the kernel hides PFNs (non-root)\n"
"  -h, --help             this help\n"
"\n"
"Examples:\n"
"  ./prober &   # prints its PID and address\n"
"  " PROG " 12345 0x55a6d0f5a2a0\n"
"  " PROG " 12345 --range 0x55a6d0f5a000 0x55a6d0f7b000\n");
}

static int parse_va(const char *s, uint64_t *va)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*va = strtoull(s, &end, 16);
	if (errno || *end || *va >= USER_VA_LIMIT)
		return -1;
	return 0;
}

static void bad_va(const char *s)
{
	cli_die_usage(PROG, "bad address '%s': want a user-space address in hex", s);
}

static void flags_str(const struct pm_entry *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s%s",
		 e->present ? "present " : "", e->swapped ? "swapped " : "",
		 e->file_shared ? "file " : "", e->exclusive ? "exclusive " : "",
		 e->soft_dirty ? "softdirty " : "", e->uffd_wp ? "uffd-wp " : "",
		 e->guard ? "guard " : "");
	if (*buf)
		buf[strlen(buf) - 1] = '\0';
	else
		snprintf(buf, len, "none");
}

static void print_one(pid_t pid, uint64_t va, const struct pm_entry *e)
{
	char vma[512], fl[128];
	int found = proc_vma_lookup(pid, va, vma, sizeof(vma));

	printf("Virtual Address: 0x%llx\n", (unsigned long long)va);
	if (e->present) {
		printf("Page Frame Number (PFN): 0x%llx\n", (unsigned long long)e->pfn);
		printf("Physical Address: 0x%llx\n",
		       (unsigned long long)(e->pfn * PAGE_SZ + va % PAGE_SZ));
	} else if (e->swapped) {
		printf("Page Frame Number (PFN): swapped out (type %u, offset 0x%llx)\n",
		       e->swap_type, (unsigned long long)e->swap_offset);
		printf("Physical Address: none\n");
	} else {
		printf("Page Frame Number (PFN): not present\n");
		printf("Physical Address: none\n");
	}
	flags_str(e, fl, sizeof(fl));
	printf("Flags: %s\n", fl);
	printf("VMA: %s\n", found > 0 ? vma : "none (address not mapped)");
}

/*
 * Read the entries of m pages: consecutive from vpn[0] (range) or the
 * list vpn.  A short read means a page at or above the top of the user
 * address space (pagemap ends there), or no address space at all: then
 * each page is read alone, and bad[] marks those past the top.  Returns
 * 0, 1 when the process has no user address space, or -errno.
 */
static int read_chunk_pm(struct pagemap *pm, bool range, const uint64_t *vpn,
			 size_t m, uint64_t *raw, bool *bad)
{
	uint64_t probe;
	size_t i;
	int err;

	memset(bad, 0, m * sizeof(*bad));
	err = range ? pagemap_read(pm, vpn[0], m, raw)
		    : pagemap_read_vpns(pm, vpn, m, raw);
	if (err != -EIO)
		return err;
	if (pagemap_read(pm, 0, 1, &probe) == -EIO)
		return 1;
	for (i = 0; i < m; i++) {
		err = pagemap_read(pm, vpn[i], 1, &raw[i]);
		if (err == -EIO)
			bad[i] = true;
		else if (err)
			return err;
	}
	return 0;
}

/*
 * read_chunk_pm(), and on arm64 every page at or above 2^48 marked past the
 * top as well: user space (TTBR0) ends there, and pagemap ignores an
 * address's top byte (TBI), so it would answer for another address.
 */
static int read_chunk(struct pagemap *pm, bool range, const uint64_t *vpn,
		      size_t m, uint64_t *raw, bool *bad)
{
	int err = read_chunk_pm(pm, range, vpn, m, raw, bad);
#if defined(__aarch64__)
	size_t i;

	for (i = 0; err == 0 && i < m; i++)
		if ((range ? vpn[0] + i : vpn[i]) >= (1ULL << (48 - 12)))
			bad[i] = true;
#endif
	return err;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "range", required_argument, NULL, 'r' },
		{ "allow-hidden", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pagemap pm = { .fd = -1, .kpf_fd = -1 };
	const char *range_lo = NULL, *range_hi = NULL;
	uint64_t *vpn = NULL, *raw = NULL, lo = 0, hi = 0;
	bool allow_hidden = false, *bad = NULL;
	size_t i, n, k, m, chunk, done, nbad = 0;
	char *end;
	long pid;
	int c, err = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			range_lo = optarg;
			if (optind >= argc)
				cli_die_usage(PROG, "--range needs START and END");
			range_hi = argv[optind++];
			break;
		case 'H': allow_hidden = true; break;
		case 'h': usage(stdout); return 0;
		default: cli_bad_option(PROG, argv, c);
		}
	}
	if (optind >= argc)
		cli_die_usage(PROG, "missing PID");
	errno = 0;
	pid = strtol(argv[optind], &end, 10);
	if (errno || *end || pid <= 0 || pid > 0x3fffffff)
		cli_die_usage(PROG, "bad PID '%s'", argv[optind]);
	optind++;
	/* Also accept the range after the PID, as the usage line shows it. */
	if (!range_lo && optind < argc && (strcmp(argv[optind], "--range") == 0 ||
					   strcmp(argv[optind], "-r") == 0)) {
		if (argc - optind != 3)
			cli_die_usage(PROG, "--range needs START and END");
		range_lo = argv[optind + 1];
		range_hi = argv[optind + 2];
		optind = argc;
	}
	if (range_lo) {
		if (optind < argc)
			cli_die_usage(PROG, "give either VAs or --range, not both");
		if (parse_va(range_lo, &lo))
			bad_va(range_lo);
		if (parse_va(range_hi, &hi))
			bad_va(range_hi);
		if (hi <= lo)
			cli_die_usage(PROG, "bad range: END 0x%llx is not above START 0x%llx",
				      (unsigned long long)hi, (unsigned long long)lo);
		n = (size_t)((hi - 1) / PAGE_SZ - lo / PAGE_SZ + 1);
	} else {
		n = (size_t)(argc - optind);
		if (!n)
			cli_die_usage(PROG, "missing VA");
	}
	/* A range is read and printed PM_BATCH pages at a time. */
	chunk = range_lo && n > PM_BATCH ? PM_BATCH : n;
	vpn = malloc(chunk * sizeof(*vpn));
	raw = malloc(chunk * sizeof(*raw));
	bad = calloc(chunk, sizeof(*bad));
	if (!vpn || !raw || !bad) {
		fprintf(stderr, PROG ": out of memory for %zu pages\n", chunk);
		err = 1;
		goto cleanup;
	}
	for (i = 0; i < n && !range_lo; i++) {
		uint64_t va;

		if (parse_va(argv[optind + i], &va))
			bad_va(argv[optind + i]);
		vpn[i] = va / PAGE_SZ;
	}
	if (kill((pid_t)pid, 0) && errno == ESRCH) {
		fprintf(stderr, PROG ": no process with PID %ld\n", pid);
		err = 1;
		goto cleanup;
	}
	err = pagemap_open(&pm, (pid_t)pid);
	if (err == -ESRCH) {     /* it exists (kill said so) but has no mm */
		fprintf(stderr, PROG ": PID %ld has no user address space (a kernel thread, or exiting)\n", pid);
		err = 1;
		goto cleanup;
	}
	if (err) {
		fprintf(stderr, PROG ": cannot open %s: %s\n", pm.path, strerror(-err));
		err = 1;
		goto cleanup;
	}
	for (done = 0, k = 0; done < n; done += m) {
		m = n - done < chunk ? n - done : chunk;
		for (i = 0; i < m && range_lo; i++)
			vpn[i] = lo / PAGE_SZ + done + i;
		err = read_chunk(&pm, range_lo != NULL, vpn, m, raw, bad);
		if (err == 1) {
			fprintf(stderr, PROG ": PID %ld has no user address space (a kernel thread, or exiting)\n", pid);
			goto cleanup;
		}
		if (err) {
			fprintf(stderr, PROG ": cannot read %s: %s\n", pm.path, strerror(-err));
			err = 1;
			goto cleanup;
		}
		for (i = 0; i < m && !allow_hidden; i++) {
			struct pm_entry e;

			pagemap_decode(raw[i], &e);
			if (!bad[i] && pagemap_pfn_hidden(&e)) {
				fprintf(stderr, PROG ": " PAGEMAP_HIDDEN_MSG "\n");
				err = 1;
				goto cleanup;
			}
		}
		if (ferror(stdout))
			break;          /* output lost already: stop, say so below */
		if (range_lo && done == 0)
			printf("%-18s %-12s %-18s %s\n", "VA", "PFN", "PA", "FLAGS");
		for (i = 0; i < m; i++) {
			struct pm_entry e;
			char fl[128];

			if (bad[i]) {
				if (range_lo) {
					/* A range's bad pages are its tail: the rest. */
					fprintf(stderr, PROG ": 0x%llx-0x%llx: %llu pages at or above the top of PID %ld's user address space\n",
						(unsigned long long)(vpn[i] * PAGE_SZ),
						(unsigned long long)hi,
						(unsigned long long)(n - done - i), pid);
					nbad = 1;
					goto out;
				}
				fprintf(stderr, PROG ": %s: at or above the top of PID %ld's user address space\n",
					argv[optind + i], pid);
				nbad++;
				continue;
			}
			pagemap_decode(raw[i], &e);
			if (!range_lo) {
				uint64_t va;

				parse_va(argv[optind + i], &va);
				if (k++)
					putchar('\n');
				print_one((pid_t)pid, va, &e);
				continue;
			}
			flags_str(&e, fl, sizeof(fl));
			if (e.present)
				printf("0x%016llx 0x%-10llx 0x%016llx %s\n",
				       (unsigned long long)(vpn[i] * PAGE_SZ), (unsigned long long)e.pfn,
				       (unsigned long long)(e.pfn * PAGE_SZ), fl);
			else
				printf("0x%016llx %-12s %-18s %s\n",
				       (unsigned long long)(vpn[i] * PAGE_SZ), "-", "-", fl);
		}
	}
out:
	err = nbad != 0;
	if (outfile_stdout_done(PROG))
		err = 1;
cleanup:
	pagemap_close(&pm);
	free(vpn);
	free(raw);
	free(bad);
	return err != 0;
}
