/*
 * collect/xorshift.h - the test helpers' random numbers: xorshift64*.
 *
 * Reproducible from a seed, so a failing run of ioctl_stress or
 * soak_xlate repeats with the same seed; good enough for addresses.
 */
#ifndef PTWALK_XORSHIFT_H
#define PTWALK_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

#endif
