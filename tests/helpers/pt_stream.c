/*
 * tests/helpers/pt_stream.c - test helper: a large process walks itself
 * through /proc/pagetable's streamed `pid` walk, checked against pagemap.
 *
 *   pt_stream [-z GIB] [-w MIB] [-m] [-H]
 *   pt_stream -r PID
 *
 * Maps GIB (default 8) PROT_READ, MAP_NORESERVE, MADV_NOHUGEPAGE and
 * read-faults every page (each maps the shared zero page: page tables
 * only), and MIB (default 16) read-write with a distinct frame a page.
 * Then writes "pid <itself>" and reads the whole walk in 1 MiB reads,
 * checking every row: the page column counts 0, 1, 2..., VAs strictly
 * increase, and each row in the two regions has the PA that
 * /proc/self/pagemap gives (read 64K entries at a time).  Slab plus
 * VmallocUsed of /proc/meminfo is sampled before the write and every 64K
 * rows.  Then a pread at offset 0 of the same file must start the walk
 * again: the header, then page 0 at the first VA.  With -m a second thread maps, touches and unmaps 1 MiB regions
 * all through the walk (those rows are counted, not compared).  Prints
 * one line of key=value counts, which the calling test asserts; exits 1
 * when it could not run, 2 for bad usage.  With -H (for bench/guest/walk.sh)
 * it only maps and faults, prints "ready ZLO ZHI" (the zero region's
 * bounds, hex) and holds its memory until standard input ends.  With
 * -r PID (the bench's reader) it only writes "pid PID", reads the walk
 * back in 1 MiB reads, and prints "rows=N bytes=B reads=R" (N without
 * the header, R the reads that returned bytes), so that the bench times
 * the module and not a reader's byte loop (busybox wc -l took about 4
 * times as long as the walk's 4 KiB reads themselves, in the guest).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "ptwalk_csv.h"

#define PROG "pt_stream"
#define READ_SZ (1 << 20)
#define PM_BATCH 65536
#define PG 4096UL

static atomic_int stop_mapper;
static atomic_long mapper_cycles;

static void *mapper(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_mapper)) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			continue;
		for (size_t i = 0; i < (1 << 20); i += PG)
			p[i] = 1;
		munmap(p, 1 << 20);
		atomic_fetch_add(&mapper_cycles, 1);
	}
	return NULL;
}

/* Slab + VmallocUsed in kB. */
static long kmem_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long v, sum = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld", &v) == 1 ||
		    sscanf(line, "VmallocUsed: %ld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

struct pm {
	int fd;
	uint64_t lo, hi;        /* VAs the cache covers */
	uint64_t ent[PM_BATCH];
};

/* pagemap's PA of va, or UINT64_MAX when not present. */
static uint64_t pm_pa(struct pm *pm, uint64_t va)
{
	if (va < pm->lo || va >= pm->hi) {
		ssize_t n = pread(pm->fd, pm->ent, sizeof(pm->ent), (off_t)(va / PG * 8));

		if (n <= 0) {
			fprintf(stderr, PROG ": pread /proc/self/pagemap: %s\n", strerror(errno));
			exit(1);
		}
		pm->lo = va & ~(PG - 1);
		pm->hi = pm->lo + (uint64_t)n / 8 * PG;
	}
	uint64_t e = pm->ent[(va - pm->lo) / PG];

	if (!(e >> 63))
		return UINT64_MAX;
	return (e & ((1ULL << 55) - 1)) * PG;
}

/* -r PID: PID's walk read back in READ_SZ reads, rows counted. */
static int read_walk(long pid)
{
	char *buf = malloc(READ_SZ), cmd[64];
	int fd = open("/proc/pagetable", O_RDWR);
	int len = snprintf(cmd, sizeof(cmd), "pid %ld", pid);
	uint64_t lines = 0, bytes = 0, reads = 0;
	ssize_t n;

	if (!buf || fd < 0) {
		fprintf(stderr, PROG ": open /proc/pagetable: %s\n", strerror(errno));
		return 1;
	}
	if (write(fd, cmd, (size_t)len) != len) {
		fprintf(stderr, PROG ": write '%s': %s\n", cmd, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, READ_SZ)) > 0) {
		const char *p = buf, *end = buf + n;

		bytes += (uint64_t)n;
		reads++;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			lines++;
			p++;
		}
	}
	if (n < 0 || lines == 0) {
		fprintf(stderr, PROG ": read /proc/pagetable: %s\n",
			n < 0 ? strerror(errno) : "no header");
		return 1;
	}
	printf("rows=%" PRIu64 " bytes=%" PRIu64 " reads=%" PRIu64 "\n", lines - 1, bytes, reads);
	return 0;
}

/* Column c (0-based) of a CSV row as a number; the row has no quotes. */
static uint64_t col(const char *row, int c)
{
	while (c-- > 0) {
		row = strchr(row, ',');
		if (!row)
			return UINT64_MAX;
		row++;
	}
	return strtoull(row, NULL, 0);
}

int main(int argc, char **argv)
{
	uint64_t zgib = 8, wmib = 16, v;
	bool map_thread = false, hold = false;
	long rpid = 0;
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, ":z:w:mHr:")) != -1) {
		switch (c) {
		case 'r':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > INT32_MAX)
				cli_die_usage(PROG, "-r '%s': want a process id", optarg);
			rpid = (long)v;
			break;
		case 'z':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 1024)
				cli_die_usage(PROG, "-z '%s': want GiB, 1 to 1024", optarg);
			zgib = v;
			break;
		case 'w':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > 4096)
				cli_die_usage(PROG, "-w '%s': want MiB, 1 to 4096", optarg);
			wmib = v;
			break;
		case 'm':
			map_thread = true;
			break;
		case 'H':
			hold = true;
			break;
		default:
			cli_bad_option(PROG, argv, c);
		}
	}
	if (optind != argc)
		cli_die_usage(PROG, "unexpected argument '%s'", argv[optind]);
	if (rpid)
		return read_walk(rpid);

	size_t zlen = zgib << 30, wlen = wmib << 20;
	char *z = mmap(NULL, zlen, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *w = mmap(NULL, wlen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (z == MAP_FAILED || w == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap %" PRIu64 " GiB + %" PRIu64 " MiB: %s\n",
			zgib, wmib, strerror(errno));
		return 1;
	}
	if (madvise(z, zlen, MADV_NOHUGEPAGE) || madvise(w, wlen, MADV_NOHUGEPAGE)) {
		fprintf(stderr, PROG ": madvise MADV_NOHUGEPAGE: %s\n", strerror(errno));
		return 1;
	}
	double t0 = cli_now();
	unsigned long sum = 0;

	for (size_t i = 0; i < zlen; i += PG)
		sum += *(volatile char *)(z + i);
	for (size_t i = 0; i < wlen; i += PG)
		*(volatile uint64_t *)(w + i) = i + 1;
	double t_fault = cli_now() - t0;

	if (hold) {
		printf("ready %p %p\n", (void *)z, (void *)(z + zlen));
		fflush(stdout);
		while (getchar() != EOF)
			;
		return sum == 1;   /* zero pages read 0: keeps the loop */
	}

	struct pm *pm = calloc(1, sizeof(*pm));
	char *buf = malloc(READ_SZ + PTW_ROW_MAX + 1);
	int pfd = open("/proc/self/pagemap", O_RDONLY);
	int fd = open("/proc/pagetable", O_RDWR);
	char cmd[64];

	if (!pm || !buf || pfd < 0 || fd < 0) {
		fprintf(stderr, PROG ": open /proc/self/pagemap or /proc/pagetable: %s\n",
			strerror(errno));
		return 1;
	}
	pm->fd = pfd;
	long mem0 = kmem_kb(), mem_max = mem0;
	pthread_t th;

	if (map_thread && pthread_create(&th, NULL, mapper, NULL)) {
		fprintf(stderr, PROG ": pthread_create failed\n");
		return 1;
	}
	int len = snprintf(cmd, sizeof(cmd), "pid %d", (int)getpid());

	if (write(fd, cmd, (size_t)len) != len) {
		fprintf(stderr, PROG ": write '%s': %s\n", cmd, strerror(errno));
		return 1;
	}
	uint64_t first_va = 0, rows = 0, zrows = 0, wrows = 0, bad_pa = 0, bad_order = 0,
		 bad_page = 0, wdistinct_bad = 0, last_va = 0, last_wpa = 0;
	uint64_t zlo = (uintptr_t)z, zhi = zlo + zlen, wlo = (uintptr_t)w, whi = wlo + wlen;
	size_t have = 0;
	bool header = true;
	double t1 = cli_now();

	for (;;) {
		ssize_t n = read(fd, buf + have, READ_SZ);

		if (n < 0) {
			fprintf(stderr, PROG ": read /proc/pagetable: %s\n", strerror(errno));
			return 1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		char *p = buf, *nl;

		while ((nl = strchr(p, '\n')) != NULL) {
			*nl = '\0';
			if (header) {
				header = false;
			} else {
				uint64_t va = col(p, PTW_COL_VA), pa = col(p, PTW_COL_PA);

				if (col(p, PTW_COL_PAGE) != rows)
					bad_page++;
				if (rows && va <= last_va)
					bad_order++;
				last_va = va;
				if (!rows)
					first_va = va;
				if (va >= zlo && va < zhi) {
					zrows++;
					bad_pa += pm_pa(pm, va) != pa;
				} else if (va >= wlo && va < whi) {
					wrows++;
					bad_pa += pm_pa(pm, va) != pa;
					wdistinct_bad += pa == last_wpa;
					last_wpa = pa;
				}
				if (!(++rows & 0xffff)) {
					long m = kmem_kb();

					if (m > mem_max)
						mem_max = m;
				}
			}
			p = nl + 1;
		}
		have = (size_t)(buf + have - p);
		memmove(buf, p, have);
	}
	double t_walk = cli_now() - t1;
	/* A read at offset 0 on the same file walks again from the start. */
	ssize_t n0 = pread(fd, buf, 65536, 0);
	int reread_ok = 0;

	if (n0 > 0) {
		buf[n0] = '\0';
		char *r1 = strchr(buf, '\n');

		reread_ok = r1 && strchr(r1 + 1, '\n') &&
			    col(r1 + 1, PTW_COL_PAGE) == 0 && col(r1 + 1, PTW_COL_VA) == first_va &&
			    !strncmp(buf, PTW_CSV_HEADER, strlen(PTW_CSV_HEADER));
	}

	if (map_thread) {
		atomic_store(&stop_mapper, 1);
		pthread_join(th, NULL);
	}
	printf("rows=%" PRIu64 " zero_rows=%" PRIu64 " zero_pages=%zu written_rows=%" PRIu64
	       " written_pages=%zu bad_pa=%" PRIu64 " bad_order=%" PRIu64 " bad_page=%" PRIu64
	       " repeated_frames=%" PRIu64 " partial=%zu kmem_growth_kb=%ld mapper_cycles=%ld"
	       " reread_at_0_ok=%d fault_s=%.1f walk_s=%.1f sum=%lu\n",
	       rows, zrows, zlen / PG, wrows, wlen / PG, bad_pa, bad_order, bad_page,
	       wdistinct_bad, have, mem_max - mem0, atomic_load(&mapper_cycles),
	       reread_ok, t_fault, t_walk, sum);
	return 0;
}
