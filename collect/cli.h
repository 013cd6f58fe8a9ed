/*
 * collect/cli.h - the command-line conventions every collector shares.
 *
 * Bad usage is one stderr line, "prog: what is wrong (see prog -h)", and
 * exit status 2; these helpers keep that identical across programs.
 * Pass an optstring that starts with ':' to getopt_long and set
 * opterr = 0, so that getopt prints nothing of its own.
 */
#ifndef PTWALK_CLI_H
#define PTWALK_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

/*
 * s on f with each control character written as \n, \t or \xHH, so that
 * what a user typed (a newline in an argument) keeps a message one line.
 */
void cli_put_line(FILE *f, const char *s);

/* Exit 2 with one line "prog: " fmt... " (see prog -h)", printf-style
 * (control characters escaped by cli_put_line, cut at 1 KiB with "..."). */
__attribute__((noreturn, format(printf, 2, 3)))
void cli_die_usage(const char *prog, const char *fmt, ...);

/* Exit 2 with one line for getopt_long's '?' or ':' result c. */
__attribute__((noreturn))
void cli_bad_option(const char *prog, char **argv, int c);

/*
 * A number as every program takes it: decimal, or hex with 0x; never
 * octal ("010" is ten), no sign, no spaces, no overflow.  0 or -1.
 */
int cli_parse_u64(const char *s, uint64_t *out);

/* CLOCK_MONOTONIC in seconds. */
double cli_now(void);

/*
 * Wait for a newline or EOF on stdin (a read error ends it too), or, when
 * stop is not NULL, until a signal handler makes *stop non-zero: install
 * that handler without SA_RESTART, so that the read returns.
 */
void cli_hold(const volatile sig_atomic_t *stop);

#endif
