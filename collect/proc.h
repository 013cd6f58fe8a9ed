/*
 * collect/proc.h - small readers of /proc files the collectors need:
 * /proc/meminfo values and the /proc/PID/maps lines that hold addresses.
 */
#ifndef PTWALK_PROC_H
#define PTWALK_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The value of "KEY: N kB" from /proc/meminfo, in bytes. 0 or -errno. */
int proc_meminfo_bytes(const char *key, uint64_t *bytes);

/*
 * Find the VMA of pid holding va in /proc/PID/maps and copy its line,
 * without the newline, into line.  Returns 1 when found, 0 when no VMA
 * holds va, or -errno.
 */
int proc_vma_lookup(pid_t pid, uint64_t va, char *line, size_t len);

/*
 * Call fn(arg, line) for each VMA of pid that overlaps [lo, hi), in
 * /proc/PID/maps order, with its line without the newline.  fn returns 0
 * to go on, or non-zero (-errno) to stop and return that.  Returns 0 or
 * -errno.
 */
int proc_vma_each(pid_t pid, uint64_t lo, uint64_t hi,
		  int (*fn)(void *arg, const char *line), void *arg);

#endif
