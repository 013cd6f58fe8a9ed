/* SPDX-License-Identifier: MIT */
/*
 * ptwalk_uapi.h - the one interface between ptwalk.ko and user space.
 *
 * Included unchanged by the module (kmod/) and by its user-space clients
 * (collect/pfn_ioctl, the tests).  /dev/ptwalk answers these ioctls for the
 * target process chosen by the module parameter pid= or IOCTL_SET_PID.
 * Only fixed-width __u32/__u64 fields, so the layout is the same for every
 * ABI that can open the device: 32-bit processes get the same answers
 * through the module's .compat_ioctl (tests/helpers/ioctl32.c).
 */
#ifndef PTWALK_UAPI_H
#define PTWALK_UAPI_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define PTWALK_DEVICE      "/dev/ptwalk"
#define PTWALK_PROC        "/proc/pagetable"

#define PTWALK_IOC_MAGIC   'p'
/* arg: VPN of the target; returns its PFN, or -1 with errno. */
#define IOCTL_GET_PFN      _IO(PTWALK_IOC_MAGIC, 1)
/* arg: pid of the new target process. */
#define IOCTL_SET_PID      _IO(PTWALK_IOC_MAGIC, 2)

/* Leaf level of a translation, as counted by IOCTL_XLATE. */
#define PTWALK_LEVEL_PTE   1
#define PTWALK_LEVEL_PMD   2
#define PTWALK_LEVEL_PUD   3

/* ptwalk_xlate.flags */
#define PTWALK_XF_PRESENT  (1u << 0)  /* the leaf maps a frame */
#define PTWALK_XF_HUGE     (1u << 1)  /* the leaf is a huge pud or pmd */
#define PTWALK_XF_LA57     (1u << 2)  /* the walk went through a real p4d level */

/*
 * entry[] holds the raw values met on the way down, in the order
 * pgd, p4d, pud, pmd, pte; levels below the leaf are 0.  With 4-level
 * paging the p4d is folded into the pgd and entry[1] equals entry[0].
 */
struct ptwalk_xlate {
	__u64 vpn;       /* in: virtual page number in the target */
	__u64 pfn;       /* out: page frame number of that 4 KiB page */
	__u32 level;     /* out: PTWALK_LEVEL_* of the leaf */
	__u32 flags;     /* out: PTWALK_XF_* */
	__u64 entry[5];  /* out: pgd, p4d, pud, pmd, pte */
};
#define IOCTL_XLATE        _IOWR(PTWALK_IOC_MAGIC, 3, struct ptwalk_xlate)

/*
 * IOCTL_EXPLAIN: one walk of any address, with where each entry it read
 * lives (pfn_ioctl --explain prints it as crash's vtop does).  pid names
 * the process whose page tables are walked, whatever IOCTL_SET_PID chose;
 * pid 0 walks a kernel address (the upper canonical half) in the caller's
 * own tables, whose kernel half is the kernel's (on x86-64 pgd_alloc()
 * copies it from swapper_pg_dir; arm64 walks TTBR1's table).
 * entry_pa[i] is the physical address of the entry entry[i] came from, 0
 * for a level the walk did not reach; with 4-level paging the p4d is the
 * pgd entry itself, so entry_pa[1] equals entry_pa[0].  Errors: EINVAL for
 * a non-canonical address or a user address with pid 0, ESRCH for a pid
 * with no process or no address space; ENOENT when nothing is mapped,
 * with the struct filled down to where the walk stopped.  120 bytes on
 * every ABI.
 */
struct ptwalk_explain {
	__u64 va;          /* in: the address */
	__u32 pid;         /* in: its process; 0 for a kernel address */
	__u32 levels;      /* out: paging levels of this boot (4 or 5) */
	__u64 pfn;         /* out: 4 KiB frame of va, when present */
	__u32 level;       /* out: PTWALK_LEVEL_* of the leaf; 0 if none */
	__u32 flags;       /* out: PTWALK_XF_* */
	__u64 entry[5];    /* out: raw pgd, p4d, pud, pmd, pte */
	__u64 entry_pa[5]; /* out: physical address of each entry read */
	__u64 pgd_slot;    /* out: kernel VA of the pgd entry (CSV pgd_slot) */
};
#define IOCTL_EXPLAIN      _IOWR(PTWALK_IOC_MAGIC, 4, struct ptwalk_explain)

/*
 * IOCTL_XLATE_BATCH: many translations in one call, each walked as
 * IOCTL_XLATE walks one (the same walk, from the pgd), into an array of
 * 64-byte records.  The VPNs are either an array in user memory (vpns,
 * with start 0) or, with PTWALK_BATCH_RANGE, the count pages from start
 * (vpns 0).  pid names the process whose tables are walked; 0 means the
 * file's target (pid= or IOCTL_SET_PID).  Every field marked "0" must be
 * zero, and flags may hold only PTWALK_BATCH_RANGE: anything else is
 * EINVAL, so that later versions can give them a meaning.
 *
 * The module works through the array in chunks of a few dozen: it copies
 * a chunk of VPNs in, takes the target's mmap read lock, walks the chunk,
 * drops the lock, and copies the chunk's records out, so the kernel
 * memory a call holds is one chunk whatever count is, the lock is never
 * held across a copy from or to user memory (which may fault), and a
 * fatal signal stops the call between chunks.
 *
 * The value of the ioctl is the number of records written, and done says
 * the same: count, unless the call stopped early (a user address that
 * faults in a later chunk, a fatal signal), when it is the records
 * before that chunk, as a short read() is; call again from there to get
 * the error.  -1 with errno when nothing was written: EINVAL for a bad
 * field (above), count 0, or a range that wraps past 2^64; E2BIG for
 * count above PTWALK_BATCH_MAX; EFAULT for a struct, vpns or recs that
 * cannot be read or written (NULL, unmapped, a kernel address); ESRCH
 * when the process is gone or has no address space (a kernel thread), or
 * pid is 0 and the file has no target; EINTR for a fatal signal; ENOMEM.
 * A VPN's own failure goes in its record's error (a positive errno, as
 * errno would be): ENOENT nothing mapped (pfn 0, the entries down to
 * where the walk stopped, as IOCTL_XLATE fills its struct), EINVAL not a
 * user page (the record all 0).  Both structs have one layout
 * on every ABI (only __u32/__u64, addresses as __u64, no padding), so a
 * 32-bit process passes its pointers zero-extended.
 */
#define PTWALK_BATCH_MAX   65536u      /* most VPNs per call */
#define PTWALK_BATCH_RANGE (1u << 0)   /* the VPNs are start, start + 1, ... */

struct ptwalk_batch_rec {
	__u64 pfn;       /* out: frame of the 4 KiB page, when present */
	__u32 level;     /* out: PTWALK_LEVEL_* of the leaf; 0 if none */
	__u32 flags;     /* out: PTWALK_XF_* */
	__u32 error;     /* out: 0, ENOENT or EINVAL */
	__u32 zero;      /* out: 0 */
	__u64 entry[5];  /* out: raw pgd, p4d, pud, pmd, pte */
};

struct ptwalk_xlate_batch {
	__u64 vpns;      /* in: address of count __u64 VPNs; 0 with PTWALK_BATCH_RANGE */
	__u64 start;     /* in: PTWALK_BATCH_RANGE: the first VPN; else 0 */
	__u64 recs;      /* in: address of count struct ptwalk_batch_rec (out) */
	__u32 count;     /* in: 1 to PTWALK_BATCH_MAX */
	__u32 flags;     /* in: PTWALK_BATCH_RANGE or 0 */
	__u32 pid;       /* in: the process; 0: the file's target */
	__u32 done;      /* out: records written */
	__u64 reserved[2]; /* in: 0 */
};
#define IOCTL_XLATE_BATCH  _IOWR(PTWALK_IOC_MAGIC, 5, struct ptwalk_xlate_batch)

#endif /* PTWALK_UAPI_H */
