/*
 * analyze/grow.h - the analyzer's one growable-array helper: make room for
 * `need` elements of `elem` bytes in p (capacity *cap), doubling from 16,
 * the new elements zeroed.  Returns the (maybe moved) array, or NULL with
 * p and *cap unchanged when out of memory.
 */
#ifndef PTWALK_GROW_H
#define PTWALK_GROW_H

#include <stdlib.h>
#include <string.h>

static inline void *grow(void *p, size_t *cap, size_t need, size_t elem)
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

#endif
