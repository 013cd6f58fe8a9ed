/*
 * analyze/vmas.c - vmas.csv, the report's /proc/PID/maps excerpt (issue 16
 * item 5): memalloc --maps writes, right after each experiment is
 * translated, the maps line of every VMA that holds part of it
 * (collect/mapscsv.h); this reads those files (maps.<name>.csv), checks
 * every field, and writes one row per (experiment, VMA) in input order
 * with the VMA's size in KiB, the experiment's pages inside it, and
 * excerpt = 1 on the rows the report's body shows: the first sample of
 * each allocator's smallest and largest size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "mapscsv.h"
#include "samples.h"
#include "textin.h"
#include "vmas.h"

#define VMAS_LINE_MAX 1024

struct vma_row {
	char allocator[SAMPLES_ALLOC_MAX];
	uint64_t size, sample, lo, hi, vlo, vhi, off, inode;
	char perms[8], dev[16], name[256];
};

struct vmas {
	struct vma_row *r;
	size_t n, cap;
	unsigned long lines;    /* of the file being read */
};

int vmas_name(const char *path)
{
	return textin_named(path, "maps.", ".csv");
}

struct vmas *vmas_new(void)
{
	return calloc(1, sizeof(struct vmas));
}

void vmas_free(struct vmas *v)
{
	if (!v)
		return;
	free(v->r);
	free(v);
}

static int word(char *dst, size_t max, const char *s, const char *ok)
{
	size_t n = strlen(s);

	if (n == 0 || n >= max || s[strspn(s, ok)] != '\0')
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

static int hexf(const char *s, uint64_t *v)
{
	return samples_parse_hex(s, strlen(s), v);
}

static int decf(const char *s, uint64_t *v)
{
	return samples_parse_dec(s, strlen(s), v);
}

/* One data line, without its newline, split at its 11 commas. */
static const char *row_line(struct vmas *v, char *l)
{
	char *f[12];
	struct vma_row *r;
	int i;

	f[0] = l;
	for (i = 1; i < 12; i++) {
		char *c = strchr(f[i - 1], ',');

		if (!c)
			return "want 12 fields (" MAPS_CSV_COLS ")";
		*c = '\0';
		f[i] = c + 1;
	}
	if (strchr(f[11], ',') || strchr(f[11], '"'))
		return "a name with a comma or a quote (not tabled)";
	r = grow(v->r, &v->cap, v->n + 1, sizeof(*r));
	if (!r)
		return "out of memory";
	v->r = r;
	r += v->n;
	if (word(r->allocator, sizeof(r->allocator), f[0], "abcdefghijklmnopqrstuvwxyz0123456789_"))
		return "bad allocator (want [a-z0-9_], at most 31)";
	if (decf(f[1], &r->size) || r->size == 0 || decf(f[2], &r->sample))
		return "bad size_bytes or sample (want decimal, size > 0)";
	if (hexf(f[3], &r->lo) || hexf(f[4], &r->hi) || r->lo >= r->hi)
		return "bad va_start or va_end (want 0x + 16 hex digits, start < end)";
	if (hexf(f[5], &r->vlo) || hexf(f[6], &r->vhi) || r->vlo >= r->vhi)
		return "bad vma_start or vma_end (want 0x + 16 hex digits, start < end)";
	if (r->vlo >= r->hi || r->vhi <= r->lo)
		return "the VMA does not overlap the experiment's range";
	if (strlen(f[7]) != 4 || word(r->perms, sizeof(r->perms), f[7], "rwxsp-"))
		return "bad perms (want 4 of r w x s p -)";
	if (hexf(f[8], &r->off))
		return "bad offset (want 0x + 16 hex digits)";
	if (word(r->dev, sizeof(r->dev), f[9], "0123456789abcdef:"))
		return "bad dev (want MAJOR:MINOR in hex)";
	if (decf(f[10], &r->inode))
		return "bad inode (want decimal)";
	if (strlen(f[11]) >= sizeof(r->name))
		return "name longer than 255 bytes";
	strcpy(r->name, f[11]);
	v->n++;
	return NULL;
}

static const char *vmas_line(void *ctx, char *l, unsigned long n)
{
	struct vmas *v = ctx;

	v->lines = n;
	l[strcspn(l, "\r\n")] = '\0';
	if (n == 1)
		return strcmp(l, MAPS_CSV_COLS) ? "bad header (want " MAPS_CSV_COLS ")" : NULL;
	return row_line(v, l);
}

int vmas_read(struct vmas *v, const char *path)
{
	v->lines = 0;
	if (textin_read(path, VMAS_LINE_MAX, vmas_line, v))
		return 1;
	if (v->lines == 0) {    /* not even the header */
		fprintf(stderr, "analyze: %s:0: empty file (want the header " MAPS_CSV_COLS ")\n", path);
		return 1;
	}
	return 0;
}

/*
 * Per allocator: its smallest and largest size, and the first sample of
 * each.  A row is in the excerpt when it is the first sample of its
 * allocator's smallest or largest size.  Found in two passes through a
 * map (rows looked each other up, one by one: 60000 rows took 72 s).
 */
struct vmas_ext {
	uint64_t lo, hi, first_lo, first_hi;
};

static int excerpts(const struct vmas *v, size_t *ai, struct vmas_ext **out)
{
	struct strmap m = { 0 };
	struct vmas_ext *e = NULL, *t;
	size_t cap = 0, ne = 0, i;
	int err = 0;

	for (i = 0; i < v->n && !err; i++) {
		const struct vma_row *r = &v->r[i];

		ai[i] = strmap_find(&m, r->allocator);
		if (ai[i] == (size_t)-1) {
			t = grow(e, &cap, ne + 1, sizeof(*e));
			if (!t || strmap_put(&m, r->allocator, ne)) {
				err = 1;
				e = t ? t : e;
				break;
			}
			e = t;
			e[ne] = (struct vmas_ext){ UINT64_MAX, 0, UINT64_MAX, UINT64_MAX };
			ai[i] = ne++;
		}
		t = &e[ai[i]];
		if (r->size < t->lo)
			t->lo = r->size;
		if (r->size > t->hi)
			t->hi = r->size;
	}
	for (i = 0; i < v->n && !err; i++) {
		const struct vma_row *r = &v->r[i];

		t = &e[ai[i]];
		if (r->size == t->lo && r->sample < t->first_lo)
			t->first_lo = r->sample;
		if (r->size == t->hi && r->sample < t->first_hi)
			t->first_hi = r->sample;
	}
	strmap_free(&m);
	if (err) {
		free(e);
		return -1;
	}
	*out = e;
	return 0;
}

int vmas_write(const struct vmas *v, FILE *out)
{
	struct vmas_ext *e = NULL;
	size_t *ai = malloc((v->n ? v->n : 1) * sizeof(*ai));
	size_t i;

	if (!ai || excerpts(v, ai, &e)) {
		free(ai);
		fprintf(stderr, "analyze: out of memory for vmas.csv's %zu rows\n", v->n);
		return 1;
	}
	for (i = 0; i < v->n; i++) {
		const struct vma_row *r = &v->r[i];
		const struct vmas_ext *x = &e[ai[i]];
		uint64_t a = r->lo > r->vlo ? r->lo : r->vlo;
		uint64_t b = r->hi < r->vhi ? r->hi : r->vhi;

		fprintf(out, "%s,%llu,%llu,0x%016llx,0x%016llx,0x%016llx,0x%016llx,%s,0x%016llx,%s,%llu,%s,%llu,%llu,%d\n",
			r->allocator, (unsigned long long)r->size, (unsigned long long)r->sample,
			(unsigned long long)r->lo, (unsigned long long)r->hi,
			(unsigned long long)r->vlo, (unsigned long long)r->vhi, r->perms,
			(unsigned long long)r->off, r->dev, (unsigned long long)r->inode, r->name,
			(unsigned long long)((r->vhi - r->vlo) / 1024),
			(unsigned long long)((b - a + 4095) / 4096),
			(r->size == x->lo && r->sample == x->first_lo) ||
			(r->size == x->hi && r->sample == x->first_hi));
	}
	free(e);
	free(ai);
	return 0;
}
