/*
 * collect/pagemap.h - the project's pagemap library.
 *
 * Reads /proc/PID/pagemap (one 64-bit entry per virtual page) and
 * /proc/kpageflags in large batches and decodes every documented bit
 * (Documentation/admin-guide/mm/pagemap.rst).  The collectors
 * (memalloc, pagemap_reader, fragment) are thin clients of it.
 * Functions return 0 or a negative errno; pagemap.path names the file
 * for messages.
 */
#ifndef PTWALK_PAGEMAP_H
#define PTWALK_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- pagemap entry bits, as page-types.c defines them ---- */
#define PM_ENTRY_BYTES    8
#define PM_PFRAME_BITS    55
#define PM_PFRAME_MASK    ((1ULL << PM_PFRAME_BITS) - 1)
#define PM_SWAP_TYPE_BITS 5
#define PM_SWAP_TYPE_MASK ((1ULL << PM_SWAP_TYPE_BITS) - 1)
#define PM_SOFT_DIRTY     (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_UFFD_WP        (1ULL << 57)
#define PM_GUARD_REGION   (1ULL << 58)
#define PM_FILE           (1ULL << 61)
#define PM_SWAP           (1ULL << 62)
#define PM_PRESENT        (1ULL << 63)

/* ---- /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h) ---- */
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define KPF_HUGE          17
#define KPF_NOPAGE        20
#define KPF_THP           22

/* Entries per pread: 64K entries = 512 KiB, as page-types reads them. */
#define PM_BATCH 65536

struct pm_entry {
	uint64_t raw;
	uint64_t pfn;          /* valid when present (0 when hidden) */
	uint64_t swap_offset;  /* valid when swapped */
	unsigned swap_type;    /* valid when swapped */
	bool present, swapped, file_shared, exclusive, soft_dirty;
	bool uffd_wp, guard;
};

/* Decode one raw entry. */
void pagemap_decode(uint64_t raw, struct pm_entry *e);

struct pagemap {
	int fd;        /* /proc/PID/pagemap */
	int kpf_fd;    /* /proc/kpageflags, or -1 when not readable */
	pid_t pid;     /* 0 for self */
	char path[48];
};

/* Open the pagemap of pid (0: this process), and kpageflags if allowed. */
int pagemap_open(struct pagemap *pm, pid_t pid);
void pagemap_close(struct pagemap *pm);

/* Raw entries for n consecutive pages from first_vpn, in PM_BATCH preads. */
int pagemap_read(struct pagemap *pm, uint64_t first_vpn, size_t n,
		 uint64_t *out);

/*
 * Raw entries for n arbitrary virtual page numbers (any order, repeats
 * allowed).  Sorts them and reads each window of up to PM_BATCH pages in
 * one pread, so scattered 4 KiB blocks still cost few system calls.
 */
int pagemap_read_vpns(struct pagemap *pm, const uint64_t *vpns, size_t n,
		      uint64_t *out);

/*
 * kpageflags for n PFNs, reading each run of consecutive PFNs (up or
 * down) in one pread.  Returns -EACCES when /proc/kpageflags is not
 * readable.
 */
int pagemap_kpageflags(struct pagemap *pm, const uint64_t *pfns, size_t n,
		       uint64_t *out);

/*
 * True when the kernel hides PFNs from this opener: a present page whose
 * PFN reads as 0.  The kernel does this when the opener lacks
 * CAP_SYS_ADMIN (fs/proc/task_mmu.c, pagemap_open).
 */
bool pagemap_pfn_hidden(const struct pm_entry *e);

/* Whether this process has CAP_SYS_ADMIN in its effective set. */
bool pagemap_have_sys_admin(void);

/* The message collectors print when PFNs are hidden. */
#define PAGEMAP_HIDDEN_MSG \
	"PFNs are hidden: reading them needs CAP_SYS_ADMIN (run as root, or pass --allow-hidden)"

#endif
