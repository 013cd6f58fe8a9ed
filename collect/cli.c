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
#include <time.h>
#include <unistd.h>

void cli_die_usage(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
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
		fprintf(stderr, "%s: option '%s' needs a value (see %s -h)\n", prog, opt, prog);
	else
		fprintf(stderr, "%s: unknown option '%s' (see %s -h)\n", prog, opt, prog);
	exit(2);
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
