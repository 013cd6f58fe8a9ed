/*
 * tests/helpers/soak_xlate.c - random IOCTL_XLATE calls against a changing process.
 *
 * For the module soak test (tests/guest/t_soak.sh).  A child process keeps
 * mapping and unmapping memory in a window of WINDOW_PAGES pages: small
 * 4 KiB mappings, 2 MiB-aligned blocks that may become transparent huge
 * pages, MADV_DONTNEED, munmap, all at random, as fast as it can.  It also
 * keeps STABLE_PAGES pages mapped and touched the whole time.  The parent
 * makes the child the target (IOCTL_SET_PID) and sends N random calls (more with --until),
 * IOCTL_XLATE mostly and IOCTL_GET_PFN for some, to VPNs of four kinds:
 *
 *   stable   must succeed, with the PFN /proc/CHILD/pagemap gives
 *   churn    the window: success (level 1-3, present) or ENOENT only
 *   unmapped a PROT_NONE hole never touched, and a page with no VMA: ENOENT
 *   bad      VPNs of addresses at or above 2^56 (kernel half, non-canonical
 *            and beyond 64 bits): EINVAL
 *
 * It prints one line per kind, "KIND calls N ok A enoent B other C wrong
 * D", and a total "xlate calls N wrong D", and exits 1 when anything was
 * wrong or no churn call ever found a page.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "pagemap.h"
#include "ptwalk_uapi.h"
#include "xorshift.h"

#define PROG "soak_xlate"
#define PG 4096ULL
#define HUGE_PG (2ULL << 20)
#define WINDOW_PAGES 8192ULL            /* 32 MiB, room for 2 MiB blocks */
#define STABLE_PAGES 16ULL
#define HOLE_PAGES 256ULL

enum kind { K_STABLE, K_CHURN, K_UNMAPPED, K_BAD, NKIND };
static const char *const kind_name[NKIND] = { "stable", "churn", "unmapped", "bad" };

struct tally {
	unsigned long calls, ok, enoent, other, wrong;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return xorshift64s(&rng_state);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [-n CALLS] [-s SEED] [-d DEVICE]\n"
"\n"
"Random IOCTL_XLATE and IOCTL_GET_PFN calls on ptwalk.ko's device against a\n"
"child process that keeps mapping and unmapping memory; every answer is\n"
"checked against what it may be (see the comment at the top of the source).\n"
"\n"
"  -n, --calls N      how many calls (default 10000)\n"
"  -s, --seed N       random seed (default 1)\n"
"  -d, --device PATH  the device (default " PTWALK_DEVICE ")\n"
"  -u, --until FILE   after CALLS calls, go on (and keep the child churning)\n"
"                     until FILE exists\n"
"  -h, --help         this help\n"
"\n"
"Examples:\n"
"  " PROG " -n 20000 -s 7\n"
"  " PROG " -n 1000 --until /tmp/stop &   # then: touch /tmp/stop; wait\n");
}

/* The child: churn the window forever; the parent kills it. */
static void churn(char *win, char *stable, uint64_t seed)
{
	uint64_t i;

	rng_state = seed * 2 + 1;
	for (i = 0; i < STABLE_PAGES; i++)
		stable[i * PG] = 1;
	for (;;) {
		uint64_t r = rnd(), op = r % 8, first, n;
		char *p;

		if (op < 2) {                   /* a 2 MiB block, maybe a THP */
			first = (rnd() % (WINDOW_PAGES * PG / HUGE_PG)) * (HUGE_PG / PG);
			n = HUGE_PG / PG;
		} else {
			first = rnd() % WINDOW_PAGES;
			n = 1 + rnd() % 64;
			if (first + n > WINDOW_PAGES)
				n = WINDOW_PAGES - first;
		}
		p = win + first * PG;
		switch (op) {
		case 0: case 2: case 3:         /* map and touch */
			if (mmap(p, n * PG, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
				_exit(3);
			if (op == 0)
				madvise(p, n * PG, MADV_HUGEPAGE);
			for (i = 0; i < n; i += 1 + rnd() % 3)
				p[i * PG] = (char)i;
			break;
		case 4:                         /* drop the pages, keep the mapping */
			madvise(p, n * PG, MADV_DONTNEED);
			break;
		default:                        /* unmap: back to an empty hole */
			if (mmap(p, n * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
				 MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
				_exit(3);
			break;
		}
	}
}

static const char *errname(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ESRCH: return "ESRCH";
	case EPERM: return "EPERM";
	case EOVERFLOW: return "EOVERFLOW";
	case EFAULT: return "EFAULT";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "calls", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "device", required_argument, NULL, 'd' },
		{ "until", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = PTWALK_DEVICE, *until = NULL;
	unsigned long calls = 10000, i, total_wrong = 0, shown = 0;
	uint64_t v, seed = 1, stable_pfn[STABLE_PAGES], win_vpn, stable_vpn, hole_vpn;
	struct tally t[NKIND] = { { 0 } };
	struct pagemap pm;
	char *win, *stable, *hole;
	pid_t child;
	int c, fd, err = 1, k, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "n:s:d:u:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cli_parse_u64(optarg, &v) || v == 0 || v > ULONG_MAX) {
				fprintf(stderr, PROG ": bad number of calls '%s'\n", optarg);
				return 2;
			}
			calls = v;
			break;
		case 's':
			if (cli_parse_u64(optarg, &seed)) {
				fprintf(stderr, PROG ": bad seed '%s'\n", optarg);
				return 2;
			}
			break;
		case 'd':
			device = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, PROG ": bad option '%s' (see " PROG " -h)\n", argv[optind - 1]);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, PROG ": unexpected argument '%s' (see " PROG " -h)\n", argv[optind]);
		return 2;
	}
	fd = open(device, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open %s: %s\n", device, strerror(errno));
		return 1;
	}
	/* The window is reserved before fork, so both sides know where it is. */
	win = mmap(NULL, WINDOW_PAGES * PG + HUGE_PG, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	stable = mmap(NULL, STABLE_PAGES * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* One page more than the hole, unmapped again: a page with no VMA. */
	hole = mmap(NULL, (HOLE_PAGES + 1) * PG, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (hole != MAP_FAILED)
		munmap(hole + HOLE_PAGES * PG, PG);
	if (win == MAP_FAILED || stable == MAP_FAILED || hole == MAP_FAILED) {
		fprintf(stderr, PROG ": cannot map the window: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	win = (char *)(((uintptr_t)win + HUGE_PG - 1) & ~(uintptr_t)(HUGE_PG - 1));
	win_vpn = (uintptr_t)win / PG;
	stable_vpn = (uintptr_t)stable / PG;
	hole_vpn = (uintptr_t)hole / PG;
	fflush(stdout);
	child = fork();
	if (child < 0) {
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	if (child == 0) {
		close(fd);
		churn(win, stable, seed);
	}
	rng_state = seed * 2 + 2;

	/* The stable pages' PFNs from the child's own pagemap. */
	usleep(100000);
	if (pagemap_open(&pm, child) || pagemap_read(&pm, stable_vpn, STABLE_PAGES, stable_pfn)) {
		fprintf(stderr, PROG ": cannot read /proc/%d/pagemap\n", (int)child);
		goto cleanup;
	}
	pagemap_close(&pm);
	for (i = 0; i < STABLE_PAGES; i++) {
		struct pm_entry e;

		pagemap_decode(stable_pfn[i], &e);
		if (!e.present || !e.pfn) {
			fprintf(stderr, PROG ": stable page %lu of the child is not present or hidden\n", i);
			goto cleanup;
		}
		stable_pfn[i] = e.pfn;
	}
	if (ioctl(fd, IOCTL_SET_PID, (unsigned long)child)) {
		fprintf(stderr, PROG ": IOCTL_SET_PID %d: %s\n", (int)child, strerror(errno));
		goto cleanup;
	}

	for (i = 0; i < calls || (until && access(until, F_OK) != 0); i++) {
		uint64_t r = rnd(), vpn, want_pfn = 0;
		enum kind kd;
		struct ptwalk_xlate x;
		int use_get = (r >> 8) % 4 == 0, ret, e = 0;
		long pfn = 0;

		switch (r % 16) {
		case 0: case 1:
			kd = K_STABLE;
			vpn = stable_vpn + rnd() % STABLE_PAGES;
			want_pfn = stable_pfn[vpn - stable_vpn];
			break;
		case 2:
			kd = K_UNMAPPED;        /* a PROT_NONE hole and the page past it */
			vpn = hole_vpn + rnd() % (HOLE_PAGES + 1);
			break;
		case 3:
			kd = K_BAD;             /* at or above 2^56: user space of no paging mode */
			vpn = ((1ULL << 56) + rnd() % (UINT64_MAX - (1ULL << 56))) / PG;
			if (rnd() % 8 == 0)
				vpn = UINT64_MAX >> (rnd() % 8);   /* not even an address */
			break;
		default:
			kd = K_CHURN;
			vpn = win_vpn + rnd() % WINDOW_PAGES;
			break;
		}
		if (use_get) {
			pfn = ioctl(fd, IOCTL_GET_PFN, (unsigned long)vpn);
			ret = pfn < 0 ? -1 : 0;
		} else {
			memset(&x, 0, sizeof(x));
			x.vpn = vpn;
			ret = ioctl(fd, IOCTL_XLATE, &x);
			pfn = (long)x.pfn;
		}
		if (ret)
			e = errno;
		t[kd].calls++;
		if (!ret)
			t[kd].ok++;
		else if (e == ENOENT)
			t[kd].enoent++;
		else
			t[kd].other++;

		/* What each kind may get. */
		{
			int ok;

			switch (kd) {
			case K_STABLE:
				ok = !ret && (uint64_t)pfn == want_pfn &&
				     (use_get || (x.level == PTWALK_LEVEL_PTE &&
						  (x.flags & PTWALK_XF_PRESENT)));
				break;
			case K_CHURN:
				ok = ret ? e == ENOENT : pfn > 0 && (use_get ||
					((x.flags & PTWALK_XF_PRESENT) && x.level >= PTWALK_LEVEL_PTE &&
					 x.level <= PTWALK_LEVEL_PUD));
				break;
			case K_UNMAPPED:
				ok = ret && e == ENOENT;
				break;
			default:
				ok = ret && e == EINVAL;
				break;
			}
			if (!ok) {
				t[kd].wrong++;
				total_wrong++;
				if (shown++ < 5)
					fprintf(stderr, PROG ": %s VPN 0x%llx (%s): got %s, pfn 0x%lx%s\n",
						kind_name[kd], (unsigned long long)vpn,
						use_get ? "GET_PFN" : "XLATE",
						ret ? errname(e) : "success", pfn,
						kd == K_STABLE ? " (want pagemap's PFN)" : "");
			}
		}
	}
	for (k = 0; k < NKIND; k++)
		printf("%s calls %lu ok %lu enoent %lu other %lu wrong %lu\n", kind_name[k],
		       t[k].calls, t[k].ok, t[k].enoent, t[k].other, t[k].wrong);
	printf("xlate calls %lu wrong %lu\n", i, total_wrong);
	err = total_wrong != 0 || t[K_CHURN].ok == 0 || t[K_STABLE].ok == 0;
	if (!total_wrong && err)
		fprintf(stderr, PROG ": no call found a present page in the window\n");
cleanup:
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	close(fd);
	return err;
}
