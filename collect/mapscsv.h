/*
 * collect/mapscsv.h - the columns of memalloc's --maps file, shared with
 * its reader in the analyzer (analyze/vmas.c).  One row per VMA that held
 * part of one experiment, right after the experiment was translated:
 * which experiment (allocator, size_bytes, sample) and the range of the
 * pages it measured [va_start, va_end), then the /proc/self/maps line split into its
 * fields.  Addresses and offset are 0x + 16 lower-case hex digits; name
 * is empty for an anonymous VMA and quoted (RFC 4180) when it holds a
 * comma or a quote.
 */
#ifndef PTWALK_MAPSCSV_H
#define PTWALK_MAPSCSV_H

#define MAPS_CSV_COLS \
	"allocator,size_bytes,sample,va_start,va_end,vma_start,vma_end," \
	"perms,offset,dev,inode,name"
#define MAPS_CSV_HEADER MAPS_CSV_COLS "\n"

#endif
