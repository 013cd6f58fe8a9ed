/*
 * collect/csvout.h - the collectors' writer of samples files.
 *
 * Writes schema-1 CSV (kmod/ptwalk_csv.h) or the README seed's text lines
 * "VA=0x... -> PA=0x..." through one large buffer, with no allocation per
 * row.  A file appears under its name only when csvout_commit() succeeds:
 * until then it is written to a temporary file (collect/outfile.h), and
 * csvout_abort() removes that, so no half-written file is ever left.
 * The path "-" writes to standard output.  Another CSV's lines (memalloc's
 * maps file) go through the same writer: csvout_open_header(), csvout_line().
 */
#ifndef PTWALK_CSVOUT_H
#define PTWALK_CSVOUT_H

#include <stddef.h>

#include "ptwalk_csv.h"

enum csvout_format { CSVOUT_CSV, CSVOUT_TEXT };

struct csvout;

/* Create the writer (and the temporary file). Returns 0 or -errno. */
int csvout_open(struct csvout **out, const char *path, enum csvout_format fmt);
/*
 * The same writer for another small CSV (memalloc's --maps file): header
 * is written first, then each csvout_line() as it is given (a whole line,
 * newline included, shorter than PTW_ROW_MAX).
 */
int csvout_open_header(struct csvout **out, const char *path, const char *header);
int csvout_line(struct csvout *o, const char *line, size_t len);
/* Append one row. Returns 0 or -errno. */
int csvout_row(struct csvout *o, const struct ptw_row *r);
/* Flush, and rename the temporary file to its name. Frees o. */
int csvout_commit(struct csvout *o);
/* Remove the temporary file. Frees o; NULL is allowed. */
void csvout_abort(struct csvout *o);

#endif
