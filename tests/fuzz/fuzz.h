/*
 * tests/fuzz/fuzz.h - shared helpers for the libFuzzer targets.
 *
 * The readers under test (samples_read, buddyinfo_read, the analyzer)
 * take a path, as the programs do, so each input is written to one
 * memfd per process and handed over as /proc/self/fd/N: the real open
 * and read code runs, and no file is left on disk.  FUZZ_CHECK stops
 * the run with a message; libFuzzer then keeps the input as a crash.
 */
#ifndef PTWALK_FUZZ_H
#define PTWALK_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz check failed: %s: ", #cond);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* Replace the memfd's contents with data; returns its /proc path. */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[32];
	size_t off = 0;

	if (fd < 0) {
		fd = memfd_create("fuzz-input", 0);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0)) {
		perror("ftruncate");
		abort();
	}
	while (off < size) {
		ssize_t n = pwrite(fd, data + off, size - off, (off_t)off);

		if (n <= 0) {
			perror("pwrite");
			abort();
		}
		off += (size_t)n;
	}
	return path;
}

/* A NUL-terminated copy of data (the caller frees it). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Take n bytes from the front of the input (zeros once it runs out). */
static inline uint64_t fuzz_take(const uint8_t **data, size_t *size, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		v <<= 8;
		if (*size) {
			v |= **data;
			(*data)++;
			(*size)--;
		}
	}
	return v;
}

#endif
