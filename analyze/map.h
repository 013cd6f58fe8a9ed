/*
 * analyze/map.h - the analyzer's two containers: a string-keyed hash map
 * (key -> index into an array the caller keeps, insertion ordered by that
 * array) and a growable array.  Nothing else: no iteration, no removal.
 */
#ifndef PTWALK_ANALYZE_MAP_H
#define PTWALK_ANALYZE_MAP_H

#include <stddef.h>

struct strmap {
	char **keys;
	size_t *idx;
	size_t cap, count;
};

/* Index of key, or (size_t)-1. */
size_t strmap_find(const struct strmap *m, const char *key);
/* Add key (copied) -> idx; key must not be there yet. Returns 0 or -1 (no memory). */
int strmap_put(struct strmap *m, const char *key, size_t idx);
void strmap_free(struct strmap *m);

/*
 * Make room for need elements of elem bytes in p (capacity *cap, doubled
 * as needed, the new part zeroed).  Returns the array, or NULL (p is then
 * still valid and still the caller's to free).
 */
void *grow(void *p, size_t *cap, size_t need, size_t elem);

#endif
