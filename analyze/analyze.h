/*
 * analyze/analyze.h - the analyzer as a library: what analyze/main.c (the
 * command line) and the fuzz target tests/fuzz/fuzz_analyze.c call.
 *
 * analyze_run() reads samples CSV (schema 1, kmod/ptwalk_csv.h) and
 * buddyinfo snapshots and writes the tables analyze/README.md describes,
 * committed all or nothing; or, with a print kind, prints what debugfs
 * extfrag/ would print for each snapshot.
 */
#ifndef PTWALK_ANALYZE_H
#define PTWALK_ANALYZE_H

enum analyze_print {
	ANALYZE_TABLES,                 /* write the tables */
	ANALYZE_PRINT_UNUSABLE,         /* print extfrag/unusable_index */
	ANALYZE_PRINT_EXTFRAG,          /* print extfrag/extfrag_index */
};

struct analyze_opts {
	const char *outdir;             /* NULL: "." */
	int quiet;                      /* no per-group lines on stdout */
	int stats;                      /* rows, CPU, peak RSS on stderr */
	enum analyze_print print;
	int arm64;                      /* --machine aarch64: walks.csv decodes arm64 descriptors */
};

/*
 * Analyze the n inputs (an INPUT named buddyinfo.<phase>.txt is a
 * snapshot, any other a samples CSV; "-" is standard input).  Returns the
 * exit status: 0, or 1 after one stderr line "analyze: FILE:LINE: why".
 */
int analyze_run(const struct analyze_opts *o, int n, char **inputs);

/*
 * The header line (with its newline) of the table NAME ("summary.csv",
 * ...), or of the samples CSV for "samples"; NULL for an unknown name.
 */
const char *analyze_header(const char *name);

/* The i-th name analyze_header() knows ("samples" first), NULL past the last. */
const char *analyze_header_name(unsigned int i);

#endif
