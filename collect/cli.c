/*
 * collect/cli.c - one-line usage errors, numbers, a clock and the wait on
 * stdin for the collectors.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cli_put_line(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			putc(c, f);
	}
}

void cli_die_usage(const char *prog, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	fprintf(stderr, "%s: ", prog);
	cli_put_line(stderr, msg);
	fprintf(stderr, " (see %s -h)\n", prog);
	exit(2);
}

void cli_bad_option(const char *prog, char **argv, int c)
{
	/* optopt names a short option; for a long one only argv says which. */
	const char *opt = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, '\0' };

	if (optopt && !(opt[0] == '-' && opt[1] == '-'))
		opt = shortopt;
	if (c == ':')
		cli_die_usage(prog, "option '%s' needs a value", opt);
	cli_die_usage(prog, "unknown option '%s'", opt);
}

int cli_parse_u64(const char *s, uint64_t *out)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* strtoull itself would take spaces, a sign and a second 0x. */
	if (!isxdigit((unsigned char)s[0]) || (base == 10 && !isdigit((unsigned char)s[0])))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, base);
	return errno || *end ? -1 : 0;
}

double cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_hold(const volatile sig_atomic_t *stop)
{
	char c;
	ssize_t n;

	while (!(stop && *stop)) {
		n = read(STDIN_FILENO, &c, 1);
		if (n == 0 || (n == 1 && c == '\n'))
			break;
		if (n < 0 && errno != EINTR)
			break;
	}
}
