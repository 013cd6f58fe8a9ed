/*
 * analyze/userpm.c - pagemap.csv, the report's user-side section (issue 16
 * item 5): an input named pagemap.<name>.txt holds /proc/PID/maps lines
 * ("maps PID <maps line>") and raw /proc/PID/pagemap entries read by some
 * reader ("entry PID READER VA RAW", hex), as vm/plans/report.sh records
 * them; each entry becomes one row with its bits decoded
 * (Documentation/admin-guide/mm/pagemap.rst: PFN 0-54, soft-dirty 55,
 * exclusive 56, file/shared 61, swapped 62, present 63), PA = PFN * 4096
 * + offset when the PFN is shown, and the maps line (VMA) that holds VA.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "textin.h"
#include "userpm.h"

#define LINE_MAX_PM 4096

struct pm_vma { long pid; uint64_t lo, hi; char perms[8]; char name[256]; };
struct pm_ent { long pid; char reader[32]; uint64_t va, raw; };

struct userpm {
	struct pm_vma *v;
	size_t nv, capv;
	struct pm_ent *e;
	size_t ne, cape;
};

int userpm_name(const char *path)
{
	return textin_named(path, "pagemap.", ".txt");
}

struct userpm *userpm_new(void)
{
	return calloc(1, sizeof(struct userpm));
}

void userpm_free(struct userpm *u)
{
	if (!u)
		return;
	free(u->v);
	free(u->e);
	free(u);
}

static int hex(const char *s, uint64_t *v)
{
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 16);
	return errno || *end ? -1 : 0;
}

static int pid_of(const char *s, long *pid)
{
	char *end;

	errno = 0;
	*pid = strtol(s, &end, 10);
	return errno || end == s || *end || *pid <= 0 ? -1 : 0;
}

/* "maps PID lo-hi perms offset dev inode [name]" */
static const char *maps_line(struct userpm *u, char *l)
{
	char pid[24], range[48], perms[8], off[24], dev[16], ino[24], *dash;
	struct pm_vma *v;
	int name = 0;

	if (sscanf(l, "maps %23s %47s %7s %23s %15s %23s %n", pid, range, perms,
		   off, dev, ino, &name) < 6 || !name)
		return "bad maps line (want: maps PID START-END PERMS OFFSET DEV INODE [NAME])";
	v = grow(u->v, &u->capv, u->nv + 1, sizeof(*v));
	if (!v)
		return "out of memory";
	u->v = v;
	v += u->nv;
	dash = strchr(range, '-');
	if (pid_of(pid, &v->pid))
		return "bad PID in maps line";
	if (!dash || (*dash = '\0', hex(range, &v->lo)) || hex(dash + 1, &v->hi) || v->hi <= v->lo)
		return "bad START-END in maps line";
	if (strlen(perms) != 4)
		return "bad permissions in maps line (want 4 letters, as rwxp)";
	strcpy(v->perms, perms);
	l[strcspn(l, "\n")] = '\0';
	if (strlen(l + name) >= sizeof(v->name) || strchr(l + name, ','))
		return "maps name longer than 255 bytes or with a comma";
	strcpy(v->name, l + name);
	u->nv++;
	return NULL;
}

/* "entry PID READER VA RAW" */
static const char *entry_line(struct userpm *u, char *l)
{
	char pid[24], reader[32], va[24], raw[24], extra[2];
	struct pm_ent *e;

	if (sscanf(l, "entry %23s %31s %23s %23s %1s", pid, reader, va, raw, extra) != 4)
		return "bad entry line (want: entry PID READER VA RAW)";
	e = grow(u->e, &u->cape, u->ne + 1, sizeof(*e));
	if (!e)
		return "out of memory";
	u->e = e;
	e += u->ne;
	if (pid_of(pid, &e->pid))
		return "bad PID in entry line";
	if (strchr(reader, ','))
		return "bad reader in entry line (a comma)";
	strcpy(e->reader, reader);
	if (hex(va, &e->va))
		return "bad VA in entry line (want hex)";
	if (hex(raw, &e->raw))
		return "bad RAW in entry line (want a 64-bit hex pagemap entry)";
	u->ne++;
	return NULL;
}

static const char *pm_line(void *ctx, char *l, unsigned long n)
{
	(void)n;
	if (strncmp(l, "maps ", 5) == 0)
		return maps_line(ctx, l);
	if (strncmp(l, "entry ", 6) == 0)
		return entry_line(ctx, l);
	if (l[0] != '#' && l[strspn(l, " \t\r\n")] != '\0')
		return "unknown line (want maps or entry)";
	return NULL;
}

int userpm_read(struct userpm *u, const char *path)
{
	return textin_read(path, LINE_MAX_PM, pm_line, u);
}

void userpm_write(const struct userpm *u, FILE *out)
{
	size_t i, j;

	for (i = 0; i < u->ne; i++) {
		const struct pm_ent *e = &u->e[i];
		const struct pm_vma *v = NULL;
		uint64_t raw = e->raw, off = e->va & 4095;
		int present = raw >> 63 & 1, swapped = raw >> 62 & 1;
		uint64_t pfn = raw & ((1ULL << 55) - 1);

		for (j = 0; j < u->nv && !v; j++)
			if (u->v[j].pid == e->pid && e->va >= u->v[j].lo && e->va < u->v[j].hi)
				v = &u->v[j];
		fprintf(out, "%s,%ld,0x%" PRIx64 ",0x%016" PRIx64 ",%d,%d,%d,%d,%d,",
			e->reader, e->pid, e->va, raw, present, swapped,
			(int)(raw >> 61 & 1), (int)(raw >> 56 & 1), (int)(raw >> 55 & 1));
		/* A swapped entry's low bits are the swap type and offset. */
		if (present)
			fprintf(out, "0x%" PRIx64, pfn);
		fprintf(out, ",0x%03" PRIx64 ",", off);
		if (present && pfn)
			fprintf(out, "0x%" PRIx64, pfn * 4096 + off);
		fprintf(out, ",%d,", present && !pfn);
		if (v)
			fprintf(out, "0x%" PRIx64 ",0x%" PRIx64 ",%s,%s\n", v->lo, v->hi,
				v->perms, v->name);
		else
			fprintf(out, ",,,\n");
	}
}
