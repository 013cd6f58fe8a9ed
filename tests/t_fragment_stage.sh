#!/bin/bash
# tests/t_fragment_stage.sh - fragment --stage-file's bad input on the host
# (issue 15: the pattern's effect apart from --huge's).  What it does is
# checked in the guest, where taking every free block as huge pages is
# harmless: make report's "patterned" snapshot (tests/t_vm_report.sh).
. "$(dirname "$0")/lib.sh"
F=$BIN/fragment
check_err "fragment --stage-file without --huge" 2 \
	"^fragment: --stage-file wants a file name and --huge \(see fragment -h\)$" "$F" -p 1 --stage-file "$TMP/s"
check_err "fragment --stage-file ''" 2 \
	"^fragment: --stage-file wants a file name and --huge" "$F" -p 1 --huge --stage-file ''
check "fragment -h documents --stage-file" bash -c "'$F' -h | grep -q -- '--stage-file F'"

# --pattern stride:N (and alternate, stride:2) on the host, as root: what
# fragment holds is exactly one page of each aligned block of N frames it
# faulted in.  Its mapping is read back through /proc/PID/pagemap while
# it holds; a small run, 1% of MemFree (a share, not a reserve: other
# programs' memory comes and goes meanwhile).
if ! is_root || [ -n "${WRAP:-}" ]; then
	skip "fragment stride groups: needs root (PFNs) and no valgrind"
else
	for n in 2 16; do
		rm -f "$TMP/in" "$TMP/ready"
		mkfifo "$TMP/in"
		"$F" -p 1 --pattern "stride:$n" -q --ready-file "$TMP/ready" \
			<"$TMP/in" >"$TMP/fr.out" 2>"$TMP/fr.err" &
		pid=$!
		exec 3>"$TMP/in"
		for _ in $(seq 100); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
		# The anonymous mapping with the most resident memory is the
		# region (not the largest: ASan's shadow is terabytes); its
		# present pages are what fragment holds.
		got=$(python3 - "$pid" "$n" <<'PY'
import struct, sys
pid, n = sys.argv[1], int(sys.argv[2])
best, rss, cur = (0, 0), -1, None
for line in open(f"/proc/{pid}/smaps"):
    w = line.split()
    if "-" in w[0] and not w[0].endswith(":"):
        lo, hi = (int(x, 16) for x in w[0].split("-"))
        cur = (lo, hi) if len(w) < 6 else None
    elif w[0] == "Rss:" and cur and int(w[1]) > rss:
        best, rss = cur, int(w[1])
pfns = []
with open(f"/proc/{pid}/pagemap", "rb") as f:
    f.seek(best[0] // 4096 * 8)
    data = f.read((best[1] - best[0]) // 4096 * 8)
for (e,) in struct.iter_unpack("<Q", data):
    if e >> 63:
        pfns.append(e & ((1 << 55) - 1))
groups = {p // n for p in pfns}
print(f"{len(pfns)} held, {len(groups)} groups" if pfns and all(pfns) else "no pfns")
PY
)
		held=$(sed -n 's/^holding \([0-9]*\) pages.*/\1/p' "$TMP/fr.out")
		echo >&3
		exec 3>&-
		st=0
		wait "$pid" || st=$?
		check_eq "fragment stride:$n: exit 0, one held page per aligned block of $n frames" \
			"$st: $got$(head -c 200 "$TMP/fr.err")" "0: $held held, $held groups"
	done
fi
