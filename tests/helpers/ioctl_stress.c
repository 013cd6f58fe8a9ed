/*
 * tests/helpers/ioctl_stress.c - test helper that drives ptwalk.ko's interfaces.
 *
 * The in-guest tests (tests/guest/t_kmod*.sh) need exact errno values and
 * thousands of ioctls, which a shell cannot give.  Subcommands:
 *
 *   fuzz [-n N] [-s SEED]   N random IOCTL_GET_PFN and IOCTL_XLATE calls on
 *                           this process: its own pages (PFN must equal
 *                           /proc/self/pagemap), unmapped user pages
 *                           (ENOENT), kernel-half, non-canonical and
 *                           overflowing VPNs (EINVAL); plus ESRCH without a
 *                           target and for a target that exited
 *   exitrace [-n N]         N times: a child maps memory and exits while the
 *                           parent translates its pages; only success,
 *                           ENOENT and ESRCH are allowed
 *   batch                   IOCTL_XLATE_BATCH on this process: an array of
 *                           its own pages, unmapped and kernel-half VPNs
 *                           (each record must equal IOCTL_XLATE's answer
 *                           and the pages pagemap's PFN), the range form,
 *                           the largest count, a VPN array that faults
 *                           after its first chunk (a short count), and
 *                           each bad call; prints "batch NAME: RESULT"
 *                           lines (an errno name, or what was counted) for
 *                           the calling test to compare
 *   batchrace [-t T] [-n N] T threads (default 8) share one fd for N
 *                           batches each (default 300): of this process's
 *                           own pages (PFNs must equal pagemap's), of a
 *                           region another thread maps and unmaps meanwhile
 *                           (each record a PFN or ENOENT), of children that
 *                           exit meanwhile (records, then ESRCH once each
 *                           has exited), while a
 *                           thread keeps resetting the fd's target
 *   batchbench [-1] PID START COUNT
 *                           (for bench/guest/xlate_batch.sh) translates the
 *                           COUNT pages of PID from VPN START with the range
 *                           form, 65,536 a call, or with -1 one IOCTL_XLATE
 *                           a page, and prints "pages=N present=P ns=T"
 *   open-as UID PATH        drop to UID (and its gid) and open PATH;
 *                           prints ok or the errno name (collect/errnames.h)
 *   cmd STRING [PATH]       write STRING to PATH (default /proc/pagetable)
 *                           in one write; prints ok or the errno name (collect/errnames.h)
 *
 * fuzz and exitrace print one "class ... calls ... wrong" line per class
 * and exit 1 when anything was wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "errnames.h"
#include "ptwalk_uapi.h"
#include "xorshift.h"

#define PROG "ioctl_stress"
#define PG 4096ULL
#define NBUF 64
#define MAXVMA 4096

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " fuzz [-n N] [-s SEED]\n"
"       " PROG " exitrace [-n N]\n"
"       " PROG " batch\n"
"       " PROG " batchrace [-t THREADS] [-n N]\n"
"       " PROG " batchbench [-1] PID START COUNT\n"
"       " PROG " open-as UID PATH\n"
"       " PROG " cmd STRING [PATH]\n"
"\n"
"Test helper for ptwalk.ko (see the comment at the top of its source).\n"
"\n"
"Examples:\n"
"  " PROG " fuzz -n 10000\n"
"  " PROG " open-as 65534 /dev/ptwalk\n"
"  " PROG " cmd 'kmalloc 0'\n");
}

static int open_dev(void)
{
	int fd = open(PTWALK_DEVICE, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open " PTWALK_DEVICE ": %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

static uint64_t rng;
static uint64_t rnd(void)
{
	return xorshift64s(&rng);
}

static uint64_t vma_lo[MAXVMA], vma_hi[MAXVMA];
static int nvma;

static int read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long long lo, hi;

	if (!f)
		return -1;
	nvma = 0;
	while (fgets(line, sizeof(line), f) && nvma < MAXVMA)
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2) {
			vma_lo[nvma] = lo;
			vma_hi[nvma++] = hi;
		}
	fclose(f);
	return 0;
}

static bool in_vma(uint64_t va)
{
	int i;

	for (i = 0; i < nvma; i++)
		if (va >= vma_lo[i] && va < vma_hi[i])
			return true;
	return false;
}

enum cls { C_MAPPED, C_UNMAPPED, C_HIGHUSER, C_KERNEL, C_NONCANON, C_OVERFLOW, C_RANDOM, C_N };
static const char *const cls_name[C_N] = {
	"mapped", "unmapped", "high-user", "kernel-half", "non-canonical",
	"overflow", "random",
};

struct tally { unsigned long calls, wrong; };

/*
 * The top of user space.  x86-64 gives user space the lower half of its 48
 * or 57 bits; arm64 gives it (TTBR0) a whole VA_BITS-wide space of its own,
 * 48 bits in Debian's kernel, so mmap hands out addresses above 2^47.
 */
#if defined(__aarch64__)
#define USER_TOP(la57) ((void)(la57), 1ULL << 48)
#else
#define USER_TOP(la57) ((la57) ? (1ULL << 56) : (1ULL << 47))
#endif
/* A pte's frame: bits 51:12 on x86-64; arm64's output address is 47:12
 * (48-bit PA), and bits 51:48 are DBM, the contiguous hint, PXN, UXN. */
#if defined(__aarch64__)
#define PTE_FRAME(e) (((e) >> 12) & ((1ULL << 36) - 1))
#else
#define PTE_FRAME(e) (((e) >> 12) & ((1ULL << 40) - 1))
#endif

/* What a VPN must give: 0 (a PFN), or an errno. */
static int expect(uint64_t vpn, int la57)
{
	uint64_t va, user_top = USER_TOP(la57);

	if (vpn >= (1ULL << 52))
		return EINVAL;
	va = vpn << 12;
	if (va >= user_top - PG)    /* kernel half, non-canonical, guard page */
		return EINVAL;
	return in_vma(va) ? -1 : ENOENT;   /* -1: success or ENOENT */
}

static void check(struct tally *t, const char *what, uint64_t vpn, long r,
		  int err, int want, uint64_t want_pfn)
{
	bool ok;

	t->calls++;
	if (want == 0)
		ok = r >= 0 && (uint64_t)r == want_pfn;
	else if (want == -1)
		ok = r >= 0 || err == ENOENT;
	else
		ok = r < 0 && err == want;
	if (!ok) {
		if (t->wrong < 5)
			fprintf(stderr, PROG ": %s VPN 0x%" PRIx64 ": got %ld (%s), want %s\n",
				what, vpn, r, r < 0 ? ptw_errname(err) : "ok",
				want == 0 ? "the pagemap PFN" : want == -1 ?
				"a PFN or ENOENT" : ptw_errname(want));
		t->wrong++;
	}
}

#define PFN_MASK ((1ULL << 55) - 1)
/* Accessed and dirty (x86 bits 5, 6; arm64's AF is bit 10): the CPU may
 * set them between two walks of one entry. */
#define AD_BITS ((1ULL << 5) | (1ULL << 6) | (1ULL << 10))

/* The PFNs of this process's n pages from p, from pagemap; 0 or -1. */
static int self_pfns(const void *p, unsigned long n, uint64_t *pfn)
{
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	unsigned long i;
	uint64_t e;

	for (i = 0; pm >= 0 && i < n; i++) {
		if (pread(pm, &e, 8, (off_t)(((uintptr_t)p / PG + i) * 8)) != 8 ||
		    !(e >> 63) || !(e & PFN_MASK))
			break;
		pfn[i] = e & PFN_MASK;
	}
	if (pm >= 0)
		close(pm);
	if (pm < 0 || i < n) {
		fprintf(stderr, PROG ": cannot read /proc/self/pagemap (root?)\n");
		return -1;
	}
	return 0;
}

/*
 * NBUF pages of our own, written, locked (if allowed) and so present,
 * with their PFNs from pagemap in pfn[]; NULL after one stderr line.
 */
static char *own_pages(uint64_t *pfn)
{
	char *buf = mmap(NULL, NBUF * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (buf == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap: %s\n", strerror(errno));
		return NULL;
	}
	memset(buf, 0x5a, NBUF * PG);
	if (mlock(buf, NBUF * PG))
		fprintf(stderr, PROG ": mlock: %s (continuing)\n", strerror(errno));
	return self_pfns(buf, NBUF, pfn) ? NULL : buf;
}

static int cmd_fuzz(int argc, char **argv)
{
	struct tally t[C_N] = { { 0, 0 } };
	uint64_t pfn[NBUF], vpn, va, v;
	unsigned long n = 10000, i, bad = 0;
	struct ptwalk_xlate x;
	int c, fd, la57, want, k, err;
	char *buf, line[8192];   /* the flags line is long */
	FILE *f;
	long r;

	rng = 0x9e3779b97f4a7c15ULL;
	while ((c = getopt(argc, argv, "n:s:")) != -1) {
		switch (c) {
		case 'n':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > ULONG_MAX)
				cli_die_usage(PROG, "bad number of calls '-n %s'", optarg);
			n = v;
			break;
		case 's':
			if (cli_parse_u64(optarg, &v))
				cli_die_usage(PROG, "bad seed '-s %s'", optarg);
			rng = v | 1;
			break;
		default: usage(stderr); return 2;
		}
	}
	la57 = 0;
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " la57"))
			la57 = 1;
	if (f)
		fclose(f);

	buf = own_pages(pfn);
	if (!buf)
		return 1;

	fd = open_dev();
	/* No target yet: ESRCH. */
	r = ioctl(fd, IOCTL_GET_PFN, (unsigned long)((uintptr_t)buf / PG));
	err = errno;
	printf("no target: %s\n", r < 0 ? ptw_errname(err) : "ok");
	if (!(r < 0 && err == ESRCH))
		bad++;
	r = ioctl(fd, IOCTL_SET_PID, 0x3ffffffful);
	err = errno;
	printf("set missing pid: %s\n", r < 0 ? ptw_errname(err) : "ok");
	if (!(r < 0 && err == ESRCH))
		bad++;
	if (ioctl(fd, IOCTL_SET_PID, (unsigned long)getpid())) {
		fprintf(stderr, PROG ": IOCTL_SET_PID %d: %s\n", (int)getpid(), strerror(errno));
		return 1;
	}
	if (read_maps()) {
		fprintf(stderr, PROG ": cannot read /proc/self/maps\n");
		return 1;
	}

	for (i = 0; i < n; i++) {
		enum cls cl = (enum cls)(rnd() % C_N);
		uint64_t want_pfn = 0;

		switch (cl) {
		case C_MAPPED:
			k = (int)(rnd() % NBUF);
			vpn = (uintptr_t)buf / PG + k;
			want_pfn = pfn[k];
			break;
		case C_UNMAPPED:
			do
				va = (rnd() % ((1ULL << 47) - PG)) & ~(PG - 1);
			while (in_vma(va));
			vpn = va / PG;
			break;
		case C_HIGHUSER:
			vpn = ((1ULL << 47) + rnd() % ((1ULL << 56) - (1ULL << 47) - PG)) / PG;
			break;
		case C_KERNEL:
			vpn = (0xff00000000000000ULL + rnd() % (1ULL << 56)) / PG;
			break;
		case C_NONCANON:
			vpn = ((1ULL << 57) + rnd() % (0xff00000000000000ULL - (1ULL << 57))) / PG;
			break;
		case C_OVERFLOW:
			vpn = (1ULL << 52) | rnd();
			break;
		default:
			vpn = rnd() >> (rnd() % 64);
			break;
		}
		want = cl == C_MAPPED ? 0 : expect(vpn, la57);
		if (cl == C_MAPPED)
			want = 0;
		r = ioctl(fd, IOCTL_GET_PFN, (unsigned long)vpn);
		check(&t[cl], "GET_PFN", vpn, r, errno, want, want_pfn);
		memset(&x, 0, sizeof(x));
		x.vpn = vpn;
		r = ioctl(fd, IOCTL_XLATE, &x);
		err = errno;
		if (r == 0)
			r = (long)x.pfn;
		check(&t[cl], "XLATE", vpn, r, err, want, want_pfn);
		if (cl == C_MAPPED && r >= 0 &&
		    (x.level != PTWALK_LEVEL_PTE || !(x.flags & PTWALK_XF_PRESENT) ||
		     PTE_FRAME(x.entry[4]) != want_pfn)) {
			t[cl].wrong++;
			fprintf(stderr, PROG ": XLATE VPN 0x%" PRIx64 ": level %u flags %#x pte %#" PRIx64 "\n",
				vpn, x.level, x.flags, (uint64_t)x.entry[4]);
		}
	}
	for (k = 0; k < C_N; k++) {
		printf("class %s: %lu calls, %lu wrong\n", cls_name[k], t[k].calls, t[k].wrong);
		bad += t[k].wrong;
	}
	close(fd);
	printf("paging levels: %d\n", la57 ? 5 : 4);
	return bad != 0;
}

static int cmd_exitrace(int argc, char **argv)
{
	unsigned long n = 20, i, ok = 0, enoent = 0, esrch = 0, wrong = 0;
	int c, fd, p[2], st;
	pid_t child;
	uintptr_t base;
	uint64_t v;
	long r;

	while ((c = getopt(argc, argv, "n:")) != -1) {
		if (c != 'n') {
			usage(stderr);
			return 2;
		}
		if (cli_parse_u64(optarg, &v) || v == 0 || v > ULONG_MAX)
			cli_die_usage(PROG, "bad number of rounds '-n %s'", optarg);
		n = v;
	}
	fd = open_dev();
	for (i = 0; i < n; i++) {
		if (pipe(p))
			return 1;
		child = fork();
		if (child < 0)
			return 1;
		if (child == 0) {
			size_t len = 256 * PG;
			char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

			base = (uintptr_t)m;
			if (write(p[1], &base, sizeof(base)) != sizeof(base))
				_exit(1);
			usleep((useconds_t)(rnd() % 20000));
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], &base, sizeof(base)) != sizeof(base))
			base = 0;
		close(p[0]);
		if (ioctl(fd, IOCTL_SET_PID, (unsigned long)child) == 0) {
			for (;;) {
				r = ioctl(fd, IOCTL_GET_PFN, (unsigned long)(base / PG + rnd() % 256));
				if (r >= 0) {
					ok++;
				} else if (errno == ENOENT) {
					enoent++;
				} else if (errno == ESRCH) {
					esrch++;
					break;
				} else {
					wrong++;
					fprintf(stderr, PROG ": exitrace: %s\n", ptw_errname(errno));
					break;
				}
				if (waitpid(child, &st, WNOHANG) == child) {
					child = 0;
					/* Reaped: the next call must say ESRCH. */
					r = ioctl(fd, IOCTL_GET_PFN, (unsigned long)(base / PG));
					if (r < 0 && errno == ESRCH)
						esrch++;
					else
						wrong++;
					break;
				}
			}
		} else if (errno != ESRCH) {
			wrong++;
		}
		if (child > 0)
			waitpid(child, &st, 0);
	}
	close(fd);
	printf("class exitrace: %lu targets, %lu ok, %lu ENOENT, %lu ESRCH, %lu wrong\n",
	       n, ok, enoent, esrch, wrong);
	return wrong != 0;
}


/* ---- IOCTL_XLATE_BATCH ------------------------------------------------ */

/* One IOCTL_XLATE_BATCH of b: its value, or -errno. */
static long xbatch_raw(int fd, struct ptwalk_xlate_batch *b)
{
	long r = ioctl(fd, IOCTL_XLATE_BATCH, b);

	return r < 0 ? -errno : r;
}

/* IOCTL_XLATE_BATCH of count VPNs (vpns, or with vpns NULL the range from
 * start) into recs, in pid (0: the target); its value or -errno, *done. */
static long xbatch(int fd, uint32_t pid, const uint64_t *vpns, uint64_t start,
		   struct ptwalk_batch_rec *recs, uint32_t count, uint32_t *done)
{
	struct ptwalk_xlate_batch b;
	long r;

	memset(&b, 0, sizeof(b));
	b.vpns = (uintptr_t)vpns;
	b.start = vpns ? 0 : start;
	b.flags = vpns ? 0 : PTWALK_BATCH_RANGE;
	b.recs = (uintptr_t)recs;
	b.count = count;
	b.pid = pid;
	r = xbatch_raw(fd, &b);
	if (done)
		*done = b.done;
	return r;
}

static const char *res(long r)
{
	static char s[32];

	if (r < 0)
		return ptw_errname((int)-r);
	snprintf(s, sizeof(s), "%ld", r);
	return s;
}

/* Does rec say what IOCTL_XLATE says for vpn (A/D bits aside)? */
static bool rec_is_xlate(int fd, uint64_t vpn, const struct ptwalk_batch_rec *rec)
{
	struct ptwalk_xlate x;
	int k, err;

	memset(&x, 0, sizeof(x));
	x.vpn = vpn;
	err = ioctl(fd, IOCTL_XLATE, &x) < 0 ? errno : 0;
	if (err == EINVAL) {    /* XLATE fills nothing; the record is all 0 */
		struct ptwalk_batch_rec z;

		memset(&z, 0, sizeof(z));
		z.error = EINVAL;
		return !memcmp(rec, &z, sizeof(z));
	}
	if ((int)rec->error != err || rec->pfn != x.pfn || rec->level != x.level ||
	    rec->flags != x.flags || rec->zero)
		return false;
	for (k = 0; k < 5; k++)
		if ((rec->entry[k] & ~AD_BITS) != (x.entry[k] & ~AD_BITS))
			return false;
	return true;
}

/* Records i < n of recs whose PFN is pagemap's pfn[i] (present, no error). */
static unsigned long agree(const struct ptwalk_batch_rec *recs, const uint64_t *pfn,
			   unsigned long n)
{
	unsigned long i, a = 0;

	for (i = 0; i < n; i++)
		if (!recs[i].error && (recs[i].flags & PTWALK_XF_PRESENT) && recs[i].pfn == pfn[i])
			a++;
	return a;
}

/* Two pages: the first read-write, the second with prot (PROT_NONE...). */
static char *two_pages(int prot)
{
	char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m + PG, PG, prot)) {
		fprintf(stderr, PROG ": mmap: %s\n", strerror(errno));
		exit(1);
	}
	memset(m, 0, PG);
	return m;
}

static int cmd_batch(int argc, char **argv)
{
	enum { NV = NBUF + 3 };
	static struct ptwalk_batch_rec recs[PTWALK_BATCH_MAX + 1];
	const uint64_t kva = 0xffff888000000000ULL;
	uint64_t pfn[NBUF], vpns[NV], base, *edge;
	struct ptwalk_xlate_batch b, good;
	unsigned long i, xl = 0, enoent = 0, einval = 0;
	uint32_t done;
	char *buf, *m;
	pid_t child;
	int fd, fd2;
	long r;

	(void)argv;
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	buf = own_pages(pfn);
	if (!buf)
		return 1;
	base = (uintptr_t)buf / PG;
	fd = open_dev();

	/* No target: ESRCH; then our own process as the target. */
	printf("batch no target: %s\n", res(xbatch(fd, 0, NULL, base, recs, 1, NULL)));
	if (ioctl(fd, IOCTL_SET_PID, (unsigned long)getpid())) {
		fprintf(stderr, PROG ": IOCTL_SET_PID: %s\n", strerror(errno));
		return 1;
	}

	/* An array: our pages, an unmapped page, a kernel-half and an
	 * overflowing VPN; one record more than count, which must stay. */
	for (i = 0; i < NBUF; i++)
		vpns[i] = base + i;
	vpns[NBUF] = 1;
	vpns[NBUF + 1] = kva / PG;
	vpns[NBUF + 2] = 1ULL << 52;
	memset(recs, 0xa5, (NV + 1) * sizeof(recs[0]));
	r = xbatch(fd, 0, vpns, 0, recs, NV, &done);
	for (i = 0; r == NV && i < NV; i++) {
		xl += rec_is_xlate(fd, vpns[i], &recs[i]);
		enoent += recs[i].error == ENOENT;
		einval += recs[i].error == EINVAL;
	}
	printf("batch array: r=%s done=%u pagemap=%lu/%d xlate=%lu/%d enoent=%lu einval=%lu canary=%s\n",
	       res(r), done, r == NV ? agree(recs, pfn, NBUF) : 0, NBUF, xl, NV, enoent, einval,
	       ((const unsigned char *)&recs[NV])[0] == 0xa5 &&
	       ((const unsigned char *)&recs[NV + 1])[-1] == 0xa5 ? "ok" : "overwritten");

	/* The range form, and the largest count (our pages first). */
	r = xbatch(fd, 0, NULL, base, recs, NBUF, &done);
	printf("batch range: r=%s done=%u pagemap=%lu/%d\n", res(r), done,
	       r == NBUF ? agree(recs, pfn, NBUF) : 0, NBUF);
	r = xbatch(fd, (uint32_t)getpid(), NULL, base, recs, PTWALK_BATCH_MAX, &done);
	printf("batch max count: r=%s done=%u pagemap=%lu/%d\n", res(r), done,
	       r > 0 ? agree(recs, pfn, NBUF) : 0, NBUF);
	r = xbatch(fd, 0, NULL, UINT64_MAX, recs, 1, &done);
	printf("batch range of the last VPN: r=%s error=%s\n", res(r),
	       r == 1 ? ptw_errname((int)recs[0].error) : "-");

	/* A VPN array whose second chunk of 64 (the module's chunk) faults:
	 * the first chunk's records and a short count, then EFAULT. */
	m = two_pages(PROT_NONE);
	edge = (uint64_t *)(m + PG) - 64;
	for (i = 0; i < 64; i++)
		edge[i] = base + i;
	r = xbatch(fd, 0, edge, 0, recs, 128, &done);
	printf("batch vpns fault after 64: r=%s done=%u pagemap=%lu/64\n", res(r), done,
	       r == 64 ? agree(recs, pfn, 64) : 0);
	printf("batch vpns fault, from there: %s\n",
	       res(xbatch(fd, 0, edge + 64, 0, recs, 64, NULL)));
	/* The same with the records: 64 fit before the fault. */
	r = xbatch(fd, 0, NULL, base, (struct ptwalk_batch_rec *)(m + PG) - 64, 128, &done);
	printf("batch recs fault after 64: r=%s done=%u\n", res(r), done);

	/* Each bad field of a good call. */
	memset(&good, 0, sizeof(good));
	good.vpns = (uintptr_t)vpns;
	good.recs = (uintptr_t)recs;
	good.count = 4;
#define BAD(name, stmt) do { b = good; stmt; printf("batch %s: %s\n", name, res(xbatch_raw(fd, &b))); } while (0)
	BAD("good", (void)0);
	BAD("reserved[0] 1", b.reserved[0] = 1);
	BAD("reserved[1] 1<<63", b.reserved[1] = 1ULL << 63);
	BAD("flags 2", b.flags = 2);
	BAD("flags 1<<31", b.flags = 1u << 31);
	BAD("count 0", b.count = 0);
	BAD("count max+1", b.count = PTWALK_BATCH_MAX + 1);
	BAD("count 2^32-1", b.count = UINT32_MAX);
	BAD("range with vpns", b.flags = PTWALK_BATCH_RANGE);
	BAD("array with start", b.start = base);
	BAD("range past 2^64", (b.vpns = 0, b.flags = PTWALK_BATCH_RANGE, b.start = UINT64_MAX, b.count = 2));
	BAD("pid 2^31", b.pid = 1u << 31);
	BAD("pid of a kernel thread", b.pid = 2);
	BAD("vpns NULL", b.vpns = 0);
	BAD("recs NULL", b.recs = 0);
	BAD("range, recs NULL", (b.vpns = 0, b.flags = PTWALK_BATCH_RANGE, b.start = base, b.recs = 0));
	BAD("vpns unmapped", b.vpns = (uintptr_t)(m + PG));
	BAD("recs unmapped", b.recs = (uintptr_t)(m + PG));
	BAD("vpns kernel VA", b.vpns = kva);
	BAD("recs kernel VA", b.recs = kva);
	BAD("vpns non-canonical", b.vpns = 1ULL << 60);
	munmap(m, 2 * PG);
	m = two_pages(PROT_READ);
	BAD("recs read-only", b.recs = (uintptr_t)(m + PG));
	memcpy(m + PG - sizeof(good), &good, sizeof(good));
	mprotect(m, PG, PROT_READ);
	printf("batch struct read-only: %s\n",
	       res(xbatch_raw(fd, (struct ptwalk_xlate_batch *)(m + PG - sizeof(good)))));
	munmap(m, 2 * PG);
	r = ioctl(fd, IOCTL_XLATE_BATCH, NULL);
	printf("batch struct NULL: %s\n", res(r < 0 ? -errno : r));
	r = ioctl(fd, IOCTL_XLATE_BATCH, (void *)kva);
	printf("batch struct kernel VA: %s\n", res(r < 0 ? -errno : r));
#undef BAD

	/* pid: a process that is gone, and ours named on a file without a target. */
	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	printf("batch pid gone: %s\n", res(xbatch(fd, (uint32_t)child, vpns, 0, recs, 4, NULL)));
	fd2 = open_dev();
	r = xbatch(fd2, (uint32_t)getpid(), vpns, 0, recs, 4, &done);
	printf("batch pid named, no target: r=%s pagemap=%lu/4\n", res(r), r == 4 ? agree(recs, pfn, 4) : 0);
	close(fd2);
	close(fd);
	return 0;
}

/* batchrace: threads sharing one fd. */
#define RACE_CHURN 64          /* pages of the region mapped and unmapped */
#define RACE_MAXN 256          /* VPNs a batch at most */
static struct {
	int fd;
	unsigned long n;
	char *buf, *churn;
	uint64_t pfn[NBUF];
	volatile int stop;
	unsigned long calls, records, esrch, wrong;
} br;

static void race_wrong(const char *what, uint64_t vpn, const struct ptwalk_batch_rec *rec, long r)
{
	if (__sync_fetch_and_add(&br.wrong, 1) < 5)
		fprintf(stderr, PROG ": batchrace %s VPN 0x%" PRIx64 ": r %ld error %u pfn %#" PRIx64 "\n",
			what, vpn, r, rec ? rec->error : 0, rec ? (uint64_t)rec->pfn : 0);
}

/* Maps and unmaps the churn region until stop. */
static void *race_churn(void *arg)
{
	(void)arg;
	while (!br.stop) {
		munmap(br.churn, RACE_CHURN * PG);
		if (mmap(br.churn, RACE_CHURN * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0) == MAP_FAILED)
			race_wrong("mmap", 0, NULL, -errno);
	}
	return NULL;
}

/* Sets the shared fd's target to this process again and again, and to a
 * missing one (ESRCH, the target unchanged). */
static void *race_target(void *arg)
{
	(void)arg;
	while (!br.stop) {
		if (ioctl(br.fd, IOCTL_SET_PID, (unsigned long)getpid()))
			race_wrong("SET_PID", 0, NULL, -errno);
		if (ioctl(br.fd, IOCTL_SET_PID, 0x3ffffffful) == 0 || errno != ESRCH)
			race_wrong("SET_PID missing", 0, NULL, 0);
	}
	return NULL;
}

/* Children that map 64 pages and exit while batches walk them.  The
 * child is reaped only after a batch got ESRCH: once waitid(WNOWAIT)
 * sees it exited (its mm already gone), the next batch must say ESRCH,
 * however slow the machine (polling waitpid(WNOHANG) reaped it first on
 * arm64 under TCG, and no batch ever saw it gone). */
static void *race_children(void *arg)
{
	static struct ptwalk_batch_rec recs[RACE_CHURN];
	siginfo_t si;
	uintptr_t at;
	int p[2], k;
	bool exited;
	pid_t c;
	long r;

	(void)arg;
	while (!br.stop) {
		if (pipe(p))
			break;
		c = fork();
		if (c == 0) {
			char *m = mmap(NULL, RACE_CHURN * PG, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

			at = (uintptr_t)m;
			if (write(p[1], &at, sizeof(at)) != sizeof(at))
				_exit(1);
			usleep(2000);
			_exit(0);
		}
		close(p[1]);
		if (c < 0 || read(p[0], &at, sizeof(at)) != sizeof(at))
			at = 0;
		close(p[0]);
		if (c < 0) {
			race_wrong("fork", 0, NULL, -errno);
			break;
		}
		for (;;) {
			si.si_pid = 0;
			exited = waitid(P_PID, (id_t)c, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
				 si.si_pid == c;
			r = xbatch(br.fd, (uint32_t)c, NULL, at / PG, recs, RACE_CHURN, NULL);
			__sync_fetch_and_add(&br.calls, 1);
			if (r == -ESRCH) {
				__sync_fetch_and_add(&br.esrch, 1);
				break;
			}
			if (r != RACE_CHURN || exited) {
				race_wrong(exited ? "child exited" : "child", at / PG, NULL, r);
				break;
			}
			for (k = 0; k < RACE_CHURN; k++)
				if (recs[k].error && recs[k].error != ENOENT)
					race_wrong("child", at / PG + k, &recs[k], r);
			__sync_fetch_and_add(&br.records, RACE_CHURN);
		}
		waitpid(c, NULL, 0);
	}
	return NULL;
}

/* N batches: our own pages (pagemap's PFNs), or the churn region. */
static void *race_worker(void *arg)
{
	uint64_t seed = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL | 1, vpns[RACE_MAXN];
	struct ptwalk_batch_rec *recs = calloc(RACE_MAXN, sizeof(*recs));
	uint32_t n, k, idx[RACE_MAXN], pid;
	unsigned long i;
	bool churn;
	long r;

	if (!recs)
		return NULL;
	for (i = 0; i < br.n; i++) {
		n = 1 + (uint32_t)(xorshift64s(&seed) % RACE_MAXN);
		churn = xorshift64s(&seed) % 4 == 0;
		pid = xorshift64s(&seed) % 2 ? 0 : (uint32_t)getpid();
		if (churn) {
			n = n > RACE_CHURN ? RACE_CHURN : n;
			r = xbatch(br.fd, pid, NULL, (uintptr_t)br.churn / PG, recs, n, NULL);
		} else {
			for (k = 0; k < n; k++) {
				idx[k] = (uint32_t)(xorshift64s(&seed) % NBUF);
				vpns[k] = (uintptr_t)br.buf / PG + idx[k];
			}
			r = xbatch(br.fd, pid, vpns, 0, recs, n, NULL);
		}
		__sync_fetch_and_add(&br.calls, 1);
		if (r != (long)n) {
			race_wrong(churn ? "churn" : "own", 0, NULL, r);
			continue;
		}
		__sync_fetch_and_add(&br.records, n);
		for (k = 0; k < n; k++) {
			if (churn ? recs[k].error && recs[k].error != ENOENT :
			    recs[k].error || recs[k].pfn != br.pfn[idx[k]])
				race_wrong(churn ? "churn" : "own", churn ? (uintptr_t)br.churn / PG + k :
					   vpns[k], &recs[k], r);
		}
	}
	free(recs);
	return NULL;
}

static int cmd_batchrace(int argc, char **argv)
{
	pthread_t th[64];
	unsigned long t = 8, i;
	uint64_t v;
	int c;

	br.n = 300;
	while ((c = getopt(argc, argv, "t:n:")) != -1) {
		if (c != 't' && c != 'n') {
			usage(stderr);
			return 2;
		}
		if (cli_parse_u64(optarg, &v) || v == 0 || v > ULONG_MAX || (c == 't' && (v < 4 || v > 64)))
			cli_die_usage(PROG, "bad %s '-%c %s'", c == 't' ? "number of threads (4 to 64)" :
				      "number of batches", c, optarg);
		if (c == 't')
			t = v;
		else
			br.n = v;
	}
	br.buf = own_pages(br.pfn);
	br.churn = mmap(NULL, RACE_CHURN * PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (!br.buf || br.churn == MAP_FAILED)
		return 1;
	br.fd = open_dev();
	if (ioctl(br.fd, IOCTL_SET_PID, (unsigned long)getpid()))
		return 1;
	for (i = 0; i < t; i++)
		if (pthread_create(&th[i], NULL, i == 0 ? race_churn : i == 1 ? race_target :
				   i == 2 ? race_children : race_worker, (void *)(uintptr_t)(i + 1))) {
			fprintf(stderr, PROG ": pthread_create: %s\n", strerror(errno));
			return 1;
		}
	for (i = 3; i < t; i++)
		pthread_join(th[i], NULL);
	br.stop = 1;
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	close(br.fd);
	printf("class batchrace: %lu threads, %lu calls, %lu records, %lu ESRCH, %lu wrong\n",
	       t, br.calls, br.records, br.esrch, br.wrong);
	return br.wrong != 0;
}

/*
 * batchbench: COUNT pages of PID from VPN START, timed: IOCTL_XLATE_BATCH
 * in its range form, PTWALK_BATCH_MAX a call (or with -1 IOCTL_XLATE, one
 * call a page), the records kept, nothing printed but the counts.
 */
static int cmd_batchbench(int argc, char **argv)
{
	static struct ptwalk_batch_rec recs[PTWALK_BATCH_MAX];
	uint64_t pid, start, count, done = 0, present = 0;
	struct ptwalk_xlate x;
	bool one = argc > 1 && !strcmp(argv[1], "-1");
	double t0, t1;
	uint32_t k, n;
	int fd;
	long r;

	if (one) {
		argv++;
		argc--;
	}
	if (argc != 4 || cli_parse_u64(argv[1], &pid) || pid == 0 || pid > INT_MAX ||
	    cli_parse_u64(argv[2], &start) || cli_parse_u64(argv[3], &count) || count == 0)
		cli_die_usage(PROG, "batchbench takes [-1] PID START COUNT (numbers, PID and COUNT not 0)");
	fd = open_dev();
	if (one && ioctl(fd, IOCTL_SET_PID, (unsigned long)pid)) {
		fprintf(stderr, PROG ": PID %" PRIu64 ": %s\n", pid, strerror(errno));
		return 1;
	}
	t0 = cli_now();
	while (done < count) {
		if (one) {
			memset(&x, 0, sizeof(x));
			x.vpn = start + done;
			present += ioctl(fd, IOCTL_XLATE, &x) == 0;
			done++;
			continue;
		}
		n = count - done > PTWALK_BATCH_MAX ? PTWALK_BATCH_MAX : (uint32_t)(count - done);
		r = xbatch(fd, (uint32_t)pid, NULL, start + done, recs, n, NULL);
		if (r <= 0) {
			fprintf(stderr, PROG ": batchbench at VPN 0x%" PRIx64 ": %s\n", start + done,
				r < 0 ? ptw_errname((int)-r) : "no records");
			return 1;
		}
		for (k = 0; k < (uint32_t)r; k++)
			present += recs[k].error == 0;
		done += (uint64_t)r;
	}
	t1 = cli_now();
	close(fd);
	printf("pages=%" PRIu64 " present=%" PRIu64 " ns=%.0f\n", done, present, (t1 - t0) * 1e9);
	return 0;
}

static int cmd_open_as(int argc, char **argv)
{
	uid_t uid;
	int fd;

	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		fprintf(stderr, PROG ": cannot become uid %u: %s\n", (unsigned)uid, strerror(errno));
		return 1;
	}
	fd = open(argv[2], O_RDONLY);
	printf("%s\n", fd < 0 ? ptw_errname(errno) : "ok");
	if (fd >= 0)
		close(fd);
	return 0;
}

static int cmd_write(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : PTWALK_PROC;
	size_t len;
	ssize_t w;
	int fd;

	if (argc < 2 || argc > 3) {
		usage(stderr);
		return 2;
	}
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("%s\n", ptw_errname(errno));
		return 0;
	}
	len = strlen(argv[1]);
	w = write(fd, argv[1], len);
	if (w < 0)
		printf("%s\n", ptw_errname(errno));
	else if ((size_t)w != len)
		printf("short write %zd of %zu\n", w, len);
	else
		printf("ok\n");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, PROG ": missing subcommand (see " PROG " -h)\n");
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	if (!strcmp(argv[1], "fuzz"))
		return cmd_fuzz(argc - 1, argv + 1);
	if (!strcmp(argv[1], "exitrace"))
		return cmd_exitrace(argc - 1, argv + 1);
	if (!strcmp(argv[1], "batch"))
		return cmd_batch(argc - 1, argv + 1);
	if (!strcmp(argv[1], "batchrace"))
		return cmd_batchrace(argc - 1, argv + 1);
	if (!strcmp(argv[1], "batchbench"))
		return cmd_batchbench(argc - 1, argv + 1);
	if (!strcmp(argv[1], "open-as"))
		return cmd_open_as(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cmd"))
		return cmd_write(argc - 1, argv + 1);
	fprintf(stderr, PROG ": unknown subcommand '%s' (see " PROG " -h)\n", argv[1]);
	return 2;
}
