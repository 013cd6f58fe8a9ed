#!/bin/sh
# tests/guest/t_readme_guest.sh - README.md's guest sessions, run as shown.
#
# The "# " sessions of README.md (insmod, the /proc/pagetable commands,
# pfn_ioctl) are read from the initramfs copy of README.md and run one
# command at a time, in a scratch directory whose kmod/ptwalk.ko and
# build/bin are the packed module and programs; each output is compared
# with README's by tests/readme_lib.sh.  Masked besides what that masks:
# the dmesg timestamp, the paging mode (README's run had 4 levels), and in
# /proc/pagetable rows the sample column (the module's allocation count
# since load) and the level column (where the direct map has a 2 MiB leaf
# depends on the boot).  README's PID 644 and its buffer
# 0x21476d0 are a prober started here first, as README's host session
# starts it; pfn_ioctl's frame must then be the one pagemap gives.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../readme_lib.sh"
README=$(dirname "$0")/../README.md

if [ ! -f "$README" ]; then
	fail "README guest: no README.md in the initramfs ($README)"
	exit 0
fi
if grep -q '^ptwalk ' /proc/modules; then
	rmmod ptwalk || { fail "README guest: ptwalk.ko is loaded and will not unload"; exit 0; }
fi
w=$TMP/readme
mkdir -p "$w/kmod" "$w/build"
ln -s "$PTWALK_KO" "$w/kmod/ptwalk.ko"
ln -s "$BIN" "$w/build/bin"
README_BINDS=$TMP/binds
: >"$README_BINDS"
if grep -qw la57 /proc/cpuinfo; then levels=5; else levels=4; fi
cleanup() {
	[ -n "${PROBER:-}" ] && kill "$PROBER" 2>/dev/null
	grep -q '^ptwalk ' /proc/modules && rmmod ptwalk
	rm -rf "$TMP"
}
trap cleanup EXIT

# README's prober, whose PID and buffer the sessions use.
mkfifo "$TMP/prober.in"
(cd "$w" && exec build/bin/prober) <"$TMP/prober.in" >"$TMP/prober.out" 2>&1 &
PROBER=$!
exec 7>"$TMP/prober.in"
i=0
while ! grep -q '^Process ID' "$TMP/prober.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
addr=$(awk '/address:/ { print $NF }' "$TMP/prober.out")
if [ -z "$addr" ]; then
	fail "README guest: prober printed no address ($(head -c 200 "$TMP/prober.out"))"
	exit 0
fi
{
	echo "644 $PROBER"
	echo "0x21476d0 $addr"
	printf '0x2147 0x%x\n' $((addr / 4096))
} >>"$README_BINDS"

readme_blocks '#' "$README" >"$TMP/blocks"
check "README guest sessions found" test "$(grep -c '^C' "$TMP/blocks")" -ge 10

# Masks for this file's outputs only (see the header).
guest_mask() {
	sed -E 's/^\[ *[0-9]+\.[0-9]+\] //; s/4-level paging/'"$levels"'-level paging/;
		s/^(kernel,[a-z_]+,[0-9]+,[0-9]+,[0-9]+,([^,]*,){5})(pte|pmd|pud),/\1LEVEL,/;
		s/^(kernel,[a-z_]+,[0-9]+,)[0-9]+,/\1N,/'
}
n=0 cmd=""
: >"$TMP/exp"
flush() {
	[ -n "$cmd" ] || return 0
	n=$((n + 1))
	c=$(readme_subst "$cmd")
	(cd "$w" && sh -c "$c") >"$TMP/got.raw" 2>&1
	guest_mask <"$TMP/got.raw" >"$TMP/got.$n"
	guest_mask <"$TMP/exp" >"$TMP/exp.m"
	# readme_check takes the expected lines as arguments.
	set --
	while IFS= read -r l; do set -- "$@" "$l"; done <"$TMP/exp.m"
	readme_check "README guest $n" "$c" "$TMP/got.$n" "$@"
	echo "$n $c" >>"$TMP/cmds"
	cmd=""
	: >"$TMP/exp"
}
while IFS='	' read -r kind text; do
	case $kind in
	C) flush; cmd=$text ;;
	O) printf '%s\n' "$text" >>"$TMP/exp" ;;
	E) flush ;;
	esac
done <"$TMP/blocks"
flush

# Beyond the form: pfn_ioctl's frame is the one pagemap gives for it.
k=$(awk '/pfn_ioctl/ { print $1 }' "$TMP/cmds" | tail -n 1)
if [ -n "$k" ] && [ -s "$TMP/got.$k" ]; then
	pfn=$(sed -n 's/.* PFN=\(0x[0-9a-f]*\) .*/\1/p' "$TMP/got.$k")
	want=$("$BIN/pagemap_reader" "$PROBER" "$addr" | awk '/PFN/ { print $NF }')
	check_eq "README guest pfn_ioctl: PFN of prober's buffer equals pagemap's" "$pfn" "$want"
else
	fail "README guest pfn_ioctl: no pfn_ioctl session ran"
fi
echo >&7
exec 7>&-
wait "$PROBER"
PROBER=
