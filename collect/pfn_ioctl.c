/*
 * collect/pfn_ioctl.c - the user-space client of /dev/ptwalk (Part B).
 *
 * The handout's Part B program: it makes process PID the device's target
 * (IOCTL_SET_PID) and asks the module for the page frame of each virtual
 * page number, one ioctl per VPN: IOCTL_GET_PFN, whose value is the PFN,
 * or with --xlate IOCTL_XLATE, which also returns the leaf level and the
 * raw entries met on the way down.  It is an independent check of
 * /proc/PID/pagemap: the tests compare the two page for page.
 *
 * With --batch the same translations go through IOCTL_XLATE_BATCH, up to
 * 4096 VPNs an ioctl, and print exactly what the one-a-call ioctls print
 * (the tests compare the two); --range START COUNT translates COUNT
 * consecutive pages in batches of the kernel's range form, with no VPN
 * array at all.
 *
 * With --explain it explains whole addresses instead, as crash's `vtop`
 * does: IOCTL_EXPLAIN walks the address in process PID (PID 0: a kernel
 * address), and each level is printed with its index, where its entry
 * lives, its raw value and its bits decoded (ptentry.c on x86-64, the Intel
 * SDM's names; ptentry_arm64.c on arm64, the Arm ARM's: table, block or
 * page, AttrIndx, SH, AP, AF, nG, Cont, PXN, UXN, and which of TTBR0/TTBR1
 * the walk starts from), then the next table or the leaf frame, and the
 * physical address.
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
#include "ptentry.h"
#include "ptentry_arm64.h"
#include "ptwalk_uapi.h"
#include "xlate_line.h"

#define PROG "pfn_ioctl"
#define PAGE_SHIFT_4K 12

struct opts {
	const char *device;
	bool xlate, address, explain, batch, range;
};

/* VPNs waiting for one IOCTL_XLATE_BATCH, with their offsets (-a). */
#define BATCH 4096
static struct batch {
	uint64_t vpn[BATCH], off[BATCH];
	struct ptwalk_batch_rec rec[BATCH];
	unsigned int n;
} bt;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [options] PID VPN...\n"
"       " PROG " [options] PID -      (VPNs from standard input, one a line)\n"
"       " PROG " --range [options] PID START COUNT\n"
"       " PROG " --explain PID VA...  (PID 0: kernel addresses)\n"
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
"  -B, --batch          translate up to 4096 VPNs an ioctl (IOCTL_XLATE_BATCH);\n"
"                       the output is the same as without it\n"
"  -r, --range          the arguments are START (a VPN, or with -a an\n"
"                       address) and COUNT: translate COUNT consecutive\n"
"                       pages from START in batches (implies --batch)\n"
"  -e, --explain        explain each virtual address VA of PID as crash's\n"
"                       vtop does, one line per level: the index, the\n"
"                       entry's physical address, its raw value and its\n"
"                       bits (Intel SDM names; x86-64 only), the next table\n"
"                       or the leaf frame, then the PA (IOCTL_EXPLAIN).\n"
"                       PID 0 walks kernel addresses (the upper half)\n"
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
"  " PROG " --explain 12345 0x55a6d0f5a2a0\n"
"  " PROG " --explain 0 0xffff888000100000   # the direct map\n"
"  seq 1 9 | " PROG " 12345 -\n"
"  " PROG " -x --range 12345 0x55a6d0f5a 512  # 2 MiB of pages, one ioctl\n");
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

/* An argument as a VPN and the offset in its page (-a); 0, or -1 after its error. */
static int parse_arg(const struct opts *o, const char *arg, uint64_t *vpn, uint64_t *off)
{
	uint64_t v;

	if (parse_u64(arg, &v)) {
		fprintf(stderr, PROG ": %s '%s' is not a number\n",
			o->address ? "address" : "VPN", arg);
		return -1;
	}
	*vpn = o->address ? v >> PAGE_SHIFT_4K : v;
	*off = o->address ? v & ((1ULL << PAGE_SHIFT_4K) - 1) : 0;
	return 0;
}

/* Translate one VPN, one ioctl; prints its line or its error.  0 or -1. */
static int translate(int fd, const struct opts *o, uint64_t vpn, uint64_t off)
{
	struct ptwalk_xlate x;
	uint64_t pfn;
	long r;

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

/*
 * Translate the VPNs waiting in bt with IOCTL_XLATE_BATCH (with range,
 * bt.vpn[0] and the ones after it, passed as the kernel's range form),
 * and print each as translate() would: the same line, or the same error
 * line (a failed call gives each of its VPNs the call's error, as
 * one-a-call ioctls would get it).  0, or -1 when any VPN failed.
 */
static int batch_flush(int fd, const struct opts *o, bool range)
{
	struct ptwalk_xlate_batch req;
	struct ptwalk_xlate x;
	unsigned int i = 0, k;
	int err = 0;
	long r;

	while (i < bt.n) {
		memset(&req, 0, sizeof(req));
		if (range) {
			req.flags = PTWALK_BATCH_RANGE;
			req.start = bt.vpn[i];
		} else {
			req.vpns = (uintptr_t)(bt.vpn + i);
		}
		req.recs = (uintptr_t)(bt.rec + i);
		req.count = bt.n - i;
		r = ioctl(fd, IOCTL_XLATE_BATCH, &req);
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;

			for (k = i; k < bt.n; k++) {
				memset(&bt.rec[k], 0, sizeof(bt.rec[k]));
				bt.rec[k].error = (uint32_t)e;
			}
			break;
		}
		i += (unsigned int)r;
	}
	for (i = 0; i < bt.n; i++) {
		const struct ptwalk_batch_rec *rec = &bt.rec[i];

		if (rec->error) {
			fprintf(stderr, PROG ": VPN 0x%llx: %s\n", (unsigned long long)bt.vpn[i],
				strerror((int)rec->error));
			err = -1;
			continue;
		}
		xlate_from_rec(bt.vpn[i], rec, &x);
		xlate_line_print(stdout, bt.vpn[i], bt.off[i], rec->pfn, o->xlate ? &x : NULL);
	}
	bt.n = 0;
	return err;
}

/* Translate one argument, now or (--batch) with the next batch.  0 or -1. */
static int translate_arg(int fd, const struct opts *o, const char *arg)
{
	uint64_t vpn, off;

	if (parse_arg(o, arg, &vpn, &off)) {
		/* Its error after the lines of the VPNs before it. */
		if (o->batch && bt.n)
			batch_flush(fd, o, false);
		return -1;
	}
	if (!o->batch)
		return translate(fd, o, vpn, off);
	bt.vpn[bt.n] = vpn;
	bt.off[bt.n++] = off;
	return bt.n == BATCH ? batch_flush(fd, o, false) : 0;
}

/* --range: count pages from vpn, BATCH a call.  0 or -1. */
static int translate_range(int fd, const struct opts *o, uint64_t vpn, uint64_t off,
			   uint64_t count)
{
	uint64_t i;
	int err = 0;

	for (i = 0; i < count; i++) {
		bt.vpn[bt.n] = vpn + i;
		bt.off[bt.n++] = off;
		if (bt.n == BATCH || i + 1 == count)
			err |= batch_flush(fd, o, true);
	}
	return err;
}

/*
 * The line of level l of e's walk: "pud: (va >> 30) & 511 = 3, entry at
 * PA 0x...: 0x... P RW US A D -> table at PA 0x...".  Returns 1 when the
 * walk goes on below it.
 */
static int explain_level(const struct ptwalk_explain *e, enum pt_level l)
{
	int shift = pt_shift(l, (int)e->levels), idx = pt_index(e->va, l, (int)e->levels);
	const char *name = pt_level_name(l);
	struct pt_entry d;
	char bits[160];

	if (pt_folded(l, (int)e->levels)) {
		printf("%s: folded into the pgd (4-level paging): the same entry\n", name);
		return 1;
	}
	if (!e->entry_pa[l]) {
		printf("%s: not reached\n", name);
		return 0;
	}
	printf("%s: (va >> %d) & 511 = %d, entry at PA 0x%016llx: 0x%016llx", name,
	       shift, idx, (unsigned long long)e->entry_pa[l], (unsigned long long)e->entry[l]);
#if defined(__aarch64__)
	pt_arm64_decode(l, e->entry[l], &d);
	pt_arm64_bits_str(l, e->entry[l], bits, sizeof(bits));
#else
	pt_decode(l, e->entry[l], &d);
	pt_bits_str(l, e->entry[l], bits, sizeof(bits));
#endif
	printf(" %s", bits);
	if (!d.present) {
		printf(" -> no translation\n");
		return 0;
	}
	if (d.leaf) {
		printf(" -> %s frame at PA 0x%016llx\n", d.leaf_size == 1ULL << 30 ? "1 GiB" :
		       d.leaf_size == 1ULL << 21 ? "2 MiB" : "4 KiB", (unsigned long long)d.frame);
		return 0;
	}
	printf(" -> table at PA 0x%016llx\n", (unsigned long long)d.next_pa);
	return 1;
}

/* arm64: which table base register the walk starts from; x86-64: "". */
static const char *ttbr_side(uint64_t va)
{
#if defined(__aarch64__)
	return pt_arm64_ttbr(va) ? ", TTBR1_EL1 (the kernel's table)" : ", TTBR0_EL1 (the process's pgd)";
#else
	(void)va;
	return "";
#endif
}

/* One layout on every ABI: the module checks the same (chardev.c). */
_Static_assert(sizeof(struct ptwalk_explain) == 120, "struct ptwalk_explain is 120 bytes");

/* Explain one address of PID; prints its walk, or its error.  0 or -1. */
static int explain(int fd, uint64_t pid, uint64_t va)
{
	static const uint64_t sizes[] = { 0, 1ULL << 12, 1ULL << 21, 1ULL << 30 };
	struct ptwalk_explain e;
	uint64_t size;
	int l, r;

	memset(&e, 0, sizeof(e));
	e.va = va;
	e.pid = (uint32_t)pid;
	r = ioctl(fd, IOCTL_EXPLAIN, &e);
	if (r < 0 && errno != ENOENT) {
		fprintf(stderr, PROG ": PID %llu VA 0x%016llx: %s%s\n", (unsigned long long)pid,
			(unsigned long long)e.va, strerror(errno),
			errno == EINVAL ? (pid == 0 && (int64_t)e.va >= 0 ?
				" (PID 0 walks kernel addresses only)" : " (not a canonical address)") :
			errno == ENOTTY ? " (the module has no IOCTL_EXPLAIN: rebuild it)" : "");
		return -1;
	}
	if (pid)
		printf("PID %llu VA 0x%016llx, %u-level paging%s, pgd entry at kernel VA 0x%016llx\n",
		       (unsigned long long)pid, (unsigned long long)e.va, e.levels, ttbr_side(e.va),
		       (unsigned long long)e.pgd_slot);
	else
		printf("kernel VA 0x%016llx, %u-level paging%s, pgd entry at kernel VA 0x%016llx\n",
		       (unsigned long long)e.va, e.levels, ttbr_side(e.va), (unsigned long long)e.pgd_slot);
	for (l = PT_PGD; l < PT_NLEVELS; l++)
		if (!explain_level(&e, (enum pt_level)l))
			break;
	if (r < 0) {
		printf("PA: none, VA 0x%016llx is not mapped\n", (unsigned long long)e.va);
		fprintf(stderr, PROG ": PID %llu VA 0x%016llx: not mapped\n",
			(unsigned long long)pid, (unsigned long long)e.va);
		return -1;
	}
	size = e.level >= PTWALK_LEVEL_PTE && e.level <= PTWALK_LEVEL_PUD ? sizes[e.level] : sizes[1];
	printf("PA: 0x%016llx + offset 0x%llx (va & 0x%llx) = 0x%016llx\n",
	       (unsigned long long)((e.pfn << PAGE_SHIFT_4K) & ~(size - 1)),
	       (unsigned long long)(e.va & (size - 1)), (unsigned long long)(size - 1),
	       (unsigned long long)(((e.pfn << PAGE_SHIFT_4K) & ~(size - 1)) + (e.va & (size - 1))));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "address", no_argument, NULL, 'a' },
		{ "xlate", no_argument, NULL, 'x' },
		{ "explain", no_argument, NULL, 'e' },
		{ "batch", no_argument, NULL, 'B' },
		{ "range", no_argument, NULL, 'r' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .device = PTWALK_DEVICE };
	uint64_t pid, va, count = 0, vpn0 = 0, off0 = 0;
	char line[256];         /* a VPN line: no allocation, so no failed one */
	unsigned long lineno = 0;
	int c, i, fd = -1, err = 0;

	opterr = 0;   /* one message, ours */
	while ((c = getopt_long(argc, argv, "+:axeBrd:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': o.address = true; break;
		case 'x': o.xlate = true; break;
		case 'e': o.explain = true; break;
		case 'B': o.batch = true; break;
		case 'r': o.range = o.batch = true; break;
		case 'd': o.device = optarg; break;
		case 'h': usage(stdout); return 0;
		default: cli_bad_option(PROG, argv, c);
		}
	}
	if (o.explain && o.batch)
		cli_die_usage(PROG, "--%s translates VPNs, not with --explain", o.range ? "range" : "batch");
	if (optind >= argc)
		cli_die_usage(PROG, "missing PID");
	if (parse_u64(argv[optind], &pid) || (pid == 0 && !o.explain) || pid > 0x3fffffff)
		cli_die_usage(PROG, "bad PID '%s'", argv[optind]);
	if (++optind >= argc)
		cli_die_usage(PROG, "missing %s", o.explain ? "VA" : o.range ? "START" : "VPN");
	if (o.range) {
		if (argc - optind != 2)
			cli_die_usage(PROG, "--range takes PID START COUNT");
		if (parse_u64(argv[optind], &va))
			cli_die_usage(PROG, "START '%s' is not a number", argv[optind]);
		if (parse_u64(argv[optind + 1], &count) || count == 0)
			cli_die_usage(PROG, "bad COUNT '%s': want a number of pages, 1 or more",
				      argv[optind + 1]);
		vpn0 = o.address ? va >> PAGE_SHIFT_4K : va;
		off0 = o.address ? va & ((1ULL << PAGE_SHIFT_4K) - 1) : 0;
		if (count - 1 > UINT64_MAX - vpn0)
			cli_die_usage(PROG, "--range %s %s goes past the last VPN",
				      argv[optind], argv[optind + 1]);
	}
	/* A bad argument is a usage error, found before the device is opened
	 * (stdin's lines are data: translate() answers each). */
	for (i = optind; i < argc && !o.range; i++)
		if (!(i == optind && argc - optind == 1 && !o.explain && strcmp(argv[i], "-") == 0) &&
		    parse_u64(argv[i], &va))
			cli_die_usage(PROG, "%s '%s' is not a number",
				      o.explain || o.address ? "address" : "VPN", argv[i]);
	fd = open(o.device, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open %s: %s%s\n", o.device, strerror(errno),
			errno == ENOENT ? " (is ptwalk.ko loaded?)" : "");
		return 1;
	}
	if (o.explain) {
		for (i = optind; i < argc; i++) {
			if (i > optind)
				putchar('\n');
			if (parse_u64(argv[i], &va) || explain(fd, pid, va))
				err = 1;
		}
		goto out;
	}
	if (ioctl(fd, IOCTL_SET_PID, (unsigned long)pid) < 0) {
		fprintf(stderr, PROG ": PID %llu: %s\n", (unsigned long long)pid,
			strerror(errno));
		err = 1;
		goto cleanup;
	}
	if (o.range) {
		if (translate_range(fd, &o, vpn0, off0, count))
			err = 1;
	} else if (argc - optind == 1 && strcmp(argv[optind], "-") == 0) {
		long got;

		while ((got = read_line(stdin, line, sizeof(line))) != -1) {
			lineno++;
			if (got < 0) {
				if (bt.n && batch_flush(fd, &o, false))
					err = 1;
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
			if (translate_arg(fd, &o, line))
				err = 1;
		}
		if (ferror(stdin)) {
			fprintf(stderr, PROG ": cannot read standard input: %s\n", strerror(errno));
			err = 1;
		}
	} else {
		for (i = optind; i < argc; i++)
			if (translate_arg(fd, &o, argv[i]))
				err = 1;
	}
	if (bt.n && batch_flush(fd, &o, false))
		err = 1;
out:
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output: %s\n", strerror(errno));
		err = 1;
	}
cleanup:
	close(fd);
	return err != 0;
}
