/*
 * analyze/outset.h - a set of output tables committed all or nothing.
 *
 * Each table is a buffered stdio stream over a collect/outfile.h file (an
 * unnamed temporary until commit); outset_finish() closes them all and,
 * if asked to and every write succeeded, commits the whole set with
 * outfile_commit(), else removes every temporary.  Errors are reported
 * on stderr as "PROG: cannot create|write PATH: REASON".
 */
#ifndef PTWALK_ANALYZE_OUTSET_H
#define PTWALK_ANALYZE_OUTSET_H

#include <stdio.h>

#include "outfile.h"

#define OUTSET_MAX 24

struct outset {
	const char *prog;                       /* for messages */
	struct outfile files[OUTSET_MAX];
	FILE *f[OUTSET_MAX];
	char *buf[OUTSET_MAX];
	size_t n;
};

/*
 * Create DIR/NAME and write header to it.  Returns its stream (valid
 * until outset_finish), or NULL after one stderr line.
 */
FILE *outset_open(struct outset *s, const char *dir, const char *name,
		  const char *header);

/* Close every table; commit them all if commit, else remove them. 0 or -1. */
int outset_finish(struct outset *s, int commit);

#endif
