/*
 * analyze/kalloc.c - the kernel allocators' probes and refusals as the
 * report prints them: allocphase.csv from allocs.<phase>.csv inputs
 * (vm/plans/frag.sh: per phase, which kmalloc/vmalloc/alloc_pages sizes
 * succeeded; per (phase, allocator) the largest success and the first
 * failure) and refusals.csv from a failures.csv input (vm/plans/report.sh:
 * its rows with the page order each size needs, so reports/ print the
 * order and never compute it).  analyze/README.md has the columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"

#define ALLOCS_HEADER "phase,allocator,size_bytes,order,ok,errno"
#define FAIL_HEADER5 "allocator,size_bytes,sample,errno,message"
#define FAIL_HEADER8 FAIL_HEADER5 ",refused_by,limit_name,limit_value"
#define KA_FIELDS 8

int kalloc_kind(const char *path, char *phase, size_t n)
{
	const char *b = strrchr(path, '/');
	int r;

	b = b ? b + 1 : path;
	if (strcmp(b, "failures.csv") == 0)
		return KALLOC_FAILURES;
	r = snap_phase_ext(path, "allocs.", ".csv", phase, n);
	return r == 1 ? KALLOC_ALLOCS : r;
}

/*
 * Split line at commas into at most max fields, in place, as RFC 4180
 * reads them: a field that starts with '"' runs to the '"' that is not
 * doubled, and "" inside it is one '"' (the plan quotes a message that
 * holds a comma).  The count, -1 (more fields) or -2 (a bad quote).
 */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *w;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = line;
		if (*line == '"') {
			for (w = line, line++;; line++) {
				if (!*line)
					return -2;
				if (*line == '"' && line[1] != '"')
					break;
				*w++ = *line;
				if (*line == '"')
					line++;
			}
			*w = '\0';
			line++;
			if (*line != ',' && *line)
				return -2;
		} else {
			line += strcspn(line, ",\"");
			if (*line == '"')
				return -2;
		}
		if (!*line)
			return n;
		*line++ = '\0';
	}
}

/* Write s as one CSV field: quoted ("" for '"') when it holds , or ". */
static void put_field(FILE *o, const char *s)
{
	if (!strpbrk(s, ",\"")) {
		fputs(s, o);
		return;
	}
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', o);
		fputc(*s, o);
	}
	fputc('"', o);
}

/* A word of [A-Za-z0-9_] (empty when empty_ok). */
static int word(const char *s, int empty_ok)
{
	if (!*s)
		return empty_ok;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int num(const char *s, uint64_t *v)
{
	const char *p = s;

	return snap_parse_u64(&p, v) || *p;
}

unsigned int kalloc_order(uint64_t bytes)
{
	unsigned int k = 0;

	while (k < 52 && (4096ULL << k) < bytes)
		k++;
	return k;
}

struct ka_ctx {
	struct analyzer *a;
	const char *phase;      /* allocs: the file's phase; NULL: failures.csv */
	int nf;                 /* its header's field count (0: none read) */
};

/*
 * The (phase, allocator) entry, new at the end when first seen; NULL when
 * out of memory.  A map, not a search of the entries: 200000 allocators
 * took 280 s, quadratic.  Neither phase nor allocator holds a comma.
 */
static struct kalloc_ent *ent(struct analyzer *a, const char *phase, const char *al)
{
	struct kalloc_ent *e;
	char key[BUDDY_PHASE_MAX + SAMPLES_ALLOC_MAX + 2];
	size_t i;

	/* as the entry keeps them (phase and allocator cut to fit) */
	snprintf(key, sizeof(key), "%.*s,%.*s", BUDDY_PHASE_MAX - 1, phase, SAMPLES_ALLOC_MAX - 1, al);
	i = strmap_find(&a->ka_map, key);
	if (i != (size_t)-1)
		return &a->ka[i];
	e = grow(a->ka, &a->cap_ka, a->nka + 1, sizeof(*e));
	if (!e)
		return NULL;
	a->ka = e;
	if (strmap_put(&a->ka_map, key, a->nka))
		return NULL;
	e = &a->ka[a->nka++];
	snprintf(e->phase, sizeof(e->phase), "%s", phase);
	snprintf(e->allocator, sizeof(e->allocator), "%s", al);
	return e;
}

static int on_allocs(struct ka_ctx *c, char *line, unsigned long lineno,
		     struct samples_error *e)
{
	char *f[KA_FIELDS];
	uint64_t size, order, ok;
	struct kalloc_ent *k;

	if (lineno == 1) {
		if (strcmp(line, ALLOCS_HEADER) == 0) {
			c->nf = 6;
			return 0;
		}
		snprintf(e->msg, sizeof(e->msg), "%s", "bad header (want " ALLOCS_HEADER ")");
		return -1;
	}
	if (split(line, f, KA_FIELDS) != 6) {
		snprintf(e->msg, sizeof(e->msg), "%s", "want 6 fields: " ALLOCS_HEADER);
		return -1;
	}
	if (strcmp(f[0], c->phase) != 0) {
		snprintf(e->msg, sizeof(e->msg), "%s", "phase differs from the file name's");
		return -1;
	}
	if (!word(f[1], 0) || strlen(f[1]) >= SAMPLES_ALLOC_MAX) {
		snprintf(e->msg, sizeof(e->msg), "%s", "bad allocator");
		return -1;
	}
	if (num(f[2], &size) || num(f[3], &order) || order > 63 ||
	    num(f[4], &ok) || ok > 1) {
		snprintf(e->msg, sizeof(e->msg), "%s", "bad size_bytes, order (0-63) or ok (0 or 1)");
		return -1;
	}
	if (!word(f[5], ok) || strlen(f[5]) >= sizeof(k->fail_errno)) {
		snprintf(e->msg, sizeof(e->msg), "%s", "bad errno (a name such as ENOMEM; empty only when ok is 1)");
		return -1;
	}
	k = ent(c->a, c->phase, f[1]);
	if (!k) {
		snprintf(e->msg, sizeof(e->msg), "%s", "out of memory");
		return -1;
	}
	k->tries++;
	if (ok) {
		k->succeeded++;
		if (size >= k->ok_bytes) {      /* the later one on a tie */
			k->ok_bytes = size;
			k->ok_order = (unsigned int)order;
		}
	} else if (!k->failed) {
		k->failed = 1;
		k->fail_bytes = size;
		k->fail_order = (unsigned int)order;
		snprintf(k->fail_errno, sizeof(k->fail_errno), "%s", f[5]);
	}
	return 0;
}

static int on_failures(struct ka_ctx *c, char *line, unsigned long lineno,
		       struct samples_error *e)
{
	char *f[KA_FIELDS + 1];
	uint64_t size, sample;
	int n, i;

	if (lineno == 1) {
		if (strcmp(line, FAIL_HEADER8) == 0 || strcmp(line, FAIL_HEADER5) == 0) {
			c->nf = strcmp(line, FAIL_HEADER5) == 0 ? 5 : 8;
			return 0;
		}
		snprintf(e->msg, sizeof(e->msg), "%s", "bad header (want " FAIL_HEADER8 ")");
		return -1;
	}
	n = split(line, f, KA_FIELDS + 1);
	if (n == -2) {
		snprintf(e->msg, sizeof(e->msg), "%s", "a bad quote (RFC 4180: a quoted field ends with '\"' and then ',' or the line's end)");
		return -1;
	}
	if (n != c->nf) {
		snprintf(e->msg, sizeof(e->msg), "%s", c->nf == 5 ? "want 5 fields: " FAIL_HEADER5 : "want 8 fields: " FAIL_HEADER8);
		return -1;
	}
	if (!word(f[0], 0) || num(f[1], &size) || num(f[2], &sample) || !word(f[3], 0)) {
		snprintf(e->msg, sizeof(e->msg), "%s", "bad allocator, size_bytes, sample or errno");
		return -1;
	}
	fprintf(c->a->out[OUT_REFUSALS], "%s,%s,", f[0], f[1]);
	if (size)
		fprintf(c->a->out[OUT_REFUSALS], "%u", kalloc_order(size));
	for (i = 2; i < 8; i++) {
		fputc(',', c->a->out[OUT_REFUSALS]);
		put_field(c->a->out[OUT_REFUSALS], i < n ? f[i] : "");
	}
	fputc('\n', c->a->out[OUT_REFUSALS]);
	return 0;
}

static int on_line(void *ctx, const char *line, unsigned long lineno,
		   struct samples_error *e)
{
	struct ka_ctx *c = ctx;
	char buf[BUDDY_LINE_MAX + 1];

	snprintf(buf, sizeof(buf), "%s", line);
	return c->phase ? on_allocs(c, buf, lineno, e) : on_failures(c, buf, lineno, e);
}

int kalloc_read(struct analyzer *a, const char *path, struct samples_error *e)
{
	char phase[BUDDY_PHASE_MAX];
	struct ka_ctx c = { .a = a };

	if (kalloc_kind(path, phase, sizeof(phase)) == KALLOC_ALLOCS)
		c.phase = phase;
	if (snap_read_lines(path, on_line, &c, e))
		return -1;
	if (!c.nf) {
		e->line = 0;
		snprintf(e->msg, sizeof(e->msg), "%s", "empty file (no header)");
		return -1;
	}
	return 0;
}

void kalloc_write(struct analyzer *a)
{
	FILE *out = a->out[OUT_ALLOCPHASE];
	size_t i;

	for (i = 0; out && i < a->nka; i++) {
		const struct kalloc_ent *k = &a->ka[i];

		fprintf(out, "%s,%s,%llu,%llu,", k->phase, k->allocator,
			(unsigned long long)k->tries, (unsigned long long)k->succeeded);
		if (k->succeeded)
			fprintf(out, "%llu,%u", (unsigned long long)k->ok_bytes, k->ok_order);
		else
			fputc(',', out);
		if (k->failed)
			fprintf(out, ",%llu,%u,%s\n", (unsigned long long)k->fail_bytes,
				k->fail_order, k->fail_errno);
		else
			fputs(",,,\n", out);
	}
}
