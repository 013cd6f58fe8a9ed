/*
 * collect/pfn_ioctl.c - the user-space client of /dev/ptwalk (Part B).
 *
 * The handout's Part B program: it makes process PID the device's target
 * (IOCTL_SET_PID) and asks the module for the page frame of each virtual
 * page number, one ioctl per VPN: IOCTL_GET_PFN, whose value is the PFN,
 * or with --xlate IOCTL_XLATE, which also returns the leaf level and the
 * raw entries met on the way down.  It is an independent check of
 * /proc/PID/pagemap: the tests compare the two page for page.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "ptwalk_uapi.h"
#include "xlate_line.h"

#define PROG "pfn_ioctl"
#define PAGE_SHIFT_4K 12

struct opts {
	const char *device;
	bool xlate, address;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [options] PID VPN...\n"
"       " PROG " [options] PID -      (VPNs from standard input, one a line)\n"
"\n"
"Translate virtual page numbers of process PID to page frame numbers with\n"
"ptwalk.ko's IOCTL_GET_PFN on " PTWALK_DEVICE " (load the module; needs\n"
"CAP_SYS_ADMIN).  Numbers are decimal, or hex with 0x.  One line per VPN,\n"
"VA and PA with 16 hex digits as in the samples CSV:\n"
"  VPN=0x7ffd1234 VA=0x00007ffd12340000 PFN=0x1a2b3 PA=0x000000001a2b3000\n"
"\n"
"  -a, --address        the arguments are virtual addresses, not VPNs\n"
"                       (PA then keeps the offset in the page)\n"
"  -x, --xlate          use IOCTL_XLATE: add the leaf level (pte, pmd, pud)\n"
"                       and the raw pgd, p4d, pud, pmd and pte entries\n"
"  -d, --device PATH    the device (default " PTWALK_DEVICE ")\n"
"  -h, --help           this help\n"
"\n"
"Exit status: 0 when every VPN was translated, 1 when any failed (one\n"
"stderr line each, naming the VPN), 2 for bad usage.\n"
"\n"
"Examples:\n"
"  insmod ptwalk.ko\n"
"  ./prober &                          # prints its PID and an address\n"
"  " PROG " 12345 0x55a6d0f5a           # VPN = address >> 12\n"
"  " PROG " -a -x 12345 0x55a6d0f5a2a0\n"
"  seq 1 9 | " PROG " 12345 -\n");
}

/* A number with blanks around it (lines from stdin): cli_parse_u64(). */
static int parse_u64(const char *s, uint64_t *v)
{
	char buf[256];      /* as long as a stdin line */
	size_t n;

	s += strspn(s, " \t");
	n = strcspn(s, " \t\r\n");
	if (n >= sizeof(buf) || s[n + strspn(s + n, " \t\r\n")])
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return cli_parse_u64(buf, v);
}

/*
 * One line of f into buf (without its newline), in buf's n bytes: its
 * length, -1 at the end, -2 when longer than n - 2 bytes, -3 at a NUL
 * byte (which fgets would take for the end of the line, and then report
 * a short line as too long).  No allocation, so none can fail.
 */
static long read_line(FILE *f, char *buf, size_t n)
{
	size_t len = 0;
	int c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0')
			return -3;
		if (len >= n - 2)
			return -2;
		buf[len++] = (char)c;
	}
	if (c == EOF && len == 0)
		return -1;
	buf[len] = '\0';
	return (long)len;
}

/* Translate one argument; prints its line or its error.  0 or -1. */
static int translate(int fd, const struct opts *o, const char *arg)
{
	uint64_t v, vpn, off = 0, pfn;
	struct ptwalk_xlate x;
	long r;

	if (parse_u64(arg, &v)) {
		fprintf(stderr, PROG ": %s '%s' is not a number\n",
			o->address ? "address" : "VPN", arg);
		return -1;
	}
	vpn = v;
	if (o->address) {
		vpn = v >> PAGE_SHIFT_4K;
		off = v & ((1ULL << PAGE_SHIFT_4K) - 1);
	}
	if (o->xlate) {
		memset(&x, 0, sizeof(x));
		x.vpn = vpn;
		r = ioctl(fd, IOCTL_XLATE, &x);
		pfn = x.pfn;
	} else {
		r = ioctl(fd, IOCTL_GET_PFN, (unsigned long)vpn);
		pfn = (uint64_t)r;
	}
	if (r < 0) {
		fprintf(stderr, PROG ": VPN 0x%llx: %s\n", (unsigned long long)vpn,
			strerror(errno));
		return -1;
	}
	xlate_line_print(stdout, vpn, off, pfn, o->xlate ? &x : NULL);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "address", no_argument, NULL, 'a' },
		{ "xlate", no_argument, NULL, 'x' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .device = PTWALK_DEVICE };
	uint64_t pid;
	char line[256];         /* a VPN line: no allocation, so no failed one */
	unsigned long lineno = 0;
	int c, i, fd = -1, err = 0;

	opterr = 0;   /* one message, ours */
	while ((c = getopt_long(argc, argv, "+:axd:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': o.address = true; break;
		case 'x': o.xlate = true; break;
		case 'd': o.device = optarg; break;
		case 'h': usage(stdout); return 0;
		default: cli_bad_option(PROG, argv, c);
		}
	}
	if (optind >= argc)
		cli_die_usage(PROG, "missing PID");
	if (parse_u64(argv[optind], &pid) || pid == 0 || pid > 0x3fffffff)
		cli_die_usage(PROG, "bad PID '%s'", argv[optind]);
	if (++optind >= argc)
		cli_die_usage(PROG, "missing VPN");
	fd = open(o.device, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open %s: %s%s\n", o.device, strerror(errno),
			errno == ENOENT ? " (is ptwalk.ko loaded?)" : "");
		return 1;
	}
	if (ioctl(fd, IOCTL_SET_PID, (unsigned long)pid) < 0) {
		fprintf(stderr, PROG ": PID %llu: %s\n", (unsigned long long)pid,
			strerror(errno));
		err = 1;
		goto cleanup;
	}
	if (argc - optind == 1 && strcmp(argv[optind], "-") == 0) {
		long got;

		while ((got = read_line(stdin, line, sizeof(line))) != -1) {
			lineno++;
			if (got < 0) {
				if (got == -2)
					fprintf(stderr, PROG ": standard input line %lu: longer than %zu bytes\n",
						lineno, sizeof(line) - 2);
				else
					fprintf(stderr, PROG ": standard input line %lu: binary data (NUL byte)\n",
						lineno);
				err = 1;
				break;
			}
			if (line[strspn(line, " \t\r\n")] == '\0')
				continue;
			line[strcspn(line, "\r\n")] = '\0';
			if (translate(fd, &o, line))
				err = 1;
		}
		if (ferror(stdin)) {
			fprintf(stderr, PROG ": cannot read standard input: %s\n", strerror(errno));
			err = 1;
		}
	} else {
		for (i = optind; i < argc; i++)
			if (translate(fd, &o, argv[i]))
				err = 1;
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output: %s\n", strerror(errno));
		err = 1;
	}
cleanup:
	close(fd);
	return err != 0;
}
