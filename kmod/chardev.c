// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * chardev.c - /dev/ptwalk, the handout's Part B.
 *
 * A misc device (mode 0600; open also needs CAP_SYS_ADMIN, else -EPERM)
 * that translates virtual page numbers of a target process:
 * IOCTL_GET_PFN returns the PFN as the ioctl's value, IOCTL_XLATE fills a
 * struct ptwalk_xlate with the PFN, the leaf level and the raw entries,
 * IOCTL_EXPLAIN walks any address of any process (or a kernel
 * address), adding where each entry lives (struct ptwalk_explain), and
 * IOCTL_XLATE_BATCH does IOCTL_XLATE's walk for up to 65,536 VPNs a call
 * into an array of records, a chunk at a time (batch() below).
 * The target is per open file: the module parameter pid= when the file is
 * opened, then whatever IOCTL_SET_PID chose.  Each translation takes a
 * reference on the target's mm and its mmap read lock, so a target that
 * exits meanwhile only makes later calls fail with -ESRCH.  Errors, as
 * ptwalk_uapi.h fixes them: -EINVAL for a VPN that is not a user page,
 * -ENOENT when nothing is mapped there, -ESRCH without a live target,
 * -EOVERFLOW when the PFN does not fit the int an ioctl returns.
 *
 * 32-bit processes get the same ioctls through .compat_ioctl:
 * struct ptwalk_xlate, struct ptwalk_explain, struct ptwalk_xlate_batch
 * and its records have one layout on every ABI (fixed-width fields,
 * addresses as __u64, no padding; 64, 120, 56 and 64 bytes: checked
 * below), so compat_ptr_ioctl(), which only
 * widens the argument, is all it takes; IOCTL_GET_PFN's and
 * IOCTL_SET_PID's integer arguments widen the same way (zero-extended, so
 * a negative PID is as invalid as it is from 64 bits).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mmap_lock.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "arch.h"
#include "ptwalk.h"
#include "ptwalk_uapi.h"

struct ptw_client {
	spinlock_t lock;
	struct pid *target;     /* NULL: no target yet */
};

static int default_pid;

static struct pid *client_target(struct ptw_client *c)
{
	struct pid *pid;

	spin_lock(&c->lock);
	pid = get_pid(c->target);
	spin_unlock(&c->lock);
	return pid;
}

static int client_set(struct ptw_client *c, unsigned long nr)
{
	struct task_struct *task;
	struct pid *pid, *old;

	if (nr == 0 || nr > INT_MAX)
		return -EINVAL;
	pid = find_get_pid(nr);
	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	if (!task) {
		put_pid(pid);
		return -ESRCH;
	}
	put_task_struct(task);
	spin_lock(&c->lock);
	old = c->target;
	c->target = pid;
	spin_unlock(&c->lock);
	put_pid(old);
	return 0;
}

/* pid's address space, with a reference on its users; NULL if none. */
static struct mm_struct *pid_mm(struct pid *pid)
{
	struct task_struct *task;
	struct mm_struct *mm;

	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	if (!task)
		return NULL;
	mm = get_task_mm(task);
	put_task_struct(task);
	return mm;
}

/*
 * Walk va in the process pid: with a reference on its mm and, for a user
 * address, its mmap read lock.  -ESRCH without a live process or with no
 * address space, -ENOENT when nothing is mapped (w is filled either way).
 */
static int walk_in(struct pid *pid, unsigned long va, struct ptw_walk *w)
{
	bool user = (long)va >= 0;
	struct mm_struct *mm;
	int err = 0;

	mm = pid_mm(pid);
	if (!mm)
		return -ESRCH;
	if (user)
		err = mmap_read_lock_killable(mm);
	if (!err) {
		ptw_walk_va(mm, va, w);
		if (user)
			mmap_read_unlock(mm);
		if (!w->present)
			err = -ENOENT;
	}
	mmput(mm);
	return err;
}

/* IOCTL_GET_PFN's and IOCTL_XLATE's walk: a user page of the target. */
static int translate(struct ptw_client *c, u64 vpn, struct ptw_walk *w)
{
	struct pid *pid;
	int err;

	if (vpn >= (TASK_SIZE_MAX >> PAGE_SHIFT))
		return -EINVAL;
	pid = client_target(c);
	err = walk_in(pid, (unsigned long)vpn << PAGE_SHIFT, w);
	put_pid(pid);
	return err;
}

/*
 * IOCTL_EXPLAIN's walk: va in process nr's tables, or for nr 0 a kernel
 * address in the caller's own (walked without a lock, as `walk` does).
 */
static int explain(u32 nr, unsigned long va, struct ptw_walk *w)
{
	struct pid *pid;
	int err;

	if (!ptw_arch_va_canonical(va) || (nr == 0 && (long)va >= 0) || nr > INT_MAX)
		return -EINVAL;
	if (nr == 0) {
		if (!current->mm)
			return -ESRCH;
		ptw_walk_va(current->mm, va, w);
		return w->present ? 0 : -ENOENT;
	}
	pid = find_get_pid(nr);
	err = walk_in(pid, va, w);
	put_pid(pid);
	return err;
}

static u32 xlate_flags(const struct ptw_walk *w)
{
	return (w->present ? PTWALK_XF_PRESENT : 0) |
	       (w->huge ? PTWALK_XF_HUGE : 0) |
	       (ptw_arch_levels() == 5 ? PTWALK_XF_LA57 : 0);
}

/*
 * IOCTL_XLATE_BATCH (ptwalk_uapi.h fixes the interface).  A chunk's VPNs
 * and records: the only memory a call holds, whatever its count.  The
 * copies from and to user memory happen outside the mmap lock, since a
 * fault in them takes the caller's own mmap lock, which is the target's
 * when a process translates itself.
 */
#define PTW_BATCH_CHUNK 64

struct ptw_batch_buf {
	u64 vpn[PTW_BATCH_CHUNK];
	struct ptwalk_batch_rec rec[PTW_BATCH_CHUNK];
};

/* One VPN of a batch, walked in mm (its mmap read lock held) into r. */
static void batch_one(struct mm_struct *mm, u64 vpn, struct ptwalk_batch_rec *r)
{
	struct ptw_walk w;

	memset(r, 0, sizeof(*r));
	if (vpn >= (TASK_SIZE_MAX >> PAGE_SHIFT)) {
		r->error = EINVAL;
		return;
	}
	memset(&w, 0, sizeof(w));
	ptw_walk_va(mm, (unsigned long)vpn << PAGE_SHIFT, &w);
	r->pfn = w.present ? w.pfn : 0;
	r->level = w.level;
	r->flags = xlate_flags(&w);
	r->error = w.present ? 0 : ENOENT;
	memcpy(r->entry, w.entry, sizeof(r->entry));
}

/* Walk the chunks of b in mm; the records written, or an error if none. */
static long batch_walk(struct mm_struct *mm, const struct ptwalk_xlate_batch *b,
		       struct ptw_batch_buf *buf)
{
	u64 __user *uvpn = u64_to_user_ptr(b->vpns);
	struct ptwalk_batch_rec __user *urec = u64_to_user_ptr(b->recs);
	u32 done = 0, n, i;
	int err = 0;

	while (done < b->count) {
		n = min_t(u32, b->count - done, PTW_BATCH_CHUNK);
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		if (b->flags & PTWALK_BATCH_RANGE) {
			for (i = 0; i < n; i++)
				buf->vpn[i] = b->start + done + i;
		} else if (copy_from_user(buf->vpn, uvpn + done, n * sizeof(buf->vpn[0]))) {
			err = -EFAULT;
			break;
		}
		err = mmap_read_lock_killable(mm);
		if (err)
			break;
		for (i = 0; i < n; i++)
			batch_one(mm, buf->vpn[i], &buf->rec[i]);
		mmap_read_unlock(mm);
		if (copy_to_user(urec + done, buf->rec, n * sizeof(buf->rec[0]))) {
			err = -EFAULT;
			break;
		}
		done += n;
		cond_resched();
	}
	return done ? done : err;
}

static long batch(struct ptw_client *c, struct ptwalk_xlate_batch __user *arg)
{
	struct ptwalk_xlate_batch b;
	struct ptw_batch_buf *buf;
	struct mm_struct *mm;
	struct pid *pid;
	u64 last;
	long r;

	if (copy_from_user(&b, arg, sizeof(b)))
		return -EFAULT;
	if ((b.flags & ~PTWALK_BATCH_RANGE) || b.reserved[0] || b.reserved[1] ||
	    b.count == 0 || b.pid > INT_MAX)
		return -EINVAL;
	if ((b.flags & PTWALK_BATCH_RANGE) ?
	    b.vpns || check_add_overflow(b.start, (u64)b.count - 1, &last) : b.start)
		return -EINVAL;
	if (b.count > PTWALK_BATCH_MAX)
		return -E2BIG;
	pid = b.pid ? find_get_pid(b.pid) : client_target(c);
	mm = pid_mm(pid);
	put_pid(pid);
	if (!mm)
		return -ESRCH;
	buf = kmalloc(sizeof(*buf), PTW_GFP);
	r = buf ? batch_walk(mm, &b, buf) : -ENOMEM;
	kfree(buf);
	mmput(mm);
	if (r > 0 && put_user((u32)r, &arg->done))
		return -EFAULT;
	return r;
}

static long ptw_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ptw_client *c = file->private_data;
	struct ptwalk_explain e;
	struct ptwalk_xlate x;
	struct ptw_walk w;
	int err;

	switch (cmd) {
	case IOCTL_SET_PID:
		return client_set(c, arg);
	case IOCTL_GET_PFN:
		err = translate(c, arg, &w);
		if (err)
			return err;
		if (w.pfn > INT_MAX)
			return -EOVERFLOW;
		return w.pfn;
	case IOCTL_XLATE:
		if (copy_from_user(&x, (void __user *)arg, sizeof(x)))
			return -EFAULT;
		memset(&w, 0, sizeof(w));
		err = translate(c, x.vpn, &w);
		if (err && err != -ENOENT)
			return err;
		x.pfn = w.present ? w.pfn : 0;
		x.level = w.level;
		x.flags = xlate_flags(&w);
		memcpy(x.entry, w.entry, sizeof(x.entry));
		if (copy_to_user((void __user *)arg, &x, sizeof(x)))
			return -EFAULT;
		return err;
	case IOCTL_EXPLAIN:
		if (copy_from_user(&e, (void __user *)arg, sizeof(e)))
			return -EFAULT;
		memset(&w, 0, sizeof(w));
		err = explain(e.pid, e.va, &w);
		if (err && err != -ENOENT)
			return err;
		e.levels = ptw_arch_levels();
		e.pfn = w.present ? w.pfn : 0;
		e.level = w.level;
		e.flags = xlate_flags(&w);
		memcpy(e.entry, w.entry, sizeof(e.entry));
		memcpy(e.entry_pa, w.entry_pa, sizeof(e.entry_pa));
		e.pgd_slot = w.pgd_slot;
		if (copy_to_user((void __user *)arg, &e, sizeof(e)))
			return -EFAULT;
		return err;
	case IOCTL_XLATE_BATCH:
		return batch(c, (struct ptwalk_xlate_batch __user *)arg);
	default:
		return -ENOTTY;
	}
}

static int ptw_dev_open(struct inode *inode, struct file *file)
{
	struct ptw_client *c;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	spin_lock_init(&c->lock);
	if (default_pid > 0)
		c->target = find_get_pid(default_pid);
	file->private_data = c;
	return nonseekable_open(inode, file);
}

static int ptw_dev_release(struct inode *inode, struct file *file)
{
	struct ptw_client *c = file->private_data;

	put_pid(c->target);
	kfree(c);
	return 0;
}

static const struct file_operations ptw_dev_fops = {
	.owner = THIS_MODULE,
	.open = ptw_dev_open,
	.release = ptw_dev_release,
	.unlocked_ioctl = ptw_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice ptw_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ptwalk",
	.fops = &ptw_dev_fops,
	.mode = 0600,
};

int ptw_chardev_init(int pid)
{
	BUILD_BUG_ON(sizeof(struct ptwalk_xlate) != 64);
	BUILD_BUG_ON(sizeof(struct ptwalk_explain) != 120);
	BUILD_BUG_ON(sizeof(struct ptwalk_xlate_batch) != 56);
	BUILD_BUG_ON(sizeof(struct ptwalk_batch_rec) != 64);
	default_pid = pid;
	return misc_register(&ptw_misc);
}

void ptw_chardev_exit(void)
{
	misc_deregister(&ptw_misc);
}
