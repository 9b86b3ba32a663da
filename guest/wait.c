/* wait: watching a step's wait condition. */
#include "guest/wait.h"
#include "guest/buf.h"
#include "guest/cgroup.h"
#include "guest/chan.h"
#include "guest/files.h"
#include "guest/sample.h"
#include "guest/steps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum cond_kind { COND_EXIT, COND_OUTPUT, COND_OOM_KILL, COND_CGROUP };

struct cond {
	char *step;           /* whose condition */
	enum cond_kind kind;
	char *other;          /* COND_EXIT: the step waited for */
	char *text;           /* COND_OUTPUT */
	int seen;             /* COND_OUTPUT: a line held text since arming */
	int fd;               /* COND_OOM_KILL, COND_CGROUP: the file read, -1: none */
	char *key;            /* the key in it; NULL: its first number */
	char op[3];
	long long want;       /* COND_CGROUP; COND_OOM_KILL: the baseline + 1 */
	struct cond *next;
};

static struct cond *conds;
/* Reads of cgroup and vmstat files land here: reserved once, so that
 * watching allocates nothing under memory pressure. */
static struct buf wait_buf;

static struct cond *find_cond(const char *step)
{
	for (struct cond *c = conds; c; c = c->next)
		if (!strcmp(c->step, step))
			return c;
	return NULL;
}

int wait_compare(long long have, const char *op, long long want)
{
	if (!strcmp(op, "=="))
		return have == want;
	if (!strcmp(op, "!="))
		return have != want;
	if (!strcmp(op, "<"))
		return have < want;
	if (!strcmp(op, "<="))
		return have <= want;
	if (!strcmp(op, ">"))
		return have > want;
	if (!strcmp(op, ">="))
		return have >= want;
	return -1;
}

long long wait_read_value(const char *text, const char *key)
{
	return files_value(text, key, ' ');
}

static long long read_cond_value(const struct cond *c)
{
	if (c->fd < 0 || read_fd(c->fd, &wait_buf))
		return -1;
	return wait_read_value(wait_buf.p, c->key);
}

static int open_cgroup_file(struct cond *c, const char *group, const char *file)
{
	char *dir = cgroup_dir(group), *path = NULL;

	if (dir && asprintf(&path, "%s/%s", dir, file) >= 0)
		c->fd = open(path, O_RDONLY | O_CLOEXEC);
	free(dir);
	free(path);
	if (c->fd < 0)
		send_err("wait %s: cgroup %s: %s: %s", c->step, group, file, strerror(errno));
	return c->fd < 0 ? -1 : 0;
}

static int arm_oom_kill(struct cond *c, const char *group)
{
	if (!strcmp(group, "-")) {
		c->fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
		if (c->fd < 0) {
			send_err("wait %s: /proc/vmstat: %s", c->step, strerror(errno));
			return -1;
		}
	} else if (open_cgroup_file(c, group, cgroup_version() == 1 ? "memory.oom_control" : "memory.events")) {
		return -1;
	}
	c->key = strdup("oom_kill");
	long long base = read_cond_value(c);
	if (base < 0) {
		send_err("wait %s: no oom_kill count to watch", c->step);
		return -1;
	}
	c->want = base + 1;
	strcpy(c->op, ">=");
	return 0;
}

int wait_arm(char **f, int n)
{
	struct cond *c = calloc(1, sizeof(*c));

	if (!c) {
		send_err("arm: out of memory");
		return -1;
	}
	if (!wait_buf.alloc)
		buf_reserve(&wait_buf, 64 << 10);
	c->step = strdup(f[0]);
	c->fd = -1;
	if (!strcmp(f[1], "exit") && n == 3) {
		c->kind = COND_EXIT;
		c->other = strdup(f[2]);
	} else if (!strcmp(f[1], "output") && n == 3) {
		c->kind = COND_OUTPUT;
		c->text = strdup(f[2]);
	} else if (!strcmp(f[1], "oom_kill") && n == 3) {
		c->kind = COND_OOM_KILL;
		if (arm_oom_kill(c, f[2]))
			goto bad;
	} else if (!strcmp(f[1], "cgroup") && n == 7 && strlen(f[5]) < sizeof(c->op) &&
		   wait_compare(0, f[5], 0) >= 0) {
		c->kind = COND_CGROUP;
		strcpy(c->op, f[5]);
		c->want = strtoll(f[6], NULL, 10);
		c->key = strcmp(f[4], "-") ? strdup(f[4]) : NULL;
		if (open_cgroup_file(c, f[2], f[3]))
			goto bad;
	} else {
		send_err("arm %s: cannot watch '%s' with %d fields", f[0], f[1], n - 2);
		goto bad;
	}
	c->next = conds;
	conds = c;
	return 0;
bad:
	free(c->step);
	free(c->key);
	free(c);
	return -1;
}

void wait_note_output(const char *step, const char *line, size_t len)
{
	for (struct cond *c = conds; c; c = c->next) {
		size_t tl;
		if (c->kind != COND_OUTPUT || c->seen || strcmp(c->step, step))
			continue;
		tl = strlen(c->text);
		for (size_t i = 0; i + tl <= len; i++)
			if (!memcmp(line + i, c->text, tl)) {
				c->seen = 1;
				break;
			}
	}
}

static int cond_holds(void *arg)
{
	struct cond *c = arg;
	struct step *s;
	long long v;

	switch (c->kind) {
	case COND_EXIT:
		s = find_step(c->other);
		return !s || !s->running;
	case COND_OUTPUT:
		return c->seen;
	case COND_OOM_KILL:
	case COND_CGROUP:
		v = read_cond_value(c);
		return v >= 0 && wait_compare(v, c->op, c->want) == 1;
	}
	return 0;
}

void wait_run(const char *step, long long max_ms)
{
	struct cond *c = find_cond(step);
	long long t0 = (long long)clock_now_ms();
	char ms[24];

	if (!c) {
		send_err("wait: step %s has no armed condition", step);
		return;
	}
	if (c->kind == COND_EXIT && !find_step(c->other))
		send_err("wait %s: no step %s", step, c->other);
	int met = pump(max_ms, cond_holds, c);
	snprintf(ms, sizeof(ms), "%lld", (long long)clock_now_ms() - t0);
	send_rec("waited", S(step), S(ms), S(met ? "met" : "timeout"), NULL);
	sample_event("waited", S(step));
}
