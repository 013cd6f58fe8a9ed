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

int proc_vma_lookup(pid_t pid, uint64_t va, char *line, size_t len)
{
	char path[64], buf[4096];
	FILE *f;
	int found = 0, at_start = 1;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(buf, sizeof(buf), f)) {
		unsigned long long lo, hi;
		int whole = strchr(buf, '\n') != NULL, start = at_start;

		/* The rest of a line longer than buf is no line of its own. */
		at_start = whole;
		if (start && sscanf(buf, "%llx-%llx", &lo, &hi) == 2 && va >= lo && va < hi) {
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(line, len, "%s", buf);
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}
