/*
 * csvtok_bench.c - the floor for the analyzer's speed: libcsv tokenizing
 * a file with callbacks that only count, nothing decoded.
 *
 * Usage: csvtok_bench FILE.  Reads as analyze does (1 MiB reads, the same
 * parser options) and prints "fields=N rows=N", so that bench/analyze.sh
 * can time the analyzer against the parsing it cannot avoid.
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

struct counts {
	unsigned long long fields, rows;
};

static void field_cb(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->fields++;
}

static void row_cb(int c, void *data)
{
	(void)c;
	((struct counts *)data)->rows++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	struct counts n = { 0, 0 };
	struct csv_parser p;
	ssize_t got;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: csvtok_bench FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) {
		perror("csvtok_bench");
		return 1;
	}
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		if (csv_parse(&p, buf, (size_t)got, field_cb, row_cb, &n) != (size_t)got) {
			fprintf(stderr, "csvtok_bench: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, field_cb, row_cb, &n);
	csv_free(&p);
	close(fd);
	printf("fields=%llu rows=%llu\n", n.fields, n.rows);
	return got < 0;
}
