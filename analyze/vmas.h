/*
 * analyze/vmas.h - vmas.csv from memalloc's --maps files (maps.<name>.csv,
 * collect/mapscsv.h): the /proc/self/maps line of the VMA that held each
 * user experiment, for the report's maps excerpt (vmas.c).  The inputs are
 * small: every row is kept until the end.
 */
#ifndef ANALYZE_VMAS_H
#define ANALYZE_VMAS_H

#include <stdio.h>

#define VMAS_HEADER \
	"allocator,size_bytes,sample,va_start,va_end,vma_start,vma_end,perms," \
	"offset,dev,inode,name,vma_kib,pages,excerpt\n"

struct vmas;

/* 1 when PATH's file name is maps.<name>.csv. */
int vmas_name(const char *path);
struct vmas *vmas_new(void);    /* NULL when out of memory */
void vmas_free(struct vmas *v);
/* 0, or 1 after one line on stderr naming the file, line and fault. */
int vmas_read(struct vmas *v, const char *path);
/* vmas.csv's rows: 0, or 1 after one stderr line (out of memory). */
int vmas_write(const struct vmas *v, FILE *out);

#endif
