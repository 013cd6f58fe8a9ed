/*
 * analyze/outset.c - the analyzer's tables as one all-or-nothing set of
 * collect/outfile.h files, written through 1 MiB stdio buffers.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outset.h"

#define OUT_BUF (1u << 20)

FILE *outset_open(struct outset *s, const char *dir, const char *name,
		  const char *header)
{
	struct outfile *o = &s->files[s->n];
	char path[PATH_MAX];
	FILE *f;
	int err, fd;

	if (s->n == OUTSET_MAX) {
		fprintf(stderr, "%s: cannot create %s/%s: more than %d tables\n",
			s->prog, dir, name, OUTSET_MAX);
		return NULL;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fprintf(stderr, "%s: cannot create %s/%s: %s\n", s->prog, dir, name,
			strerror(ENAMETOOLONG));
		return NULL;
	}
	err = outfile_open(o, path);
	if (err) {
		fprintf(stderr, "%s: cannot create %s: %s\n", s->prog, path, strerror(-err));
		return NULL;
	}
	s->n++;
	fd = dup(o->fd);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "%s: cannot write %s: %s\n", s->prog, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	s->f[s->n - 1] = f;
	s->buf[s->n - 1] = malloc(OUT_BUF);
	if (s->buf[s->n - 1])
		setvbuf(f, s->buf[s->n - 1], _IOFBF, OUT_BUF);
	fputs(header, f);
	return f;
}

int outset_finish(struct outset *s, int commit)
{
	int err = 0;
	size_t i, bad = 0;

	for (i = 0; i < s->n; i++) {
		FILE *f = s->f[i];

		if (!f)
			continue;
		errno = 0;
		if ((ferror(f) | fclose(f)) && commit) {
			fprintf(stderr, "%s: cannot write %s: %s\n", s->prog,
				s->files[i].path, strerror(errno ? errno : EIO));
			commit = 0;
			err = -1;
		}
		s->f[i] = NULL;
		free(s->buf[i]);
		s->buf[i] = NULL;
	}
	if (commit && s->n) {
		int e = outfile_commit(s->files, s->n, &bad);

		if (e) {
			fprintf(stderr, "%s: cannot write %s: %s (no table changed)\n",
				s->prog, s->files[bad].path, strerror(-e));
			err = -1;
		}
	} else {
		for (i = 0; i < s->n; i++)
			outfile_abort(&s->files[i]);
	}
	s->n = 0;
	return err;
}
