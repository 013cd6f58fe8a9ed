/*
 * tests/unit_errname.c - the one errno table (collect/errnames.h).
 *
 * Every row's text must be the C library's strerror() of its errno, since
 * the guest's plans name an errno by finding that text in a message
 * (vm/plans/lib.sh errno_of), and ptw_errname() must give each row's name
 * and "E<n>" for an errno the table does not list.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errnames.h"
#include "harness.h"

int main(void)
{
	char name[96];
	int rows = 0;

#define CHECK_ROW(e, text) do {                                              \
	snprintf(name, sizeof(name), "errname: %s is strerror's text", #e); \
	STR_EQ(strerror(e), text, name);                                     \
	snprintf(name, sizeof(name), "errname: ptw_errname(%d) is %s", e, #e); \
	STR_EQ(ptw_errname(e), #e, name);                                    \
	rows++;                                                              \
} while (0);
	PTW_ERRNO_TABLE(CHECK_ROW)
#undef CHECK_ROW
	INT_EQ(rows, 15, "errname: the table has 15 rows");
	STR_EQ(ptw_errname(ENOMEM), "ENOMEM", "errname: ENOMEM by value");
	STR_EQ(ptw_errname(4095), "E4095", "errname: an errno not listed is E<n>");
	STR_EQ(ptw_errname(0), "E0", "errname: 0 is not an error name");
	return harness_done();
}
