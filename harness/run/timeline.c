/* timeline: the memory timeline records into rows and facts. */
#include "run/timeline.h"

#include <stdlib.h>
#include <string.h>

/* The sys record's fields after MS, in order, and the series they are. */
static const char *const sys_series[] = { "MemFree", "MemAvailable", "Cached", "Shmem", "SwapFree" };
#define NSYS (sizeof(sys_series) / sizeof(sys_series[0]))

static const char *const event_kinds[] = { "start", "exit", "waited", "oom_kill", "alloc_fail" };

void timeline_init(struct timeline *t)
{
	strbuf_init(&t->rows);
	strbuf_init(&t->events);
}

void timeline_release(struct timeline *t)
{
	strbuf_release(&t->rows);
	strbuf_release(&t->events);
}

static int is_uint(const char *s)
{
	return *s && strlen(s) <= 19 && strspn(s, "0123456789") == strlen(s);
}

/* A name that can be a field of a tab-separated row. */
static int is_row_name(const char *s)
{
	return *s && !strpbrk(s, "\t\n");
}

/* "PID COMM", as the agent reports an OOM kill's victim. */
static int is_victim(const char *s)
{
	size_t digits = strspn(s, "0123456789");
	return digits > 0 && digits <= 19 && s[digits] == ' ' && is_row_name(s + digits + 1);
}

static int is_event_kind(const char *s)
{
	for (size_t i = 0; i < sizeof(event_kinds) / sizeof(event_kinds[0]); i++)
		if (!strcmp(s, event_kinds[i]))
			return 1;
	return 0;
}

static unsigned long long fact_number(const struct facts *f, const char *name)
{
	const char *v = facts_get(f, name);
	return v ? strtoull(v, NULL, 10) : 0;
}

static void count_up(struct facts *f, const char *name)
{
	facts_setf(f, name, "%llu", fact_number(f, name) + 1);
}

/* timeline.SERIES.min and .max take in one more value. */
static void extremes(struct facts *f, const char *series, const char *kb)
{
	struct strbuf name = STRBUF_INIT;
	unsigned long long v = strtoull(kb, NULL, 10);

	strbuf_addf(&name, "timeline.%s.min", series);
	if (!facts_get(f, name.buf) || v < fact_number(f, name.buf))
		facts_set(f, name.buf, kb);
	strbuf_reset(&name);
	strbuf_addf(&name, "timeline.%s.max", series);
	if (!facts_get(f, name.buf) || v > fact_number(f, name.buf))
		facts_set(f, name.buf, kb);
	strbuf_release(&name);
}

/* The counts a case may expect to be 0 exist from the first record on. */
static void counts_start(struct facts *f)
{
	static const char *const counts[] = { "timeline.samples", "timeline.oom_kills", "timeline.alloc_fails" };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (!facts_get(f, counts[i]))
			facts_set(f, counts[i], "0");
}

/* sys MS MEMFREE MEMAVAILABLE CACHED SHMEM SWAPFREE */
static int sys_record(struct timeline *t, struct facts *f, char **v, size_t n)
{
	if (n != 2 + NSYS)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!is_uint(v[i]))
			return 0;
	counts_start(f);
	for (size_t i = 0; i < NSYS; i++) {
		strbuf_addf(&t->rows, "%s\t%s\t%s\n", v[1], sys_series[i], v[2 + i]);
		extremes(f, sys_series[i], v[2 + i]);
	}
	count_up(f, "timeline.samples");
	return 1;
}

/* cgmem GROUP MS KB */
static int cgmem_record(struct timeline *t, struct facts *f, char **v, size_t n)
{
	if (n != 4 || !is_row_name(v[1]) || !is_uint(v[2]) || !is_uint(v[3]))
		return 0;
	struct strbuf series = STRBUF_INIT;

	counts_start(f);
	strbuf_addf(&t->rows, "%s\tcgroup:%s\t%s\n", v[2], v[1], v[3]);
	strbuf_addf(&series, "cgroup.%s", v[1]);
	extremes(f, series.buf, v[3]);
	strbuf_release(&series);
	return 1;
}

/* event MS KIND WHAT */
static int event_record(struct timeline *t, struct facts *f, char **v, size_t n)
{
	if (n != 4 || !is_uint(v[1]) || !is_event_kind(v[2]) || !is_row_name(v[3]))
		return 0;
	if (!strcmp(v[2], "oom_kill") && !is_victim(v[3]))
		return 0;
	counts_start(f);
	strbuf_addf(&t->events, "%s\t%s\t%s\n", v[1], v[2], v[3]);
	if (!strcmp(v[2], "oom_kill"))
		count_up(f, "timeline.oom_kills");
	else if (!strcmp(v[2], "alloc_fail"))
		count_up(f, "timeline.alloc_fails");
	return 1;
}

int timeline_apply(struct timeline *t, struct facts *f, char **v, size_t n)
{
	if (!n)
		return 0;
	if (!strcmp(v[0], "sys"))
		return sys_record(t, f, v, n);
	if (!strcmp(v[0], "cgmem"))
		return cgmem_record(t, f, v, n);
	if (!strcmp(v[0], "event"))
		return event_record(t, f, v, n);
	return 0;
}
