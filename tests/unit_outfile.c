/*
 * tests/unit_outfile.c - a set of output files is committed all or
 * nothing (collect/outfile.h).  A rename that fails partway (made to fail
 * through the module's rename seam, with EIO) must leave every old file
 * as it was and no new, temporary or backup file; a commit that works
 * must replace them all.  Both with O_TMPFILE and with named temporaries.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "outfile.h"

static int renames, fail_at;

static int failing_rename(const char *from, const char *to)
{
	if (++renames == fail_at) {
		errno = EIO;
		return -1;
	}
	return rename(from, to);
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The file's first line, "(none)" if it does not exist. */
static const char *get(const char *dir, const char *name)
{
	static char buf[4][64];
	static int k;
	char p[4096], *b = buf[k++ % 4];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	if (!f)
		return "(none)";
	if (!fgets(b, 64, f))
		b[0] = '\0';
	fclose(f);
	return b;
}

/* The directory's names, sorted by a tiny insertion sort. */
static const char *names(const char *dir)
{
	static char out[512];
	char list[16][64];
	int n = 0, i, j;
	struct dirent *d;
	DIR *dp = opendir(dir);

	while (dp && (d = readdir(dp)) && n < 16)
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			snprintf(list[n++], 64, "%.63s", d->d_name);
	if (dp)
		closedir(dp);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(list[j - 1], list[j]) > 0; j--) {
			char t[64];

			memcpy(t, list[j], 64);
			memcpy(list[j], list[j - 1], 64);
			memcpy(list[j - 1], t, 64);
		}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(out, list[i]);
		strcat(out, " ");
	}
	return out;
}

static void run(const char *mode)
{
	char dir[] = "/tmp/unit_outfile.XXXXXX", name[160];
	static const char *const files[3] = { "a.csv", "b.csv", "c.csv" };
	struct outfile set[3];
	size_t i, bad = 99;
	int err = 0;

	if (!mkdtemp(dir)) {
		printf("FAIL outfile %s: mkdtemp: %s\n", mode, strerror(errno));
		harness_failed++;
		return;
	}
	put(dir, "a.csv", "old a\n");
	put(dir, "c.csv", "old c\n");      /* b.csv does not exist yet */
	for (i = 0; i < 3; i++) {
		char p[4096];

		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		err |= outfile_open(&set[i], p);
		if (!err)
			err |= write(set[i].fd, "new\n", 4) != 4;
	}
	snprintf(name, sizeof(name), "outfile %s: three files open and written", mode);
	INT_EQ(err, 0, name);
	renames = 0;
	fail_at = 3;
	outfile_rename = failing_rename;
	err = outfile_commit(set, 3, &bad);
	snprintf(name, sizeof(name), "outfile %s: the third rename fails with EIO", mode);
	INT_EQ(err, -EIO, name);
	snprintf(name, sizeof(name), "outfile %s: ... and it is named", mode);
	INT_EQ(bad, 2, name);
	snprintf(name, sizeof(name), "outfile %s: after the failure, every file is the old one", mode);
	STR_EQ(get(dir, "a.csv"), "old a\n", name);
	snprintf(name, sizeof(name), "outfile %s: after the failure, the new file is gone", mode);
	STR_EQ(get(dir, "b.csv"), "(none)", name);
	snprintf(name, sizeof(name), "outfile %s: after the failure, the third is the old one", mode);
	STR_EQ(get(dir, "c.csv"), "old c\n", name);
	snprintf(name, sizeof(name), "outfile %s: no temporary or backup left", mode);
	STR_EQ(names(dir), "a.csv c.csv ", name);

	/* Now a commit that works replaces them all. */
	err = 0;
	outfile_rename = rename;
	for (i = 0; i < 3; i++) {
		char p[4096];

		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		outfile_open(&set[i], p);
		if (write(set[i].fd, "new\n", 4) != 4)
			err = 1;
	}
	err |= outfile_commit(set, 3, &bad);
	snprintf(name, sizeof(name), "outfile %s: a working commit gives every new file", mode);
	OK(!err && strcmp(get(dir, "a.csv"), "new\n") == 0 &&
	   strcmp(get(dir, "b.csv"), "new\n") == 0 &&
	   strcmp(get(dir, "c.csv"), "new\n") == 0, name);
	snprintf(name, sizeof(name), "outfile %s: ... and nothing else", mode);
	STR_EQ(names(dir), "a.csv b.csv c.csv ", name);
	for (i = 0; i < 3; i++) {
		char p[4096];

		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

int main(void)
{
	unsetenv("PTWALK_NO_O_TMPFILE");
	run("O_TMPFILE");
	setenv("PTWALK_NO_O_TMPFILE", "1", 1);
	run("named");
	return harness_done();
}
