/*
 * collect/errnames.h - the one errno table: names and their strerror text.
 *
 * ptw_errname() (errname.c) prints the names; the guest's plans read this
 * file as data (vm/plans/lib.sh errno_of, one "X(NAME, "text")" a line) to
 * name the errno behind a shell or program message in failures.csv.
 * tests/unit_errname.c checks every text against the C library's
 * strerror().  Add a row here; nothing else lists errno names.
 */
#ifndef PTW_ERRNAMES_H
#define PTW_ERRNAMES_H

#include <errno.h>

#define PTW_ERRNO_TABLE(X) \
	X(EPERM, "Operation not permitted") \
	X(ENOENT, "No such file or directory") \
	X(ESRCH, "No such process") \
	X(EINTR, "Interrupted system call") \
	X(EIO, "Input/output error") \
	X(ENXIO, "No such device or address") \
	X(E2BIG, "Argument list too long") \
	X(ENOMEM, "Cannot allocate memory") \
	X(EACCES, "Permission denied") \
	X(EFAULT, "Bad address") \
	X(EBUSY, "Device or resource busy") \
	X(ENODEV, "No such device") \
	X(EINVAL, "Invalid argument") \
	X(ENOTTY, "Inappropriate ioctl for device") \
	X(EOVERFLOW, "Value too large for defined data type")

/* "ENOMEM" for ENOMEM; "E<n>" (a static buffer) for an errno not listed. */
const char *ptw_errname(int e);

#endif
