/*
 * tests/fuzz/fuzz_size.c - libFuzzer target for collect/size.c.
 *
 * size_parse() and size_sweep_parse() read the -m and --sweep arguments
 * of memalloc.  Besides not crashing, a parsed size must print back
 * (size_format) to the same number, and a sweep must be increasing
 * powers of two, doubling each step, never more than asked for.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "size.h"

#define SWEEP_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	uint64_t v = 0, sizes[SWEEP_MAX];
	const char *why = NULL;
	char buf[64], unit[8];
	int n, i, max = size ? data[0] % (SWEEP_MAX + 1) : SWEEP_MAX;

	if (size_parse(s, &v, &why) == 0) {
		unsigned long long m;
		uint64_t back;

		size_format(v, buf, sizeof(buf));
		FUZZ_CHECK(sscanf(buf, "%llu %7s", &m, unit) == 2, "'%s'", buf);
		back = m << (strcmp(unit, "B") == 0 ? 0 : strcmp(unit, "KiB") == 0 ? 10 :
			     strcmp(unit, "MiB") == 0 ? 20 : strcmp(unit, "GiB") == 0 ? 30 : 40);
		FUZZ_CHECK(back == v, "'%s' parsed %" PRIu64 ", printed '%s'", s, v, buf);
	} else {
		FUZZ_CHECK(why && *why, "no reason for '%s'", s);
	}

	why = NULL;
	n = size_sweep_parse(s, sizes, max, &why);
	if (n < 0) {
		FUZZ_CHECK(why && *why, "no reason for sweep '%s'", s);
	} else {
		FUZZ_CHECK(n >= 1 && n <= max, "'%s': %d sizes, max %d", s, n, max);
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(sizes[i] && !(sizes[i] & (sizes[i] - 1)),
				   "'%s': size %d is %" PRIu64, s, i, sizes[i]);
			if (i)
				FUZZ_CHECK(sizes[i] == 2 * sizes[i - 1], "'%s': step %d", s, i);
		}
	}
	free(s);
	return 0;
}
