/*
 * analyze/teach.h - the tables the report's teaching sections print
 * (issue 16): worked walks level by level (walks.csv), virt_to_phys()
 * against the walk with page_offset_base (v2p.csv), leaf levels per
 * allocator and address region (leaves.csv), and the body's one table,
 * size x allocator (overview.csv).  Columns and meanings: analyze/README.md.
 *
 * The analyzer hands every row (teach_row), every finished group
 * (teach_group) and every reuse.csv row (teach_reuse) over, and at the
 * end has the four tables written (teach_write).  Memory: a few rows per
 * walk case, one entry per (source, allocator, region, level) and per
 * (source, allocator); overview.csv's 32-byte record per group goes to a
 * temporary file and is read back only to write the table.
 */
#ifndef PTWALK_TEACH_H
#define PTWALK_TEACH_H

#include <stdint.h>
#include <stdio.h>

#include "metrics.h"
#include "samples.h"

#define TEACH_WALKS_HEADER \
	"case,source,allocator,size_bytes,sample,page,va,paging,level,shift," \
	"index,entry_addr,raw,bits,folded,next_pa,frame,offset,pa,row_pa,agrees\n"
#define TEACH_V2P_HEADER \
	"source,allocator,size_bytes,sample,page,va,page_offset_base,va_minus_base," \
	"pa_v2p,pa_walk,off_bytes,off_tib,checked,differ,base_rows,base_agree\n"
#define TEACH_LEAVES_HEADER "source,allocator,region,level,rows,pa_min,pa_max\n"
#define TEACH_OVERVIEW_HEADER \
	"source,allocator,size_bytes,samples,median_contiguity," \
	"median_contiguity_any,largest_run,leaf,reuse_share\n"

struct teach;

/* NULL when out of memory.  arm64: the worked walks decode arm64
 * descriptors (collect/ptentry_arm64.c), else x86-64 entries. */
struct teach *teach_new(int arm64);
void teach_free(struct teach *t);
/* Each returns 0, or -1 when out of memory. */
int teach_row(struct teach *t, const struct sample_row *r);
int teach_group(struct teach *t, const struct sample_row *key,
		const struct group_metrics *g);
int teach_reuse(struct teach *t, const struct sample_row *key,
		uint64_t shared, uint64_t frames);
/* The four tables, each with its header already written by the caller;
 * -1 when out of memory. */
int teach_write(struct teach *t, FILE *walks, FILE *v2p, FILE *leaves,
		FILE *overview);

#endif
