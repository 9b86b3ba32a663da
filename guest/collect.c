/* collect: snapshots of /proc files, cgroups and steps. */
#include "guest/collect.h"
#include "guest/buf.h"
#include "guest/cgroup.h"
#include "guest/chan.h"
#include "guest/files.h"
#include "guest/plan_read.h"
#include "guest/steps.h"
#include "proto/collect.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* /proc files stay open once opened: rereading an open seq_file reuses its
 * buffer, so a snapshot taken when memory is exhausted allocates nothing. */
struct open_proc {
	char *path;
	int fd;
	struct open_proc *next;
};
static struct open_proc *open_procs;

/* Every snapshot is read into this buffer, reserved before any step runs
 * (files.h: a file larger is cut). /proc/vmstat, the largest file read,
 * is some 5 KiB. */
#define SNAP_RESERVE (128u << 10)
static struct buf snap_buf;

static int proc_fd(const char *path)
{
	struct open_proc *o;

	for (o = open_procs; o; o = o->next)
		if (!strcmp(o->path, path))
			return o->fd;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	o = calloc(1, sizeof(*o));
	o->path = strdup(path);
	o->fd = fd;
	o->next = open_procs;
	open_procs = o;
	return fd;
}

static int read_proc(const char *path, struct buf *out)
{
	int fd = proc_fd(path);

	if (fd < 0)
		return fd;
	return read_fd(fd, out);
}

void collect_open_early(const struct plan_line *plan, size_t n)
{
	buf_reserve(&snap_buf, SNAP_RESERVE);
	for (size_t i = 0; i < n; i++)
		for (int j = 2; !strcmp(plan[i].f[0], "collect") && j < plan[i].n; j++) {
			const char *arg;
			const struct proto_collector *c = proto_collector_find(plan[i].f[j], &arg);

			if (c && c->arg == PROTO_COLLECT_FILE)
				read_proc(c->path, &snap_buf);
		}
}

static void send_snap(const char *snap, const char *kind, const char *key)
{
	send_rec("snap", S(snap), S(kind), S(key), snap_buf.p, snap_buf.len, NULL);
}

static void snap_file(const char *snap, const char *kind, const char *key, const char *path)
{
	int r = !strncmp(path, "/proc/", 6) ? read_proc(path, &snap_buf) : read_file(path, &snap_buf);

	if (r == 0)
		send_snap(snap, kind, key);
	else if (r != -EINVAL && r != -EACCES && r != -EPERM)
		send_err("collect %s: %s: %s", snap, path, strerror(-r));
}

static void collect_cgroup(const char *snap, const char *kind, const char *name)
{
	char *dir = cgroup_dir(name);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	if (!d) {
		send_err("collect %s: cgroup %s: %s", snap, name, strerror(errno));
		free(dir);
		return;
	}
	while ((de = readdir(d))) {
		char *path = NULL, *key = NULL;
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			continue;
		if (!stat(path, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0444) &&
		    asprintf(&key, "%s/%s", name, de->d_name) >= 0 && !read_file(path, &snap_buf))
			send_snap(snap, kind, key);
		free(key);
		free(path);
	}
	closedir(d);
	free(dir);
}

/* A running step's status is read from the file opened as it started
 * (steps.c): opening another would allocate. */
static void collect_step(const char *snap, const char *kind, const char *name)
{
	struct step *s = find_step(name);

	reap();
	if (!s) {
		send_err("collect %s: no step %s", snap, name);
	} else if (s->running) {
		int r = s->status_fd >= 0 ? read_fd(s->status_fd, &snap_buf) : -EBADF;
		if (r == 0)
			send_snap(snap, kind, s->name);
		else
			send_err("collect %s: /proc/%d/status of step %s: %s", snap, (int)s->pid, name, strerror(-r));
	}
}

void collect(const char *snap, const char *item)
{
	const char *arg;
	const struct proto_collector *c = proto_collector_find(item, &arg);

	if (!c) {
		send_err("collect %s: unknown item %s", snap, item);
		return;
	}
	switch (c->arg) {
	case PROTO_COLLECT_FILE:
		snap_file(snap, c->kind, "-", c->path);
		break;
	case PROTO_COLLECT_CGROUP:
		collect_cgroup(snap, c->kind, arg);
		break;
	case PROTO_COLLECT_STEP:
		collect_step(snap, c->kind, arg);
		break;
	}
}
