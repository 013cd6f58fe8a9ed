/*
 * collect/proc.c - /proc/meminfo and /proc/PID/maps lookups.
 */
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int proc_meminfo_bytes(const char *key, uint64_t *bytes)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long kb;

		if (strncmp(line, key, klen) == 0 && line[klen] == ':' &&
		    sscanf(line + klen + 1, "%llu", &kb) == 1) {
			*bytes = (uint64_t)kb * 1024;
			err = 0;
			break;
		}
	}
	fclose(f);
	return err;
}

int proc_vma_each(pid_t pid, uint64_t lo, uint64_t hi,
		  int (*fn)(void *arg, const char *line), void *arg)
{
	char path[64], buf[4096];
	FILE *f;
	int err = 0, at_start = 1;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!err && fgets(buf, sizeof(buf), f)) {
		unsigned long long vlo, vhi;
		int whole = strchr(buf, '\n') != NULL, start = at_start;

		/* The rest of a line longer than buf is no line of its own. */
		at_start = whole;
		if (start && sscanf(buf, "%llx-%llx", &vlo, &vhi) == 2 && vlo < hi && vhi > lo) {
			buf[strcspn(buf, "\n")] = '\0';
			err = fn(arg, buf);
		}
	}
	fclose(f);
	return err;
}

struct vma_find {
	char *line;
	size_t len;
	int found;
};

static int vma_found(void *arg, const char *line)
{
	struct vma_find *v = arg;

	snprintf(v->line, v->len, "%s", line);
	v->found = 1;
	return 1;       /* the first is the one: stop */
}

int proc_vma_lookup(pid_t pid, uint64_t va, char *line, size_t len)
{
	struct vma_find v = { line, len, 0 };
	int err = proc_vma_each(pid, va, va + 1, vma_found, &v);

	return err < 0 ? err : v.found;
}
