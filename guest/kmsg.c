/* kmsg: module results from /dev/kmsg records. */
#include "guest/kmsg.h"
#include "proto/frame.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* a record is at most this long (the kernel's CONSOLE_EXT_LOG_MAX) */
#define KMSG_RECORD_MAX 8192

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static int same_module(const char *a, size_t n, const char *module)
{
	size_t i;

	for (i = 0; i < n && module[i]; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = module[i] == '-' ? '_' : module[i];
		if (x != y)
			return 0;
	}
	return i == n && !module[i];
}

/* The text of a kernel record (facility 0), up to its first newline. */
static int kernel_text(const char *rec, size_t n, const char **msg, const char **eol)
{
	const char *end = rec + n, *semi = memchr(rec, ';', n);
	unsigned long pri = 0;
	const char *p;

	if (!semi)
		return -1;
	for (p = rec; p < semi && *p >= '0' && *p <= '9'; p++)
		pri = pri * 10 + (unsigned long)(*p - '0');
	if (p == rec || *p != ',' || pri >> 3) /* facility 0: the kernel's own */
		return -1;
	/* the agent's own frames, printed by oomtest_console (facility 0 too) */
	if ((size_t)(end - (semi + 1)) >= sizeof(FRAME_PREFIX) - 1 &&
	    !memcmp(semi + 1, FRAME_PREFIX, sizeof(FRAME_PREFIX) - 1))
		return -1;
	*msg = semi + 1;
	*eol = memchr(*msg, '\n', (size_t)(end - *msg));
	if (!*eol)
		*eol = end;
	return 0;
}

static const char *find_in(const char *s, const char *end, const char *what)
{
	size_t wl = strlen(what);

	for (; s + wl <= end; s++)
		if (!memcmp(s, what, wl))
			return s;
	return NULL;
}

/* The OOM killer's own words before "Killed process" (mm/oom_kill.c's
 * "Out of memory", "Memory cgroup out of memory", with "(oom_kill_allocating_task)"
 * or not), not a module's line that happens to hold them. */
static int killer_said(const char *msg, const char *at)
{
	static const char *const heads[] = { "Out of memory: ", "Memory cgroup out of memory: ",
					     "Out of memory (oom_kill_allocating_task): " };

	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		size_t n = strlen(heads[i]);
		if ((size_t)(at - msg) == n && !memcmp(msg, heads[i], n))
			return 1;
	}
	return 0;
}

const char *kmsg_record_event(const char *rec, size_t n, char *what, size_t size)
{
	const char *msg, *eol, *at;

	if (!size || kernel_text(rec, n, &msg, &eol))
		return NULL;
	if ((at = find_in(msg, eol, "Killed process ")) && killer_said(msg, at)) {
		/* "Killed process PID (COMM) total-vm:..." */
		const char *pid = at + 15, *open = find_in(pid, eol, " ("), *close = NULL;
		for (const char *d = pid; d < (open ? open : pid); d++)
			if (*d < '0' || *d > '9')
				return NULL;
		/* a comm may hold ')': the last one closes it */
		for (const char *p = open ? open + 2 : eol; p < eol; p++)
			if (*p == ')')
				close = p;
		if (!open || !close)
			return NULL;
		snprintf(what, size, "%.*s %.*s", (int)(open - pid), pid, (int)(close - open - 2), open + 2);
		return "oom_kill";
	}
	if ((at = find_in(msg, eol, ": page allocation failure: ")) ||
	    (at = find_in(msg, eol, ": vmalloc error: "))) {
		/* "COMM: page allocation failure: order:N, mode:..." */
		const char *order = find_in(at, eol, "order:"), *end = order;
		/* the record is not a C string: its length bounds every look */
		while (end && end < eol && *end != ',')
			end++;
		snprintf(what, size, "%.*s%s%.*s", (int)(at - msg), msg, order ? " " : "",
			 (int)(order ? end - order : 0), order ? order : "");
		return "alloc_fail";
	}
	return NULL;
}

int kmsg_record_result(const char *rec, size_t n, const char *module, const char **text, size_t *len)
{
	static const char tag[] = ": result ";
	const char *msg, *eol, *colon;

	if (kernel_text(rec, n, &msg, &eol))
		return -1;
	colon = memchr(msg, ':', (size_t)(eol - msg));
	if (!colon || (size_t)(eol - colon) < sizeof(tag) - 1 || memcmp(colon, tag, sizeof(tag) - 1) ||
	    !same_module(msg, (size_t)(colon - msg), module))
		return -1;
	*text = colon + sizeof(tag) - 1;
	*len = (size_t)(eol - *text);
	return 0;
}

int kmsg_module_result(int fd, const char *module, const char **text, size_t *len)
{
	static char rec[KMSG_RECORD_MAX], found[KMSG_RECORD_MAX];
	size_t found_len = 0;
	int have = 0;

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec));
		const char *t;
		size_t l;

		if (n < 0 && (errno == EINTR || errno == EPIPE)) /* EPIPE: records overwritten */
			continue;
		if (n <= 0)
			break;
		if (!kmsg_record_result(rec, (size_t)n, module, &t, &l)) {
			memcpy(found, t, l);
			found_len = l;
			have = 1;
		}
	}
	*text = found;
	*len = found_len;
	return have ? 0 : -1;
}
