/*
 * bench/translate.c - batched against naive pagemap translation.
 *
 * Maps one block (1 GiB by default), touches every page, then translates
 * all of it with the library's batched reads and the tutorial's way, one
 * 8-byte pread per page, best of three rounds each.  Both must give the same entries.
 * Prints KEY=VALUE lines, the timings, for bench/translate.sh (vm/lib.sh kv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pagemap.h"
#include "size.h"

#define ROUNDS 3

int main(int argc, char **argv)
{
	uint64_t size = 1ULL << 30, *batched, *naive;
	struct pagemap pm;
	const char *why;
	size_t i, n, diff = 0;
	double t0, t1, best_batched = 0, best_naive = 0;
	int r;
	char *p;

	if (argc > 1 && (size_parse(argv[1], &size, &why) || !size)) {
		fprintf(stderr, "translate: bad size '%s'\n", argv[1]);
		return 2;
	}
	n = (size_t)(size / 4096);
	p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	batched = malloc(n * sizeof(*batched));
	naive = malloc(n * sizeof(*naive));
	if (p == MAP_FAILED || !batched || !naive || pagemap_open(&pm, 0)) {
		fprintf(stderr, "translate: cannot set up %zu pages\n", n);
		return 1;
	}
	madvise(p, n * 4096, MADV_NOHUGEPAGE);
	t0 = cli_now();
	for (i = 0; i < n; i++)
		p[i * 4096] = 1;
	t1 = cli_now();
	/* Best of ROUNDS for each method, interleaved, so that a burst of
	 * noise on this shared machine does not decide the ratio. */
	for (r = 0; r < ROUNDS; r++) {
		double a = cli_now(), b, c;

		if (pagemap_read(&pm, (uintptr_t)p / 4096, n, batched)) {
			fprintf(stderr, "translate: batched read failed\n");
			return 1;
		}
		b = cli_now();
		for (i = 0; i < n; i++) {
			if (pread(pm.fd, &naive[i], 8, (off_t)(((uintptr_t)p / 4096 + i) * 8)) != 8) {
				fprintf(stderr, "translate: naive read failed at page %zu\n", i);
				return 1;
			}
		}
		c = cli_now();
		if (!r || b - a < best_batched)
			best_batched = b - a;
		if (!r || c - b < best_naive)
			best_naive = c - b;
	}
	for (i = 0; i < n; i++)
		diff += batched[i] != naive[i];
	printf("PAGES=%zu\nFAULT_S=%.6f\nBATCHED_S=%.6f\nNAIVE_S=%.6f\nDIFFER=%zu\n",
	       n, t1 - t0, best_batched, best_naive, diff);
	pagemap_close(&pm);
	return diff != 0;
}
