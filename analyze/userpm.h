/*
 * analyze/userpm.h - pagemap.csv from pagemap.<name>.txt inputs (the
 * report's user side: /proc/PID/maps lines and raw pagemap entries, see
 * userpm.c).  The inputs are small: every line is kept until the end.
 */
#ifndef ANALYZE_USERPM_H
#define ANALYZE_USERPM_H

#include <stdio.h>

#define USERPM_HEADER \
	"reader,pid,va,raw,present,swapped,file_shared,exclusive,soft_dirty," \
	"pfn,offset,pa,pfn_hidden,vma_start,vma_end,vma_perms,vma_name\n"

struct userpm;

/* 1 when PATH's file name is pagemap.<name>.txt. */
int userpm_name(const char *path);
struct userpm *userpm_new(void);        /* NULL when out of memory */
void userpm_free(struct userpm *u);
/* 0, or 1 after one line on stderr naming the file, line and fault. */
int userpm_read(struct userpm *u, const char *path);
void userpm_write(const struct userpm *u, FILE *out);

#endif
