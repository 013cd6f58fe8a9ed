# vm/lib.sh - KEY=VALUE files read as data, and where plans live (sourced, POSIX sh).
#
# plan.env (written by vm/run.sh) and the KEY=VALUE results plans write
# (bench.txt, chan.txt) sit in the directory the guest can write, so they
# are parsed, never sourced or eval'd.  A line is KEY=VALUE with KEY
# matching [A-Z_][A-Z0-9_]*, the value the rest of the line taken
# verbatim (no quotes, no expansion); empty lines and lines starting with
# # are skipped.  Sourced by vm/run.sh, vm/init (packed as
# /lib/ptwalk/lib.sh), vm/mkinitramfs.sh and the benchmarks in bench/.
#
#   kv FILE KEY        print KEY's value (the last line wins); status 1 when
#                      FILE has no such key
#   kv_check FILE      status 0 when every line is KEY=VALUE (or blank, or
#                      a comment) and no KEY is one the shell or the loader
#                      acts on (PATH, IFS, ENV, BASH_ENV, CDPATH, SHELLOPTS,
#                      BASHOPTS, PS4, LD_*); else one stderr line naming
#                      FILE, the line number and what is wrong, status 1
#   kv_export FILE     kv_check, then export every KEY=VALUE of FILE; a file
#                      that fails the check exports nothing
#   PLAN_DIRS          the directories whose *.sh are plans, relative to the
#                      checkout: experiments, the test harness, benchmarks
#   KV_REFUSED         the KEYs kv_check refuses, as an extended regex
#                      (vm/run.sh refuses them in PLAN_ENV before a boot)

PLAN_DIRS="vm/plans tests/plans bench/guest"
KV_REFUSED='PATH|IFS|ENV|BASH_ENV|CDPATH|SHELLOPTS|BASHOPTS|PS4|LD_.*'

kv() {
	[ -f "$1" ] || { echo "kv: no file $1" >&2; return 1; }
	awk -v k="$2" 'index($0, k "=") == 1 { v = substr($0, length(k) + 2); f = 1 }
		END { if (f) print v; exit !f }' "$1"
}

kv_check() {
	[ -f "$1" ] || { echo "kv: no file $1" >&2; return 1; }
	awk -v f="$1" -v refused="^($KV_REFUSED)\$" '
	/^$/ || /^#/ { next }
	{
		k = $0; sub(/=.*/, "", k)
		if (index($0, "=") == 0 || k !~ /^[A-Z_][A-Z0-9_]*$/)
			why = "not KEY=VALUE with KEY in [A-Z_][A-Z0-9_]*"
		else if (k ~ refused)
			why = "sets " k ", which the shell or the loader acts on"
		else
			next
		printf "%s:%d: refused: %s: %.60s\n", f, NR, why, $0 > "/dev/stderr"
		bad = 1
		exit
	}
	END { exit bad }' "$1"
}

kv_export() {
	kv_check "$1" || return 1
	while IFS= read -r _kv_line || [ -n "$_kv_line" ]; do
		case $_kv_line in '' | '#'*) continue ;; esac
		# One word, already expanded: export assigns it as it stands.
		export "$_kv_line"
	done <"$1"
}
