#!/bin/bash
# tests/t_kmod_src.sh - the module's source keeps the shape issue 13 item 5 gave it.
#
# Checked on the host, from the text of kmod/ (no kernel headers needed):
# compat.h stops the build with its #error on an architecture other than
# x86-64 and arm64 (and lets those two past it); compat.h holds only the
# version-dependent parts (every helper it defines sits under a version
# test); code names use ptw_/PTW_ and never pt_/PT_ (ptwalk_csv.h, the
# schema header, aside), and uapi names stay PTWALK_/ptwalk_; the row of a
# kernel address is made in walk.c; the live allocation and the last
# result are freed by main.c only, which owns load and unload.
. "$(dirname "$0")/lib.sh"
K=${KMOD_SRC:-$ROOT/kmod}   # another tree's kmod/ to check it

# #error: only the first lines of compat.h matter; cpp stops at the error
# or, past it, at the kernel headers this host may lack (not an error here).
arch_err() { printf '#include "%s/compat.h"\n' "$K" | cpp "$@" - 2>&1 >/dev/null | grep -c 'error: #error "ptwalk supports x86-64 and arm64 only'; }
check_eq "compat.h: #error without CONFIG_X86_64 or CONFIG_ARM64" "$(arch_err)" 1
check_eq "compat.h: no #error with CONFIG_X86_64" "$(arch_err -DCONFIG_X86_64)" 0
check_eq "compat.h: no #error with CONFIG_ARM64" "$(arch_err -DCONFIG_ARM64)" 0

# Every function or macro compat.h defines is inside a version test:
# a definition at #if depth 1 is the include guard's level.
plain=$(awk '/^#if/ { d++ } /^#endif/ { d-- }
	d == 1 && (/^#define ptw_|^#define PTW_/ || /^static inline .*ptw_/) { print FILENAME ":" FNR ": " $0 }' "$K/compat.h")
check_eq "compat.h: no helper outside a version test" "$plain" ""

names=$(grep -nwE '(pt|PT)_[A-Za-z0-9_]+' "$K"/*.c "$K"/*.h 2>/dev/null | grep -v '/ptwalk_csv.h:' | grep -vE '^\S+:[0-9]+:\s*(/?\*|//)' | head -n 3)
check_eq "kmod: no pt_/PT_ names in code" "$names" ""
uapi=$(grep -nE '^#define [A-Z]' "$K/ptwalk_uapi.h" | grep -vE '#define (PTWALK_|IOCTL_)' | head -n 3)
check_eq "ptwalk_uapi.h: its macros are PTWALK_* or IOCTL_*" "$uapi" ""

check_eq "ptw_kernel_row is defined in walk.c" \
	"$(grep -l '^void ptw_kernel_row(' "$K"/*.c | xargs -n 1 basename)" walk.c
check_eq "the live allocation and the results are freed by main.c only" \
	"$(grep -lE '\b(ptw_alloc_exit|ptw_result_exit)\(\);' "$K"/*.c | xargs -n 1 basename | tr '\n' ' ')" "main.c "
