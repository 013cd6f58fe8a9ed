/*
 * collect/size.h - parsing and printing sizes such as 4K, 64M, 1G.
 *
 * Sizes on the command line are decimal bytes with an optional binary
 * suffix (K, M, G, T; KB/KiB... and lower case are accepted too), or
 * 0x-hex bytes with no suffix; never octal ("010" is ten), no sign, no
 * blanks, no bare B, at most 31 characters.  A sweep "FROM:TO" is the powers of two from FROM
 * to TO inclusive.  The module's parser takes the same grammar
 * (tests/guest/size_cases.txt).
 */
#ifndef PTWALK_SIZE_H
#define PTWALK_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* The longest size string, as the module's parser takes it. */
#define SIZE_MAX_LEN 31

/* Parse s into *out. Returns 0, or -1 with *why set to a short reason. */
int size_parse(const char *s, uint64_t *out, const char **why);

/*
 * Parse "FROM:TO" into the powers of two between them, inclusive; both
 * ends must be powers of two with FROM <= TO.  Fills at most max values
 * and returns how many, or -1 with *why set.
 */
int size_sweep_parse(const char *s, uint64_t *sizes, int max, const char **why);

/*
 * A spec as make report's SIZES gives it: FROM:TO (as size_sweep_parse)
 * or a list of sizes parted by commas or blanks, each larger than 0.
 * Fills at most max values and returns how many, or -1 with a one-line
 * reason in why (whylen bytes) that names the bad size.
 */
int size_spec_parse(const char *s, uint64_t *sizes, int max, char *why, size_t whylen);

/* Print n bytes as "4 KiB", "64 MiB" (exact multiples) or "1536 B". */
const char *size_format(uint64_t n, char *buf, size_t len);

#endif
