/*
 * collect/errname.c - errno names from the one table in errnames.h.
 */
#include <stdio.h>

#include "errnames.h"

const char *ptw_errname(int e)
{
#define PTW_ERRNAME_CASE(name, text) case name: return #name;
	static char buf[16];

	switch (e) {
	PTW_ERRNO_TABLE(PTW_ERRNAME_CASE)
	}
#undef PTW_ERRNAME_CASE
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}
