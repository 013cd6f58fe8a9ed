/*
 * analyze/textin.c - see textin.h: file kinds by name and the line loop
 * of the analyzer's small text inputs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textin.h"

int textin_named(const char *path, const char *prefix, const char *suffix)
{
	const char *b = strrchr(path, '/');
	size_t n, p = strlen(prefix), s = strlen(suffix);

	b = b ? b + 1 : path;
	n = strlen(b);
	return n > p + s && strncmp(b, prefix, p) == 0 && strcmp(b + n - s, suffix) == 0;
}

int textin_read(const char *path, size_t max,
		const char *(*fn)(void *ctx, char *line, unsigned long n), void *ctx)
{
	char *l = malloc(max + 2), toolong[48];
	unsigned long line = 0;
	const char *msg = NULL;
	FILE *f = l ? fopen(path, "r") : NULL;

	if (!f) {
		fprintf(stderr, "analyze: %s: %s\n", path, l ? strerror(errno) : "out of memory");
		free(l);
		return 1;
	}
	snprintf(toolong, sizeof(toolong), "line longer than %zu bytes", max);
	while (!msg && fgets(l, (int)max + 2, f)) {
		line++;
		if (!strchr(l, '\n') && !feof(f))
			msg = toolong;
		else
			msg = fn(ctx, l, line);
	}
	if (!msg && ferror(f)) {
		msg = strerror(errno);
		line = 0;
	}
	fclose(f);
	if (msg)
		fprintf(stderr, "analyze: %s:%lu: %s\n", path, line, msg);
	free(l);
	return msg != NULL;
}
