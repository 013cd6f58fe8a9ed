/*
 * tests/helpers/pt_hostile.c - test helper: attacks ptwalk.ko as a hostile
 * root user would, and checks every answer.
 *
 *   cmds      odd command bytes, one write each (NUL, tabs, runs of
 *             spaces, CR, signs, overflow, 128/129-byte commands, bad
 *             buffers, split writes, writes at offsets): each must get its
 *             errno, and a refused one must leave the last result as it was
 *   seek      one result read back by 1, 7, 4097-byte reads, by pread at
 *             every offset class and after odd lseeks: always the same bytes
 *   ioctl     /dev/ptwalk with bad numbers, bad pointers, kernel threads,
 *             zombies and reaped PIDs as targets, read/write/lseek/mmap
 *   storm [-n SECS]  4 processes x 3 threads opening, writing good and bad
 *             commands, reading odd sizes and seeking, some on one shared
 *             file, for SECS (default 10) seconds: every answer allowed
 *   exitpid [-n N]   N children that fault in 32 MiB and exit while
 *             `pid CHILD` is written in a loop: ok or ESRCH only
 *   walks     VAs on stdin, one `walk VA` each: ok (or EINVAL when the VA
 *             is not canonical), the row's va is VA, and where the walk
 *             found a page it agrees with vmalloc_to_page and, in the
 *             direct map, with virt_to_phys
 *
 * Prints "PASS name" / "FAIL name: why" lines (tests/lib.sh's words) and
 * exits 1 when anything failed, 2 for bad usage.  The kernel's side (an
 * oops, WARN, use-after-free under slub_debug) shows in dmesg, which the
 * calling test checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ptwalk_csv.h"
#include "ptwalk_uapi.h"

#define PROG "pt_hostile"
#define BIG (4 << 20)

static int nfail;

static void result(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS %s\n", name);
	} else {
		printf("FAIL %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
		nfail++;
	}
	fflush(stdout);
}

static const char *ename(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "ok";
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case E2BIG: return "E2BIG";
	case ESRCH: return "ESRCH";
	case EFAULT: return "EFAULT";
	case ENOTTY: return "ENOTTY";
	case EIO: return "EIO";
	case ESPIPE: return "ESPIPE";
	case ENODEV: return "ENODEV";
	case EOVERFLOW: return "EOVERFLOW";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static int popen_rw(void)
{
	int fd = open(PTWALK_PROC, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open " PTWALK_PROC ": %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

/* One write of len bytes from buf on fd; 0 or the errno. */
static int wr(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n = off < 0 ? write(fd, buf, len) : pwrite(fd, buf, len, off);

	if (n < 0)
		return errno;
	return (size_t)n == len ? 0 : -1;
}

/* The whole current result through a new open file, into a malloc'd buffer. */
static char *slurp(size_t *len)
{
	int fd = popen_rw();
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	ssize_t r;

	for (;;) {
		if (n == cap)
			b = realloc(b, cap *= 2);
		r = read(fd, b + n, cap - n);
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	*len = n;
	return b;
}

static const struct cmdcase {
	const char *text;
	size_t len;         /* 0: strlen(text) */
	const char *want;
} cases[] = {
#define C(s, w) { s, sizeof(s) - 1, w }
	C("kmalloc 8K", "ok"), C("kmalloc  8K", "ok"), C("\tkmalloc\t8K\t", "ok"),
	C("kmalloc 8K\n", "ok"), C("kmalloc 8K\n\n", "ok"), C("   kmalloc   8K   ", "ok"),
	C("kmalloc 0X2000", "ok"), C("kmalloc 8KiB", "ok"), C("kmalloc 8kb", "ok"),
	C("alloc_pages 0", "ok"), C("walk 0", "ok"), C("walk 0xffffffffffffffff", "ok"),
	C("walk 18446744073709551615", "ok"), C("pid 0x1", "ok"),
	C("", "EINVAL"), C("\n", "EINVAL"), C("   \t ", "EINVAL"),
	C("kmalloc 8K\r", "EINVAL"), C("kmalloc 8K\r\n", "EINVAL"),
	C("kmalloc 8K\0", "EINVAL"), C("kmalloc\0 8K", "EINVAL"), C("\0", "EINVAL"),
	C("kmalloc 8Kx", "EINVAL"), C("kmalloc 8K x", "EINVAL"),
	C("kmalloc 8K 8K 8K 8K 8K", "EINVAL"), C("kmalloc 1 K", "EINVAL"),
	C("kmalloc -1", "EINVAL"), C("kmalloc +1", "EINVAL"), C("kmalloc -0", "EINVAL"),
	C("kmalloc 1.5K", "EINVAL"), C("kmalloc 1e3", "EINVAL"), C("kmalloc 0x", "EINVAL"),
	C("kmalloc 0x0", "EINVAL"), C("kmalloc 0x1000K", "EINVAL"), C("kmalloc 0x-1", "EINVAL"),
	C("kmalloc 0x0x10", "EINVAL"), C("kmalloc K", "EINVAL"), C("kmalloc iB", "EINVAL"),
	C("kmalloc 8iB", "EINVAL"), C("kmalloc 8B", "EINVAL"), C("kmalloc 8KK", "EINVAL"),
	C("kmalloc 8Ki", "EINVAL"), C("kmalloc 18446744073709551616", "EINVAL"),
	C("kmalloc 18446744073709551615", "ENOMEM"), C("kmalloc 4194305", "ENOMEM"),
	C("vmalloc 18446744073709551615", "ENOMEM"), C("vmalloc 0xffffffffffffffff", "ENOMEM"),
	C("vmalloc 0x10000000000000000", "EINVAL"), C("vmalloc 16777216T", "EINVAL"),
	C("vmalloc 16777215T", "ENOMEM"), C("kvmalloc 16777215T", "ENOMEM"),
	C("vmalloc 000000000000000000000000000000001", "EINVAL"),
	C("KMALLOC 8K", "EINVAL"), C("kmallocx 8K", "EINVAL"), C("kmalloc8K", "EINVAL"),
	C("kmal", "EINVAL"), C("loc 8K", "EINVAL"),
	C("alloc_pages 11", "EINVAL"), C("alloc_pages 4294967306", "EINVAL"),
	C("alloc_pages 18446744073709551615", "EINVAL"), C("alloc_pages 99999999999999999999", "EINVAL"),
	C("alloc_pages 1 2", "EINVAL"),
	C("pid 2147483647", "ESRCH"), C("pid 2147483648", "EINVAL"), C("pid 4294967297", "EINVAL"),
	C("pid 2", "ESRCH"), C("pid -0", "EINVAL"), C("pid 0x", "EINVAL"), C("pid", "EINVAL"),
	C("walk -1", "EINVAL"), C("walk 0x8000000000000000", "EINVAL"), C("walk 0x", "EINVAL"),
	C("walk 0x10000000000000000", "EINVAL"), C("walk 0x1 0x2", "EINVAL"),
#undef C
};

static void esc(const char *s, size_t len, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < cap; i++) {
		unsigned char c = s[i];

		if (c >= 0x21 && c < 0x7f && c != '\\')
			out[o++] = c;
		else
			o += snprintf(out + o, cap - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

static int do_cmds(void)
{
	int fd = popen_rw(), got;
	char name[512], e[400], *before, *after, *big, *p;
	size_t i, lb, la;
	long pg = sysconf(_SC_PAGESIZE);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool want_ok = !strcmp(cases[i].want, "ok");

		if (!want_ok)
			wr(fd, "kmalloc 12K", 11, -1);
		before = slurp(&lb);
		got = wr(fd, cases[i].text, cases[i].len, -1);
		after = slurp(&la);
		esc(cases[i].text, cases[i].len, e, sizeof(e));
		snprintf(name, sizeof(name), "hostile cmd '%s': %s", e, cases[i].want);
		if (strcmp(ename(got), cases[i].want))
			result(false, name, "got %s", ename(got));
		else
			result(want_ok || (la == lb && !memcmp(before, after, la)), name,
			       "the last result changed (%zu -> %zu bytes)", lb, la);
		free(before);
		free(after);
	}

	/* 128 bytes is the longest command; 129, 4096 and 4 MiB are refused. */
	big = malloc(BIG);
	memset(big, ' ', BIG);
	memcpy(big, "kmalloc", 7);
	memcpy(big + 126, "8K", 2);
	got = wr(fd, big, 128, -1);
	result(got == 0, "hostile cmd of 128 bytes (runs of spaces): ok", "got %s", ename(got));
	memcpy(big + 127, "8K", 2);
	got = wr(fd, big, 129, -1);
	result(got == EINVAL, "hostile cmd of 129 bytes: EINVAL", "got %s", ename(got));
	got = wr(fd, big, 4096, -1);
	result(got == EINVAL, "hostile cmd of 4096 bytes: EINVAL", "got %s", ename(got));
	got = wr(fd, big, BIG, -1);
	result(got == EINVAL, "hostile cmd of 4 MiB: EINVAL", "got %s", ename(got));
	free(big);

	/* Bad buffers: NULL, unmapped tail, kernel address. */
	got = wr(fd, NULL, 10, -1);
	result(got == EFAULT, "hostile write from NULL: EFAULT", "got %s", ename(got));
	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p + pg, pg, PROT_NONE);
	memcpy(p + pg - 8, "kmalloc ", 8);
	got = wr(fd, p + pg - 8, 10, -1);
	result(got == EFAULT, "hostile write straddling a PROT_NONE page: EFAULT", "got %s", ename(got));
	got = wr(fd, (void *)0xffff888000000000UL, 10, -1);
	result(got == EFAULT, "hostile write from a kernel address: EFAULT", "got %s", ename(got));
	munmap(p, 2 * pg);

	/*
	 * Writes at offsets: pwrite is refused (seq_open() clears
	 * FMODE_PWRITE), a write after lseek is a command like any other.
	 */
	got = wr(fd, "kmalloc 16K", 11, 123456789);
	result(got == ESPIPE, "hostile pwrite at offset 123456789: ESPIPE", "got %s", ename(got));
	lseek(fd, 123456789, SEEK_SET);
	got = wr(fd, "kmalloc 16K", 11, -1);
	before = slurp(&lb);
	result(got == 0 && strstr(before, "\nkernel,kmalloc,16384,") != NULL,
	       "hostile write after lseek 123456789: a command", "got %s", ename(got));
	free(before);
	lseek(fd, 0x7fffffffffffffffLL, SEEK_SET);
	got = wr(fd, "kmalloc 16K", 11, -1);
	/* The VFS refuses a write whose end would pass 2^63 (rw_verify_area). */
	result(got == EINVAL, "hostile write after lseek 2^63-1: EINVAL", "got %s", ename(got));
	close(fd);
	return nfail ? 1 : 0;
}

/* Read all of fd from where it is, reads of sz bytes. */
static size_t read_by(int fd, char *buf, size_t cap, size_t sz)
{
	size_t n = 0;
	ssize_t r;

	while (n < cap && (r = read(fd, buf + n, sz < cap - n ? sz : cap - n)) > 0)
		n += r;
	return n;
}

static int do_seek(void)
{
	static const size_t sizes[] = { 1, 7, 64, 4095, 4096, 4097, 65537, BIG };
	int fd = popen_rw(), got;
	size_t len, n, i, off;
	char *ref, *buf = malloc(BIG);
	char name[128];
	off_t o;

	got = wr(fd, "vmalloc 1M", 10, -1);   /* 257 lines, several seq pages */
	result(got == 0, "hostile seek: vmalloc 1M", "got %s", ename(got));
	close(fd);
	ref = slurp(&len);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fd = popen_rw();
		n = read_by(fd, buf, BIG, sizes[i]);
		snprintf(name, sizeof(name), "hostile reads of %zu bytes: the same %zu bytes", sizes[i], len);
		result(n == len && !memcmp(buf, ref, len), name, "got %zu bytes", n);
		close(fd);
	}
	fd = popen_rw();
	for (off = 0; off < len; off += 997) {
		ssize_t r = pread(fd, buf, 333, off);

		if (r < 0 || (size_t)r > 333 || memcmp(buf, ref + off, r) || (r == 0 && off < len))
			break;
	}
	result(off >= len, "hostile pread at every 997th offset: the same bytes",
	       "offset %zu differs", off);
	o = lseek(fd, -1, SEEK_SET);
	result(o < 0 && errno == EINVAL, "hostile lseek -1: EINVAL", "got %lld", (long long)o);
	o = lseek(fd, 0, SEEK_END);
	result(o < 0 && errno == EINVAL, "hostile lseek SEEK_END: EINVAL", "got %lld", (long long)o);
	o = lseek(fd, 0x7fffffffffffffffLL, SEEK_SET);
	n = read_by(fd, buf, BIG, 4096);
	result(n == 0, "hostile lseek 2^63-1 then read: 0 bytes", "got %zu bytes (lseek %lld)",
	       n, (long long)o);
	o = lseek(fd, 0x7fffffffffffffffLL, SEEK_SET);
	o = lseek(fd, 10, SEEK_CUR);
	result(o < 0, "hostile lseek past 2^63: refused", "got %lld", (long long)o);
	lseek(fd, 1000, SEEK_SET);
	read_by(fd, buf, 10, 10);
	o = lseek(fd, -500, SEEK_CUR);
	n = read_by(fd, buf, BIG, 333);
	result(o == 510 && n == len - 510 && !memcmp(buf, ref + 510, n),
	       "hostile lseek back by SEEK_CUR: the same bytes", "lseek %lld, %zu bytes", (long long)o, n);
	o = lseek(fd, len - 5, SEEK_SET);
	n = read_by(fd, buf, BIG, 1);
	result(n == 5 && !memcmp(buf, ref + len - 5, 5), "hostile lseek to the last 5 bytes",
	       "got %zu bytes", n);
	close(fd);
	free(ref);
	free(buf);
	return nfail ? 1 : 0;
}

static int xl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

static int do_ioctl(void)
{
	struct ptwalk_xlate x = { 0 };
	int fd = open(PTWALK_DEVICE, O_RDWR | O_CLOEXEC), got, st;
	long pg = sysconf(_SC_PAGESIZE);
	char *ro, c;
	pid_t z;
	void *m;

	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open " PTWALK_DEVICE ": %s\n", strerror(errno));
		return 1;
	}
#define EXPECT(name, call, want) do { got = (call); \
	result(got == (want), "hostile ioctl " name ": " #want, "got %s", ename(got)); } while (0)
	EXPECT("GET_PFN before SET_PID", xl(fd, IOCTL_GET_PFN, (void *)1), ESRCH);
	EXPECT("SET_PID 0", xl(fd, IOCTL_SET_PID, (void *)0), EINVAL);
	EXPECT("SET_PID -1", xl(fd, IOCTL_SET_PID, (void *)-1L), EINVAL);
	EXPECT("SET_PID 2^31", xl(fd, IOCTL_SET_PID, (void *)(1UL << 31)), EINVAL);
	EXPECT("SET_PID 2^32+1", xl(fd, IOCTL_SET_PID, (void *)((1UL << 32) + 1)), EINVAL);
	EXPECT("SET_PID INT_MAX", xl(fd, IOCTL_SET_PID, (void *)0x7fffffffL), ESRCH);
	EXPECT("SET_PID 2 (kthreadd)", xl(fd, IOCTL_SET_PID, (void *)2L), 0);
	EXPECT("GET_PFN of kthreadd", xl(fd, IOCTL_GET_PFN, (void *)1L), ESRCH);
	EXPECT("XLATE of kthreadd", xl(fd, IOCTL_XLATE, &x), ESRCH);
	z = fork();
	if (z == 0)
		_exit(0);
	usleep(200000);   /* a zombie now: not reaped */
	EXPECT("SET_PID zombie", xl(fd, IOCTL_SET_PID, (void *)(long)z), 0);
	EXPECT("GET_PFN of a zombie", xl(fd, IOCTL_GET_PFN, (void *)1L), ESRCH);
	waitpid(z, &st, 0);
	EXPECT("GET_PFN of a reaped process", xl(fd, IOCTL_GET_PFN, (void *)1L), ESRCH);
	EXPECT("SET_PID reaped", xl(fd, IOCTL_SET_PID, (void *)(long)z), ESRCH);
	EXPECT("SET_PID self", xl(fd, IOCTL_SET_PID, (void *)(long)getpid()), 0);
	EXPECT("GET_PFN ~0", xl(fd, IOCTL_GET_PFN, (void *)~0UL), EINVAL);
	EXPECT("GET_PFN 2^63", xl(fd, IOCTL_GET_PFN, (void *)(1UL << 63)), EINVAL);
	EXPECT("GET_PFN 0", xl(fd, IOCTL_GET_PFN, (void *)0), ENOENT);
	EXPECT("XLATE NULL", xl(fd, IOCTL_XLATE, NULL), EFAULT);
	EXPECT("XLATE kernel pointer", xl(fd, IOCTL_XLATE, (void *)0xffff888000000000UL), EFAULT);
	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect((char *)m + pg, pg, PROT_NONE);
	EXPECT("XLATE straddling PROT_NONE", xl(fd, IOCTL_XLATE, (char *)m + pg - 32), EFAULT);
	ro = (char *)m + pg - sizeof(x);
	memset(ro, 0, sizeof(x));
	((struct ptwalk_xlate *)ro)->vpn = (uintptr_t)m / pg;
	mprotect(m, pg, PROT_READ);
	EXPECT("XLATE into a read-only page", xl(fd, IOCTL_XLATE, ro), EFAULT);
	munmap(m, 2 * pg);
	x.vpn = ~0ULL;
	EXPECT("XLATE vpn ~0", xl(fd, IOCTL_XLATE, &x), EINVAL);
	x.vpn = (uintptr_t)&x / pg;
	EXPECT("XLATE of its own stack", xl(fd, IOCTL_XLATE, &x), 0);
	result(x.level == 1 && (x.flags & PTWALK_XF_PRESENT) && x.pfn,
	       "hostile ioctl XLATE of its own stack: a pte leaf", "level %u flags %u", x.level, x.flags);
	EXPECT("number 0", xl(fd, 0, &x), ENOTTY);
	EXPECT("_IO(p,0)", xl(fd, _IO(PTWALK_IOC_MAGIC, 0), &x), ENOTTY);
	EXPECT("_IO(p,4)", xl(fd, _IO(PTWALK_IOC_MAGIC, 4), &x), ENOTTY);
	EXPECT("XLATE of 63 bytes", xl(fd, _IOC(_IOC_READ | _IOC_WRITE, PTWALK_IOC_MAGIC, 3, 63), &x), ENOTTY);
	EXPECT("GET_PFN as _IOR", xl(fd, _IOR(PTWALK_IOC_MAGIC, 1, int), &x), ENOTTY);
	EXPECT("0xffffffff", xl(fd, 0xffffffffUL, &x), ENOTTY);
	EXPECT("FIONREAD", xl(fd, FIONREAD, &x), ENOTTY);
	got = read(fd, &c, 1) < 0 ? errno : 0;
	result(got == EINVAL, "hostile read of /dev/ptwalk: EINVAL", "got %s", ename(got));
	got = write(fd, "x", 1) < 0 ? errno : 0;
	result(got == EINVAL, "hostile write to /dev/ptwalk: EINVAL", "got %s", ename(got));
	got = lseek(fd, 1, SEEK_SET) < 0 ? errno : 0;
	result(got == ESPIPE, "hostile lseek of /dev/ptwalk: ESPIPE", "got %s", ename(got));
	m = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
	got = m == MAP_FAILED ? errno : 0;
	result(got == ENODEV, "hostile mmap of /dev/ptwalk: ENODEV", "got %s", ename(got));
#undef EXPECT
	close(fd);
	return nfail ? 1 : 0;
}

/* storm: many processes and threads on the module at once. */
static const char *const storm_cmds[] = {
	"kmalloc 4K", "kmalloc 64K", "vmalloc 8K", "vmalloc 1M", "kvmalloc 64K",
	"alloc_pages 0", "alloc_pages 3", "walk 0xffffffffff600000", "walk 0",
	"pid 1", "kmalloc 0", "vmalloc 0x", "alloc_pages 11", "pid 4000000",
	"frob", "walk 0x8000000000000000", "", "kmalloc 8M",
};
struct storm {
	int stop;
	unsigned long ops, bad, reads, writes;
	char why[200];
};
static struct storm *sm;
static int shared_fd;

static void storm_bad(const char *fmt, const char *a, long b)
{
	__sync_fetch_and_add(&sm->bad, 1);
	snprintf(sm->why, sizeof(sm->why), fmt, a, b);
}

static void *storm_thread(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	const size_t hl = strlen(PTW_CSV_HEADER);
	char *buf = malloc(1 << 20);
	int fd = -1, got, use;
	ssize_t r;

	while (!__atomic_load_n(&sm->stop, __ATOMIC_RELAXED)) {
		if (fd < 0 && rand_r(&seed) % 4)
			fd = popen_rw();
		use = fd >= 0 ? fd : shared_fd;
		switch (rand_r(&seed) % 6) {
		case 0: case 1: {
			const char *c = storm_cmds[rand_r(&seed) % (sizeof(storm_cmds) / sizeof(storm_cmds[0]))];

			got = wr(use, c, strlen(c), -1);
			__sync_fetch_and_add(&sm->writes, 1);
			if (got != 0 && got != EINVAL && got != ENOMEM && got != ESRCH)
				storm_bad("write '%s': errno %ld", c, got);
			break;
		}
		case 2: case 3:
			r = pread(use, buf, 1 + rand_r(&seed) % (1 << 20), 0);
			__sync_fetch_and_add(&sm->reads, 1);
			if (r < 0)
				storm_bad("pread: %s%ld", strerror(errno), 0);
			else if ((size_t)r >= hl && memcmp(buf, PTW_CSV_HEADER, hl))
				storm_bad("pread at 0: no header (%s%ld bytes)", "", r);
			break;
		case 4:
			lseek(use, rand_r(&seed) % 100000, SEEK_SET);
			r = read(use, buf, 1 + rand_r(&seed) % 5000);
			if (r < 0)
				storm_bad("read after lseek: %s%ld", strerror(errno), 0);
			break;
		case 5:
			if (fd >= 0) {
				close(fd);
				fd = -1;
			}
			break;
		}
		__sync_fetch_and_add(&sm->ops, 1);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static int do_storm(int secs)
{
	pid_t kids[4];
	pthread_t th[3];
	int i, j, st;

	sm = mmap(NULL, sizeof(*sm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shared_fd = popen_rw();
	for (i = 0; i < 4; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			for (j = 0; j < 3; j++)
				pthread_create(&th[j], NULL, storm_thread, (void *)(uintptr_t)(i * 3 + j + 1));
			for (j = 0; j < 3; j++)
				pthread_join(th[j], NULL);
			_exit(0);
		}
	}
	sleep(secs);
	sm->stop = 1;
	for (i = 0; i < 4; i++)
		waitpid(kids[i], &st, 0);
	printf("storm: %lu operations, %lu writes, %lu reads, %lu bad\n", sm->ops, sm->writes, sm->reads, sm->bad);
	result(sm->bad == 0 && sm->writes > 0 && sm->reads > 0,
	       "hostile storm: 4 processes x 3 threads, every answer allowed", "%lu bad, last: %s",
	       sm->bad, sm->why);
	return nfail ? 1 : 0;
}

static int do_exitpid(int rounds)
{
	unsigned long ok = 0, esrch = 0, other = 0, i;
	char cmd[32];
	int fd = popen_rw(), got, st, last = 0;
	pid_t c;

	for (i = 0; i < (unsigned long)rounds; i++) {
		c = fork();
		if (c == 0) {
			size_t n = 32 << 20;
			char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			for (size_t k = 0; k < n; k += 4096)
				p[k] = 1;
			_exit(0);
		}
		snprintf(cmd, sizeof(cmd), "pid %d", (int)c);
		do {
			got = wr(fd, cmd, strlen(cmd), -1);
			if (got == 0)
				ok++;
			else if (got == ESRCH)
				esrch++;
			else
				other++, last = got;
		} while (got == 0 && waitpid(c, &st, WNOHANG) == 0);
		waitpid(c, &st, 0);
	}
	close(fd);
	printf("exitpid: %d children, %lu walks ok, %lu ESRCH, %lu other\n", rounds, ok, esrch, other);
	result(other == 0 && ok + esrch > 0, "hostile pid of a process exiting mid-walk: ok or ESRCH",
	       "%lu other answers, last %s", other, ename(last));
	return nfail ? 1 : 0;
}

/* Column i (0-based) of a CSV row into out. */
static void col(const char *row, int i, char *out, size_t cap)
{
	const char *p = row, *e;

	while (i-- > 0 && p)
		p = (p = strchr(p, ',')) ? p + 1 : NULL;
	if (!p) {
		*out = '\0';
		return;
	}
	e = strpbrk(p, ",\n");
	snprintf(out, cap, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
}

static int do_walks(void)
{
	unsigned long n = 0, present = 0, bad = 0, refused = 0;
	int fd = popen_rw(), got;
	char line[128], cmd[160], va[40], pa[40], pm[40], pw[40], v2p[40], fl[200], why[300] = "";
	char *res;
	size_t len;
	uint64_t v, want;

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		n++;
		snprintf(cmd, sizeof(cmd), "walk %s", line);
		got = wr(fd, cmd, strlen(cmd), -1);
		if (got == EINVAL) {
			refused++;
			continue;
		}
		if (got) {
			bad++;
			snprintf(why, sizeof(why), "%s: %s", cmd, ename(got));
			continue;
		}
		res = slurp(&len);
		char *row = strchr(res, '\n');
		row = row ? row + 1 : res;
		col(row, 5, va, sizeof(va));
		col(row, 6, pa, sizeof(pa));
		col(row, 7, pm, sizeof(pm));
		col(row, 8, pw, sizeof(pw));
		col(row, 9, v2p, sizeof(v2p));
		col(row, 11, fl, sizeof(fl));
		cli_parse_u64(line, &v);
		want = strtoull(va, NULL, 16);
		if (want != v) {
			bad++;
			snprintf(why, sizeof(why), "%s: row va %s", cmd, va);
		} else if (*pw) {
			present++;
			if ((*pm && strcmp(pm, pw)) || strcmp(pa, pw) ||
			    (strstr(fl, "direct_map") && strcmp(v2p, pw))) {
				bad++;
				snprintf(why, sizeof(why), "%s: pa %s pa_walk %s pa_pagemap %s pa_v2p %s flags %s",
					 cmd, pa, pw, pm, v2p, fl);
			}
		}
		free(res);
	}
	close(fd);
	printf("walks: %lu VAs, %lu present, %lu refused (not canonical), %lu bad\n", n, present, refused, bad);
	result(bad == 0 && n > 0, "hostile walks: every answer ok or EINVAL, rows consistent",
	       "%lu bad, last: %s", bad, why);
	return nfail ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " cmds|seek|ioctl|walks|storm [-n SECS]|exitpid [-n N]\n"
		"\nTest helper: attacks ptwalk.ko (see the comment at the top of its source).\n");
}

int main(int argc, char **argv)
{
	uint64_t n = 0;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		fprintf(stderr, PROG ": missing mode (see " PROG " -h)\n");
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[2], "-n")) {
		if (cli_parse_u64(argv[3], &n) || n == 0 || n > 100000)
			cli_die_usage(PROG, "bad number '-n %s': want 1 to 100000", argv[3]);
	} else if (argc != 2) {
		fprintf(stderr, PROG ": unexpected argument '%s' (see " PROG " -h)\n", argv[2]);
		return 2;
	}
	if (!strcmp(argv[1], "cmds"))
		return do_cmds();
	if (!strcmp(argv[1], "seek"))
		return do_seek();
	if (!strcmp(argv[1], "ioctl"))
		return do_ioctl();
	if (!strcmp(argv[1], "walks"))
		return do_walks();
	if (!strcmp(argv[1], "storm"))
		return do_storm(n ? (int)n : 10);
	if (!strcmp(argv[1], "exitpid"))
		return do_exitpid(n ? (int)n : 20);
	fprintf(stderr, PROG ": unknown mode '%s' (see " PROG " -h)\n", argv[1]);
	return 2;
}
