/*
 * analyze/teach.c - walks.csv, v2p.csv, leaves.csv and overview.csv, the
 * tables behind the report's teaching sections (see teach.h and
 * analyze/README.md).  The worked walks decode the rows' raw entries with
 * collect/ptentry.c (x86-64) or collect/ptentry_arm64.c (analyze --machine
 * aarch64), the decoders pfn_ioctl --explain uses too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "ptentry.h"
#include "ptentry_arm64.h"
#include "teach.h"

/* The worked walks, in the order walks.csv gives them. */
enum { C_KMALLOC, C_VMALLOC, C_KVMALLOC_VM, C_ALLOC_PAGES, C_USER_4K,
       C_USER_THP, C_DM_4K, C_DM_2M, C_DM_1G, NCASES };
static const char *const case_names[NCASES] = {
	"kmalloc", "vmalloc", "kvmalloc_vmalloc", "alloc_pages", "user_4k",
	"user_thp", "direct_map_4k", "direct_map_2m", "direct_map_1g",
};

struct v2p_alloc {
	char source[SAMPLES_SOURCE_MAX], allocator[SAMPLES_ALLOC_MAX];
	struct sample_row pick;         /* first row that differs, else first checked */
	int pick_differs;
	uint64_t checked, differ;
};

struct leafkey {
	char source[SAMPLES_SOURCE_MAX], allocator[SAMPLES_ALLOC_MAX];
	const char *region;
	uint32_t level;
	uint64_t rows, pa_min, pa_max;
};

/* overview.csv: one per (source, allocator), in first-seen order. */
struct ovalloc {
	char source[SAMPLES_SOURCE_MAX], allocator[SAMPLES_ALLOC_MAX];
};

/*
 * overview.csv: one record per group (its contiguities in millionths, as
 * summary.csv prints them: the median is of those) and per reuse.csv row,
 * spilled to a temporary file: nothing per group stays in memory until
 * the table is written.
 */
struct ovrec {
	uint64_t size;
	uint64_t v1;            /* group: largest_run; reuse: shared_frames */
	uint64_t v2;            /* group: contiguity | contiguity_any << 32; reuse: frames */
	uint32_t alloc;         /* index in teach.ova */
	uint8_t reuse;          /* 1: a reuse.csv row */
	uint8_t leafmask;       /* group: 1 << enum ptw_level of its leaves */
};

struct teach {
	struct sample_row walk[NCASES];
	int have[NCASES];
	struct v2p_alloc *v2p;
	size_t nv2p, cap_v2p;
	uint64_t base, base_rows, base_agree;
	struct leafkey *leaf;
	size_t nleaf, cap_leaf;
	struct ovalloc *ova;
	size_t nova, cap_ova;
	/* v2p, leaf and ova by key (alloc_key, leaf_key): one look-up a
	 * row, however many allocators the input names. */
	struct strmap v2p_map, leaf_map, ova_map;
	FILE *spill;            /* struct ovrec records */
	uint64_t nrec;
	int arm64;              /* decode the walks as arm64 descriptors */
};

struct teach *teach_new(int arm64)
{
	struct teach *t = calloc(1, sizeof(struct teach));

	if (t)
		t->arm64 = arm64;
	return t;
}

void teach_free(struct teach *t)
{
	if (!t)
		return;
	free(t->ova);
	if (t->spill)
		fclose(t->spill);
	free(t->leaf);
	free(t->v2p);
	strmap_free(&t->v2p_map);
	strmap_free(&t->leaf_map);
	strmap_free(&t->ova_map);
	free(t);
}

/* The keys of the maps: "source,allocator" (as group.c's), and a leaf's. */
enum { KEY_MAX = SAMPLES_SOURCE_MAX + SAMPLES_ALLOC_MAX + 32 };
static void alloc_key(char *key, const struct sample_row *r)
{
	snprintf(key, KEY_MAX, "%s,%s", r->source, r->allocator);
}

static int is_user_va(uint64_t va)
{
	return (va >> 63) == 0;
}

static int case_match(int c, const struct sample_row *r)
{
	int kernel = strcmp(r->source, "kernel") == 0;
	int pidwalk = strcmp(r->allocator, "pidwalk") == 0;

	switch (c) {
	case C_KMALLOC:
	case C_VMALLOC:
	case C_ALLOC_PAGES:
		return kernel && strcmp(r->allocator, case_names[c]) == 0;
	case C_KVMALLOC_VM:
		return kernel && strcmp(r->allocator, "kvmalloc") == 0 &&
		       (r->flags & PTW_F_VMALLOC_AREA);
	case C_USER_4K:
		return pidwalk && is_user_va(r->va) && r->level == PTW_LVL_PTE &&
		       !(r->flags & (PTW_F_THP | PTW_F_HUGETLB));
	case C_USER_THP:
		return pidwalk && is_user_va(r->va) && r->level == PTW_LVL_PMD &&
		       (r->flags & PTW_F_THP);
	case C_DM_4K:
	case C_DM_2M:
	case C_DM_1G:
		return kernel && !pidwalk && (r->flags & PTW_F_DIRECT_MAP) &&
		       r->level == (uint32_t)(c == C_DM_4K ? PTW_LVL_PTE :
					      c == C_DM_2M ? PTW_LVL_PMD : PTW_LVL_PUD);
	}
	return 0;
}

static int add_v2p(struct teach *t, const struct sample_row *r)
{
	struct v2p_alloc *v;
	char key[KEY_MAX];
	int differs;
	size_t i;

	if ((r->flags & PTW_F_DIRECT_MAP) && (r->has & PTW_HAS_V2P)) {
		if (t->base_rows++ == 0)
			t->base = r->va - r->pa_v2p;
		t->base_agree += r->va - r->pa_v2p == t->base;
	}
	if ((r->has & (PTW_HAS_V2P | PTW_HAS_WALK)) != (PTW_HAS_V2P | PTW_HAS_WALK))
		return 0;
	alloc_key(key, r);
	i = strmap_find(&t->v2p_map, key);
	if (i == (size_t)-1) {
		v = grow(t->v2p, &t->cap_v2p, t->nv2p + 1, sizeof(*v));
		if (!v)
			return -1;
		t->v2p = v;
		i = t->nv2p;
		if (strmap_put(&t->v2p_map, key, i))
			return -1;
		t->nv2p++;
		memset(&v[i], 0, sizeof(v[i]));
		strcpy(v[i].source, r->source);
		strcpy(v[i].allocator, r->allocator);
		v[i].pick = *r;
	}
	v = &t->v2p[i];
	differs = r->pa_v2p != r->pa_walk;
	v->checked++;
	v->differ += differs;
	if (differs && !v->pick_differs) {
		v->pick = *r;
		v->pick_differs = 1;
	}
	return 0;
}

static const char *region_of(const struct sample_row *r)
{
	if (r->flags & PTW_F_DIRECT_MAP)
		return "direct_map";
	if (r->flags & PTW_F_VMALLOC_AREA)
		return "vmalloc_area";
	return is_user_va(r->va) ? "user" : "other";
}

static int add_leaf(struct teach *t, const struct sample_row *r)
{
	const char *region = region_of(r);
	struct leafkey *k;
	char key[KEY_MAX];
	size_t i;

	if (r->level == PTW_LVL_NONE || !(r->has & PTW_HAS_PA))
		return 0;
	snprintf(key, sizeof(key), "%s,%s,%s,%u", r->source, r->allocator, region, (unsigned)r->level);
	i = strmap_find(&t->leaf_map, key);
	if (i == (size_t)-1) {
		k = grow(t->leaf, &t->cap_leaf, t->nleaf + 1, sizeof(*k));
		if (!k)
			return -1;
		t->leaf = k;
		i = t->nleaf;
		if (strmap_put(&t->leaf_map, key, i))
			return -1;
		t->nleaf++;
		k = &k[i];
		memset(k, 0, sizeof(*k));
		strcpy(k->source, r->source);
		strcpy(k->allocator, r->allocator);
		k->region = region;
		k->level = r->level;
		k->pa_min = r->pa;
	}
	k = &t->leaf[i];
	k->rows++;
	if (r->pa < k->pa_min)
		k->pa_min = r->pa;
	if (r->pa > k->pa_max)
		k->pa_max = r->pa;
	return 0;
}

int teach_row(struct teach *t, const struct sample_row *r)
{
	const uint32_t need = PTW_HAS_ENTRIES | PTW_HAS_PGD_SLOT | PTW_HAS_PA;
	int c;

	if ((r->has & need) == need && (r->flags & PTW_F_PRESENT))
		for (c = 0; c < NCASES; c++)
			if (!t->have[c] && case_match(c, r)) {
				t->walk[c] = *r;
				t->have[c] = 1;
			}
	return add_v2p(t, r) || add_leaf(t, r) ? -1 : 0;
}

/* The index of (source, allocator) in t->ova; -1 when out of memory. */
static long ov_alloc(struct teach *t, const struct sample_row *key)
{
	struct ovalloc *a;
	char mkey[KEY_MAX];
	size_t k;

	alloc_key(mkey, key);
	k = strmap_find(&t->ova_map, mkey);
	if (k != (size_t)-1)
		return (long)k;
	a = grow(t->ova, &t->cap_ova, t->nova + 1, sizeof(*a));
	if (!a)
		return -1;
	t->ova = a;
	if (strmap_put(&t->ova_map, mkey, t->nova))
		return -1;
	strcpy(a[t->nova].source, key->source);
	strcpy(a[t->nova].allocator, key->allocator);
	return (long)t->nova++;
}

static int ov_put(struct teach *t, const struct sample_row *key, struct ovrec *r)
{
	long k = ov_alloc(t, key);

	if (k < 0)
		return -1;
	if (!t->spill && !(t->spill = tmpfile()))
		return -1;
	r->alloc = (uint32_t)k;
	r->size = key->size_bytes;
	if (fwrite(r, sizeof(*r), 1, t->spill) != 1)
		return -1;
	t->nrec++;
	return 0;
}

static uint64_t millionths(double v)
{
	return (uint64_t)(v * 1e6 + 0.5);
}

int teach_group(struct teach *t, const struct sample_row *key,
		const struct group_metrics *g)
{
	struct ovrec r;
	int l;

	memset(&r, 0, sizeof(r));       /* padding too: the record is written whole */
	r.v1 = g->largest_run;
	r.v2 = millionths(metrics_contiguity(g->pairs, g->pages)) |
	       millionths(metrics_contiguity_any(g)) << 32;
	for (l = 1; l < 4; l++)
		if (g->leaf[l])
			r.leafmask |= (uint8_t)(1u << l);
	return ov_put(t, key, &r);
}

int teach_reuse(struct teach *t, const struct sample_row *key, uint64_t shared,
		uint64_t frames)
{
	struct ovrec r;

	memset(&r, 0, sizeof(r));
	r.reuse = 1;
	r.v1 = shared;
	r.v2 = frames;
	return ov_put(t, key, &r);
}

static void hex(FILE *f, uint64_t v)
{
	fprintf(f, "0x%016llx", (unsigned long long)v);
}

/*
 * One line per level of the walk of row r, pgd down to the leaf.  On
 * arm64 the pgd line's bits start with the table base register the walk
 * began from (TTBR1: the kernel's table; TTBR0: the process's).
 */
static void write_walk(FILE *f, const char *name, const struct sample_row *r, int arm64)
{
	int levels = r->entry[PT_PGD] == r->entry[PT_P4D] ? 4 : 5;
	uint64_t addr = 0, table = 0;
	enum pt_level l;
	struct pt_entry e;
	char bits[160];

	for (l = PT_PGD; l <= PT_PTE; l++) {
		int idx = pt_index(r->va, l, levels);

		if (l == PT_PGD)
			addr = r->pgd_slot;
		else if (!pt_folded(l, levels))
			addr = table + 8 * (uint64_t)idx;
		if (arm64) {
			int n = l == PT_PGD ? snprintf(bits, sizeof(bits), "TTBR%d ", pt_arm64_ttbr(r->va)) : 0;

			pt_arm64_decode(l, r->entry[l], &e);
			pt_arm64_bits_str(l, r->entry[l], bits + n, sizeof(bits) - (size_t)n);
		} else {
			pt_decode(l, r->entry[l], &e);
			pt_bits_str(l, r->entry[l], bits, sizeof(bits));
		}
		fprintf(f, "%s,%s,%s,%llu,%llu,%llu,", name, r->source, r->allocator,
			(unsigned long long)r->size_bytes, (unsigned long long)r->sample,
			(unsigned long long)r->page);
		hex(f, r->va);
		fprintf(f, ",%d,%s,%d,%d,", levels, pt_level_name(l), pt_shift(l, levels), idx);
		hex(f, addr);
		fputc(',', f);
		hex(f, r->entry[l]);
		fprintf(f, ",%s,%d,", bits, pt_folded(l, levels));
		if (e.present && !e.leaf) {
			table = e.next_pa;
			hex(f, table);
			/* the pgd row: is the slot at the index's place in its page? */
			fprintf(f, ",,,,,%s\n", l == PT_PGD ?
				(((r->pgd_slot & 0xfff) >> 3) == (uint64_t)idx ? "1" : "0") : "");
			continue;
		}
		if (e.leaf) {
			uint64_t pa = pt_leaf_pa(&e, r->va);
			uint32_t lv = l == PT_PTE ? PTW_LVL_PTE : l == PT_PMD ? PTW_LVL_PMD : PTW_LVL_PUD;

			fputc(',', f);
			hex(f, e.frame);
			fputc(',', f);
			hex(f, r->va & (e.leaf_size - 1));
			fputc(',', f);
			hex(f, pa);
			fputc(',', f);
			hex(f, r->pa);
			fprintf(f, ",%d\n", pa == r->pa && lv == r->level);
		} else {
			fputs(",,,,,0\n", f);  /* not present: the walk stops */
		}
		return;
	}
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

/* The median of n values in millionths (n > 0), as summary.csv's numbers. */
static double median(uint32_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u32);
	return n % 2 ? v[n / 2] / 1e6 : (v[n / 2 - 1] / 1e6 + v[n / 2] / 1e6) / 2;
}

/* Records in output order: allocator first-seen, then size (qsort takes no
 * context: the records for the comparison, set just before). */
static const struct ovrec *ov_sort_base;
static int cmp_ovorder(const void *x, const void *y)
{
	const struct ovrec *a = &ov_sort_base[*(const uint32_t *)x];
	const struct ovrec *b = &ov_sort_base[*(const uint32_t *)y];

	if (a->alloc != b->alloc)
		return (a->alloc > b->alloc) - (a->alloc < b->alloc);
	return (a->size > b->size) - (a->size < b->size);
}

/* overview.csv from the spilled records; -1 on an error. */
static int write_overview(struct teach *t, FILE *f)
{
	size_t n = (size_t)t->nrec, i, j, k, m;
	struct ovrec *r = malloc((n ? n : 1) * sizeof(*r));
	uint32_t *ord = malloc((n ? n : 1) * sizeof(*ord));
	uint32_t *c = malloc((n ? n : 1) * sizeof(*c));
	int err = -1;

	if (!r || !ord || !c || (n && (fflush(t->spill) || fseeko(t->spill, 0, SEEK_SET) ||
				       fread(r, sizeof(*r), n, t->spill) != n)))
		goto out;
	for (i = 0; i < n; i++)
		ord[i] = (uint32_t)i;
	ov_sort_base = r;
	qsort(ord, n, sizeof(*ord), cmp_ovorder);
	for (i = 0; i < n; i = j) {
		const struct ovrec *a = &r[ord[i]];
		uint64_t lr = 0, shared = 0, frames = 0;
		unsigned mask = 0, reuse = 0;
		const char *sep = "";
		int l;

		for (j = i; j < n && r[ord[j]].alloc == a->alloc && r[ord[j]].size == a->size; j++)
			;
		for (k = i, m = 0; k < j; k++) {
			const struct ovrec *g = &r[ord[k]];

			if (g->reuse) {
				reuse = 1;
				shared += g->v1;
				frames += g->v2;
				continue;
			}
			c[m++] = (uint32_t)g->v2;
			if (g->v1 > lr)
				lr = g->v1;
			mask |= g->leafmask;
		}
		if (!m)
			continue;
		fprintf(f, "%s,%s,%llu,%zu,%.6f,", t->ova[a->alloc].source,
			t->ova[a->alloc].allocator, (unsigned long long)a->size, m, median(c, m));
		for (k = i, m = 0; k < j; k++)
			if (!r[ord[k]].reuse)
				c[m++] = (uint32_t)(r[ord[k]].v2 >> 32);
		fprintf(f, "%.6f,%llu,", median(c, m), (unsigned long long)lr);
		for (l = 1; l < 4; l++)
			if (mask & (1u << l)) {
				fprintf(f, "%s%s", sep, ptw_level_names[l]);
				sep = "+";
			}
		if (reuse)
			fprintf(f, ",%.6f\n", frames ? (double)shared / (double)frames : 0.0);
		else
			fputs(",\n", f);
	}
	err = 0;
out:
	free(r);
	free(ord);
	free(c);
	return err;
}

int teach_write(struct teach *t, FILE *walks, FILE *v2p, FILE *leaves,
		FILE *overview)
{
	size_t i;
	int c;

	for (c = 0; c < NCASES; c++)
		if (t->have[c])
			write_walk(walks, case_names[c], &t->walk[c], t->arm64);

	for (i = 0; i < t->nv2p; i++) {
		const struct v2p_alloc *v = &t->v2p[i];
		const struct sample_row *r = &v->pick;
		int64_t off = (int64_t)(r->pa_v2p - r->pa_walk);

		fprintf(v2p, "%s,%s,%llu,%llu,%llu,", r->source, r->allocator,
			(unsigned long long)r->size_bytes, (unsigned long long)r->sample,
			(unsigned long long)r->page);
		hex(v2p, r->va);
		fputc(',', v2p);
		if (t->base_rows) {
			hex(v2p, t->base);
			fputc(',', v2p);
			hex(v2p, r->va - t->base);
		} else {
			fputc(',', v2p);
		}
		fputc(',', v2p);
		hex(v2p, r->pa_v2p);
		fputc(',', v2p);
		hex(v2p, r->pa_walk);
		fprintf(v2p, ",%lld,%.3f,%llu,%llu,%llu,%llu\n", (long long)off,
			(double)off / (double)(1ULL << 40), (unsigned long long)v->checked,
			(unsigned long long)v->differ, (unsigned long long)t->base_rows,
			(unsigned long long)t->base_agree);
	}

	for (i = 0; i < t->nleaf; i++) {
		const struct leafkey *k = &t->leaf[i];

		fprintf(leaves, "%s,%s,%s,%s,%llu,", k->source, k->allocator, k->region,
			ptw_level_names[k->level], (unsigned long long)k->rows);
		hex(leaves, k->pa_min);
		fputc(',', leaves);
		hex(leaves, k->pa_max);
		fputc('\n', leaves);
	}

	return write_overview(t, overview);
}
