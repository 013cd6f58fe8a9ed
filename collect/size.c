/*
 * collect/size.c - size parsing and printing for the collectors.
 *
 * Strict on purpose: a size that is not entirely a number with a known
 * suffix, or that overflows 64 bits, is rejected with a reason, so a typo
 * such as "64MB0" never silently becomes some other size.
 */
#include "size.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int suffix_shift(const char *s)
{
	static const struct { const char *name; int shift; } units[] = {
		{ "", 0 }, { "b", 0 },
		{ "k", 10 }, { "kb", 10 }, { "kib", 10 },
		{ "m", 20 }, { "mb", 20 }, { "mib", 20 },
		{ "g", 30 }, { "gb", 30 }, { "gib", 30 },
		{ "t", 40 }, { "tb", 40 }, { "tib", 40 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(s, units[i].name) == 0)
			return units[i].shift;
	return -1;
}

int size_parse(const char *s, uint64_t *out, const char **why)
{
	uint64_t v = 0;
	int shift, digits = 0;

	if (!s || !*s) {
		*why = "empty size";
		return -1;
	}
	for (; isdigit((unsigned char)*s); s++, digits++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10) {
			*why = "size too large";
			return -1;
		}
		v = v * 10 + d;
	}
	if (!digits) {
		*why = "not a number";
		return -1;
	}
	shift = suffix_shift(s);
	if (shift < 0) {
		*why = "unknown suffix (use K, M, G or T)";
		return -1;
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		*why = "size too large";
		return -1;
	}
	*out = v << shift;
	return 0;
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int size_sweep_parse(const char *s, uint64_t *sizes, int max, const char **why)
{
	char from[64];
	const char *colon = strchr(s, ':');
	uint64_t lo, hi, v;
	int n = 0;

	if (!colon || (size_t)(colon - s) >= sizeof(from)) {
		*why = "expected FROM:TO";
		return -1;
	}
	memcpy(from, s, (size_t)(colon - s));
	from[colon - s] = '\0';
	if (size_parse(from, &lo, why) || size_parse(colon + 1, &hi, why))
		return -1;
	if (!is_pow2(lo) || !is_pow2(hi)) {
		*why = "FROM and TO must be powers of two";
		return -1;
	}
	if (lo > hi) {
		*why = "FROM is larger than TO";
		return -1;
	}
	for (v = lo; v && v <= hi; v <<= 1) {
		if (n == max) {
			*why = "too many sizes";
			return -1;
		}
		sizes[n++] = v;
	}
	return n;
}

const char *size_format(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (u < 4 && n >= 1024 && n % 1024 == 0) {
		n /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)n, unit[u]);
	return buf;
}
