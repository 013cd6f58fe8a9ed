/*
 * tests/helpers/ioctl32.c - test helper: a 32-bit client of /dev/ptwalk.
 *
 * Built with gcc -m32 -static, so that the guest runs it through the
 * kernel's IA-32 emulation and its ioctls reach the module's
 * .compat_ioctl (issue 11, item 6).  Two modes:
 *
 *   ioctl32 PID VPN...   IOCTL_SET_PID PID, then for each VPN both
 *                        IOCTL_GET_PFN and IOCTL_XLATE, which must agree;
 *                        prints each VPN's line with pfn_ioctl -x's own
 *                        printer (collect/xlate_line.c, built -m32 here),
 *                        so that the test can compare it with the 64-bit
 *                        client's output byte for byte
 *   ioctl32 -B PID VPN...  the same VPNs in one IOCTL_XLATE_BATCH (up to
 *                        4096; its struct holds 64-bit user pointers, which
 *                        are 32-bit ones zero-extended here), printed the
 *                        same way, so that the test can compare them too
 *   ioctl32 self [N]     maps and touches N pages (default 16), translates
 *                        them in its own process and compares each PFN with
 *                        /proc/self/pagemap, one ioctl a page and then all
 *                        in one IOCTL_XLATE_BATCH of the range form; prints
 *                        "self: N pages, A agree, B agree batched"
 *
 * Errors: one stderr line per VPN, "ioctl32: VPN 0x...: strerror", and exit
 * status 1 (2 for bad usage), as pfn_ioctl does.
 */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "ptwalk_uapi.h"
#include "xlate_line.h"

#define PROG "ioctl32"

/* The layout the module's compat_ptr_ioctl relies on. */
_Static_assert(sizeof(struct ptwalk_xlate) == 64, "struct ptwalk_xlate differs on i386");
_Static_assert(sizeof(struct ptwalk_xlate_batch) == 56, "struct ptwalk_xlate_batch differs on i386");
_Static_assert(sizeof(struct ptwalk_batch_rec) == 64, "struct ptwalk_batch_rec differs on i386");
#define MAXB 4096
static uint64_t bvpn[MAXB];
static struct ptwalk_batch_rec brec[MAXB];
#define PG 4096u

static int fd;

/* Both ioctls for vpn; 0 with *pfn, or -1 after one stderr line. */
static int translate(uint64_t vpn, uint64_t *pfn, int print)
{
	struct ptwalk_xlate x;
	long r;

	memset(&x, 0, sizeof(x));
	x.vpn = vpn;
	if (ioctl(fd, IOCTL_XLATE, &x) < 0) {
		fprintf(stderr, PROG ": VPN 0x%llx: %s\n", (unsigned long long)vpn, strerror(errno));
		return -1;
	}
	/* IOCTL_GET_PFN's argument is an unsigned long: 32 bits here. */
	if (vpn <= UINT32_MAX) {
		r = ioctl(fd, IOCTL_GET_PFN, (unsigned long)vpn);
		if (r < 0 || (uint64_t)r != x.pfn) {
			fprintf(stderr, PROG ": VPN 0x%llx: IOCTL_GET_PFN says %ld (%s), IOCTL_XLATE 0x%llx\n",
				(unsigned long long)vpn, r, r < 0 ? strerror(errno) : "ok",
				(unsigned long long)x.pfn);
			return -1;
		}
	}
	if (print)
		xlate_line_print(stdout, vpn, 0, x.pfn, &x);
	*pfn = x.pfn;
	return 0;
}

static int set_pid(uint64_t pid)
{
	if (ioctl(fd, IOCTL_SET_PID, (unsigned long)pid) < 0) {
		fprintf(stderr, PROG ": PID %llu: %s\n", (unsigned long long)pid, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * IOCTL_XLATE_BATCH of n VPNs: bvpn[], or with range the n from start, in
 * process pid (0: the target).  The records written, or -1 with errno.
 */
static long batch(uint64_t pid, uint64_t start, unsigned long n, int range)
{
	struct ptwalk_xlate_batch b;
	long r;

	memset(&b, 0, sizeof(b));
	if (range) {
		b.flags = PTWALK_BATCH_RANGE;
		b.start = start;
	} else {
		b.vpns = (uintptr_t)bvpn;
	}
	b.recs = (uintptr_t)brec;
	b.count = (uint32_t)n;
	b.pid = (uint32_t)pid;
	r = ioctl(fd, IOCTL_XLATE_BATCH, &b);
	if (r >= 0 && (unsigned long)r != b.done) {
		fprintf(stderr, PROG ": IOCTL_XLATE_BATCH returned %ld, done %u\n", r, b.done);
		errno = EIO;
		return -1;
	}
	return r;
}

static int self_check(unsigned long n)
{
	unsigned long i, agree = 0, bagree = 0;
	long r;
	uint64_t pm, pfn;
	char *m;
	int pmfd;

	m = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pmfd = open("/proc/self/pagemap", O_RDONLY);
	if (m == MAP_FAILED || pmfd < 0) {
		fprintf(stderr, PROG ": self: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++)
		m[i * PG] = (char)i;
	if (set_pid((uint64_t)getpid()))
		return 1;
	for (i = 0; i < n; i++) {
		uint64_t vpn = ((uintptr_t)m + i * PG) / PG;

		if (pread(pmfd, &pm, sizeof(pm), (off_t)(vpn * 8)) != sizeof(pm)) {
			fprintf(stderr, PROG ": self: pagemap: %s\n", strerror(errno));
			return 1;
		}
		if (translate(vpn, &pfn, 0))
			continue;
		if ((pm >> 63) && pfn == (pm & ((1ULL << 55) - 1)))
			agree++;
		else
			fprintf(stderr, PROG ": self: VPN 0x%llx: PFN 0x%llx, pagemap 0x%016llx\n",
				(unsigned long long)vpn, (unsigned long long)pfn,
				(unsigned long long)pm);
	}
	r = batch((uint64_t)getpid(), (uintptr_t)m / PG, n, 1);
	if (r < 0)
		fprintf(stderr, PROG ": self: IOCTL_XLATE_BATCH: %s\n", strerror(errno));
	for (i = 0; r >= 0 && i < (unsigned long)r; i++) {
		uint64_t vpn = ((uintptr_t)m + i * PG) / PG;

		if (pread(pmfd, &pm, sizeof(pm), (off_t)(vpn * 8)) == sizeof(pm) && (pm >> 63) &&
		    !brec[i].error && brec[i].pfn == (pm & ((1ULL << 55) - 1)))
			bagree++;
	}
	printf("self: %lu pages, %lu agree, %lu agree batched\n", n, agree, bagree);
	return agree != n || bagree != n;
}

int main(int argc, char **argv)
{
	uint64_t pid, vpn, pfn, n = 16;
	int i, err = 0, batched = 0;
	struct ptwalk_xlate x;
	long r;

	if (argc > 1 && !strcmp(argv[1], "-B")) {
		batched = 1;
		argv++;
		argc--;
	}
	if (argc < 2 || (strcmp(argv[1], "self") && argc < 3) ||
	    (!strcmp(argv[1], "self") && argc > 3)) {
		fprintf(stderr, "usage: " PROG " [-B] PID VPN... | " PROG " self [N]\n");
		return 2;
	}
	if (!strcmp(argv[1], "self")) {
		if (argc == 3 && (cli_parse_u64(argv[2], &n) || n == 0 || n > 4096)) {
			fprintf(stderr, PROG ": bad page count '%s': want 1 to 4096\n", argv[2]);
			return 2;
		}
	} else if (cli_parse_u64(argv[1], &pid) || pid == 0 || pid > 0x3fffffff) {
		fprintf(stderr, PROG ": bad PID '%s'\n", argv[1]);
		return 2;
	} else if (batched && argc - 2 > MAXB) {
		fprintf(stderr, PROG ": -B takes at most %d VPNs\n", MAXB);
		return 2;
	}
	fd = open(PTWALK_DEVICE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open " PTWALK_DEVICE ": %s\n", strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "self"))
		return self_check((unsigned long)n);
	if (set_pid(pid))
		return 1;
	for (i = 2; batched && i < argc; i++) {
		if (cli_parse_u64(argv[i], &bvpn[i - 2])) {
			fprintf(stderr, PROG ": VPN '%s' is not a number\n", argv[i]);
			return 2;
		}
	}
	if (batched) {
		r = batch(0, 0, (unsigned long)(argc - 2), 0);
		for (i = 0; i < argc - 2; i++) {
			int e = r < 0 ? errno : i < r ? (int)brec[i].error : EIO;

			if (e) {
				fprintf(stderr, PROG ": VPN 0x%llx: %s\n", (unsigned long long)bvpn[i],
					strerror(e));
				err = 1;
				continue;
			}
			xlate_from_rec(bvpn[i], &brec[i], &x);
			xlate_line_print(stdout, bvpn[i], 0, brec[i].pfn, &x);
		}
		return err;
	}
	for (i = 2; i < argc; i++) {
		if (cli_parse_u64(argv[i], &vpn)) {
			fprintf(stderr, PROG ": VPN '%s' is not a number\n", argv[i]);
			err = 1;
			continue;
		}
		if (translate(vpn, &pfn, 1))
			err = 1;
	}
	return err;
}
