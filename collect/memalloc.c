/*
 * collect/memalloc.c - allocate memory in several ways, translate every page.
 *
 * The README seed's user-space walker, grown up.  For each experiment (one
 * size, one sample) it allocates memory in the chosen mode, touches every
 * page so that it is backed, reads the pages' entries from
 * /proc/self/pagemap in large batches, and writes one schema-1 row per
 * 4 KiB page (or the seed's "VA=0x... -> PA=0x..." lines).  --hold keeps
 * everything mapped after the file is complete, so that other tools (the
 * module's pid walk, pfn_ioctl, a test) can translate the same pages.
 *
 * What each experiment measures, so that it measures only that:
 * - Every page the experiment claims is recorded.  -b 4K makes "many
 *   separate 4 KiB blocks" one mmap(4096) call each, touched as soon as it
 *   is mapped, each right above the previous one inside a PROT_NONE
 *   reservation (so consecutive rows are 4096 bytes apart: va_stride
 *   4096).  It no longer uses posix_memalign(), whose chunk headers took
 *   every other page: those pages were faulted first and never recorded,
 *   which made the recorded ones look contiguous.  Since Linux backs user
 *   memory a page at a time when it is first touched, the mode shows what
 *   the page allocator gives one-page faults made one after another by
 *   separate allocations.
 * - The samples of one size are all kept mapped until the last is taken,
 *   so sample k is backed by other frames than samples 1..k-1 (freed
 *   frames would be handed straight back; analyze's reuse.csv shows it).
 * - -b 4K, 1G and hugetlb run with THP off for the whole process
 *   (prctl PR_SET_THP_DISABLE), so neither a fault nor khugepaged gives
 *   them huge pages.
 * - --shuffle SEED measures the sizes in an order drawn from SEED
 *   (xorshift64*, Fisher-Yates), not smallest first.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csvout.h"
#include "mapscsv.h"
#include "outfile.h"
#include "pagemap.h"
#include "proc.h"
#include "size.h"
#include "xorshift.h"

#define PROG "memalloc"
#define PAGE_SZ 4096ULL
#define MAX_SIZES 64
#define HPAGE_2M (2ULL << 20)
#define HPAGE_1G (1ULL << 30)
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

enum mode { MODE_4K, MODE_BLOCK, MODE_THP, MODE_HUGETLB };

static const struct {
	const char *flag;       /* -b value */
	const char *allocator;  /* CSV allocator column */
} modes[] = {
	[MODE_4K]      = { "4K", "malloc4k" },
	[MODE_BLOCK]   = { "1G", "block" },
	[MODE_THP]     = { "thp", "thp" },
	[MODE_HUGETLB] = { "hugetlb", "hugetlb" },
};

struct opts {
	enum mode mode;
	uint64_t sizes[MAX_SIZES];
	int nsizes;
	unsigned samples;
	const char *out;
	const char *maps;       /* --maps FILE, or NULL */
	enum csvout_format fmt;
	bool hold, allow_hidden, stats, quiet;
	uint64_t huge_size;     /* --huge-size: 2M or 1G; 0: the default size */
	bool shuffle;
	uint64_t seed;          /* --shuffle SEED */
};

/* One experiment's memory and what was learnt about it. */
struct experiment {
	uint64_t size;
	unsigned sample;
	size_t npages;
	char *map;          /* block, thp, hugetlb: the mapping */
	size_t maplen;
	char *resv;         /* 4K: its one-page maps, resvlen bytes from here */
	size_t resvlen;
	uint64_t *va;       /* VA of each page, in allocation order */
	uint64_t *entry;    /* raw pagemap entry of each page */
	uint64_t *kpf;      /* kpageflags of each page, or NULL */
	struct experiment *next;  /* held experiments */
};

struct timing {
	double fault, translate, write;
	uint64_t pages;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " -b 4K|1G|thp|hugetlb (-m SIZE | --sweep FROM:TO) -o FILE [options]\n"
"\n"
"Allocate memory, touch every page, and translate each 4 KiB page through\n"
"/proc/self/pagemap into one CSV row (schema 1) or one text line.\n"
"\n"
"  -b, --mode MODE      4K: many separate 4 KiB blocks, one mmap each,\n"
"                       touched as mapped, at consecutive addresses (malloc4k);\n"
"                       1G: one block of SIZE (block);\n"
"                       thp: one 2 MiB-aligned block with MADV_HUGEPAGE;\n"
"                       hugetlb: one MAP_HUGETLB block\n"
"                       (all but thp run with THP off: PR_SET_THP_DISABLE)\n"
"      --huge-size S    hugetlb only: 2M or 1G pages (MAP_HUGE_2MB/1GB), or\n"
"                       arm64's 64K and 32M, instead of the default size\n"
"                       (Hugepagesize)\n"
"  -m, --size SIZE      total size, with K/M/G suffixes (64M, 1G)\n"
"      --sweep FROM:TO  every power of two from FROM to TO, one experiment each\n"
"  -n, --samples N      repeat each size N times (default 1); the samples\n"
"                       of a size stay mapped until the last one is taken,\n"
"                       so each is backed by other frames\n"
"      --shuffle SEED   take the sizes in an order drawn from SEED (the\n"
"                       order goes to stderr: \"memalloc: size order ...\")\n"
"  -o, --output FILE    where to write (- for standard output)\n"
"      --format F       csv (default) or text (VA=0x... -> PA=0x...)\n"
"      --maps FILE      also write, per experiment, the /proc/self/maps\n"
"                       line(s) of the VMA(s) holding it, as CSV (" MAPS_CSV_COLS ")\n"
"      --hold           after FILE is complete, print \"ready\" and keep the\n"
"                       memory mapped until a newline or EOF on stdin\n"
"      --allow-hidden   write rows with an empty pa when PFNs are hidden\n"
"      --stats          print fault, translate and write times on stderr\n"
"  -q, --quiet          no progress lines\n"
"      --print-sizes S  print the sizes of S in bytes, one a line, and exit:\n"
"                       S is SIZE, FROM:TO or a list (4K,64K or \"4K 64K\");\n"
"                       the one size grammar, for scripts\n"
"  -h, --help           this help\n"
"\n"
"Examples:\n"
"  " PROG " -b 4K -m 64M -o out_4k.csv\n"
"  " PROG " -b 1G -m 64M -o out_big.txt --format text\n"
"  " PROG " -b thp --sweep 4K:256M -n 3 -o thp.csv\n"
"  " PROG " -b 1G -m 64M -o out.csv --hold   # then walk it by PID\n");
}

/* --print-sizes: spec's sizes, one a line, then exit (2 when bad). */
__attribute__((noreturn))
static void print_sizes(const char *spec)
{
	uint64_t sizes[MAX_SIZES];
	char why[160];
	int i, n = size_spec_parse(spec, sizes, MAX_SIZES, why, sizeof(why));

	if (n < 0)
		cli_die_usage(PROG, "bad sizes '%s': %s", spec, why);
	for (i = 0; i < n; i++)
		printf("%llu\n", (unsigned long long)sizes[i]);
	exit(outfile_stdout_done(PROG) ? 1 : 0);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	enum { OPT_SWEEP = 256, OPT_FORMAT, OPT_HOLD, OPT_HIDDEN, OPT_STATS,
	       OPT_HUGE_SIZE, OPT_SHUFFLE, OPT_PRINT_SIZES, OPT_MAPS };
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'b' },
		{ "size", required_argument, NULL, 'm' },
		{ "sweep", required_argument, NULL, OPT_SWEEP },
		{ "samples", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "maps", required_argument, NULL, OPT_MAPS },
		{ "hold", no_argument, NULL, OPT_HOLD },
		{ "allow-hidden", no_argument, NULL, OPT_HIDDEN },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "huge-size", required_argument, NULL, OPT_HUGE_SIZE },
		{ "shuffle", required_argument, NULL, OPT_SHUFFLE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "print-sizes", required_argument, NULL, OPT_PRINT_SIZES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why, *mode = NULL, *size = NULL, *sweep = NULL;
	int c;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->samples = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:m:n:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': mode = optarg; break;
		case 'm': size = optarg; break;
		case OPT_SWEEP: sweep = optarg; break;
		case 'n': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v == 0 || v > 1000)
				cli_die_usage(PROG, "bad sample count '%s': want 1 to 1000", optarg);
			o->samples = (unsigned)v;
			break;
		}
		case 'o': o->out = optarg; break;
		case OPT_MAPS: o->maps = optarg; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->fmt = CSVOUT_CSV;
			else if (strcmp(optarg, "text") == 0)
				o->fmt = CSVOUT_TEXT;
			else
				cli_die_usage(PROG, "unknown format '%s': want csv or text", optarg);
			break;
		case OPT_HOLD: o->hold = true; break;
		case OPT_HIDDEN: o->allow_hidden = true; break;
		case OPT_STATS: o->stats = true; break;
		case OPT_HUGE_SIZE:
			/* x86-64 has 2M and 1G; arm64 (4 KiB pages) also 64K
			 * (16 contiguous ptes) and 32M (16 contiguous pmds). */
			if (strcasecmp(optarg, "2M") == 0)
				o->huge_size = HPAGE_2M;
			else if (strcasecmp(optarg, "1G") == 0)
				o->huge_size = HPAGE_1G;
			else if (strcasecmp(optarg, "64K") == 0)
				o->huge_size = 64ULL << 10;
			else if (strcasecmp(optarg, "32M") == 0)
				o->huge_size = 32ULL << 20;
			else
				cli_die_usage(PROG, "bad huge page size '--huge-size %s': want 64K, 2M, 32M or 1G", optarg);
			break;
		case OPT_SHUFFLE: {
			char *end;

			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (*end || !*optarg || *optarg == '-' || errno)
				cli_die_usage(PROG, "bad seed '--shuffle %s': want a number from 0 to 2^64-1", optarg);
			o->shuffle = true;
			break;
		}
		case 'q': o->quiet = true; break;
		case OPT_PRINT_SIZES: print_sizes(optarg);
		case 'h': usage(stdout); exit(0);
		default: cli_bad_option(PROG, argv, c);
		}
	}
	if (optind < argc)
		cli_die_usage(PROG, "unexpected argument '%s'", argv[optind]);
	if (!mode)
		cli_die_usage(PROG, "missing -b MODE");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcasecmp(mode, modes[i].flag) == 0 ||
		    strcmp(mode, modes[i].allocator) == 0)
			break;
	if (i == sizeof(modes) / sizeof(modes[0]))
		cli_die_usage(PROG, "unknown mode '-b %s': want 4K, 1G, thp or hugetlb", mode);
	o->mode = (enum mode)i;
	if (o->huge_size && o->mode != MODE_HUGETLB)
		cli_die_usage(PROG, "--huge-size is for -b hugetlb, not -b %s", mode);
	if (!size == !sweep)
		cli_die_usage(PROG, "give exactly one of -m SIZE and --sweep FROM:TO");
	if (size) {
		if (size_parse(size, &o->sizes[0], &why))
			cli_die_usage(PROG, "bad size '-m %s': %s", size, why);
		o->nsizes = 1;
	} else {
		o->nsizes = size_sweep_parse(sweep, o->sizes, MAX_SIZES, &why);
		if (o->nsizes < 0)
			cli_die_usage(PROG, "bad sweep '--sweep %s': %s", sweep, why);
	}
	if (o->sizes[0] == 0)
		cli_die_usage(PROG, "bad size '-m %s': size must be larger than 0", size);
	if (!o->out)
		cli_die_usage(PROG, "missing -o FILE");
	if (o->maps && (strcmp(o->maps, "-") == 0 || strcmp(o->maps, o->out) == 0 ||
		       outfile_same_target(o->maps, o->out)))
		cli_die_usage(PROG, "--maps %s: want a file of its own, not -o's or standard output", o->maps);
	if (o->shuffle) {
		/* Fisher-Yates; splitmix64 of the seed, so that seeds 1, 2, 3
		 * start far apart; xorshift's state must not be 0 */
		uint64_t st = o->seed + 0x9e3779b97f4a7c15ULL;
		int j;

		st = (st ^ (st >> 30)) * 0xbf58476d1ce4e5b9ULL;
		st = (st ^ (st >> 27)) * 0x94d049bb133111ebULL;
		st ^= st >> 31;
		if (!st)
			st = 1;
		for (j = o->nsizes - 1; j > 0; j--) {
			int k = (int)(xorshift64s(&st) % (uint64_t)(j + 1));
			uint64_t t = o->sizes[j];

			o->sizes[j] = o->sizes[k];
			o->sizes[k] = t;
		}
	}
}

/* Refuse a size the machine cannot possibly back (memory plus swap). */
static int check_size_fits(const struct opts *o)
{
	uint64_t mem = 0, swap = 0, biggest = 0;
	char a[32], b[32];
	int i;

	for (i = 0; i < o->nsizes; i++)
		if (o->sizes[i] > biggest)
			biggest = o->sizes[i];
	if (proc_meminfo_bytes("MemTotal", &mem))
		return 0;   /* cannot tell: let the allocation decide */
	proc_meminfo_bytes("SwapTotal", &swap);
	if (biggest > mem + swap) {
		fprintf(stderr, PROG ": size %s is more than this machine's memory and swap (%s)\n",
			size_format(biggest, a, sizeof(a)),
			size_format(mem + swap, b, sizeof(b)));
		return -1;
	}
	if (o->samples > 1 && biggest > (mem + swap) / o->samples) {
		fprintf(stderr, PROG ": %u samples of %s are held at once: more than this machine's memory and swap (%s); use fewer samples\n",
			o->samples, size_format(biggest, a, sizeof(a)),
			size_format(mem + swap, b, sizeof(b)));
		return -1;
	}
	return 0;
}

static void experiment_free(struct experiment *e)
{
	if (!e)
		return;
	if (e->resv)
		munmap(e->resv, e->resvlen);
	if (e->map)
		munmap(e->map, e->maplen);
	free(e->va);
	free(e->entry);
	free(e->kpf);
	free(e);
}

/* Map len bytes aligned to align (a power of two) by trimming a larger map. */
static char *map_aligned(size_t len, size_t align, size_t *maplen)
{
	size_t over = len + align;
	char *p = mmap(NULL, over, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t start, end;

	if (p == MAP_FAILED)
		return NULL;
	start = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	end = start + len;
	if (start > (uintptr_t)p)
		munmap(p, start - (uintptr_t)p);
	if ((uintptr_t)p + over > end)
		munmap((void *)end, (uintptr_t)p + over - end);
	*maplen = len;
	return (char *)start;
}

/* Allocate one experiment's memory and record each page's VA. */
static int experiment_alloc(const struct opts *o, struct experiment *e)
{
	uint64_t hpage = 0;
	size_t i, len;

	e->npages = (size_t)((e->size + PAGE_SZ - 1) / PAGE_SZ);
	e->va = malloc(e->npages * sizeof(*e->va));
	e->entry = malloc(e->npages * sizeof(*e->entry));
	if (!e->va || !e->entry)
		return -ENOMEM;

	switch (o->mode) {
	case MODE_4K:
		/*
		 * Separate blocks, each its own mmap(4096), touched as soon as
		 * it is mapped.  A free gap of the whole size is found first
		 * (mapped and unmapped at once); block i then goes to base +
		 * 4096 i with MAP_FIXED_NOREPLACE, so no page between two
		 * blocks goes unrecorded (malloc's chunk headers did that).
		 * Nothing else maps in this process meanwhile; should a page
		 * of the gap be taken all the same, the mmap fails (EEXIST).
		 * (A PROT_NONE reservation filled with MAP_FIXED costs a VMA
		 * split per block: 5 times slower than a plain fault in TCG.)
		 */
		len = e->npages * PAGE_SZ;
		e->resv = mmap(NULL, len, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (e->resv == MAP_FAILED) {
			e->resv = NULL;
			return -errno;
		}
		munmap(e->resv, len);
		for (i = 0; i < e->npages; i++) {
			char *b = mmap(e->resv + i * PAGE_SZ, PAGE_SZ,
				       PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				       -1, 0);

			if (b == MAP_FAILED || b != e->resv + i * PAGE_SZ) {
				int err = b == MAP_FAILED ? errno : EEXIST;

				if (b != MAP_FAILED)    /* a kernel without NOREPLACE */
					munmap(b, PAGE_SZ);
				e->resvlen = i * PAGE_SZ;       /* what is ours */
				return -err;
			}
			e->resvlen = (i + 1) * PAGE_SZ;
			*(volatile char *)b = (char)i;
			e->va[i] = (uintptr_t)b;
		}
		return 0;
	case MODE_BLOCK:
		len = e->npages * PAGE_SZ;
		e->map = map_aligned(len, PAGE_SZ, &e->maplen);
		if (!e->map)
			return -errno;
		/* Plain 4 KiB paging, whatever the system's THP default. */
		madvise(e->map, len, MADV_NOHUGEPAGE);
		break;
	case MODE_THP:
		len = (size_t)((e->size + HPAGE_2M - 1) & ~(HPAGE_2M - 1));
		e->map = map_aligned(len, HPAGE_2M, &e->maplen);
		if (!e->map)
			return -errno;
		if (madvise(e->map, len, MADV_HUGEPAGE))
			return -errno;
		break;
	case MODE_HUGETLB:
		hpage = o->huge_size;
		if (!hpage && (proc_meminfo_bytes("Hugepagesize", &hpage) || !hpage))
			hpage = HPAGE_2M;
		len = (size_t)((e->size + hpage - 1) & ~(hpage - 1));
		/* log2 of the page size in the flags; 0 asks for the default. */
		e->map = mmap(NULL, len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			      (o->huge_size ? (__builtin_ctzll(hpage) << MAP_HUGE_SHIFT) : 0),
			      -1, 0);
		if (e->map == MAP_FAILED) {
			e->map = NULL;
			return -errno;
		}
		e->maplen = len;
		break;
	}
	for (i = 0; i < e->npages; i++)
		e->va[i] = (uintptr_t)e->map + i * PAGE_SZ;
	return 0;
}

/* Write to every page so that each is backed by a frame. */
static void experiment_touch(struct experiment *e)
{
	size_t i;

	for (i = 0; i < e->npages; i++)
		*(volatile char *)(uintptr_t)e->va[i] = (char)i;
}

static int experiment_translate(struct pagemap *pm, const struct opts *o,
				struct experiment *e)
{
	uint64_t *pfn;
	size_t i, n = 0;
	int err;

	(void)o;
	/* Every mode's pages are consecutive in VA now, 4K's too. */
	err = pagemap_read(pm, e->va[0] / PAGE_SZ, e->npages, e->entry);
	/*
	 * kpageflags tells THP and hugetlb pages apart; it needs root.  Read
	 * for every mode: a thp flag on a 4K or block row would show that
	 * THP was not off after all.
	 */
	if (err || pm->kpf_fd < 0)
		return err;

	pfn = malloc(e->npages * sizeof(*pfn));
	e->kpf = calloc(e->npages, sizeof(*e->kpf));
	if (!pfn || !e->kpf) {
		free(pfn);
		return -ENOMEM;
	}
	for (i = 0; i < e->npages; i++)
		if ((e->entry[i] & PM_PRESENT) && (e->entry[i] & PM_PFRAME_MASK))
			pfn[n++] = e->entry[i] & PM_PFRAME_MASK;
	err = pagemap_kpageflags(pm, pfn, n, pfn);
	if (!err)
		for (i = 0, n = 0; i < e->npages; i++)
			if ((e->entry[i] & PM_PRESENT) && (e->entry[i] & PM_PFRAME_MASK))
				e->kpf[i] = pfn[n++];
	free(pfn);
	if (err == -EACCES) {  /* readable pagemap but not kpageflags */
		free(e->kpf);
		e->kpf = NULL;
		err = 0;
	}
	return err;
}

/* Is this page mapped by a 2 MiB (or larger) leaf? Needs kpageflags. */
static enum ptw_level page_level(uint64_t va, uint64_t pfn, uint64_t kpf,
				 uint64_t hpage)
{
	uint64_t span = hpage / PAGE_SZ;

	if (!(kpf & ((1ULL << KPF_THP) | (1ULL << KPF_HUGE))))
		return PTW_LVL_PTE;
	if (kpf & (1ULL << KPF_THP))
		span = HPAGE_2M / PAGE_SZ;
	/* A huge leaf maps an aligned block: VA and PFN agree below it. */
	if (((va / PAGE_SZ) ^ pfn) & (span - 1))
		return PTW_LVL_PTE;
	return span >= (1ULL << 30) / PAGE_SZ ? PTW_LVL_PUD : PTW_LVL_PMD;
}

static int experiment_write(struct csvout *out, const struct opts *o,
			    const struct experiment *e, uint64_t hpage)
{
	struct ptw_row r;
	size_t i;
	int err;

	memset(&r, 0, sizeof(r));
	r.source = "user";
	r.allocator = modes[o->mode].allocator;
	r.size_bytes = e->size;
	r.sample = e->sample;
	for (i = 0; i < e->npages; i++) {
		struct pm_entry pe;
		uint64_t kpf = e->kpf ? e->kpf[i] : 0;

		pagemap_decode(e->entry[i], &pe);
		r.page = i;
		r.va = e->va[i];
		r.has = 0;
		r.flags = (pe.present ? PTW_F_PRESENT : 0) |
			  (pe.swapped ? PTW_F_SWAPPED : 0) |
			  (pe.file_shared ? PTW_F_FILE : 0) |
			  (pe.exclusive ? PTW_F_EXCLUSIVE : 0) |
			  (pe.soft_dirty ? PTW_F_SOFTDIRTY : 0) |
			  (kpf & (1ULL << KPF_THP) ? PTW_F_THP : 0) |
			  (kpf & (1ULL << KPF_HUGE) ? PTW_F_HUGETLB : 0);
		r.level = PTW_LVL_NONE;
		if (pagemap_pfn_hidden(&pe)) {
			r.flags |= PTW_F_HIDDEN;
		} else if (pe.present) {
			r.pa = r.pa_pagemap = pe.pfn * PAGE_SZ;
			r.has = PTW_HAS_PA | PTW_HAS_PAGEMAP;
			r.level = page_level(r.va, pe.pfn, kpf, hpage);
		}
		err = csvout_row(out, &r);
		if (err)
			return err;
	}
	return 0;
}

/* --maps: one CSV line per VMA that holds part of experiment e. */
struct maps_ctx {
	struct csvout *out;
	const char *allocator;
	const struct experiment *e;
	uint64_t lo, hi;
};

static int maps_line(void *arg, const char *line)
{
	const struct maps_ctx *c = arg;
	char row[PTW_ROW_MAX], perms[8], dev[16], *p;
	unsigned long long vlo, vhi, off, inode;
	const char *name;
	int n = 0, len;

	if (sscanf(line, "%llx-%llx %7s %llx %15s %llu %n", &vlo, &vhi, perms, &off,
		   dev, &inode, &n) < 6 || n == 0)
		return -EPROTO;
	name = line + n;
	len = snprintf(row, sizeof(row), "%s,%llu,%u,0x%016llx,0x%016llx,0x%016llx,0x%016llx,%s,0x%016llx,%s,%llu,",
		       c->allocator, (unsigned long long)c->e->size, c->e->sample,
		       (unsigned long long)c->lo, (unsigned long long)c->hi, vlo, vhi,
		       perms, off, dev, inode);
	/* the name, quoted (RFC 4180) when it holds a comma or a quote */
	if (len < 0 || (size_t)len >= sizeof(row) - 4)
		return -E2BIG;
	p = row + len;
	if (strpbrk(name, ",\"")) {
		*p++ = '"';
		for (; *name && p < row + sizeof(row) - 3; name++) {
			if (*name == '"')
				*p++ = '"';
			*p++ = *name;
		}
		if (*name)
			return -E2BIG;
		*p++ = '"';
	} else {
		size_t k = strlen(name);

		if (k > (size_t)(row + sizeof(row) - 2 - p))
			return -E2BIG;
		memcpy(p, name, k);
		p += k;
	}
	*p++ = '\n';
	return csvout_line(c->out, row, (size_t)(p - row));
}

static int experiment_maps(struct csvout *out, const struct opts *o,
			   const struct experiment *e)
{
	struct maps_ctx c = { out, modes[o->mode].allocator, e, 0, 0 };

	/* the pages measured (a THP or hugetlb map may be larger) */
	c.lo = e->va[0];
	c.hi = e->va[0] + e->npages * PAGE_SZ;
	return proc_vma_each(getpid(), c.lo, c.hi, maps_line, &c);
}

static bool experiment_hidden(const struct experiment *e)
{
	size_t i;

	for (i = 0; i < e->npages; i++) {
		struct pm_entry pe;

		pagemap_decode(e->entry[i], &pe);
		if (pe.present)
			return pagemap_pfn_hidden(&pe);
	}
	return false;
}

static const char *alloc_hint(const struct opts *o)
{
	if (o->mode == MODE_HUGETLB && o->huge_size == HPAGE_1G)
		return " (reserve 1 GiB pages first: hugepagesz=1G hugepages=N on the kernel command line,"
		       " or echo N > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages)";
	if (o->mode == MODE_HUGETLB && o->huge_size)
		return " (reserve pages of that size first:"
		       " echo N > /sys/kernel/mm/hugepages/hugepages-SIZEkB/nr_hugepages)";
	return o->mode == MODE_HUGETLB
		? " (reserve huge pages first: echo N > /proc/sys/vm/nr_hugepages)" : "";
}

int main(int argc, char **argv)
{
	struct opts o;
	struct pagemap pm = { .fd = -1, .kpf_fd = -1 };
	struct csvout *out = NULL, *mout = NULL;
	struct experiment *held = NULL, *e = NULL;
	struct timing t = { 0 };
	uint64_t hpage = HPAGE_2M;
	int err = 0, s, step = 0;
	unsigned k;
	char sz[32];

	parse_opts(argc, argv, &o);
	if (check_size_fits(&o))
		return 1;
	if (o.shuffle) {        /* the order, for the record (even with -q) */
		fprintf(stderr, PROG ": size order (--shuffle %llu), bytes:", (unsigned long long)o.seed);
		for (s = 0; s < o.nsizes; s++)
			fprintf(stderr, " %llu", (unsigned long long)o.sizes[s]);
		fputc('\n', stderr);
	}
	/* No THP for the modes that measure 4 KiB (or hugetlb) pages. */
	if (o.mode != MODE_THP && prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)) {
		fprintf(stderr, PROG ": cannot switch THP off for this process (PR_SET_THP_DISABLE): %s\n",
			strerror(errno));
		return 1;
	}
	proc_meminfo_bytes("Hugepagesize", &hpage);
	if (o.huge_size)
		hpage = o.huge_size;
	err = pagemap_open(&pm, 0);
	if (err) {
		fprintf(stderr, PROG ": cannot open %s: %s\n", pm.path, strerror(-err));
		return 1;
	}
	err = csvout_open(&out, o.out, o.fmt);
	if (err) {
		fprintf(stderr, PROG ": cannot create %s: %s\n", o.out, strerror(-err));
		out = NULL;
		goto cleanup;
	}
	if (o.maps) {
		err = csvout_open_header(&mout, o.maps, MAPS_CSV_HEADER);
		if (err) {
			fprintf(stderr, PROG ": cannot create %s: %s\n", o.maps, strerror(-err));
			mout = NULL;
			goto cleanup;
		}
	}
	for (s = 0; s < o.nsizes; s++) {
		for (k = 1; k <= o.samples; k++) {
			double t0, t1, t2, t3;

			step++;
			e = calloc(1, sizeof(*e));
			if (!e) {
				err = -ENOMEM;
				fprintf(stderr, PROG ": out of memory\n");
				goto cleanup;
			}
			e->size = o.sizes[s];
			e->sample = k;
			t0 = cli_now();
			err = experiment_alloc(&o, e);
			if (err) {
				fprintf(stderr, PROG ": cannot allocate %s in mode %s: %s%s\n",
					size_format(e->size, sz, sizeof(sz)),
					modes[o.mode].flag, strerror(-err), alloc_hint(&o));
				goto cleanup;
			}
			experiment_touch(e);
			t1 = cli_now();
			err = experiment_translate(&pm, &o, e);
			if (err) {
				fprintf(stderr, PROG ": cannot read %s: %s\n", pm.path,
					err == -EIO ? "short read" : strerror(-err));
				goto cleanup;
			}
			if (!o.allow_hidden && experiment_hidden(e)) {
				fprintf(stderr, PROG ": " PAGEMAP_HIDDEN_MSG "\n");
				err = -EPERM;
				goto cleanup;
			}
			t2 = cli_now();
			err = experiment_write(out, &o, e, hpage);
			if (err) {
				fprintf(stderr, PROG ": cannot write %s: %s\n", o.out, strerror(-err));
				goto cleanup;
			}
			if (mout && (err = experiment_maps(mout, &o, e))) {
				fprintf(stderr, PROG ": cannot write %s: %s\n", o.maps,
					err == -EPROTO ? "unexpected /proc/self/maps line" :
					err == -E2BIG ? "a /proc/self/maps line too long" : strerror(-err));
				goto cleanup;
			}
			t3 = cli_now();
			t.fault += t1 - t0;
			t.translate += t2 - t1;
			t.write += t3 - t2;
			t.pages += e->npages;
			if (!o.quiet && (o.nsizes > 1 || o.samples > 1))
				fprintf(stderr, PROG ": [%d/%d] %s %s sample %u: %zu pages, %.1f ms\n",
					step, o.nsizes * (int)o.samples, modes[o.mode].allocator,
					size_format(e->size, sz, sizeof(sz)), k, e->npages,
					(t3 - t0) * 1e3);
			/* held until the size's last sample (or --hold's end) */
			e->next = held;
			held = e;
			e = NULL;
		}
		while (!o.hold && held) {
			e = held->next;
			experiment_free(held);
			held = e;
		}
	}
	err = csvout_commit(out);
	out = NULL;
	if (err) {
		fprintf(stderr, PROG ": cannot write %s: %s\n", o.out, strerror(-err));
		goto cleanup;
	}
	if (mout) {
		err = csvout_commit(mout);
		mout = NULL;
		if (err) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", o.maps, strerror(-err));
			goto cleanup;
		}
	}
	if (o.stats)
		fprintf(stderr, PROG ": stats pages=%llu fault_s=%.6f translate_s=%.6f write_s=%.6f\n",
			(unsigned long long)t.pages, t.fault, t.translate, t.write);
	if (o.hold) {
		FILE *f = strcmp(o.out, "-") == 0 ? stderr : stdout;

		fprintf(f, "ready %d\n", (int)getpid());
		if (f == stdout && outfile_stdout_done(PROG)) {
			err = -EIO;     /* no one can learn that we hold */
			goto cleanup;
		}
		fflush(f);
		cli_hold(NULL);
	}
cleanup:
	csvout_abort(out);
	csvout_abort(mout);
	experiment_free(e);
	while (held) {
		e = held->next;
		experiment_free(held);
		held = e;
	}
	pagemap_close(&pm);
	return err != 0;
}
