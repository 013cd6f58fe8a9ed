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
