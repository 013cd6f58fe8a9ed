/*
 * collect/pagemap.c - batched reads and decoding of /proc/PID/pagemap.
 *
 * Reading is where a naive tool spends its time: one pread per page costs
 * a system call per 8 bytes.  Here every read covers up to PM_BATCH
 * entries, scattered pages are sorted into windows first, and a short
 * read is an error, never a silent hole in the data.
 */
#include "pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pagemap_decode(uint64_t raw, struct pm_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->raw = raw;
	e->present = raw & PM_PRESENT;
	e->swapped = raw & PM_SWAP;
	e->file_shared = raw & PM_FILE;
	e->exclusive = raw & PM_MMAP_EXCLUSIVE;
	e->soft_dirty = raw & PM_SOFT_DIRTY;
	e->uffd_wp = raw & PM_UFFD_WP;
	e->guard = raw & PM_GUARD_REGION;
	if (e->present) {
		e->pfn = raw & PM_PFRAME_MASK;
	} else if (e->swapped) {
		e->swap_type = (unsigned)(raw & PM_SWAP_TYPE_MASK);
		e->swap_offset = (raw & PM_PFRAME_MASK) >> PM_SWAP_TYPE_BITS;
	}
}

int pagemap_open(struct pagemap *pm, pid_t pid)
{
	pm->pid = pid;
	pm->kpf_fd = -1;
	if (pid)
		snprintf(pm->path, sizeof(pm->path), "/proc/%d/pagemap", (int)pid);
	else
		snprintf(pm->path, sizeof(pm->path), "/proc/self/pagemap");
	pm->fd = open(pm->path, O_RDONLY | O_CLOEXEC);
	if (pm->fd < 0)
		return -errno;
	pm->kpf_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	return 0;
}

void pagemap_close(struct pagemap *pm)
{
	if (pm->fd >= 0)
		close(pm->fd);
	if (pm->kpf_fd >= 0)
		close(pm->kpf_fd);
	pm->fd = pm->kpf_fd = -1;
}

/* Read exactly n entries at index first; a short read is -EIO. */
static int read_entries(int fd, uint64_t first, size_t n, uint64_t *out)
{
	while (n) {
		size_t chunk = n < PM_BATCH ? n : PM_BATCH;
		ssize_t got = pread(fd, out, chunk * PM_ENTRY_BYTES,
				    (off_t)(first * PM_ENTRY_BYTES));

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)got != chunk * PM_ENTRY_BYTES)
			return -EIO;
		first += chunk;
		out += chunk;
		n -= chunk;
	}
	return 0;
}

int pagemap_read(struct pagemap *pm, uint64_t first_vpn, size_t n,
		 uint64_t *out)
{
	return read_entries(pm->fd, first_vpn, n, out);
}

struct vpn_slot {
	uint64_t vpn;
	size_t idx;
};

static int slot_cmp(const void *a, const void *b)
{
	const struct vpn_slot *x = a, *y = b;

	return x->vpn < y->vpn ? -1 : x->vpn > y->vpn;
}

int pagemap_read_vpns(struct pagemap *pm, const uint64_t *vpns, size_t n,
		      uint64_t *out)
{
	struct vpn_slot *slot;
	uint64_t *win;
	size_t i, j, k;
	int err = 0;

	if (!n)
		return 0;
	slot = malloc(n * sizeof(*slot));
	win = malloc(PM_BATCH * sizeof(*win));
	if (!slot || !win) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		slot[i].vpn = vpns[i];
		slot[i].idx = i;
	}
	qsort(slot, n, sizeof(*slot), slot_cmp);
	for (i = 0; i < n; i = j) {
		uint64_t base = slot[i].vpn;

		for (j = i; j < n && slot[j].vpn - base < PM_BATCH; j++)
			;
		err = read_entries(pm->fd, base, slot[j - 1].vpn - base + 1, win);
		if (err)
			goto out;
		for (k = i; k < j; k++)
			out[slot[k].idx] = win[slot[k].vpn - base];
	}
out:
	free(slot);
	free(win);
	return err;
}

/*
 * Each run of consecutive PFNs, going up or down (the page allocator often
 * hands out frames in descending order), is read in one pread.  Reading
 * more than the run costs more than it saves: the kernel computes every
 * kpageflags entry it returns.
 */
int pagemap_kpageflags(struct pagemap *pm, const uint64_t *pfns, size_t n,
		       uint64_t *out)
{
	size_t i, j, k, len;
	int err;

	if (pm->kpf_fd < 0)
		return -EACCES;
	for (i = 0; i < n; i = j) {
		int dir = 0;

		j = i + 1;
		if (j < n && pfns[j] == pfns[i] + 1)
			dir = 1;
		else if (j < n && pfns[j] + 1 == pfns[i])
			dir = -1;
		while (dir && j < n && j - i < PM_BATCH &&
		       pfns[j] == pfns[j - 1] + (uint64_t)(int64_t)dir)
			j++;
		len = j - i;
		if (dir >= 0) {
			err = read_entries(pm->kpf_fd, pfns[i], len, out + i);
		} else {
			err = read_entries(pm->kpf_fd, pfns[j - 1], len, out + i);
			for (k = 0; k < len / 2; k++) {  /* back to page order */
				uint64_t t = out[i + k];

				out[i + k] = out[j - 1 - k];
				out[j - 1 - k] = t;
			}
		}
		if (err)
			return err;
	}
	return 0;
}

bool pagemap_pfn_hidden(const struct pm_entry *e)
{
	return e->present && e->pfn == 0;
}

bool pagemap_have_sys_admin(void)
{
	char line[256];
	bool ok = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			ok = caps & (1ULL << 21);  /* CAP_SYS_ADMIN */
			break;
		}
	}
	fclose(f);
	return ok;
}
