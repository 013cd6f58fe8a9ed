/*
 * analyze/pfnmap.c - pfnmap.csv: every row of one group per (source,
 * allocator), the first in input order among those with the largest
 * size_bytes.  The picked groups' rows wait in one temporary spill file
 * (binary page, pfn + 1, va, thp records; one descriptor whatever the
 * number of keys), compacted when most of it is rows of groups no longer picked.
 * A pick is also its (source, allocator)'s entry for findings.csv.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "analyzer.h"

/* One spilled row: page, pfn + 1 (0: no pa), va, 1 when the row has thp. */
#define REC 4

static const char spill_msg[] = "cannot write a temporary file for pfnmap.csv";

/*
 * Copy the live picks' rows to a new spill file once most of the old
 * one is rows of groups no longer picked: the spill file stays within
 * twice the rows pfnmap.csv will hold, whatever the input's size.
 */
static int spill_compact(struct analyzer *a, struct samples_error *e)
{
	FILE *n = tmpfile();
	uint64_t pair[REC], end = 0, j;
	size_t i;

	if (!n)
		goto fail;
	for (i = 0; i < a->npicks; i++) {
		struct pfnpick *p = &a->picks[i];

		if (!p->has_rows)
			continue;
		if (fseeko(a->spill, (off_t)(p->off * sizeof(pair)), SEEK_SET))
			goto fail;
		for (j = 0; j < p->nrows; j++)
			if (fread(pair, sizeof(pair), 1, a->spill) != 1 ||
			    fwrite(pair, sizeof(pair), 1, n) != 1)
				goto fail;
		p->off = end;
		end += p->nrows;
	}
	if (fflush(n))
		goto fail;
	fclose(a->spill);
	a->spill = n;
	a->spill_end = end;
	a->spill_dead = 0;
	return 0;
fail:
	snprintf(e->msg, sizeof(e->msg), "%s: %s", spill_msg, strerror(errno ? errno : EIO));
	if (n)
		fclose(n);
	return -1;
}

int pfnmap_pick(struct analyzer *a, struct samples_error *e)
{
	char key[64];
	size_t i;
	struct pfnpick *p;

	snprintf(key, sizeof(key), "%s,%s", a->key.source, a->key.allocator);
	i = strmap_find(&a->pick_map, key);
	if (i == (size_t)-1) {
		p = grow(a->picks, &a->cap_picks, a->npicks + 1, sizeof(*p));
		if (!p)
			goto nomem;
		a->picks = p;
		i = a->npicks++;
		if (strmap_put(&a->pick_map, key, i))
			goto nomem;
	} else if (a->key.size_bytes <= a->picks[i].size_bytes) {
		a->cur_pick = i;
		return 0;
	}
	a->cur_pick = i;
	p = &a->picks[i];
	if (p->has_rows)
		a->spill_dead += p->nrows;
	if (!a->spill) {
		errno = 0;
		a->spill = tmpfile();
		if (!a->spill) {
			snprintf(e->msg, sizeof(e->msg),
				 "cannot create a temporary file for pfnmap.csv: %s",
				 strerror(errno ? errno : EIO));
			return -1;
		}
	}
	p->has_rows = 0;
	if (a->spill_dead > (1u << 20) && a->spill_dead > a->spill_end - a->spill_dead &&
	    spill_compact(a, e))
		return -1;
	if (fseeko(a->spill, 0, SEEK_END)) {
		snprintf(e->msg, sizeof(e->msg), "%s: %s", spill_msg, strerror(errno));
		return -1;
	}
	p->has_rows = 1;
	p->off = a->spill_end;
	p->nrows = 0;
	p->size_bytes = a->key.size_bytes;
	p->sample = a->key.sample;
	strcpy(p->source, a->key.source);
	strcpy(p->allocator, a->key.allocator);
	a->pick = p;
	return 0;
nomem:
	snprintf(e->msg, sizeof(e->msg), "out of memory");
	return -1;
}

int pfnmap_row(struct analyzer *a, const struct sample_row *r, struct samples_error *e)
{
	uint64_t pair[REC] = { r->page, r->has & PTW_HAS_PA ? (r->pa >> 12) + 1 : 0,
			       r->va, !!(r->flags & PTW_F_THP) };

	if (fwrite(pair, sizeof(pair), 1, a->spill) != 1) {
		snprintf(e->msg, sizeof(e->msg), "%s: %s", spill_msg,
			 strerror(errno ? errno : EIO));
		return -1;
	}
	a->pick->nrows++;
	a->spill_end++;
	return 0;
}

int pfnmap_write(struct analyzer *a)
{
	FILE *f = a->out[OUT_PFNMAP];
	size_t i;
	uint64_t j;

	if (a->spill && fflush(a->spill)) {
		fprintf(stderr, PROG ": %s: %s\n", spill_msg, strerror(errno));
		return -1;
	}
	for (i = 0; i < a->npicks; i++) {
		struct pfnpick *p = &a->picks[i];
		uint64_t pair[REC];

		if (!p->has_rows)
			continue;
		if (fseeko(a->spill, (off_t)(p->off * sizeof(pair)), SEEK_SET))
			goto rd;
		for (j = 0; j < p->nrows; j++) {
			if (fread(pair, sizeof(pair), 1, a->spill) != 1)
				goto rd;
			fprintf(f, "%s,%s,%llu,%llu,%llu,", p->source, p->allocator,
				(unsigned long long)p->size_bytes,
				(unsigned long long)p->sample,
				(unsigned long long)pair[0]);
			if (pair[1])
				fprintf(f, "%llu,%llu,", (unsigned long long)(pair[1] - 1),
					(unsigned long long)(pair[1] - 1 - p->min_pfn));
			else
				fputs(",,", f);
			fprintf(f, "0x%016llx,%llu\n", (unsigned long long)pair[2],
				(unsigned long long)pair[3]);
		}
	}
	return 0;
rd:
	fprintf(stderr, PROG ": cannot read back the pfnmap rows: %s\n",
		strerror(errno ? errno : EIO));
	return -1;
}
