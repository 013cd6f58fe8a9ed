/*
 * tests/unit_samples.c - the samples reader's hex decoder, exhaustively:
 * every length from 0 to 24 (only 18, "0x" and 16 digits, is an address;
 * the bytes after the length are valid digits, so a decoder that reads
 * past it is caught), every byte value at every one of the 18 positions
 * (only '0', 'x' and 0-9 a-f where they belong pass), and each digit
 * value at each position decoded to the right number.  Both parsing
 * paths of analyze share this decoder; tests/t_analyze_edges.sh checks
 * the file:line errors around it on each path.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "samples.h"

int main(void)
{
	static const char digits[] = "0123456789abcdef";
	char buf[40], name[120];
	uint64_t v;
	size_t len;
	int pos, c, d, bad_len = 0, bad_byte = 0, bad_val = 0, accepted = 0;

	/* Lengths: a long run of valid digits, cut at len. */
	memset(buf, '1', sizeof(buf));
	buf[0] = '0';
	buf[1] = 'x';
	for (len = 0; len <= 24; len++) {
		int r = samples_parse_hex(buf, len, &v);

		if ((r == 0) != (len == 18))
			bad_len++, printf("# length %zu: returned %d\n", len, r);
	}
	INT_EQ(bad_len, 0, "hex: only 18 characters (0x + 16 digits) is an address, of lengths 0-24");

	/* Every byte at every position of "0x0000000000000000". */
	for (pos = 0; pos < 18; pos++) {
		for (c = 0; c < 256; c++) {
			int want;

			memcpy(buf, "0x0000000000000000", 18);
			buf[pos] = (char)c;
			want = pos == 0 ? c == '0' : pos == 1 ? c == 'x' :
			       (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
			if ((samples_parse_hex(buf, 18, &v) == 0) != want)
				bad_byte++, printf("# byte 0x%02x at position %d: %s\n", c, pos,
						   want ? "refused" : "accepted");
			accepted += want;
		}
	}
	INT_EQ(bad_byte, 0, "hex: each of the 256 bytes at each of the 18 positions accepted exactly when valid");
	INT_EQ(accepted, 2 + 16 * 16, "hex: 258 valid (position, byte) pairs");

	/* Values: digit d at digit position pos (0 = most significant). */
	for (pos = 0; pos < 16; pos++) {
		for (d = 0; d < 16; d++) {
			memcpy(buf, "0x0000000000000000", 18);
			buf[2 + pos] = digits[d];
			v = 12345;
			if (samples_parse_hex(buf, 18, &v) ||
			    v != (uint64_t)d << (4 * (15 - pos)))
				bad_val++, printf("# digit %c at %d: 0x%016llx\n", digits[d], pos,
						  (unsigned long long)v);
		}
	}
	INT_EQ(bad_val, 0, "hex: each digit value at each of the 16 positions decodes to d << 4*(15-pos)");
	memcpy(buf, "0xfedcba9876543210", 18);
	samples_parse_hex(buf, 18, &v);
	snprintf(name, sizeof(name), "hex: 0xfedcba9876543210 decodes to itself (0x%016llx)", (unsigned long long)v);
	OK(v == 0xfedcba9876543210ULL, name);
	return harness_done();
}
