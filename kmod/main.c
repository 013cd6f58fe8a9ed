// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * main.c - load and unload ptwalk.ko, a page-table walker for teaching.
 *
 * Loading creates /proc/pagetable (procfs.c) and /dev/ptwalk (chardev.c).
 * With pid=N it also does the handout's Part A at once: it walks every VMA
 * of process N, logs the first log_pages translations and makes the rows
 * the first result of /proc/pagetable; a pid that does not exist fails the
 * load with -ESRCH.  Unloading frees the live allocation and all results.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "compat.h"
#include "ptwalk.h"

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "target process of /dev/ptwalk, walked at load (default none)");

int ptw_log_pages = 8;
module_param_named(log_pages, ptw_log_pages, int, 0444);
MODULE_PARM_DESC(log_pages, "translations per command written to the kernel log (default 8)");

static int __init ptwalk_init(void)
{
	int err;

	if (ptw_log_pages < 0)
		ptw_log_pages = 0;
	if (pid < 0) {
		pr_notice("pid=%d: not a process id\n", pid);
		return -EINVAL;
	}
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
	ptw_procfs_exit();
out:
	return err;
}

static void __exit ptwalk_exit(void)
{
	ptw_chardev_exit();
	ptw_procfs_exit();
	pr_info("unloaded\n");
}

module_init(ptwalk_init);
module_exit(ptwalk_exit);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("ptwalk project");
MODULE_DESCRIPTION("Walks kernel and process page tables: /proc/pagetable, /dev/ptwalk");
MODULE_VERSION("1.0");
