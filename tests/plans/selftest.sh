#!/bin/sh
# tests/plans/selftest.sh - misbehave on purpose, to test vm/run.sh itself.
#
# SELFTEST (from PLAN_ENV) picks the fault: warn logs a kernel-style
# WARNING line through /dev/kmsg and exits 0; hang sleeps past
# PLAN_TIMEOUT; fail exits 3; leftover leaves a background process and
# exits 0.  tests/t_vm.sh checks that run.sh reports each one correctly.
echo "selftest: ${SELFTEST:-none}"
case ${SELFTEST:-} in
warn) echo "WARNING: selftest: injected by tests/plans/selftest.sh" >/dev/kmsg ;;
hang) sleep 100000 ;;
fail) exit 3 ;;
leftover) sleep 100000 & ;;
*) echo "selftest: SELFTEST must be warn, hang, fail or leftover" >&2; exit 2 ;;
esac
exit 0
