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
 *   ioctl32 self [N]     maps and touches N pages (default 16), translates
 *                        them in its own process and compares each PFN with
 *                        /proc/self/pagemap; prints "self: N pages, A agree"
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

static int self_check(unsigned long n)
{
	unsigned long i, agree = 0;
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
	printf("self: %lu pages, %lu agree\n", n, agree);
	return agree != n;
}

int main(int argc, char **argv)
{
	uint64_t pid, vpn, pfn, n = 16;
	int i, err = 0;

	if (argc < 2 || (strcmp(argv[1], "self") && argc < 3) ||
	    (!strcmp(argv[1], "self") && argc > 3)) {
		fprintf(stderr, "usage: " PROG " PID VPN... | " PROG " self [N]\n");
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
