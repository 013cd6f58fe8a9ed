/*
 * collect/size.c - size parsing and printing for the collectors.
 *
 * Strict on purpose: a size that is not entirely a number with a known
 * suffix, or that overflows 64 bits, is rejected with a reason, so a typo
 * such as "64MB0" never silently becomes some other size.  This is the one
 * size grammar of user space; shell scripts ask memalloc --print-sizes.
 * The module has its own copy (kmod/procfs.c, it cannot link this one);
 * tests/guest/size_cases.txt holds both to the same cases.
 */
#include "size.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static int suffix_shift(const char *s)
{
	static const struct { const char *name; int shift; } units[] = {
		{ "", 0 },
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
	if (strlen(s) > SIZE_MAX_LEN) {
		*why = "too long (at most 31 characters)";
		return -1;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (cli_parse_u64(s, out)) {
			*why = "bad 0x-hex number (no suffix after one)";
			return -1;
		}
		return 0;
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

/* One size of a spec, larger than 0; else -1 and why names it. */
static int spec_one(const char *tok, size_t len, uint64_t *out, char *why, size_t whylen)
{
	char buf[64];
	const char *r;

	if (len >= sizeof(buf)) {
		snprintf(why, whylen, "'%.20s...' is not a size: too long", tok);
		return -1;
	}
	memcpy(buf, tok, len);
	buf[len] = '\0';
	if (size_parse(buf, out, &r)) {
		snprintf(why, whylen, "'%s' is not a size: %s", buf, r);
		return -1;
	}
	if (!*out) {
		snprintf(why, whylen, "'%s' is zero", buf);
		return -1;
	}
	return 0;
}

int size_spec_parse(const char *s, uint64_t *sizes, int max, char *why, size_t whylen)
{
	static const char sep[] = " \t,";
	const char *colon = strchr(s, ':'), *r;
	uint64_t v;
	int n = 0;

	if (colon) {
		size_t lo = (size_t)(colon - s), hi = strlen(colon + 1);

		if (strchr(colon + 1, ':')) {
			snprintf(why, whylen, "more than one ':'");
			return -1;
		}
		if (strpbrk(s, sep)) {
			snprintf(why, whylen, "FROM:TO takes no spaces or commas");
			return -1;
		}
		if (!lo || !hi) {
			snprintf(why, whylen, "FROM and TO must both be sizes");
			return -1;
		}
		if (spec_one(s, lo, &v, why, whylen) || spec_one(colon + 1, hi, &v, why, whylen))
			return -1;
		n = size_sweep_parse(s, sizes, max, &r);
		if (n < 0)
			snprintf(why, whylen, "%s", r);
		return n;
	}
	for (s += strspn(s, sep); *s; s += strspn(s, sep)) {
		size_t len = strcspn(s, sep);

		if (n == max) {
			snprintf(why, whylen, "more than %d sizes", max);
			return -1;
		}
		if (spec_one(s, len, &sizes[n], why, whylen))
			return -1;
		n++;
		s += len;
	}
	if (!n)
		snprintf(why, whylen, "no size in it");
	return n ? n : -1;
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
