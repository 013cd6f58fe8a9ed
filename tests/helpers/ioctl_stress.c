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

static int cmd_fuzz(int argc, char **argv)
{
	struct tally t[C_N] = { { 0, 0 } };
	uint64_t pfn[NBUF], e, vpn, va, v;
	unsigned long n = 10000, i, bad = 0;
	struct ptwalk_xlate x;
	int c, fd, pm, la57, want, k, err;
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

	buf = mmap(NULL, NBUF * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap: %s\n", strerror(errno));
		return 1;
	}
	memset(buf, 0x5a, NBUF * PG);
	if (mlock(buf, NBUF * PG))
		fprintf(stderr, PROG ": mlock: %s (continuing)\n", strerror(errno));
	pm = open("/proc/self/pagemap", O_RDONLY);
	for (i = 0; i < NBUF; i++) {
		if (pm < 0 || pread(pm, &e, 8, ((uintptr_t)buf / PG + i) * 8) != 8 ||
		    !(e >> 63) || !(e & ((1ULL << 55) - 1))) {
			fprintf(stderr, PROG ": cannot read /proc/self/pagemap (root?)\n");
			return 1;
		}
		pfn[i] = e & ((1ULL << 55) - 1);
	}
	close(pm);

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
	if (!strcmp(argv[1], "open-as"))
		return cmd_open_as(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cmd"))
		return cmd_write(argc - 1, argv + 1);
	fprintf(stderr, PROG ": unknown subcommand '%s' (see " PROG " -h)\n", argv[1]);
	return 2;
}
