/*
 * analyze/main.c - the analyze command line over the analyzer library
 * (analyze.h): options, usage, and --schema, which prints the samples
 * CSV header from kmod/ptwalk_csv.h (or a table's header) so that shell
 * scripts and tests never write the column list themselves.
 * analyze/README.md says what the program computes.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "outfile.h"

#define PROG "analyze"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [-o OUTDIR] [-q] [--machine x86_64|aarch64] INPUT...\n"
"       " PROG " --print-index unusable|extfrag SNAPSHOT...\n"
"       " PROG " --schema[=TABLE]\n"
"Reduce samples CSV (schema 1) and buddyinfo snapshots to the tables the\n"
"figures draw: summary.csv, runhist.csv, deltas.csv, pfnmap.csv (from samples)\n"
"and frag.csv (from snapshots named buddyinfo.<phase>.txt).\n"
"\n"
"  -o, --outdir DIR          write the tables to DIR (default: .)\n"
"  -q, --quiet               no per-group lines on standard output\n"
"      --machine MACHINE     the architecture the samples come from, as\n"
"                            meta.txt's MACHINE: x86_64 (default) or aarch64;\n"
"                            walks.csv decodes the entries as its tables\n"
"  -p, --print-index KIND    print what debugfs extfrag/KIND_index shows for\n"
"                            each snapshot (any name), write no file\n"
"      --schema[=TABLE]      print the samples CSV header line (schema 1), or\n"
"                            that of TABLE (summary.csv, ..., frag.csv)\n"
"      --stats               rows, CPU seconds and peak RSS on stderr at the end\n"
"  -h, --help                this help\n"
"\n"
"EXAMPLES\n"
"  " PROG " -o out/ out/samples.csv out/buddyinfo.before.txt\n"
"  " PROG " -o out/ run1.csv run2.csv\n"
"  cat /proc/buddyinfo > b.txt; " PROG " -p extfrag b.txt |\n"
"      diff - /sys/kernel/debug/extfrag/extfrag_index\n"
"  " PROG " --schema > user.csv    # a samples file's first line\n");
}

static int schema(const char *name)
{
	const char *h = analyze_header(name ? name : "samples"), *n;
	unsigned int i;

	if (!h) {
		fputs(PROG ": --schema takes one of", stderr);
		for (i = 0; (n = analyze_header_name(i)); i++)
			fprintf(stderr, " %s", n);
		fputs(", not '", stderr);
		cli_put_line(stderr, name);
		fputs("'\n", stderr);
		return 2;
	}
	fputs(h, stdout);
	return outfile_stdout_done(PROG);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "outdir", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "print-index", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "stats", no_argument, NULL, 'S' },
		{ "schema", optional_argument, NULL, 's' },
		{ "machine", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct analyze_opts o = { .outdir = "." };
	const char *table = NULL;
	int c, want_schema = 0;

	opterr = 0;             /* one message of ours, not getopt's */
	while ((c = getopt_long(argc, argv, ":o:qp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.outdir = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'p':
			if (strcmp(optarg, "unusable") == 0)
				o.print = ANALYZE_PRINT_UNUSABLE;
			else if (strcmp(optarg, "extfrag") == 0)
				o.print = ANALYZE_PRINT_EXTFRAG;
			else {
				fprintf(stderr, PROG ": --print-index takes unusable or extfrag, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'm':
			if (strcmp(optarg, "aarch64") == 0)
				o.arm64 = 1;
			else if (strcmp(optarg, "x86_64") != 0) {
				fprintf(stderr, PROG ": --machine takes x86_64 or aarch64, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'S':
			o.stats = 1;
			break;
		case 's':
			want_schema = 1;
			table = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			cli_bad_option(PROG, argv, c);
		}
	}
	if (want_schema) {
		if (optind != argc) {
			fprintf(stderr, PROG ": --schema takes no INPUT; try '" PROG " -h'\n");
			return 2;
		}
		return schema(table);
	}
	if (optind == argc) {
		fprintf(stderr, PROG ": no INPUT given; try '" PROG " -h'\n");
		return 2;
	}
	return analyze_run(&o, argc - optind, argv + optind);
}
