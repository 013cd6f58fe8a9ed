/*
 * collect/fragment.c - fragment physical memory on purpose, then hold it.
 *
 * Takes PCT percent of the memory that is free now (MemFree), faults it in
 * as 4 KiB pages, and gives part of it back by a pattern that keeps the
 * page allocator from merging the freed pages into larger blocks: with
 * `alternate` (the default) it keeps one page of every aligned pair of
 * physical frames, so every freed page's buddy stays allocated and
 * /proc/buddyinfo loses its high-order blocks.  The patterns work on
 * physical frame numbers from /proc/self/pagemap when they are visible
 * (root), on virtual page order otherwise.  --lock mlocks what it keeps
 * (with vm.compact_unevictable_allowed=0 compaction then cannot move it
 * away), and --huge also takes the high-order blocks still free, one
 * transparent huge page each, so that no order-9 block is left.  It prints
 * one status line when it holds, and holds until a newline or EOF on
 * stdin, or SIGTERM (status 0).  SIGTERM, SIGINT or SIGHUP before it
 * holds (while faulting in, say) stops it at once with status 1 and no
 * status line.  --stage-file F (with --huge) separates the pattern's
 * effect from the --huge step: after the pattern it writes "pattern:
 * holding N pages ..." to F and waits for a newline on stdin before it
 * takes the huge pages, so a snapshot can be taken of each state.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "pagemap.h"
#include "proc.h"
#include "size.h"

#define PROG "fragment"
#define PAGE_SZ 4096ULL
#define HPAGE_SZ (2ULL << 20)
#define MIB (1ULL << 20)
#define FLOOR_MIN (32ULL << 20)
/* How often, in pages, fault-in looks at MemFree again. */
#define CHECK_EVERY 4096


enum pattern { PAT_STRIDE, PAT_RANDOM };

struct opts {
	unsigned pct;
	enum pattern pattern;
	unsigned long stride;       /* keep one page of every stride */
	unsigned long long seed;
	const char *ready_file;
	const char *stage_file;     /* --stage-file: the state before --huge */
	uint64_t reserve;           /* 0: default */
	bool lock, huge, quiet;
};

struct region {
	char *map;
	size_t map_len, npages;
	uint64_t *entry;            /* pagemap entry of each page */
	unsigned char *release;     /* 1: give this page back */
	char *huge;                 /* --huge: 2 MiB aligned area */
	size_t huge_len, nhuge;
	bool by_pfn;
};

static volatile sig_atomic_t stop;     /* the signal that asked us to stop */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " -p PCT [--pattern alternate|random|stride:N] [options]\n"
"\n"
"Fault in PCT percent of the free memory as 4 KiB pages, give part of it\n"
"back so that the freed pages cannot merge into larger buddy blocks, and\n"
"hold the rest until a newline or EOF on stdin, or SIGTERM.  Prints\n"
"\"holding N pages (X MiB), released M pages (Y MiB), huge H (Z MiB)\"\n"
"when it holds; a signal before that stops it at once, with status 1.\n"
"\n"
"  -p, --percent PCT     how much of MemFree to take, 1 to 100; at least\n"
"                        the reserve is always left free\n"
"      --pattern P       which pages to give back:\n"
"                        alternate: all but one of every aligned pair of\n"
"                          frames (the same as stride:2; the default);\n"
"                        stride:N: all but one of every aligned N frames\n"
"                          (N a power of two, 2 to 1048576);\n"
"                        random: each page with probability 1/2\n"
"      --seed N          seed of the random pattern (default 1)\n"
"      --lock            mlock the pages it keeps (mlockall, MCL_ONFAULT)\n"
"      --huge            then also take every free high-order block it can,\n"
"                        as 2 MiB transparent huge pages\n"
"      --reserve SIZE    memory always left free (default: 4 x\n"
"                        vm.min_free_kbytes, at least 32M)\n"
"      --ready-file F    also write the status line to F when holding\n"
"      --stage-file F    with --huge: after the pattern, write \"pattern:\n"
"                        holding ...\" to F and wait for a newline on stdin\n"
"                        before taking the huge pages\n"
"  -q, --quiet           no progress lines on stderr\n"
"  -h, --help            this help\n"
"\n"
"Examples:\n"
"  " PROG " -p 80                        # then: cat /proc/buddyinfo; press Enter\n"
"  " PROG " -p 100 --lock --huge --ready-file /tmp/frag.ready </tmp/fifo &\n"
"  " PROG " -p 50 --pattern stride:512   # holds 1/512 of it, no order-9 left\n"
"  " PROG " -p 60 --pattern random --seed 7\n");
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	enum { OPT_PATTERN = 256, OPT_SEED, OPT_READY, OPT_LOCK, OPT_HUGE,
	       OPT_RESERVE, OPT_STAGE };
	static const struct option longopts[] = {
		{ "percent", required_argument, NULL, 'p' },
		{ "pattern", required_argument, NULL, OPT_PATTERN },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "ready-file", required_argument, NULL, OPT_READY },
		{ "stage-file", required_argument, NULL, OPT_STAGE },
		{ "lock", no_argument, NULL, OPT_LOCK },
		{ "huge", no_argument, NULL, OPT_HUGE },
		{ "reserve", required_argument, NULL, OPT_RESERVE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pct = NULL, *why;
	char *end;
	uint64_t seed;
	int c;

	memset(o, 0, sizeof(*o));
	o->pattern = PAT_STRIDE;
	o->stride = 2;
	o->seed = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': pct = optarg; break;
		case OPT_PATTERN:
			if (strcmp(optarg, "alternate") == 0) {
				o->pattern = PAT_STRIDE;
				o->stride = 2;
			} else if (strcmp(optarg, "random") == 0) {
				o->pattern = PAT_RANDOM;
			} else if (strncmp(optarg, "stride:", 7) == 0) {
				unsigned long n = strtoul(optarg + 7, &end, 10);

				if (*end || !optarg[7] || n < 2 || n > (1UL << 20) ||
				    (n & (n - 1)))
					cli_die_usage(PROG, "bad pattern '%s': stride:N wants a power of two from 2 to 1048576", optarg);
				o->pattern = PAT_STRIDE;
				o->stride = n;
			} else {
				cli_die_usage(PROG, "unknown pattern '%s': want alternate, random or stride:N", optarg);
			}
			break;
		case OPT_SEED:
			if (cli_parse_u64(optarg, &seed))
				cli_die_usage(PROG, "bad seed '%s': want a non-negative integer, decimal or 0x-hex", optarg);
			o->seed = seed;
			break;
		case OPT_READY: o->ready_file = optarg; break;
		case OPT_STAGE: o->stage_file = optarg; break;
		case OPT_LOCK: o->lock = true; break;
		case OPT_HUGE: o->huge = true; break;
		case OPT_RESERVE:
			if (size_parse(optarg, &o->reserve, &why))
				cli_die_usage(PROG, "bad size '--reserve %s': %s", optarg, why);
			break;
		case 'q': o->quiet = true; break;
		case 'h': usage(stdout); exit(0);
		default: cli_bad_option(PROG, argv, c);
		}
	}
	if (optind < argc)
		cli_die_usage(PROG, "unexpected argument '%s'", argv[optind]);
	if (!pct)
		cli_die_usage(PROG, "missing -p PCT");
	{
		unsigned long v = strtoul(pct, &end, 10);

		if (*end || !*pct || v < 1 || v > 100)
			cli_die_usage(PROG, "bad percentage '-p %s': want 1 to 100", pct);
		o->pct = (unsigned)v;
	}
	if (o->ready_file && !*o->ready_file)
		cli_die_usage(PROG, "--ready-file wants a file name");
	if (o->stage_file && (!*o->stage_file || !o->huge))
		cli_die_usage(PROG, "--stage-file wants a file name and --huge");
}

static void on_signal(int sig)
{
	stop = sig;
}

static uint64_t mem_free(void)
{
	uint64_t b = 0;

	if (proc_meminfo_bytes("MemFree", &b))
		return 0;
	return b;
}

/* The default reserve: 4 x vm.min_free_kbytes (past every watermark). */
static uint64_t default_reserve(void)
{
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/sys/vm/min_free_kbytes", "re");
	uint64_t r;

	if (f) {
		if (fscanf(f, "%llu", &kb) != 1)
			kb = 0;
		fclose(f);
	}
	r = (uint64_t)kb * 1024 * 4;
	return r < FLOOR_MIN ? FLOOR_MIN : r;
}

/* splitmix64: a small, seedable generator, the same on every libc. */
static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A page and the key it is sorted by: the key travels with the page. */
struct keyed {
	uint64_t key;
	size_t page;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->page < y->page ? -1 : x->page > y->page;
}

/*
 * Choose the pages to give back.  stride:N groups the pages by aligned
 * block of N frames (pfn / N) and keeps the lowest frame of each group it
 * owns, so a group is never freed whole and the buddy allocator cannot
 * rebuild a block of N frames from the pages given back.
 */
static int region__choose(struct region *r, const struct opts *o)
{
	uint64_t s = o->seed;
	struct keyed *k;
	size_t i;

	if (o->pattern == PAT_RANDOM) {
		for (i = 0; i < r->npages; i++)
			r->release[i] = next_random(&s) & 1;
		return 0;
	}
	k = malloc(r->npages * sizeof(*k));
	if (!k)
		return -ENOMEM;
	for (i = 0; i < r->npages; i++) {
		k[i].key = r->by_pfn ? r->entry[i] & PM_PFRAME_MASK : i;
		k[i].page = i;
	}
	qsort(k, r->npages, sizeof(*k), by_key);
	for (i = 0; i < r->npages; i++)
		r->release[k[i].page] = i > 0 && k[i - 1].key / o->stride == k[i].key / o->stride;
	free(k);
	return 0;
}

/* Fault in up to npages, stopping early when MemFree reaches floor. */
static int region__fault(struct region *r, size_t npages, uint64_t floor)
{
	size_t len = npages * PAGE_SZ, i;

	r->map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return -errno;
	}
	r->map_len = len;
	/* Order-0 pages only: a THP here would be one block, not 512 pages. */
	if (madvise(r->map, len, MADV_NOHUGEPAGE))
		return -errno;
	for (i = 0; i < npages && !stop; i++) {
		if (i % CHECK_EVERY == 0 && i && mem_free() <= floor)
			break;
		r->map[i * PAGE_SZ] = 1;
	}
	r->npages = i;
	return 0;
}

/* Give back the chosen pages, one madvise per run of adjacent pages. */
static int region__release(struct region *r)
{
	size_t i = 0, j;

	while (i < r->npages) {
		if (!r->release[i]) {
			i++;
			continue;
		}
		for (j = i; j < r->npages && r->release[j]; j++)
			;
		if (madvise(r->map + i * PAGE_SZ, (j - i) * PAGE_SZ, MADV_DONTNEED))
			return -errno;
		i = j;
	}
	return 0;
}

/*
 * --huge: take free high-order blocks as transparent huge pages until a
 * fault falls back to a small page (no order-9 block is left, even after
 * compaction) or MemFree reaches floor.  Each huge page is checked in
 * /proc/kpageflags, because a fault succeeds either way.
 */
static int region__take_huge(struct region *r, struct pagemap *pm,
			     uint64_t floor)
{
	size_t max = (size_t)(mem_free() / HPAGE_SZ) + 1, n;
	char *p;
	uintptr_t start;

	if (pm->kpf_fd < 0)
		return -EACCES;
	p = mmap(NULL, (max + 1) * HPAGE_SZ, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	start = ((uintptr_t)p + HPAGE_SZ - 1) & ~(uintptr_t)(HPAGE_SZ - 1);
	r->huge = p;
	r->huge_len = (max + 1) * HPAGE_SZ;
	if (madvise((void *)start, max * HPAGE_SZ, MADV_HUGEPAGE))
		return -errno;
	for (n = 0; n < max && !stop; n++) {
		char *h = (char *)start + n * HPAGE_SZ;
		uint64_t raw, flags, pfn;
		int err;

		if (mem_free() <= floor + HPAGE_SZ)
			break;
		h[0] = 1;
		err = pagemap_read(pm, (uintptr_t)h / PAGE_SZ, 1, &raw);
		if (err)
			return err;
		pfn = raw & PM_PFRAME_MASK;
		if (!(raw & PM_PRESENT) ||
		    pagemap_kpageflags(pm, &pfn, 1, &flags) ||
		    !(flags & (1ULL << KPF_THP))) {
			madvise(h, HPAGE_SZ, MADV_DONTNEED);
			break;
		}
	}
	r->nhuge = n;
	return 0;
}

static size_t region__count_present(struct region *r, struct pagemap *pm,
				    int *err)
{
	size_t i, n = 0;

	*err = pagemap_read(pm, (uintptr_t)r->map / PAGE_SZ, r->npages, r->entry);
	for (i = 0; !*err && i < r->npages; i++)
		n += (r->entry[i] & PM_PRESENT) != 0;
	return n;
}

/*
 * The status line to o, opened at the start (so that a bad path fails
 * before the fault-in, not after), whole or not at all (outfile.h).
 */
static int write_ready(struct outfile *o, const char *line)
{
	size_t off = 0, len = strlen(line);
	int err = 0;

	while (!err && off < len) {
		ssize_t n = write(o->fd, line + off, len - off);

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (err) {
		outfile_abort(o);
		return err;
	}
	return outfile_commit(o, 1, NULL);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct region r;
	struct pagemap pm;
	struct outfile ready = { .fd = -1 }, stage = { .fd = -1 };
	struct sigaction sa;
	uint64_t free0, floor, want;
	size_t held = 0, faulted, i;
	char line[256];
	int err = 0;

	parse_opts(argc, argv, &o);
	memset(&r, 0, sizeof(r));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: read() must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (!o.reserve)
		o.reserve = default_reserve();
	free0 = mem_free();
	if (!free0) {
		fprintf(stderr, PROG ": cannot read MemFree from /proc/meminfo\n");
		return 1;
	}
	if (o.reserve >= free0 || free0 - o.reserve <= PAGE_SZ) {  /* no wrap */
		fprintf(stderr, PROG ": only %llu MiB free, not more than the reserve of %llu MiB\n",
			(unsigned long long)(free0 / MIB), (unsigned long long)(o.reserve / MIB));
		return 1;
	}
	floor = o.reserve;
	want = free0 / 100 * o.pct;
	if (want > free0 - o.reserve)
		want = free0 - o.reserve;
	err = pagemap_open(&pm, 0);
	if (err) {
		fprintf(stderr, PROG ": cannot open /proc/self/pagemap: %s\n", strerror(-err));
		return 1;
	}
	if (o.ready_file) {
		err = outfile_open(&ready, o.ready_file);
		if (err) {
			fprintf(stderr, PROG ": cannot create %s: %s\n", o.ready_file, strerror(-err));
			goto cleanup;
		}
	}
	if (o.huge && o.stage_file) {
		err = outfile_open(&stage, o.stage_file);
		if (err) {
			fprintf(stderr, PROG ": cannot create %s: %s\n", o.stage_file, strerror(-err));
			goto cleanup;
		}
	}
	if (o.huge && pm.kpf_fd < 0) {
		fprintf(stderr, PROG ": --huge needs /proc/kpageflags (root): %s\n", strerror(EACCES));
		err = -EACCES;
		goto cleanup;
	}

	err = region__fault(&r, (size_t)(want / PAGE_SZ), floor);
	if (err) {
		fprintf(stderr, PROG ": cannot map %llu MiB: %s\n",
			(unsigned long long)(want / MIB), strerror(-err));
		goto cleanup;
	}
	faulted = r.npages;
	r.entry = malloc((r.npages ? r.npages : 1) * sizeof(*r.entry));
	r.release = calloc(r.npages ? r.npages : 1, 1);
	if (!r.entry || !r.release) {
		fprintf(stderr, PROG ": out of memory for %zu page entries\n", r.npages);
		err = -ENOMEM;
		goto cleanup;
	}
	err = pagemap_read(&pm, (uintptr_t)r.map / PAGE_SZ, r.npages, r.entry);
	if (err) {
		fprintf(stderr, PROG ": cannot read %s: %s\n", pm.path, strerror(-err));
		goto cleanup;
	}
	r.by_pfn = true;
	for (i = 0; i < r.npages; i++) {
		struct pm_entry e;

		pagemap_decode(r.entry[i], &e);
		if (pagemap_pfn_hidden(&e)) {
			r.by_pfn = false;
			break;
		}
	}
	if (!r.by_pfn && o.pattern == PAT_STRIDE && !o.quiet)
		fprintf(stderr, PROG ": PFNs are hidden (not root): choosing pages by virtual order, buddies may merge\n");
	if (!o.quiet)
		fprintf(stderr, PROG ": faulted %zu pages (%llu MiB) of %llu MiB free\n",
			faulted, (unsigned long long)(faulted * PAGE_SZ / MIB),
			(unsigned long long)(free0 / MIB));

	err = region__choose(&r, &o);
	if (!err)
		err = region__release(&r);
	if (err) {
		fprintf(stderr, PROG ": cannot release pages: %s\n", strerror(-err));
		goto cleanup;
	}
	/*
	 * Lock everything this process maps, its heap and stack too: any
	 * page of ours left movable is one compaction can clear a block with.
	 * MCL_ONFAULT, so the pages given back are not faulted in again.
	 */
	if (o.lock && mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) {
		err = -errno;
		fprintf(stderr, PROG ": cannot mlock %zu pages: %s\n", r.npages, strerror(errno));
		goto cleanup;
	}
	if (o.huge && o.stage_file && !stop) {
		/* The pattern's own effect, before --huge changes it. */
		held = region__count_present(&r, &pm, &err);
		if (err) {
			fprintf(stderr, PROG ": cannot read %s: %s\n", pm.path, strerror(-err));
			goto cleanup;
		}
		snprintf(line, sizeof(line),
			 "pattern: holding %zu pages (%llu MiB), released %zu pages (%llu MiB)\n",
			 held, (unsigned long long)(held * PAGE_SZ / MIB),
			 faulted - held, (unsigned long long)((faulted - held) * PAGE_SZ / MIB));
		err = write_ready(&stage, line);
		if (err) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", o.stage_file, strerror(-err));
			goto cleanup;
		}
		cli_hold(&stop);
	}
	if (o.huge) {
		err = region__take_huge(&r, &pm, floor);
		if (err) {
			fprintf(stderr, PROG ": cannot take huge pages: %s\n", strerror(-err));
			goto cleanup;
		}
	}
	/* A signal before holding is not a hold: stop, and say so. */
	if (stop) {
		fprintf(stderr, PROG ": stopped by signal %d before holding; everything released\n",
			(int)stop);
		err = -EINTR;
		goto cleanup;
	}
	/* Count what is really held: the kernel is the judge, not the plan. */
	held = region__count_present(&r, &pm, &err);
	if (err) {
		fprintf(stderr, PROG ": cannot read %s: %s\n", pm.path, strerror(-err));
		goto cleanup;
	}
	snprintf(line, sizeof(line),
		 "holding %zu pages (%llu MiB), released %zu pages (%llu MiB), huge %zu (%llu MiB)\n",
		 held, (unsigned long long)(held * PAGE_SZ / MIB),
		 faulted - held, (unsigned long long)((faulted - held) * PAGE_SZ / MIB),
		 r.nhuge, (unsigned long long)(r.nhuge * HPAGE_SZ / MIB));
	fputs(line, stdout);
	if (outfile_stdout_done(PROG)) {
		err = -EIO;
		goto cleanup;
	}
	if (o.ready_file) {
		err = write_ready(&ready, line);
		if (err) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", o.ready_file, strerror(-err));
			goto cleanup;
		}
	}
	cli_hold(&stop);

cleanup:
	if (o.ready_file)
		outfile_abort(&ready);  /* a no-op once committed */
	if (o.huge && o.stage_file)
		outfile_abort(&stage);
	if (r.map)
		munmap(r.map, r.map_len);
	if (r.huge)
		munmap(r.huge, r.huge_len);
	free(r.entry);
	free(r.release);
	pagemap_close(&pm);
	return err != 0;
}
