// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * procfs.c - /proc/pagetable: write a command, read its rows back as CSV.
 *
 * The README seed's interface.  A write is one command:
 *
 *   kmalloc [SIZE]   vmalloc [SIZE]   kvmalloc [SIZE]   (default 1M)
 *   alloc_pages ORDER                 pid PID           walk VA
 *
 * SIZE takes K/M/G/T suffixes (also KiB or KB).  Every number is decimal
 * or 0x-hex, never octal ("010" is ten) and never signed.
 * A read returns PTW_CSV_HEADER and one schema-1 row per page of the last
 * command that succeeded (or of the command written through the same open
 * file).  An allocator's rows are walked as they are read, one at a time,
 * from the allocation that its result owns (alloc.c): no row array, so
 * the size is bounded only by what the kernel can allocate, and the
 * mapping of a held allocation does not change, so every read gives the
 * same rows.  Each open file that wrote an allocator's command keeps that
 * allocation alive until its next command or its close (and the last
 * result keeps it until the next command of any file): holding one file
 * open while another takes the next sample keeps the samples' frames
 * apart.  A `pid` walk is streamed too, with no limit on its rows:
 * the write checks the process and keeps its mm, and the rows are walked
 * while the reader reads, a batch (one pte table) at a time, from a cursor
 * per open file; a read at offset 0 walks again from the start.  What
 * happens when the process maps, unmaps or exits meanwhile: ptwalk.h,
 * ptw_pid_batch().
 *
 * Row columns for the commands: source is kernel; sample is a sequence
 * number of allocations since load, the pid for `pid`, and the writer's
 * tgid for `walk`; `walk` rows take the allocator, size and page of the
 * live allocation the VA falls in, else allocator "walk", size 0, page 0,
 * and keep the VA's offset in the page in va and the pa columns.
 *
 * Bad input (unknown command, bad number, size 0, sizes or orders the
 * kernel cannot give, a missing process, a non-canonical VA) fails the
 * write with -EINVAL, -ENOMEM or -ESRCH and exactly one log line;
 * the last result is then unchanged.  Commands run one at a time: a second
 * writer waits (interruptibly) for the first.  Open needs CAP_SYS_ADMIN.
 *
 * Who owns what: each open file holds one reference on the result it
 * reads (struct ptw_reader): the one it wrote, else the last result as of
 * its first read (an open that only writes holds nothing before its
 * command, so `echo CMD >/proc/pagetable` keeps no older allocation
 * alive).  An allocator's command that fits in memory only once the
 * writer's result and the last one are gone drops them first
 * (drop_for_alloc()); if the allocation then fails, the last result is
 * empty (or the last `pid`/`walk`).  seq_read()
 * holds the seq_file's own mutex, m->lock, for the whole of a read, and
 * start/next/show use rd->res only under it; a write runs its command and
 * replaces rd->res under the same mutex (taken after cmd_lock), so a
 * reader that shares the open file (a thread, or a child after fork)
 * waits for the command, never sees a result freed under it nor the gap
 * between the old result and the new, one read returns rows of one
 * result, and two writers on one file each drop the reference they
 * replaced, never the same one twice.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "arch.h"
#include "ptwalk.h"
#include "ptwalk_uapi.h"

#define PTW_PROC_NAME "pagetable"     /* PTWALK_PROC */
#define PTW_CMD_MAX 128
#define PTW_DEFAULT_SIZE (1ULL << 20)   /* the seed's 256 pages */

static DEFINE_MUTEX(cmd_lock);
static struct proc_dir_entry *ptw_proc_entry;

/*
 * A streamed result (`pid`) is walked by each open file from its own
 * cursor: batch holds the rows of the last batch (one pte table's worth,
 * PTRS_PER_PTE rows, allocated at the first such read), whose first row is
 * at seq_file position first (position 0 is the header).  Used only under
 * m->lock, like res.
 */
#define PTW_BATCH PTRS_PER_PTE
struct ptw_reader {
	struct ptw_result *res;
	struct ptw_krow one;      /* an allocator's row, walked as read */
	loff_t one_pos;
	struct ptw_krow *batch;
	bool told;                /* the row budget's refusal is logged */
	loff_t first;
	size_t n;
	unsigned long cursor;
};

static void stream_reset(struct ptw_reader *rd)
{
	rd->first = 1;
	rd->n = 0;
	rd->cursor = 0;
}

/*
 * "65536", "64K", "64KiB", "64kb", "1M", "0x10000": decimal with an
 * optional binary unit, or plain 0x-hex.  False on anything else and on
 * overflow.
 */
static bool parse_size(const char *s, u64 *out)
{
	static const char units[] = "KMGT";
	unsigned int shift = 0;
	size_t len = strlen(s);
	const char *u;
	char num[32];
	u64 n;

	if (len == 0 || len >= sizeof(num))
		return false;
	strscpy(num, s, sizeof(num));
	if (num[0] == '0' && (num[1] == 'x' || num[1] == 'X'))
		return !ptw_parse_u64(num, out);
	if (!isdigit(num[0]))
		return false;   /* kstrtoull would take a '+' */
	if (len >= 3 && !strcasecmp(num + len - 2, "iB"))
		len -= 2;
	else if (len >= 2 && toupper(num[len - 1]) == 'B')
		len -= 1;
	else if (len >= 1 && !isdigit(num[len - 1]) && !strchr(units, toupper(num[len - 1])))
		return false;
	if (len >= 1 && !isdigit(num[len - 1])) {
		u = strchr(units, toupper(num[len - 1]));
		if (!u)
			return false;
		shift = 10 * (1 + (u - units));
		len--;
	} else if (len != strlen(s)) {
		return false;   /* "64B" without a unit before the B */
	}
	num[len] = '\0';
	if (len == 0 || kstrtoull(num, 10, &n))
		return false;
	return !check_shl_overflow(n, shift, out);
}

static int cmd_walk(const char *arg, struct ptw_result **out)
{
	struct mm_struct *mm = current->mm ? current->mm : current->active_mm;
	bool user, locked = false;
	struct ptw_result *res;
	struct ptw_alloc *in;
	struct ptw_walk w;
	unsigned long va;
	u64 v, page = 0;

	if (!arg || ptw_parse_u64(arg, &v)) {
		pr_notice("walk: '%s' is not an address\n", arg ? arg : "");
		return -EINVAL;
	}
	va = v;
	if (!ptw_arch_va_canonical(va)) {
		pr_notice("walk 0x%016lx: not a canonical address (%d-bit)\n",
			  va, ptw_arch_va_bits());
		return -EINVAL;
	}
	/*
	 * The lower canonical half is user space, up to its last byte: not
	 * TASK_SIZE_MAX, which stops a page short (the guard page below the
	 * non-canonical hole), so 0x7ffffffff000-0x7fffffffffff were taken
	 * for kernel addresses.
	 */
	user = (long)va >= 0;
	if (user && !current->mm) {
		pr_notice("walk 0x%016lx: the writer has no user address space\n", va);
		return -ESRCH;
	}
	/* The result keeps the allocation va is in alive, for the next walk. */
	in = ptw_alloc_lookup(va, &page);
	res = ptw_result_new_one(in ? ptw_alloc_name(in) : "walk",
				 in ? in->size : 0, task_tgid_nr(current));
	if (!res) {
		ptw_alloc_put(in);
		pr_notice("walk 0x%016lx: out of memory\n", va);
		return -ENOMEM;
	}
	res->keep = in;
	res->page0 = page;
	if (user) {
		if (mmap_read_lock_killable(mm)) {
			ptw_result_put(res);
			return -EINTR;
		}
		locked = true;
	}
	ptw_walk_va(mm, va, &w);
	if (locked)
		mmap_read_unlock(mm);
	ptw_kernel_row(&res->rows[0], va, &w, !user);
	pr_info("walk 0x%016lx: pgd_slot=0x%016llx pud=0x%016llx %s PA=0x%016llx\n",
		va, w.pgd_slot, w.entry[2], w.present ? "present" : "not present",
		res->rows[0].pa);
	*out = res;
	return 0;
}

/*
 * Pages that dropping the writer's own result and the last one frees: the
 * allocation of each that nothing else holds.  Under cmd_lock and m->lock
 * (ptw_proc_write()), so rd->res cannot change meanwhile.
 */
static u64 freed_pages(struct seq_file *m)
{
	struct ptw_reader *rd = m->private;
	struct ptw_result *last = ptw_result_last();
	u64 pages = 0;

	/* last's references: the last's own, ours just taken, rd->res. */
	if (last->alloc && kref_read(&last->ref) == 2 + (rd->res == last))
		pages += last->alloc->npages;
	if (rd->res && rd->res != last && rd->res->alloc &&
	    kref_read(&rd->res->ref) == 1)
		pages += rd->res->alloc->npages;
	ptw_result_put(last);
	return pages;
}

/*
 * The open file now reads res (NULL: the last result, at its next read).
 * Under m->lock: readers of this open file use rd->res only under it.
 */
static void reader_set(struct seq_file *m, struct ptw_result *res)
{
	struct ptw_reader *rd = m->private;
	struct ptw_result *old = rd->res;

	rd->res = res;
	stream_reset(rd);
	ptw_result_put(old);
}

/*
 * Before an allocation that fits only if they go: drop the writer's own
 * result and the last one if it owns an allocation, so that those
 * nothing else holds are freed first (`vmalloc 1G` after `vmalloc 1G`).
 * Another open file that holds one keeps it alive.  Readers of this file
 * wait on m->lock until the command has its result, so none of them
 * reads the gap; a file opened meanwhile reads the empty result.  An
 * allocation that fits as things are is made first, and the old ones
 * go when it replaces them, so other readers never see a gap.
 */
static void drop_for_alloc(struct seq_file *m)
{
	reader_set(m, NULL);
	ptw_result_drop_last_alloc();
}

static int run_command(struct seq_file *m, char *line, struct ptw_result **out)
{
	int err;

	char *tok[3] = { NULL, NULL, NULL };
	int ntok = 0;
	char *t;
	u64 n;

	while ((t = strsep(&line, " \t\n")) != NULL) {
		if (!*t)
			continue;
		if (ntok == ARRAY_SIZE(tok))
			break;
		tok[ntok++] = t;
	}
	if (ntok == 0) {
		pr_notice("empty command\n");
		return -EINVAL;
	}
	if (ntok > 2) {
		pr_notice("%s: too many arguments\n", tok[0]);
		return -EINVAL;
	}
	if (!strcmp(tok[0], "kmalloc") || !strcmp(tok[0], "vmalloc") ||
	    !strcmp(tok[0], "kvmalloc")) {
		n = PTW_DEFAULT_SIZE;
		if (tok[1] && !parse_size(tok[1], &n)) {
			pr_notice("%s: '%s' is not a size\n", tok[0], tok[1]);
			return -EINVAL;
		}
		goto alloc;
	}
	if (!strcmp(tok[0], "alloc_pages")) {
		if (!tok[1] || ptw_parse_u64(tok[1], &n)) {
			pr_notice("alloc_pages: '%s' is not an order\n",
				  tok[1] ? tok[1] : "");
			return -EINVAL;
		}
		goto alloc;
	}
	if (!strcmp(tok[0], "pid")) {
		if (!tok[1] || ptw_parse_u64(tok[1], &n) || n == 0 || n > INT_MAX) {
			pr_notice("pid: '%s' is not a process id\n",
				  tok[1] ? tok[1] : "");
			return -EINVAL;
		}
		return ptw_walk_pid((pid_t)n, out);
	}
	if (!strcmp(tok[0], "walk"))
		return cmd_walk(tok[1], out);
	pr_notice("unknown command '%s'\n", tok[0]);
	return -EINVAL;
alloc:
	err = ptw_alloc_check(tok[0], n, freed_pages(m));
	if (err)
		return err;
	if (!ptw_alloc_fits_now(tok[0], n))
		drop_for_alloc(m);
	return ptw_alloc_make(tok[0], n, out);
}

static ssize_t ptw_proc_write(struct file *file, const char __user *ubuf,
			size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct ptw_result *res = NULL;
	char buf[PTW_CMD_MAX + 1];
	int err;

	if (count > PTW_CMD_MAX) {
		pr_notice("command longer than %d bytes\n", PTW_CMD_MAX);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (strlen(buf) != count) {
		pr_notice("command contains a NUL byte\n");
		return -EINVAL;
	}

	if (mutex_lock_interruptible(&cmd_lock))
		return -ERESTARTSYS;
	/* Readers of this open file wait for its command (drop_for_alloc()). */
	mutex_lock(&m->lock);
	err = run_command(m, buf, &res);
	if (!err) {
		kref_get(&res->ref);
		ptw_result_publish(res);
		reader_set(m, res);
	}
	mutex_unlock(&m->lock);
	mutex_unlock(&cmd_lock);
	return err ? err : count;
}

/* Row pos of a streamed result: batches from the cursor until it is in one. */
static void *stream_row(struct ptw_reader *rd, loff_t pos)
{
	int err;

	if (!rd->batch) {
		if (!ptw_rows_charge(PTW_BATCH)) {
			if (rd->told)   /* seq_read may ask twice: one line */
				return ERR_PTR(-ENOMEM);
			rd->told = true;
			pr_notice("pid %llu: a read needs %llu bytes of rows, past the row budget\n",
				  rd->res->sample, PTW_ROWS_BYTES(PTW_BATCH));
			return ERR_PTR(-ENOMEM);
		}
		rd->batch = kvmalloc_array(PTW_BATCH, sizeof(*rd->batch), PTW_GFP);
		if (!rd->batch) {
			ptw_rows_uncharge(PTW_BATCH);
			return ERR_PTR(-ENOMEM);
		}
	}
	if (pos < rd->first)   /* seq_file went back: walk again */
		stream_reset(rd);
	while (pos >= rd->first + (loff_t)rd->n) {
		if (rd->cursor == PTW_CURSOR_END)
			return NULL;
		rd->first += rd->n;
		rd->n = 0;
		err = ptw_pid_batch(rd->res->mm, &rd->cursor, rd->batch,
				    PTW_BATCH, &rd->n);
		if (err)
			return ERR_PTR(err);
	}
	return &rd->batch[pos - rd->first];
}

/*
 * The seq_file buffer of a reader of many rows (a `pid` walk or an
 * allocation): PTW_SEQ_BUF bytes, about 290 rows, instead of seq_file's
 * one page (18 rows), so that a large read() returns that many rows per
 * system call and per start(), and seq_file's overflow (the row that did
 * not fit is formatted, dropped and formatted again by the next read)
 * happens once per PTW_SEQ_BUF bytes instead of once a page.  The rows
 * are the same bytes: only how many come per read changes.  Swapped only
 * while the buffer is empty (seq_file calls start() so: seq_read_iter()
 * after it copied everything out, traverse() from a reset buffer), and
 * seq_release() frees it (kvfree()).  When the allocation fails the
 * page stays.  Not charged to the row budget: one per reading open file,
 * beside the batch that is charged, so the budget bounds these too.
 */
#define PTW_SEQ_BUF (64 << 10)
static void seq_buf_grow(struct seq_file *m)
{
	char *buf;

	if (m->size >= PTW_SEQ_BUF || m->count)
		return;
	buf = kvmalloc(PTW_SEQ_BUF, PTW_GFP);
	if (!buf)
		return;
	kvfree(m->buf);
	m->buf = buf;
	m->size = PTW_SEQ_BUF;
}

/* The row at *pos (0: the header), for start() and next(). */
static void *seq_row(struct seq_file *m, loff_t *pos)
{
	struct ptw_reader *rd = m->private;

	if (*pos == 0) {
		stream_reset(rd);
		return SEQ_START_TOKEN;
	}
	if (rd->res->mm)
		return stream_row(rd, *pos);
	if (*pos - 1 >= rd->res->nrows)
		return NULL;
	if (rd->res->alloc) {
		/* Walked now: nothing held but this row, whatever the size. */
		ptw_alloc_row(rd->res->alloc, *pos - 1, &rd->one);
		rd->one_pos = *pos;
		return &rd->one;
	}
	return &rd->res->rows[*pos - 1];
}

static void *ptw_seq_start(struct seq_file *m, loff_t *pos)
{
	struct ptw_reader *rd = m->private;

	if (!rd->res)   /* not read or written yet: the last result */
		rd->res = ptw_result_last();
	if (rd->res->mm || rd->res->alloc)
		seq_buf_grow(m);
	return seq_row(m, pos);
}

static void *ptw_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return seq_row(m, pos);
}

static void ptw_seq_stop(struct seq_file *m, void *v)
{
}

static int ptw_seq_show(struct seq_file *m, void *v)
{
	struct ptw_reader *rd = m->private;
	struct ptw_row row;
	char line[PTW_ROW_MAX], *p;
	unsigned int n;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, PTW_CSV_HEADER);
		return 0;
	}
	if (rd->res->alloc)
		ptw_krow_to_row(rd->res, v, rd->res->page0 + rd->one_pos - 1, &row);
	else if (rd->res->mm)
		ptw_krow_to_row(rd->res, v,
				rd->first - 1 + ((struct ptw_krow *)v - rd->batch), &row);
	else
		ptw_result_to_row(rd->res, (struct ptw_krow *)v - rd->res->rows, &row);
	/* Formatted in place when a longest row fits, else copied in (or
	 * the overflow that makes seq_file ask again with a new buffer). */
	if (seq_get_buf(m, &p) >= PTW_ROW_MAX) {
		seq_commit(m, ptw_row_format(p, &row));
		return 0;
	}
	n = ptw_row_format(line, &row);
	seq_write(m, line, n);
	return 0;
}

static const struct seq_operations ptw_seq_ops = {
	.start = ptw_seq_start,
	.next = ptw_seq_next,
	.stop = ptw_seq_stop,
	.show = ptw_seq_show,
};

static int ptw_proc_open(struct inode *inode, struct file *file)
{
	struct ptw_reader *rd;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	rd = __seq_open_private(file, &ptw_seq_ops, sizeof(*rd));
	if (!rd)
		return -ENOMEM;
	stream_reset(rd);   /* rd->res: the last result, at the first read */
	return 0;
}

static int ptw_proc_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct ptw_reader *rd = m->private;

	ptw_result_put(rd->res);
	if (rd->batch) {
		kvfree(rd->batch);
		ptw_rows_uncharge(PTW_BATCH);
	}
	return seq_release_private(inode, file);
}

static const struct proc_ops ptw_proc_ops = {
	.proc_open = ptw_proc_open,
	.proc_read = seq_read,
	.proc_write = ptw_proc_write,
	.proc_lseek = seq_lseek,
	.proc_release = ptw_proc_release,
};

/* Part A at load time: walk the process of the pid= parameter. */
int ptw_procfs_walk_pid(int pid)
{
	struct ptw_result *res = NULL;
	int err;

	mutex_lock(&cmd_lock);
	err = ptw_walk_pid(pid, &res);
	mutex_unlock(&cmd_lock);
	if (!err)
		ptw_result_publish(res);
	return err;
}

int ptw_procfs_init(void)
{
	ptw_proc_entry = proc_create(PTW_PROC_NAME, 0600, NULL, &ptw_proc_ops);
	return ptw_proc_entry ? 0 : -ENOMEM;
}

/* After it returns, no open, read or write of the file is running. */
void ptw_procfs_exit(void)
{
	proc_remove(ptw_proc_entry);
}
