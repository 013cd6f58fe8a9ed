#!/bin/sh
# reports/runs.sh - keep every `make report` run, per target and date.
#
#   reports/runs.sh new TOP [--empty]  make TOP/<UTC date-time>/, print its path
#   reports/runs.sh done TOP RUN       RUN is complete: point TOP/latest at it
#   reports/runs.sh failed TOP RUN     RUN failed: rename it RUN.failed
#
# TOP is reports/<target> (vm-4level, host, ...) or reports/matrix, whose
# runs start --empty (mk/matrix.sh collects every target anew).  A new run
# of a report starts as a copy of TOP/latest with its times kept (data/ hard-linked: the collect
# step replaces data/ whole, never writes into it), so make remakes in it
# only what is out of date, and the runs before it are never written to.
# `done` moves TOP/latest to RUN atomically (a new link renamed over the
# old one), or, when the run remade nothing, removes RUN and leaves latest
# where it was.  A failed run never moves latest, and neither does a run
# that started before the one latest names (two `make report` at once:
# the one started first but done last is kept beside it, latest stays
# with the newer).  .run.start names the run a run was copied from.  Runs are named
# YYYYMMDDTHHMMSSZ (a -2, -3 suffix if two start in the same second), so
# `ls` lists them in order; compare two with diff -r or by their tables.
set -eu
prog=reports/runs.sh
# listing DIR: every file and directory under DIR but the run's own
# bookkeeping (.timing, .run.start), with its size and modification time;
# a directory's size is left out: it is the space its entries ever took
# (data/ grows while the guest writes its temporary files, and never
# shrinks), which the new run's fresh copy does not have.
listing() {
	(cd "$1" && find . ! -path . ! -name .timing ! -name .run.start \
		\( -type d -printf '%P %y - %T@\n' -o -printf '%P %y %s %T@\n' \) | LC_ALL=C sort)
}
usage() { echo "usage: $prog new TOP [--empty] | done TOP RUN | failed TOP RUN" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1 top=$2
# What the closing line names: the report's files, or the matrix's.
case ${top##*/} in
matrix) label=matrix what="matrix.md and matrix.csv" ;;
*) label=report what="report.pdf and report.md" ;;
esac

case $cmd in
new)
	empty=0
	case $# in 2) ;; 3) [ "$3" = --empty ] || usage; empty=1 ;; *) usage ;; esac
	mkdir -p "$top"
	name=$(date -u +%Y%m%dT%H%M%SZ)
	run=$top/$name i=1
	while ! mkdir "$run" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 99 ] || { echo "$prog: cannot make a run directory in $top" >&2; exit 1; }
		run=$top/$name-$i
	done
	src=""
	if [ $empty = 0 ] && prev=$(readlink "$top/latest") && [ -d "$top/$prev" ]; then
		src=$prev
		for f in "$top/$prev"/* "$top/$prev"/.[!.]*; do
			[ -e "$f" ] || continue
			case ${f##*/} in
			data) cp -al "$f" "$run/" ;;
			*) cp -a "$f" "$run/" ;;
			esac
		done
	fi
	# The mark of a run in progress, and what it was copied from.
	printf '%s\n' "$src" >"$run/.run.start"
	echo "$run"
	;;
done | failed)
	[ $# -eq 3 ] || usage
	run=$3 name=${3##*/}
	[ "${run%/*}" = "$top" ] && [ -f "$run/.run.start" ] || { echo "$prog: $run is not a run in progress under $top" >&2; exit 2; }
	prev=$(readlink "$top/latest" 2>/dev/null) || prev=""
	if [ "$cmd" = failed ]; then
		rm -f "$run/.run.start"
		mv "$run" "$run.failed"
		echo "$label: the run failed; its files are in $run.failed; $top/latest${prev:+ is still $prev}${prev:- is not made}" >&2
		exit 0
	fi
	# Unchanged: the same files with the same sizes and times as the run
	# it was copied from (a file's time has the clock's coarse tick, so a
	# mark taken at the start could miss a file written right after it).
	src=$(cat "$run/.run.start")
	if [ -n "$src" ] && [ -n "$prev" ] && [ -d "$top/$src" ] && [ "$(listing "$run")" = "$(listing "$top/$src")" ]; then
		rm -rf "$run"
		echo "$label: nothing changed: $top/latest is still run $prev" >&2
		exit 0
	fi
	rm -f "$run/.run.start"
	# A run started after this one is latest already: it stays latest.
	if [ -n "$prev" ] && [ "$prev" != "$name" ] &&
		[ "$(printf '%s\n' "$prev" "$name" | sort -V | tail -n 1)" = "$prev" ]; then
		echo "$label: run $name is done, in $run; $top/latest stays at $prev, a run started after it" >&2
		exit 0
	fi
	ln -sfn "$name" "$top/.latest.$$"
	mv -T "$top/.latest.$$" "$top/latest"
	echo "$label: $top/latest/$what (run $name${prev:+, the one before: $prev})" >&2
	;;
*)
	usage
	;;
esac
