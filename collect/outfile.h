/*
 * collect/outfile.h - how every ptwalk program creates an output file.
 *
 * One module for memalloc's samples (through csvout), fragment's ready
 * file and analyze's tables, so that all follow DESIGN.md "Errors":
 *  - "-" is standard output; "/dev/stdout", "/dev/fd/N" and
 *    "/proc/self/fd/N" are written through that descriptor, in place
 *    (with a shell's ">> log", appended, never a renamed-over log).  An existing path that is not a regular file
 *    (/dev/null, a FIFO, a terminal) is written in place, never replaced;
 *    a directory is refused.  A symlink to a regular file keeps the
 *    symlink: its target is replaced; a dangling symlink keeps the
 *    symlink too: its target is created.  A replaced file keeps its mode
 *    (and, as root, its owner).
 *  - A regular file is written to an unnamed O_TMPFILE in the same
 *    directory and gets a name only at commit; SIGKILL or the OOM killer
 *    then leave nothing.  Where the file system has no O_TMPFILE (9p), or
 *    PTWALK_NO_O_TMPFILE=1 is set (tests), it is a named temporary
 *    ".NAME.tmp.HOST.PID", removed on every error path and on every
 *    catchable signal that would end the process (SIGINT, SIGTERM,
 *    SIGHUP, SIGPIPE, SIGXFSZ, SIGUSR1...); every open also removes the temporaries and
 *    backups (".NAME.old.HOST.PID") that a killed run of this host left
 *    in the directory, those whose PID no longer exists.
 *  - A set of files is committed all or nothing: every file is first
 *    given its temporary name and every existing final file a backup hard
 *    link; then they are renamed in turn, and if one rename fails those
 *    already renamed are put back (the backups restored, new names
 *    removed), so the user sees either every new file or every old one.
 *    Catchable signals are blocked for the commit, and an flock on the
 *    directory makes two runs committing there at once take turns (two
 *    "analyze -o D" never leave a mix of both sets).  Files written in
 *    place (devices, FIFOs, standard output) cannot be taken back, and
 *    SIGKILL in the commit's own few system calls can leave a mix (the
 *    next run then removes the backups, as above).
 */
#ifndef PTWALK_OUTFILE_H
#define PTWALK_OUTFILE_H

#include <limits.h>
#include <stddef.h>

struct outfile {
	int fd;                 /* write the contents here */
	int mode;               /* private: how it is committed */
	int slot;               /* private: signal-cleanup slot, or -1 */
	int backup;             /* private: commit made a backup */
	char path[PATH_MAX];    /* the final name (symlinks resolved) */
	char tmp[PATH_MAX];     /* private: named temporary, or "" */
};

/* Create o for path. Returns 0, or -errno (-EISDIR for a directory). */
int outfile_open(struct outfile *o, const char *path);

/*
 * Commit n files, all or nothing (see above), and close them.  Returns 0,
 * or -errno with *bad (if not NULL) the index of the file that failed;
 * then every file of the set is aborted and the old ones are in place.
 */
int outfile_commit(struct outfile *set, size_t n, size_t *bad);

/*
 * 1 when paths a and b would write the same file (./x and x, a symlink
 * and its target, /dev/stdout and "-", a FIFO by two names), so that one
 * would overwrite the other; 0 otherwise, and for a device (/dev/null
 * takes both).
 */
int outfile_same_target(const char *a, const char *b);

/* Close o and remove its temporary file. Safe on a failed or done o. */
void outfile_abort(struct outfile *o);

/*
 * For a program whose result is its standard output (pagemap_reader,
 * prober, analyze -p...): flush it and say whether every write reached
 * it.  Returns 0, or 1 after one stderr line "PROG: cannot write standard
 * output: REASON" (/dev/full, a full disk, a closed descriptor), so that
 * lost output never exits 0.
 */
int outfile_stdout_done(const char *prog);

/* The rename the commit uses: a seam for tests/unit_outfile.c only. */
extern int (*outfile_rename)(const char *from, const char *to);

#endif
