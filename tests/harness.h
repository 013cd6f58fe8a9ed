/*
 * tests/harness.h - the tiny unit-test harness (after cmark's).
 *
 * Each check prints one line, "PASS name" or "FAIL name: why", which
 * tests/run.sh counts into the suite's closing "N passed, N failed" line.
 * A test program ends with `return harness_done();`, non-zero on failure.
 */
#ifndef PTWALK_HARNESS_H
#define PTWALK_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_failed;

#define OK(cond, name) do {                                              \
	if (cond)                                                        \
		printf("PASS %s\n", name);                               \
	else {                                                           \
		printf("FAIL %s: %s is false (%s:%d)\n", name, #cond,    \
		       __FILE__, __LINE__);                              \
		harness_failed++;                                        \
	}                                                                \
} while (0)

#define INT_EQ(got, want, name) do {                                     \
	long long g_ = (long long)(got), w_ = (long long)(want);         \
	if (g_ == w_)                                                    \
		printf("PASS %s\n", name);                               \
	else {                                                           \
		printf("FAIL %s: got %lld, want %lld (%s:%d)\n", name,   \
		       g_, w_, __FILE__, __LINE__);                      \
		harness_failed++;                                        \
	}                                                                \
} while (0)

#define STR_EQ(got, want, name) do {                                     \
	const char *g_ = (got), *w_ = (want);                            \
	if (g_ && w_ && strcmp(g_, w_) == 0)                             \
		printf("PASS %s\n", name);                               \
	else {                                                           \
		printf("FAIL %s: got \"%s\", want \"%s\" (%s:%d)\n",     \
		       name, g_ ? g_ : "(null)", w_ ? w_ : "(null)",     \
		       __FILE__, __LINE__);                              \
		harness_failed++;                                        \
	}                                                                \
} while (0)

static inline int harness_done(void)
{
	return harness_failed != 0;
}

#endif
