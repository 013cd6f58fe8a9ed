/*
 * collect/csvout.c - buffered, all-or-nothing output of samples rows.
 *
 * Rows are formatted straight into a 1 MiB buffer with the shared
 * formatter and written with write(2) when it fills; nothing is
 * allocated per row, so output stays cheap next to faulting pages in.
 */
#include "csvout.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CSVOUT_BUF (1u << 20)

struct csvout {
	struct outfile out;
	enum csvout_format fmt;
	size_t len;
	char buf[CSVOUT_BUF];
};

static int flush_buf(struct csvout *o)
{
	size_t off = 0;

	while (off < o->len) {
		ssize_t n = write(o->out.fd, o->buf + off, o->len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	o->len = 0;
	return 0;
}

static int open_with(struct csvout **out, const char *path,
		     enum csvout_format fmt, const char *header)
{
	struct csvout *o = malloc(sizeof(*o));
	size_t hlen = header ? strlen(header) : 0;
	int err;

	if (!o)
		return -ENOMEM;
	if (hlen > CSVOUT_BUF) {
		free(o);
		return -EINVAL;
	}
	o->fmt = fmt;
	o->len = 0;
	err = outfile_open(&o->out, path);
	if (err) {
		free(o);
		return err;
	}
	if (hlen)       /* text output has no header: memcpy's source may not be NULL */
		memcpy(o->buf, header, hlen);
	o->len = hlen;
	*out = o;
	return 0;
}

int csvout_open(struct csvout **out, const char *path, enum csvout_format fmt)
{
	return open_with(out, path, fmt, fmt == CSVOUT_CSV ? PTW_CSV_HEADER : NULL);
}

int csvout_open_header(struct csvout **out, const char *path, const char *header)
{
	return open_with(out, path, CSVOUT_CSV, header);
}

int csvout_line(struct csvout *o, const char *line, size_t len)
{
	if (len > PTW_ROW_MAX)
		return -EINVAL;
	if (o->len > CSVOUT_BUF - PTW_ROW_MAX) {
		int err = flush_buf(o);

		if (err)
			return err;
	}
	memcpy(o->buf + o->len, line, len);
	o->len += len;
	return 0;
}

/* The README seed's line: VA=0x<16 hex> -> PA=0x<16 hex>. */
static unsigned format_text(char *p0, const struct ptw_row *r)
{
	char *p = p0;

	p = ptw__str(p, "VA=");
	p = ptw__hex(p, r->va);
	p = ptw__str(p, " -> PA=");
	if (r->has & PTW_HAS_PA)
		p = ptw__hex(p, r->pa);
	else
		p = ptw__str(p, r->flags & PTW_F_HIDDEN ? "hidden" :
				r->flags & PTW_F_SWAPPED ? "swapped" : "none");
	*p++ = '\n';
	return (unsigned)(p - p0);
}

int csvout_row(struct csvout *o, const struct ptw_row *r)
{
	if (o->len > CSVOUT_BUF - PTW_ROW_MAX) {
		int err = flush_buf(o);

		if (err)
			return err;
	}
	o->len += o->fmt == CSVOUT_CSV ? ptw_row_format(o->buf + o->len, r)
				       : format_text(o->buf + o->len, r);
	return 0;
}

int csvout_commit(struct csvout *o)
{
	int err = flush_buf(o);

	if (err)
		outfile_abort(&o->out);
	else
		err = outfile_commit(&o->out, 1, NULL);
	free(o);
	return err;
}

void csvout_abort(struct csvout *o)
{
	if (!o)
		return;
	outfile_abort(&o->out);
	free(o);
}
