/*
 * collect/prober.c - the tutorial's target process.
 *
 * Allocates a small buffer (1 KiB, or the size given), touches it, prints
 * its address and the process ID in the tutorial's words, and waits for
 * Enter, so that /proc/PID/maps and pagemap_reader can be pointed at it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "size.h"

int main(int argc, char **argv)
{
	uint64_t size = 1024;
	const char *why;
	char *p;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("Usage: prober [SIZE]\n\n"
		       "Allocate SIZE bytes (default 1K), touch them, print the address\n"
		       "and PID, and wait for Enter.\n\n"
		       "Examples:\n  prober\n  prober 64K\n");
		return 0;
	}
	if (argc > 2)
		cli_die_usage("prober", "too many arguments");
	if (argc == 2 && (size_parse(argv[1], &size, &why) || size == 0))
		cli_die_usage("prober", "bad size '%s': %s", argv[1],
			      size ? why : "size must be larger than 0");
	p = malloc(size);
	if (p == NULL) {
		perror("prober: malloc");
		return 1;
	}
	if (size == 1024)
		printf("Allocated 1KB of memory at address: %p\n", (void *)p);
	else
		printf("Allocated %llu bytes of memory at address: %p\n",
		       (unsigned long long)size, (void *)p);
	printf("Process ID: %d\n", getpid());
	printf("Press Enter to exit...\n");
	/* Whoever reads the address must get it: no silent wait without it. */
	if (outfile_stdout_done("prober")) {
		free(p);
		return 1;
	}

	/* Touch the memory to make sure it's mapped. */
	memset(p, 'a', size);

	cli_hold(NULL);
	free(p);
	return 0;
}
