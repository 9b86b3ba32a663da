/* sample: the run's memory and events on the plan's clock. */
#include "guest/sample.h"
#include "guest/buf.h"
#include "guest/chan.h"
#include "guest/files.h"
#include "guest/kmsg.h"
#include "guest/steps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_STEPS_MS 25
#define SAMPLE_SYSTEM_MS 50
#define SAMPLE_CGROUPS_MAX 16

struct sampled_cgroup {
	char *name;
	int fd;                 /* memory.current (v2) or memory.usage_in_bytes (v1) */
};

/* When the plan started, and when each kind was last sampled. */
static long long plan_t0, last_steps, last_system;
static int meminfo_fd = -1, kmsg_fd = -1;
static struct sampled_cgroup cgroups[SAMPLE_CGROUPS_MAX];
static int ncgroups;
/* meminfo and cgroup reads land here: reserved at the start */
static struct buf sample_buf;

static void ms_since_start(char *out, size_t n)
{
	snprintf(out, n, "%lld", (long long)clock_now_ms() - plan_t0);
}

void sample_begin(void)
{
	plan_t0 = (long long)clock_now_ms();
	buf_reserve(&sample_buf, 16 << 10);
	meminfo_fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	kmsg_fd = kmsg_open();
}

void sample_cgroup(const char *name, const char *dir)
{
	char *path = NULL;

	if (ncgroups == SAMPLE_CGROUPS_MAX)
		return;
	if (asprintf(&path, "%s/memory.current", dir) < 0)
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0 && asprintf(&path, "%s/memory.usage_in_bytes", dir) >= 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		free(path);
	}
	if (fd < 0)
		return;
	cgroups[ncgroups].name = strdup(name);
	cgroups[ncgroups++].fd = fd;
}

void sample_event(const char *kind, const char *what, size_t len)
{
	char ms[24];

	ms_since_start(ms, sizeof(ms));
	send_rec("event", S(ms), S(kind), what, len, NULL);
}

long long sample_meminfo_kb(const char *text, const char *key)
{
	return files_value(text, key, ':');
}

static void sample_system(void)
{
	static const char *const keys[] = { "MemFree", "MemAvailable", "Cached", "Shmem", "SwapFree" };
	char ms[24], kb[5][24];

	ms_since_start(ms, sizeof(ms));
	if (meminfo_fd >= 0 && !read_fd(meminfo_fd, &sample_buf)) {
		for (int i = 0; i < 5; i++)
			snprintf(kb[i], sizeof(kb[i]), "%lld", sample_meminfo_kb(sample_buf.p, keys[i]));
		/* a kernel without one of them says -1: the harness refuses it */
		send_rec("sys", S(ms), S(kb[0]), S(kb[1]), S(kb[2]), S(kb[3]), S(kb[4]), NULL);
	}
	for (int i = 0; i < ncgroups; i++) {
		char v[24];
		if (read_fd(cgroups[i].fd, &sample_buf))
			continue;
		snprintf(v, sizeof(v), "%lld", strtoll(sample_buf.p, NULL, 10) / 1024);
		send_rec("cgmem", S(cgroups[i].name), S(ms), S(v), NULL);
	}
}

static void sample_kernel_events(void)
{
	static char rec[8192];
	char what[128];

	if (kmsg_fd < 0)
		return;
	for (;;) {
		ssize_t n = read(kmsg_fd, rec, sizeof(rec));
		if (n < 0 && (errno == EINTR || errno == EPIPE)) /* EPIPE: records overwritten */
			continue;
		if (n <= 0)
			return;
		const char *kind = kmsg_record_event(rec, (size_t)n, what, sizeof(what));
		if (kind)
			sample_event(kind, S(what));
	}
}

static void sample_step_rss(long long t)
{
	for (struct step *s = step_list; s; s = s->next) {
		char buf[2048], ms[24], kb[24];
		if (!s->running || s->status_fd < 0)
			continue;
		ssize_t n = pread(s->status_fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* a zombie or kernel thread has no VmRSS line */
		char *rss = strstr(buf, "\nVmRSS:");
		if (!rss)
			continue;
		snprintf(ms, sizeof(ms), "%lld", t - plan_t0);
		snprintf(kb, sizeof(kb), "%lld", atoll(rss + 8));
		send_rec("mem", S(s->name), S(ms), S(kb), NULL);
	}
}

void sample_steps(void)
{
	long long t = (long long)clock_now_ms();

	sample_kernel_events();
	if (t - last_steps >= SAMPLE_STEPS_MS) {
		last_steps = t;
		sample_step_rss(t);
	}
	if (t - last_system >= SAMPLE_SYSTEM_MS) {
		last_system = t;
		sample_system();
	}
}
