/*
 * collect/outfile.c - output files that appear whole or not at all, and
 * never replace what is not a regular file (see outfile.h).
 */
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { OUT_STDOUT, OUT_INPLACE, OUT_TMPFILE, OUT_NAMED, OUT_DONE };

int (*outfile_rename)(const char *from, const char *to) = rename;

/*
 * Names the signal handler removes.  A slot's path is complete before
 * used is set, and used is cleared before the path is reused, so the
 * handler (which only calls unlink) never sees half a name.
 */
#define NSLOTS 32
static struct {
	volatile sig_atomic_t used;
	char path[PATH_MAX];
} slots[NSLOTS];
static int handlers_set;

static void on_signal(int sig)
{
	int i;

	for (i = 0; i < NSLOTS; i++)
		if (slots[i].used)
			unlink(slots[i].path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Every signal that can be caught and whose default is to end the
 * process: a broken pipe on stderr, "ulimit -f" (SIGXFSZ) or "ulimit -t"
 * (SIGXCPU) and a stray kill -USR1 end the run just as SIGTERM does.
 */
static const int fatal_sigs[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
	SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
};
#define NFATAL (sizeof(fatal_sigs) / sizeof(fatal_sigs[0]))

/* Install the handler for the signals the program leaves at default. */
static void set_handlers(void)
{
	struct sigaction sa, old;
	size_t i;

	if (handlers_set)
		return;
	handlers_set = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < NFATAL; i++)
		if (sigaction(fatal_sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(fatal_sigs[i], &sa, NULL);
}

static int slot_take(const char *path)
{
	int i;

	for (i = 0; i < NSLOTS; i++)
		if (!slots[i].used) {
			snprintf(slots[i].path, sizeof(slots[i].path), "%s", path);
			slots[i].used = 1;
			return i;
		}
	return -1;      /* more than NSLOTS at once: no signal cleanup */
}

static void slot_drop(int *slot)
{
	if (*slot >= 0)
		slots[*slot].used = 0;
	*slot = -1;
}

static void block_signals(sigset_t *old)
{
	sigset_t s;
	size_t i;

	sigemptyset(&s);
	for (i = 0; i < NFATAL; i++)
		sigaddset(&s, fatal_sigs[i]);
	sigprocmask(SIG_BLOCK, &s, old);
}

/* This machine's name, for temporary names ("?" if it has none). */
static const char *node(void)
{
	static char name[65];
	struct utsname u;
	size_t i;

	if (name[0])
		return name;
	snprintf(name, sizeof(name), "%s", uname(&u) == 0 && u.nodename[0] ? u.nodename : "host");
	for (i = 0; name[i]; i++)
		if (name[i] == '/' || name[i] == '.')
			name[i] = '_';
	return name;
}

/* dir/.base.KIND.node.pid; -ENAMETOOLONG if it does not fit. */
static int aux_name(char *buf, size_t n, const char *final, const char *kind)
{
	const char *slash = strrchr(final, '/');
	int dirlen = slash ? (int)(slash - final + 1) : 0;

	if (snprintf(buf, n, "%.*s.%s.%s.%s.%ld", dirlen, final,
		     slash ? slash + 1 : final, kind, node(), (long)getpid()) >= (int)n)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Remove ".X.tmp.NODE.PID" and ".X.old.NODE.PID" of this node whose PID
 * is gone: what SIGKILL or the OOM killer left of an earlier run.
 */
static void sweep(const char *dir)
{
	char suffix[80];
	size_t sl;
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	sl = (size_t)snprintf(suffix, sizeof(suffix), ".%s.", node());
	while ((d = readdir(dp))) {
		const char *s = d->d_name, *p = strrchr(s, '.');
		size_t at;
		char *end;
		long pid;

		if (s[0] != '.' || !p || p == s)
			continue;
		pid = strtol(p + 1, &end, 10);
		if (*end || end == p + 1 || pid <= 0 || pid == (long)getpid())
			continue;
		at = (size_t)(p - s) + 1;       /* just after ".NODE." */
		if (at < sl + 4 || memcmp(s + at - sl, suffix, sl) ||
		    (memcmp(s + at - sl - 4, ".tmp", 4) && memcmp(s + at - sl - 4, ".old", 4)))
			continue;
		if (kill((pid_t)pid, 0) && errno == ESRCH)
			unlinkat(dirfd(dp), s, 0);
	}
	closedir(dp);
}

/*
 * Give the file that will replace *old its mode, so that a file the user
 * made private (0600) does not become world-readable; as root also its
 * owner.  Permission bits only: a set-id bit is never copied.  Best
 * effort: a file system without modes keeps its own.
 */
static void keep_mode(int fd, const struct stat *old)
{
	if (!old)
		return;
	if (geteuid() == 0 && (old->st_uid != 0 || old->st_gid != getegid()))
		(void)!fchown(fd, old->st_uid, old->st_gid);
	(void)fchmod(fd, old->st_mode & 0777);   /* never set-id */
}

static int open_named(struct outfile *o)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (o->fd >= 0 || errno != EEXIST)
			break;
		unlink(o->tmp);         /* ours: an earlier process with our PID */
	}
	if (o->fd < 0) {
		int err = -errno;

		slot_drop(&o->slot);
		o->tmp[0] = '\0';
		return err;
	}
	return 0;
}

/* The directory that holds path ("." for a bare name). */
static void dir_of(const char *path, char *dir, size_t n)
{
	char *slash;

	snprintf(dir, n, "%s", path);
	slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, n, ".");
}

/*
 * "/dev/stdout", "/dev/fd/N", "/proc/self/fd/N" name a descriptor this
 * process already has (a shell's ">> log"): its number, or -1 for any
 * other path.  Renaming over the file they resolve to would throw away
 * what ">>" keeps; they are written through the descriptor instead.
 */
static int inherited_fd(const char *path)
{
	static const char *const std[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/" };
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(path, std[i]) == 0)
			return (int)i;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t len = strlen(dirs[i]);
		const char *p = path + len;
		long n = 0;

		if (strncmp(path, dirs[i], len) || !*p)
			continue;
		for (; *p >= '0' && *p <= '9' && n < 1000000; p++)
			n = n * 10 + (*p - '0');
		if (!*p)
			return (int)n;
	}
	return -1;
}

/*
 * The kernel's fs.protected_symlinks rule (fs/namei.c, may_follow_link),
 * which a link followed by hand would bypass: in a sticky world-writable
 * directory (/tmp), follow only a link of our own or of the directory's
 * owner, so that no one can plant /tmp/out.csv -> /etc/x for root.
 */
static int may_follow(const char *link, const struct stat *lst)
{
	char dir[PATH_MAX], buf[8] = "";
	struct stat dst;
	FILE *f = fopen("/proc/sys/fs/protected_symlinks", "re");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	if (buf[0] == '0' || lst->st_uid == geteuid())
		return 1;
	dir_of(link, dir, sizeof(dir));
	if (stat(dir, &dst))
		return 0;
	if ((dst.st_mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH))
		return 1;
	return dst.st_uid == lst->st_uid;
}

/*
 * A symlink whose target does not exist yet: the name where the file goes,
 * as "> LINK" would put it (following a chain of links), so that the link
 * stays a link.  Returns 0, or -errno (-ELOOP after 40 links).
 */
static int follow_dangling(const char *path, char *out, size_t n)
{
	char cur[PATH_MAX], tgt[PATH_MAX];
	struct stat st;
	int hops;

	snprintf(cur, sizeof(cur), "%s", path);
	for (hops = 0; hops < 40; hops++) {
		ssize_t len;
		const char *slash;

		if (lstat(cur, &st))
			return errno == ENOENT ? (snprintf(out, n, "%s", cur) >= (int)n ?
						  -ENAMETOOLONG : 0) : -errno;
		if (!S_ISLNK(st.st_mode))
			return -EEXIST;         /* appeared meanwhile */
		if (!may_follow(cur, &st))
			return -EACCES;
		len = readlink(cur, tgt, sizeof(tgt) - 1);
		if (len < 0)
			return -errno;
		tgt[len] = '\0';
		slash = strrchr(cur, '/');
		if (tgt[0] == '/' || !slash) {
			snprintf(cur, sizeof(cur), "%s", tgt);
		} else {
			char base[PATH_MAX];

			snprintf(base, sizeof(base), "%.*s", (int)(slash - cur + 1), cur);
			if (snprintf(cur, sizeof(cur), "%s%s", base, tgt) >= (int)sizeof(cur))
				return -ENAMETOOLONG;
		}
	}
	return -ELOOP;
}

/*
 * Where path would be written: 1 in place (*st the node: standard output,
 * an inherited descriptor, a device or FIFO), 0 a named file (final: its
 * name, symlinks followed as outfile_open() follows them), -1 when that
 * cannot be told (outfile_open() will then say why).
 */
static int target_of(const char *path, struct stat *st, char *final, size_t n)
{
	int fd = strcmp(path, "-") == 0 ? STDOUT_FILENO : inherited_fd(path);

	if (fd >= 0)
		return fstat(fd, st) ? -1 : 1;
	if (stat(path, st) == 0) {
		if (S_ISDIR(st->st_mode))
			return -1;
		if (!S_ISREG(st->st_mode))
			return 1;
		if (!realpath(path, final))     /* n is PATH_MAX */
			return -1;
		return 0;
	}
	if (errno != ENOENT)
		return -1;
	if (lstat(path, st) == 0 && S_ISLNK(st->st_mode))
		return follow_dangling(path, final, n) ? -1 : 0;
	return snprintf(final, n, "%s", path) >= (int)n ? -1 : 0;
}

/* The directory of named file f (*st) and its last component. */
static int named_key(const char *f, struct stat *st, const char **base)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(f, '/');

	dir_of(f, dir, sizeof(dir));
	*base = slash ? slash + 1 : f;
	return stat(dir, st);
}

int outfile_same_target(const char *a, const char *b)
{
	char fa[PATH_MAX], fb[PATH_MAX];
	struct stat sa, sb;
	const char *ba, *bb;
	int ia = target_of(a, &sa, fa, sizeof(fa)), ib = target_of(b, &sb, fb, sizeof(fb));

	if (ia < 0 || ib < 0)
		return 0;
	if (ia != ib) {         /* a node written in place, and a named file */
		if (stat(ia ? fb : fa, ia ? &sb : &sa))
			return 0;
		ia = ib = 1;
	}
	if (ia)                 /* a device may take any number of writers */
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
		       !S_ISCHR(sa.st_mode) && !S_ISBLK(sa.st_mode);
	if (named_key(fa, &sa, &ba) || named_key(fb, &sb, &bb))
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && strcmp(ba, bb) == 0;
}

int outfile_open(struct outfile *o, const char *path)
{
	struct stat st, old;
	char dir[PATH_MAX];
	const char *no_tmpfile = getenv("PTWALK_NO_O_TMPFILE");
	int err, have_old = 0;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->slot = -1;
	if (strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		o->mode = OUT_STDOUT;
		snprintf(o->path, sizeof(o->path), "<stdout>");
		return 0;
	}
	if (!*path)
		return -ENOENT;
	if (inherited_fd(path) >= 0) {
		o->fd = fcntl(inherited_fd(path), F_DUPFD_CLOEXEC, 3);
		if (o->fd < 0)
			return -errno;
		o->mode = OUT_INPLACE;
		snprintf(o->path, sizeof(o->path), "%s", path);
		return 0;
	}
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path))
		return -ENAMETOOLONG;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode)) {
			o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
			if (o->fd < 0)
				return -errno;
			o->mode = OUT_INPLACE;
			return 0;
		}
		/* The new file keeps the old one's mode (and owner, as root). */
		old = st;
		have_old = 1;
		/* Replace a symlink's target, not the symlink. */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && !realpath(path, o->path))
			return -errno;
	} else if (errno != ENOENT) {
		return -errno;
	} else if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		err = follow_dangling(path, o->path, sizeof(o->path));
		if (err)
			return err;
	}
	dir_of(o->path, dir, sizeof(dir));
	sweep(dir);
	set_handlers();
	if (!(no_tmpfile && strcmp(no_tmpfile, "1") == 0) &&
	    access("/proc/self/fd", X_OK) == 0) {
		o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
		if (o->fd >= 0) {
			o->mode = OUT_TMPFILE;
			keep_mode(o->fd, have_old ? &old : NULL);
			return 0;
		}
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return -errno;
	}
	err = aux_name(o->tmp, sizeof(o->tmp), o->path, "tmp");
	if (err)
		return err;
	o->mode = OUT_NAMED;
	o->slot = slot_take(o->tmp);
	err = open_named(o);
	if (!err)
		keep_mode(o->fd, have_old ? &old : NULL);
	return err;
}

/*
 * The end of every outfile: close its file (never standard output), remove
 * its temporary name if it still has one, give back its slot.  Returns
 * the close's error, or 0.
 */
static int drop_temp(struct outfile *o)
{
	int err = 0;

	if (o->fd >= 0 && o->mode != OUT_STDOUT && close(o->fd))
		err = -errno;
	o->fd = -1;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = '\0';
	slot_drop(&o->slot);
	o->mode = OUT_DONE;
	return err;
}

void outfile_abort(struct outfile *o)
{
	if (o->mode != OUT_DONE)
		drop_temp(o);
}

/* An O_TMPFILE gets its temporary name, so that rename can place it. */
static int give_name(struct outfile *o)
{
	char proc[64];
	int err = aux_name(o->tmp, sizeof(o->tmp), o->path, "tmp"), tries;

	if (err) {
		o->tmp[0] = '\0';
		return err;
	}
	o->slot = slot_take(o->tmp);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	for (tries = 0; tries < 2; tries++) {
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			break;
		unlink(o->tmp);
	}
	err = -errno;
	slot_drop(&o->slot);
	o->tmp[0] = '\0';
	return err;
}

/* Hard-link an existing final file to its backup name. */
static int make_backup(struct outfile *o, char *bak, size_t n)
{
	struct stat st;
	int err;

	o->backup = 0;
	if (lstat(o->path, &st)) {
		if (errno == ENOENT)
			return 0;
		return -errno;
	}
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EEXIST;         /* became a device, FIFO...: keep it */
	err = aux_name(bak, n, o->path, "old");
	if (err)
		return err;
	unlink(bak);
	if (link(o->path, bak))
		return -errno;
	o->backup = 1;
	return 0;
}

/*
 * Two runs that commit sets to one directory at once (two analyze -o D)
 * would interleave their renames and leave a mix of both sets: an
 * exclusive flock on the directory of the set's first named file makes
 * the commits take turns.  Best effort: where flock fails (a file system
 * without it), the commit goes on unlocked.  Returns the fd or -1.
 */
static int lock_dir(const struct outfile *set, size_t n)
{
	char dir[PATH_MAX];
	size_t i;
	int fd;

	for (i = 0; i < n; i++)
		if (set[i].mode == OUT_TMPFILE || set[i].mode == OUT_NAMED)
			break;
	if (i == n)
		return -1;
	dir_of(set[i].path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) && errno == EINTR)
		;
	return fd;
}

int outfile_commit(struct outfile *set, size_t n, size_t *bad)
{
	char (*bak)[PATH_MAX] = calloc(n ? n : 1, sizeof(*bak));
	int *bslot = malloc((n ? n : 1) * sizeof(*bslot));
	sigset_t old;
	size_t i, renamed = 0, failed = 0;
	int err = 0, lock;

	if (!bak || !bslot) {
		free(bak);
		free(bslot);
		for (i = 0; i < n; i++)
			outfile_abort(&set[i]);
		if (bad)
			*bad = 0;
		return -ENOMEM;
	}
	/* Waiting for the lock, a signal still ends the run (and its files). */
	lock = lock_dir(set, n);
	block_signals(&old);
	for (i = 0; i < n; i++)
		bslot[i] = -1;
	/* 1: every file flushed to the disk's cache and named; backups. */
	for (i = 0; i < n && !err; i++) {
		struct outfile *o = &set[i];

		failed = i;
		if (o->mode != OUT_TMPFILE && o->mode != OUT_NAMED)
			continue;
		if (o->mode == OUT_TMPFILE)
			err = give_name(o);
		/* A write error the file system reports late shows here. */
		if (close(o->fd) && !err)
			err = -errno;
		o->fd = -1;
		if (!err) {
			err = make_backup(o, bak[i], sizeof(bak[i]));
			if (!err && o->backup)
				bslot[i] = slot_take(bak[i]);
		}
	}
	/* 2: the renames; on a failure, the ones done are taken back. */
	for (i = 0; i < n && !err; i++) {
		struct outfile *o = &set[i];

		failed = i;
		if (o->tmp[0] && outfile_rename(o->tmp, o->path))
			err = -errno;
		else if (o->tmp[0]) {
			slot_drop(&o->slot);
			o->tmp[0] = '\0';
		}
		if (!err)
			renamed = i + 1;
	}
	if (err) {
		for (i = 0; i < renamed; i++) {
			struct outfile *o = &set[i];

			if (o->mode != OUT_TMPFILE && o->mode != OUT_NAMED)
				continue;
			if (set[i].backup)
				rename(bak[i], o->path);
			else
				unlink(o->path);
		}
	}
	for (i = 0; i < n; i++) {
		struct outfile *o = &set[i];
		int e;

		if (bak[i][0] && set[i].backup)
			unlink(bak[i]);
		if (bslot[i] >= 0)
			slot_drop(&bslot[i]);
		if (o->mode == OUT_STDOUT || o->mode == OUT_DONE) {
			o->mode = OUT_DONE;
			continue;
		}
		e = drop_temp(o);
		if (e && !err) {
			err = e;
			failed = i;
		}
	}
	if (lock >= 0)
		close(lock);    /* releases the flock */
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(bak);
	free(bslot);
	if (err && bad)
		*bad = failed;
	return err;
}

int outfile_stdout_done(const char *prog)
{
	int err = fflush(stdout) ? errno : 0;

	if (!err && !ferror(stdout))
		return 0;
	fprintf(stderr, "%s: cannot write standard output: %s\n", prog,
		err ? strerror(err) : "write error");
	return 1;
}
