/*
 * analyze/group.c - cut the stream of samples rows into groups.
 *
 * A group is the rows of one (source, allocator, size_bytes, sample); its
 * rows stand together in increasing page order, and a group never comes
 * back later, in the same or another file (each key's first line is kept
 * to say where it was seen).  When a group ends, every table adds it.
 */
#include <stdio.h>
#include <string.h>

#include "analyzer.h"

int group_finish(struct analyzer *a, struct samples_error *e)
{
	a->in_group = 0;
	group_metrics_end(&a->gm);
	summary_add(a);
	deltas_add(a);
	deltabins_add(a);
	if (a->pick) {
		a->pick->min_pfn = a->gm.min_pa >> 12;
		a->pick = NULL;
	}
	if (!a->quiet)
		summary_print_line(a);
	if (teach_group(a->teach, &a->key, &a->gm) || findings_add(a, a->cur_pick) ||
	    runhist_add(a, a->cur_pick)) {
		snprintf(e->msg, sizeof(e->msg), "out of memory");
		return -1;
	}
	return 0;
}

static int group_start(struct analyzer *a, const struct sample_row *r,
		       unsigned long line, struct samples_error *e)
{
	char key[128];
	size_t i;

	snprintf(key, sizeof(key), "%s,%s,%llu,%llu", r->source, r->allocator,
		 (unsigned long long)r->size_bytes, (unsigned long long)r->sample);
	i = strmap_find(&a->groups, key);
	if (i != (size_t)-1) {
		snprintf(e->msg, sizeof(e->msg),
			 "group %s reappears (first seen at %s:%lu)", key,
			 a->group_at[i].file, a->group_at[i].line);
		return -1;
	}
	a->group_at = grow(a->group_at, &a->cap_group_at, a->ngroup_at + 1,
			   sizeof(*a->group_at));
	if (!a->group_at)
		goto nomem;
	a->group_at[a->ngroup_at].file = a->file;      /* an argv string */
	a->group_at[a->ngroup_at].line = line;
	if (strmap_put(&a->groups, key, a->ngroup_at++))
		goto nomem;
	a->key = *r;
	a->in_group = 1;
	a->ngroups++;
	group_metrics_begin(&a->gm, &a->frames, &a->buf);
	return pfnmap_pick(a, e);
nomem:
	snprintf(e->msg, sizeof(e->msg), "out of memory");
	return -1;
}

static int same_group(const struct sample_row *k, const struct sample_row *r)
{
	return k->sample == r->sample && k->size_bytes == r->size_bytes &&
	       strcmp(k->allocator, r->allocator) == 0 &&
	       strcmp(k->source, r->source) == 0;
}

int group_on_row(void *ctx, const struct sample_row *r, unsigned long line,
		 struct samples_error *e)
{
	struct analyzer *a = ctx;

	if (!a->in_group || !same_group(&a->key, r)) {
		if (a->in_group && group_finish(a, e))
			return -1;
		if (group_start(a, r, line, e))
			return -1;
	} else if (r->page <= a->gm.prev_page) {
		snprintf(e->msg, sizeof(e->msg),
			 "page %llu out of order (after page %llu in the same group)",
			 (unsigned long long)r->page,
			 (unsigned long long)a->gm.prev_page);
		return -1;
	}
	if (group_metrics_add(&a->gm, r) || teach_row(a->teach, r)) {
		snprintf(e->msg, sizeof(e->msg), "out of memory");
		return -1;
	}
	if (a->pick && pfnmap_row(a, r, e))
		return -1;
	a->rows++;
	return 0;
}
