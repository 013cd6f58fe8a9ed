/*
 * analyze/map.c - a string-keyed open-addressing hash map (FNV-1a, linear
 * probing, at most half full) and a doubling array, for the analyzer's
 * per-group and per-key tables.
 */
#include <stdlib.h>
#include <string.h>

#include "map.h"

static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

size_t strmap_find(const struct strmap *m, const char *key)
{
	size_t j;

	if (!m->cap)
		return (size_t)-1;
	for (j = str_hash(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (strcmp(m->keys[j], key) == 0)
			return m->idx[j];
	return (size_t)-1;
}

static int strmap_grow(struct strmap *m)
{
	struct strmap n = { 0 };
	size_t i;

	n.cap = m->cap ? 2 * m->cap : 64;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.idx = calloc(n.cap, sizeof(*n.idx));
	if (!n.keys || !n.idx) {
		free(n.keys);
		free(n.idx);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		for (j = str_hash(m->keys[i]) & (n.cap - 1); n.keys[j]; j = (j + 1) & (n.cap - 1))
			;
		n.keys[j] = m->keys[i];
		n.idx[j] = m->idx[i];
	}
	n.count = m->count;
	free(m->keys);
	free(m->idx);
	*m = n;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, size_t idx)
{
	size_t j;
	char *k;

	if (2 * (m->count + 1) > m->cap && strmap_grow(m))
		return -1;
	k = strdup(key);
	if (!k)
		return -1;
	for (j = str_hash(key) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		;
	m->keys[j] = k;
	m->idx[j] = idx;
	m->count++;
	return 0;
}

void strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->idx);
	memset(m, 0, sizeof(*m));
}

void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	q = realloc(p, n * elem);
	if (q) {
		memset((char *)q + *cap * elem, 0, (n - *cap) * elem);
		*cap = n;
	}
	return q;
}
