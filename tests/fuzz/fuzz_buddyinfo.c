/*
 * tests/fuzz/fuzz_buddyinfo.c - libFuzzer target for analyze/buddyinfo.c.
 *
 * The input is a buddyinfo snapshot: it goes through buddyinfo_read()
 * (the analyzer's reader, from a file), every zone through the kernel's
 * index formulas (analyze/metrics.c) as analyze computes frag.csv, and
 * each line through buddyinfo_parse_line(); the whole input is also
 * tried as a snapshot's file name (buddyinfo_phase).  Checked: the
 * reader and the line parser agree on every zone, a parsed phase is made
 * of the allowed characters, and while the page counts cannot overflow
 * the indices stay in range (-1000..1000, -1000 whenever a block is
 * suitable) and print in the buffer analyze gives them.
 */
#include <ctype.h>

#include "buddyinfo.h"
#include "fuzz.h"
#include "metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	unsigned long zones;
};

/* Whether sum(nr_free[k] << k) * 1000 fits in 64 bits. */
static int small_counts(const struct buddy_zone *z)
{
	unsigned __int128 pages = 0, blocks = 0;
	unsigned int k;

	for (k = 0; k < z->norders; k++) {
		pages += (unsigned __int128)z->nr_free[k] << k;
		blocks += z->nr_free[k];
	}
	return pages * 1000 < ((unsigned __int128)1 << 63) &&
	       blocks * 1000 < ((unsigned __int128)1 << 63);
}

static int on_zone(void *ctx, const struct buddy_zone *z, unsigned long line,
		   struct samples_error *e)
{
	struct ctx *c = ctx;
	struct contig_info ci;
	unsigned int k;
	char buf[16];
	int safe = small_counts(z);

	(void)line;
	(void)e;
	c->zones++;
	FUZZ_CHECK(z->norders >= 1 && z->norders <= BUDDY_MAX_ORDERS, "%u orders", z->norders);
	FUZZ_CHECK(z->zone[0] && strlen(z->zone) < BUDDY_ZONE_MAX, "zone name");
	for (k = 0; k < z->norders; k++) {
		int u, f;

		metrics_contig_info(z->nr_free, z->norders, k, &ci);
		u = metrics_unusable_index(k, &ci);
		f = metrics_frag_index(k, &ci);
		FUZZ_CHECK(metrics_fmt_index(buf, sizeof(buf), u, 0) < (int)sizeof(buf), "%d", u);
		FUZZ_CHECK(metrics_fmt_index(buf, sizeof(buf), f, 1) < (int)sizeof(buf), "%d", f);
		if (!safe)
			continue;
		FUZZ_CHECK(ci.blocks_suitable <= ci.free_pages >> k, "order %u", k);
		FUZZ_CHECK(u >= 0 && u <= 1000, "unusable %d at order %u", u, k);
		/* The kernel's unsigned arithmetic can go below 0 ("0.-500"). */
		FUZZ_CHECK(f >= -1000 && f <= 1000, "frag %d at order %u", f, k);
		FUZZ_CHECK(!ci.blocks_suitable || f == -1000, "frag %d, suitable %llu",
			   f, (unsigned long long)ci.blocks_suitable);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct samples_error e;
	struct ctx c = { 0 };
	struct buddy_zone z;
	char *s = fuzz_str(data, size), *line, *save = NULL;
	char phase[BUDDY_PHASE_MAX];
	unsigned long parsed = 0;
	int r, rr;
	size_t i;

	r = buddyinfo_read(fuzz_file(data, size), on_zone, &c, &e);
	FUZZ_CHECK(r == 0 || e.msg[0], "error without a message");
	FUZZ_CHECK(memchr(e.msg, '\0', sizeof(e.msg)), "unterminated message");

	/* The same lines, one at a time, straight to the line parser. */
	if (r == 0 && !memchr(data, '\0', size)) {
		for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			size_t len = strlen(line);

			while (len && line[len - 1] == '\r')
				line[--len] = '\0';
			if (strspn(line, " \t") == len)
				continue;
			FUZZ_CHECK(buddyinfo_parse_line(line, &z) == 0, "reader took '%s'", line);
			parsed++;
		}
		FUZZ_CHECK(parsed == c.zones, "%lu lines parsed, reader saw %lu zones",
			   parsed, c.zones);
	}
	free(s);

	s = fuzz_str(data, size);
	rr = buddyinfo_phase(s, phase, sizeof(phase));
	FUZZ_CHECK(rr >= -1 && rr <= 1, "phase returned %d", rr);
	if (rr == 1) {
		FUZZ_CHECK(phase[0] && strlen(phase) < sizeof(phase), "phase length");
		for (i = 0; phase[i]; i++)
			FUZZ_CHECK(isalnum((unsigned char)phase[i]) || strchr("_.-", phase[i]),
				   "phase '%s'", phase);
	}
	free(s);
	return 0;
}
