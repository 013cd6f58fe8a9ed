// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * main.c - load and unload ptwalk.ko, a page-table walker for teaching.
 *
 * Loading creates /proc/pagetable (procfs.c) and /dev/ptwalk (chardev.c).
 * With pid=N it also does the handout's Part A at once: it walks every VMA
 * of process N, logs the first log_pages translations and makes the rows
 * the first result of /proc/pagetable; a pid that does not exist fails the
 * load with -ESRCH.  Unloading frees all results and the allocations they own:
 * the other files set up and tear down their own parts, and this one says
 * in which order.
 * Parameters, like every number the module reads, are decimal or 0x-hex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include "arch.h"
#include "ptwalk.h"

/*
 * Decimal, or hex with 0x; never octal and no sign (kstrtoull's base 0
 * would read "010" as 8, and module_param's int does the same).
 */
int ptw_parse_u64(const char *s, u64 *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return kstrtoull(s, 16, out);   /* skips the one 0x */
	if (!isdigit(s[0]))
		return -EINVAL;
	return kstrtoull(s, 10, out);
}

/* An int parameter from 0 to INT_MAX, parsed as above. */
static int param_set_count(const char *val, const struct kernel_param *kp)
{
	u64 v;

	if (ptw_parse_u64(val, &v) || v > INT_MAX)
		return -EINVAL;
	*(int *)kp->arg = (int)v;
	return 0;
}

static const struct kernel_param_ops param_ops_count = {
	.set = param_set_count,
	.get = param_get_int,
};

static int pid;
module_param_cb(pid, &param_ops_count, &pid, 0444);
__MODULE_PARM_TYPE(pid, "int");
MODULE_PARM_DESC(pid, "target process of /dev/ptwalk, walked at load (default none)");

int ptw_log_pages = 8;
module_param_cb(log_pages, &param_ops_count, &ptw_log_pages, 0444);
__MODULE_PARM_TYPE(log_pages, "int");
MODULE_PARM_DESC(log_pages, "translations per command written to the kernel log (default 8)");

/* A u64 parameter (row_budget), parsed as above. */
static int param_set_bytes(const char *val, const struct kernel_param *kp)
{
	return ptw_parse_u64(val, (u64 *)kp->arg) ? -EINVAL : 0;
}

static int param_get_bytes(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%llu\n", *(u64 *)kp->arg);
}

static const struct kernel_param_ops param_ops_bytes = {
	.set = param_set_bytes,
	.get = param_get_bytes,
};

module_param_cb(row_budget, &param_ops_bytes, &ptw_row_budget, 0444);
__MODULE_PARM_TYPE(row_budget, "ullong");
MODULE_PARM_DESC(row_budget,
		 "bytes of rows the readers of all open /proc/pagetable files may hold together "
		 "(a `pid` walk's batch each); a read past it fails with ENOMEM (default 0: 1/8 of RAM; shows the value in use)");

/* row_bytes_held: read only, what the readers' batches hold now. */
static int param_set_ro(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static int param_get_held(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%llu\n", ptw_rows_held());
}

static const struct kernel_param_ops param_ops_held = {
	.set = param_set_ro,
	.get = param_get_held,
};

module_param_cb(row_bytes_held, &param_ops_held, NULL, 0444);
__MODULE_PARM_TYPE(row_bytes_held, "ullong");
MODULE_PARM_DESC(row_bytes_held, "bytes of rows the readers hold now (read only)");

/*
 * Load: the row budget, then the two files, then Part A.  Each step that
 * fails undoes the ones before it, in reverse order, as unload does.
 */
static int __init ptwalk_init(void)
{
	int err;

	if (!ptw_row_budget)
		ptw_row_budget = (u64)(totalram_pages() / 8) << PAGE_SHIFT;
	err = ptw_procfs_init();
	if (err)
		goto out;
	err = ptw_chardev_init(pid);
	if (err)
		goto out_remove_proc;
	if (pid) {
		err = ptw_procfs_walk_pid(pid);
		if (err)
			goto out_deregister_misc;
	}
	pr_info("loaded: /proc/pagetable and /dev/ptwalk, %d-level paging\n",
		ptw_arch_levels());
	return 0;

out_deregister_misc:
	ptw_chardev_exit();
out_remove_proc:
	/* A command may have run meanwhile: the file was there. */
	ptw_procfs_exit();
	ptw_result_exit();
out:
	return err;
}

/*
 * Unload: first the files, so that no command or read runs any more
 * (misc_deregister() and proc_remove() wait for those in progress), then
 * the last result (and with it the last allocation).  proc_remove() also closes the
 * files still open (their release drops the results they read), and an
 * open /dev/ptwalk holds a reference on the module.
 */
static void __exit ptwalk_exit(void)
{
	ptw_chardev_exit();
	ptw_procfs_exit();
	ptw_result_exit();
	pr_info("unloaded\n");
}

module_init(ptwalk_init);
module_exit(ptwalk_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("ptwalk project");
MODULE_DESCRIPTION("Walks kernel and process page tables: /proc/pagetable, /dev/ptwalk");
MODULE_VERSION("1.0");
