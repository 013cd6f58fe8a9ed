/*
 * tests/helpers/pt_race.c - test helper: readers and writers racing on one
 * open file of /proc/pagetable.
 *
 * Issue 11, item 1: a write swaps the file's result while a reader that
 * shares the same open file (a thread, or a child after fork) is inside a
 * read of it, and two writers on one file may release one result twice.
 * This program runs those races and checks every read it makes:
 *
 *   threads [-n N]  two writer threads (N writes each, alternating
 *                   "kmalloc 4K" and "vmalloc 8K") and one reader thread
 *                   looping pread(64 KiB, 0) on one fd, no sleeps
 *   fork [-n N]     the same with processes: the parent and a forked
 *                   child write, a second child reads
 *   large [-n N]    N rounds of the case: write "vmalloc 256M",
 *                   fork a child that loops pread(1 MiB, 0), 0.3 s later
 *                   write "kmalloc 4K" on the same fd
 *
 * A read is good when it starts with the CSV header and every whole row
 * after it belongs to one result: source kernel, one (allocator, size)
 * pair among those written, pages 0, 1, 2... in order, and, for the small
 * results (whose rows all fit in the one page seq_file formats per read),
 * as many rows as that size has pages.  A read of the 256 MiB result
 * returns its first page of text only: seq_file fills one buffer a read.  Prints one line
 * "race MODE: ... reads, ... bad, ... failed writes" and exits 1 when a
 * read was bad or a write failed, 2 for bad usage.  The kernel's side
 * (a use-after-free or double free under slub_debug) shows in dmesg,
 * which the calling test checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ptwalk_csv.h"
#include "ptwalk_uapi.h"

#define PROG "pt_race"
#define SMALL_READ (64 << 10)
#define LARGE_READ (1 << 20)

/* The commands written, and the (allocator, size) pair of their rows. */
static const struct cmd {
	const char *text, *allocator;
	uint64_t size;
} cmds[] = {
	{ "kmalloc 4K", "kmalloc", 4096 },
	{ "vmalloc 8K", "vmalloc", 8192 },
	{ "vmalloc 256M", "vmalloc", 256ULL << 20 },
};

/* Shared by the threads, or by the processes (MAP_SHARED). */
struct shared {
	int stop;
	unsigned long reads, bad, writes, wfail;
};

static struct shared *sh;
static int fd;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " threads|fork|large [-n N]\n"
"\n"
"Test helper: races readers and writers on one open /proc/pagetable (see\n"
"the comment at the top of its source).  -n: rounds (default 1000, large 3).\n");
}

/* Is one read of len bytes at offset 0 rows of one result, all if small? */
static bool read_good(const char *buf, size_t len, char *why, size_t whylen)
{
	const size_t hlen = strlen(PTW_CSV_HEADER);
	const struct cmd *c = NULL;
	const char *p, *nl;
	uint64_t page = 0, size, pg;
	char alloc[32];
	size_t i;

	if (len < hlen || memcmp(buf, PTW_CSV_HEADER, hlen)) {
		snprintf(why, whylen, "no header in %zu bytes", len);
		return false;
	}
	for (p = buf + hlen; (nl = memchr(p, '\n', len - (p - buf))) != NULL; p = nl + 1) {
		if (sscanf(p, "kernel,%31[^,],%" SCNu64 ",%*u,%" SCNu64 ",", alloc, &size, &pg) != 3) {
			snprintf(why, whylen, "row %" PRIu64 " unreadable: %.60s", page, p);
			return false;
		}
		if (!c) {
			for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
				if (!strcmp(alloc, cmds[i].allocator) && size == cmds[i].size)
					c = &cmds[i];
			if (!c) {
				snprintf(why, whylen, "row 0 is %s of %" PRIu64 " bytes, never written", alloc, size);
				return false;
			}
		} else if (strcmp(alloc, c->allocator) || size != c->size) {
			snprintf(why, whylen, "torn: row %" PRIu64 " is %s %" PRIu64 " after %s %" PRIu64,
				 page, alloc, size, c->allocator, c->size);
			return false;
		}
		if (pg != page) {
			snprintf(why, whylen, "row %" PRIu64 " has page %" PRIu64, page, pg);
			return false;
		}
		page++;
	}
	if (!c || (c->size <= 16 * 4096 && page != c->size / 4096)) {
		snprintf(why, whylen, "%" PRIu64 " rows at the end, want %" PRIu64,
			 page, c ? c->size / 4096 : 0);
		return false;
	}
	return true;
}

static void do_read(char *buf, size_t cap)
{
	char why[160];
	ssize_t n = pread(fd, buf, cap, 0);

	if (n < 0) {
		snprintf(why, sizeof(why), "pread: %s", strerror(errno));
	} else if (read_good(buf, n, why, sizeof(why))) {
		__atomic_add_fetch(&sh->reads, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_add_fetch(&sh->reads, 1, __ATOMIC_RELAXED);
	if (__atomic_add_fetch(&sh->bad, 1, __ATOMIC_RELAXED) <= 5)
		fprintf(stderr, PROG ": bad read: %s\n", why);
}

static void do_write(const struct cmd *c)
{
	size_t len = strlen(c->text);
	ssize_t n = write(fd, c->text, len);

	__atomic_add_fetch(&sh->writes, 1, __ATOMIC_RELAXED);
	if (n != (ssize_t)len &&
	    __atomic_add_fetch(&sh->wfail, 1, __ATOMIC_RELAXED) <= 5)
		fprintf(stderr, PROG ": write '%s': %s\n", c->text,
			n < 0 ? strerror(errno) : "short");
}

static void reader_loop(size_t cap)
{
	char *buf = malloc(cap);

	if (!buf) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE))
		do_read(buf, cap);
	free(buf);
}

static void writer_loop(unsigned long n, int first)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		do_write(&cmds[(first + i) & 1]);
}

struct wargs { unsigned long n; int first; };

static void *writer_thread(void *a)
{
	struct wargs *w = a;

	writer_loop(w->n, w->first);
	return NULL;
}

static void *reader_thread(void *a)
{
	(void)a;
	reader_loop(SMALL_READ);
	return NULL;
}

static int run_threads(unsigned long n)
{
	struct wargs w[2] = { { n, 0 }, { n, 1 } };
	pthread_t t[3];
	int i;

	if (pthread_create(&t[0], NULL, reader_thread, NULL) ||
	    pthread_create(&t[1], NULL, writer_thread, &w[0]) ||
	    pthread_create(&t[2], NULL, writer_thread, &w[1])) {
		fprintf(stderr, PROG ": cannot start threads\n");
		return -1;
	}
	for (i = 1; i < 3; i++)
		pthread_join(t[i], NULL);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	pthread_join(t[0], NULL);
	return 0;
}

/* fork a child that runs fn(arg) and exits 0. */
static pid_t spawn(void (*fn)(unsigned long), unsigned long arg)
{
	pid_t p = fork();

	if (p == 0) {
		fn(arg);
		_exit(0);
	}
	if (p < 0)
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
	return p;
}

static void child_reader(unsigned long cap) { reader_loop(cap); }
static void child_writer(unsigned long n) { writer_loop(n, 1); }

static int reap(pid_t p)
{
	int st;

	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, PROG ": child %d died (status 0x%x)\n", (int)p, st);
		return -1;
	}
	return 0;
}

static int run_fork(unsigned long n)
{
	pid_t r, w;
	int err = 0;

	r = spawn(child_reader, SMALL_READ);
	if (r < 0)
		return -1;
	w = spawn(child_writer, n);
	if (w >= 0) {
		writer_loop(n, 0);
		err |= reap(w);
	} else {
		err = -1;
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	return reap(r) | err;
}

static int run_large(unsigned long n)
{
	const struct timespec delay = { 0, 300 * 1000 * 1000 };
	unsigned long i, r0;
	int err = 0;
	pid_t r;

	for (i = 0; i < n && !err; i++) {
		do_write(&cmds[2]);
		__atomic_store_n(&sh->stop, 0, __ATOMIC_RELEASE);
		r = spawn(child_reader, LARGE_READ);
		if (r < 0)
			return -1;
		nanosleep(&delay, NULL);
		do_write(&cmds[0]);
		/* Two more whole reads after the swap, then stop. */
		r0 = __atomic_load_n(&sh->reads, __ATOMIC_ACQUIRE);
		while (__atomic_load_n(&sh->reads, __ATOMIC_ACQUIRE) < r0 + 2) {
			if (waitpid(r, NULL, WNOHANG) == r) {
				fprintf(stderr, PROG ": the reader died\n");
				return -1;
			}
			sched_yield();
		}
		__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
		err = reap(r);
	}
	return err;
}

int main(int argc, char **argv)
{
	const char *mode;
	unsigned long n = 0;
	uint64_t v;
	int c, err;

	if (argc < 2 || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	mode = argv[1];
	opterr = 0;
	optind = 2;
	while ((c = getopt(argc, argv, ":n:")) != -1) {
		if (c != 'n')
			cli_bad_option(PROG, argv, c);
		if (cli_parse_u64(optarg, &v) || v == 0 || v > 10000000)
			cli_die_usage(PROG, "bad number of rounds '-n %s': want 1 to 10000000", optarg);
		n = v;
	}
	if (optind < argc)
		cli_die_usage(PROG, "unexpected argument '%s'", argv[optind]);
	if (strcmp(mode, "threads") && strcmp(mode, "fork") && strcmp(mode, "large"))
		cli_die_usage(PROG, "unknown mode '%s': want threads, fork or large", mode);
	if (!n)
		n = strcmp(mode, "large") ? 1000 : 3;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap: %s\n", strerror(errno));
		return 1;
	}
	fd = open(PTWALK_PROC, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open " PTWALK_PROC ": %s\n", strerror(errno));
		return 1;
	}
	do_write(&cmds[0]);   /* every read from now on has rows */
	if (!strcmp(mode, "threads"))
		err = run_threads(n);
	else if (!strcmp(mode, "fork"))
		err = run_fork(n);
	else
		err = run_large(n);
	close(fd);
	printf("race %s: %lu rounds, %lu writes, %lu reads, %lu bad, %lu failed writes\n",
	       mode, n, sh->writes, sh->reads, sh->bad, sh->wfail);
	return err || sh->bad || sh->wfail;
}
