/*
 * tests/fuzz/fuzz_analyze.c - libFuzzer target for the whole analyzer.
 *
 * Runs the analyzer's library entry point analyze_run() (analyze/analyze.h,
 * what analyze/main.c calls) on the input, so the grouping, the tables
 * and the output files are the program's code, not a copy.  The first byte picks how the rest is given: as a samples CSV,
 * as a snapshot named buddyinfo.fuzz.txt, or to --print-index.  Checked:
 * the exit status is 0 or 1, a success writes every table it should, and
 * a failure leaves no file in the output directory (no partial output).
 */
#include <dirent.h>

#include "analyze.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], out[96], snap[96];

/* Remove what analyze left in the output directory; returns how many. */
static int tables(void)
{
	DIR *d = opendir(out);
	struct dirent *de;
	char p[384];
	int n = 0;

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", out, de->d_name);
		unlink(p);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void cleanup(void)
{
	tables();
	rmdir(out);
	unlink(snap);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/ptwalk-fuzz.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(snap, sizeof(snap), "%s/buddyinfo.fuzz.txt", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct analyze_opts o = { .outdir = out, .quiet = 1 };
	char *input;
	int mode = 0, extfrag = 0, st, n;

	if (size) {
		mode = data[0] % 3;
		extfrag = data[0] & 4;
		data++;
		size--;
	}
	input = (char *)fuzz_file(data, size);
	if (mode == 2) {
		o.print = extfrag ? ANALYZE_PRINT_EXTFRAG : ANALYZE_PRINT_UNUSABLE;
	} else if (mode == 1) {
		unlink(snap);
		if (symlink(input, snap))
			abort();
		input = snap;
	}
	st = analyze_run(&o, 1, &input);
	fflush(stdout);
	FUZZ_CHECK(st == 0 || st == 1, "exit status %d", st);
	n = tables();
	if (mode != 2)
		FUZZ_CHECK(st == 0 ? n == (mode == 1 ? 3 : 11) : n == 0,	/* frag, fragphase, fragzone; or the 11 samples tables */
			   "status %d and %d files in the output directory", st, n);
	return 0;
}
