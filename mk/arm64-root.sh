#!/bin/sh
# mk/arm64-root.sh - print the cache directory of the arm64 VM target.
#
# Debian's arm64 kernel image, its modules and headers and busybox-static
# are extracted there (mk/setup-arm64.sh), not installed: ARM64_ROOT, or
# /var/cache/ptwalk/arm64 (outside build/, so make clean keeps the
# download).
echo "${ARM64_ROOT:-/var/cache/ptwalk/arm64}"
