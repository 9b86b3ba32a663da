/* klog: streaming kernel-log parser: lines, prefixes, events, facts, JSON. */
#include "klog/klog.h"

#include <endian.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define NONE LLONG_MIN		/* a number the kernel did not print */
#define MAX_TASKS 16384		/* task table rows kept per event */
#define MAX_KV 512		/* key/value pairs kept per block */
#define MAX_KILLS 256		/* kill lines kept per event */
#define MAX_LIST 64		/* zones, buddy lines, memcg blocks kept per event */
#define MAX_ORDERS 16
#define MAX_COLS 16
#define MAX_PANICS 64
#define MAX_ALLOC_FAILURES 1000
#define MAX_JOIN 4096		/* longest pr_cont-split line that is rejoined */
#define MAX_STR 4096		/* longest string kept (a cgroup path fits) */
/* What the details of all events kept (key/value pairs, task rows, zone and
 * buddy lines, kills after the first) may take, roughly, in bytes: with
 * KLOG_MAX_EVENTS events of any size, memory stays bounded. Past it details
 * are counted as dropped; the latest event gets back what the one it
 * replaces held. */
#define MAX_DETAIL (64u << 20)
/* An open report that sees this many kernel lines in a row that do not
 * belong to a report was cut off: the rest of it never came. */
#define MAX_IDLE 5000

#define GROW(p, n, alloc)						\
	do {								\
		if ((n) >= (alloc)) {					\
			(alloc) = (alloc) ? 2 * (alloc) : 8;		\
			(p) = xrealloc((p), (alloc) * sizeof(*(p)));	\
		}							\
	} while (0)

/* ---- spans: the parser never needs NUL-terminated input ---- */

struct span {
	const char *p;
	size_t n;
};

static inline struct span mkspan(const char *p, size_t n)
{
	struct span s = { p, n };
	return s;
}

static inline bool has_prefix(struct span s, const char *lit, size_t n)
{
	return s.n >= n && !memcmp(s.p, lit, n);
}
#define PFX(s, lit) has_prefix((s), (lit), sizeof(lit) - 1)

static inline bool eat_n(struct span *s, const char *lit, size_t n)
{
	if (!has_prefix(*s, lit, n))
		return false;
	s->p += n;
	s->n -= n;
	return true;
}
#define EAT(s, lit) eat_n((s), (lit), sizeof(lit) - 1)

static inline bool ends_n(struct span s, const char *lit, size_t n)
{
	return s.n >= n && !memcmp(s.p + s.n - n, lit, n);
}
#define ENDS(s, lit) ends_n((s), (lit), sizeof(lit) - 1)

#define FIND(s, lit) ((const char *)memmem((s).p, (s).n, (lit), sizeof(lit) - 1))

static inline void skip(struct span *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

static inline void skip_spaces(struct span *s)
{
	while (s->n && s->p[0] == ' ')
		skip(s, 1);
}

static inline void rtrim(struct span *s)
{
	while (s->n && (s->p[s->n - 1] == ' ' || s->p[s->n - 1] == '\t'))
		s->n--;
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The part of s before p (a pointer into s); s then starts at p. */
static struct span cut(struct span *s, const char *p)
{
	struct span head = mkspan(s->p, (size_t)(p - s->p));
	skip(s, head.n);
	return head;
}

/* Decimal with optional '-'; saturates instead of overflowing. */
static bool eat_num(struct span *s, long long *v)
{
	unsigned long long x = 0;
	size_t i = 0, start;
	bool neg = false;

	if (i < s->n && s->p[i] == '-') {
		neg = true;
		i++;
	}
	start = i;
	while (i < s->n && is_digit(s->p[i])) {
		unsigned d = (unsigned)(s->p[i] - '0');
		x = x > (ULLONG_MAX - d) / 10 ? ULLONG_MAX : x * 10 + d;
		i++;
	}
	if (i == start)
		return false;
	if (x > (unsigned long long)LLONG_MAX)
		x = LLONG_MAX;
	*v = neg ? -(long long)x : (long long)x;
	skip(s, i);
	return true;
}

/* "0x" and hex digits; the text as printed goes to out. */
static bool eat_hex(struct span *s, struct span *out)
{
	size_t i = 2;

	if (!PFX(*s, "0x"))
		return false;
	while (i < s->n && (is_digit(s->p[i]) || (s->p[i] >= 'a' && s->p[i] <= 'f') ||
			    (s->p[i] >= 'A' && s->p[i] <= 'F')))
		i++;
	if (i == 2)
		return false;
	*out = mkspan(s->p, i);
	skip(s, i);
	return true;
}

static char *sdup(struct span s)
{
	return xstrndup(s.p, s.n < MAX_STR ? s.n : MAX_STR);
}

static void set_str(char **dst, struct span s)
{
	free(*dst);
	*dst = sdup(s);
}

/* ---- the event model ---- */

struct kv {
	char *key;
	long long val;
};

struct kvlist {
	struct kv *v;
	size_t n, alloc, dropped;
};

struct memcg_counter {
	char *name;		/* memory, memory+swap, kmem, swap */
	long long usage_kb, limit_kb, failcnt;
};

struct memcg_stats {
	char *path;
	struct kvlist vals;
};

struct node_info {
	long long node;
	struct kvlist vals;
};

struct zone_info {
	long long node;
	char *zone;
	struct kvlist vals;	/* free, min, low, high, ... in kB as printed */
	long long *lowmem;	/* lowmem_reserve[] in pages */
	size_t nlowmem;
};

struct buddy {
	long long node;
	char *zone;
	size_t norders;
	long long count[MAX_ORDERS];
	long long size_kb[MAX_ORDERS];
	char *types[MAX_ORDERS];	/* migrate type letters, or NULL */
	long long total_kb;
};

struct task_table {
	char **cols;		/* column names between pid and name */
	size_t ncols;
	long long *vals;	/* nrows x (1 + ncols): pid, then the columns */
	char **names;
	size_t nrows, alloc, dropped;
};

enum kill_kind { KILL_PLAIN, KILL_GLOBAL, KILL_MEMCG, KILL_ALLOCATING };

static const char *const kill_kind_name[] = {
	[KILL_PLAIN] = NULL,
	[KILL_GLOBAL] = "global",
	[KILL_MEMCG] = "memcg",
	[KILL_ALLOCATING] = "allocating_task",
};

struct kill {
	unsigned long line;
	enum kill_kind kind;
	bool group;		/* killed for memory.oom.group */
	bool sharing;		/* "Kill process N (c) sharing same memory" */
	long long pid;
	char *comm;
	long long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb;
	long long uid, pgtables_kb, oom_score_adj;
	long long score;	/* "Kill process N (c) score S or sacrifice child" */
	long long chosen_pid;
	char *chosen_comm;
	int reaped;		/* 1 reaped, -1 unable to reap */
	long long reaped_anon_kb, reaped_file_kb, reaped_shmem_kb;
};

enum section {
	SEC_HEADER,		/* header, CPU line, trace */
	SEC_MEMINFO,		/* after Mem-Info: */
	SEC_MEMCG,		/* memcg counters */
	SEC_MEMCG_STATS,	/* "key value" lines of memory.stat */
	SEC_SLAB,		/* Unreclaimable slab info table */
	SEC_TASKS,		/* task table rows */
	SEC_AFTER,		/* summary and later */
};

struct oom_event {
	size_t index;		/* 1-based number of the event in the log */
	unsigned long line;	/* input line the event starts on */
	char *time;		/* that line's timestamp as printed */
	bool has_header;
	bool finished;		/* a kill, a "no killable", a panic: the report is whole */
	bool truncated;		/* cut off before it finished */
	bool group_mode, pending_sacrifice;
	bool no_killable, panic;
	enum section sec;
	unsigned idle;

	char *invoker;
	long long invoker_pid;
	char *gfp_mask, *gfp_flags, *hdr_nodemask;
	long long order, oom_score_adj, oom_adj;
	char *cpuset, *mems_allowed;	/* 4.4-4.20 "<comm> cpuset=" line */

	char *summary;		/* raw "oom-kill:" line, for pr_cont rejoining */
	char *constraint, *nodemask, *s_cpuset, *s_mems, *oom_memcg, *task_memcg, *task;
	long long task_pid, task_uid;
	bool global_oom;
	char *old_task_memcg, *old_limit_memcg;	/* <= 4.20 "Task in X ... limit of Y" */

	struct memcg_counter *counters;
	size_t ncounters, counters_alloc;
	struct memcg_stats *stats;
	size_t nstats, stats_alloc;

	struct kvlist meminfo;	/* global counters, pages */
	struct node_info *nodes;
	size_t nnodes, nodes_alloc;
	struct zone_info *zones;
	size_t nzones, zones_alloc;
	struct buddy *buddies;
	size_t nbuddies, buddies_alloc;
	struct kvlist totals;
	struct task_table tasks;

	struct kill *kills;
	size_t nkills, kills_alloc, kills_total;
	size_t sacrifice_idx;
	char *group_path;
	long long exiting_pid;	/* "OOM victim N (c) is already exiting" */
	char *exiting_comm;

	struct klog *owner;
	size_t detail;		/* bytes charged to owner->detail */
};

struct panic_ev {
	unsigned long line;
	char *reason;
	bool oom;
	size_t oom_event;	/* index of the OOM event it ended, or 0 */
};

struct alloc_failure {
	unsigned long line;
	char *comm, *gfp_mask, *gfp_flags;
	long long order;
};

enum pending { PEND_NONE, PEND_HEADER, PEND_SUMMARY, PEND_BUDDY };

struct klog {
	struct strbuf part;	/* the unfinished last line */
	bool part_overlong;
	unsigned long lines, kernel_lines, other_lines, overlong_lines;

	struct oom_event **events;
	size_t nevents, events_alloc, oom_total;

	struct panic_ev *panics;
	size_t npanics, panics_alloc, panic_total;
	size_t no_killable;
	struct alloc_failure *afs;
	size_t nafs, afs_alloc, af_total;
	size_t oops, bugs, warnings;
	size_t soft_lockups, hard_lockups, hung_tasks, rcu_stalls;

	/* Lines now belong to a report that is not an OOM report (allocation
	 * failure, oops): its Mem-Info must not land in an open OOM event. */
	bool foreign;
	enum pending pending;
	struct strbuf join;

	size_t detail, details_dropped;	/* see MAX_DETAIL */

	/* the current line */
	struct span time;
	long long caller_tid;
	bool hash;		/* it holds a '#' */
};

/* ---- small containers ---- */

/* Takes bytes from the detail budget for ev; false when it is spent. */
static bool charge(struct oom_event *ev, size_t bytes)
{
	struct klog *k = ev->owner;

	if (k->detail + bytes > MAX_DETAIL) {
		k->details_dropped++;
		return false;
	}
	k->detail += bytes;
	ev->detail += bytes;
	return true;
}

static void kv_add(struct oom_event *ev, struct kvlist *l, struct span key, long long val)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i].key) == key.n && !memcmp(l->v[i].key, key.p, key.n)) {
			l->v[i].val = val;
			return;
		}
	if (l->n >= MAX_KV || !charge(ev, sizeof(struct kv) + 32 + key.n)) {
		l->dropped++;
		return;
	}
	GROW(l->v, l->n, l->alloc);
	l->v[l->n].key = sdup(key);
	l->v[l->n].val = val;
	l->n++;
}

static void kv_addstr(struct oom_event *ev, struct kvlist *l, const char *key, long long val)
{
	kv_add(ev, l, mkspan(key, strlen(key)), val);
}

static long long kv_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].val;
	return NONE;
}

static void kv_release(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].key);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void tasks_release(struct task_table *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	for (size_t i = 0; i < t->nrows; i++)
		free(t->names[i]);
	free(t->cols);
	free(t->vals);
	free(t->names);
	memset(t, 0, sizeof(*t));
}

static void kill_release(struct kill *kl)
{
	free(kl->comm);
	free(kl->chosen_comm);
}

static void event_release(struct oom_event *ev)
{
	free(ev->time);
	free(ev->invoker);
	free(ev->gfp_mask);
	free(ev->gfp_flags);
	free(ev->hdr_nodemask);
	free(ev->cpuset);
	free(ev->mems_allowed);
	free(ev->summary);
	free(ev->constraint);
	free(ev->nodemask);
	free(ev->s_cpuset);
	free(ev->s_mems);
	free(ev->oom_memcg);
	free(ev->task_memcg);
	free(ev->task);
	free(ev->old_task_memcg);
	free(ev->old_limit_memcg);
	for (size_t i = 0; i < ev->ncounters; i++)
		free(ev->counters[i].name);
	free(ev->counters);
	for (size_t i = 0; i < ev->nstats; i++) {
		free(ev->stats[i].path);
		kv_release(&ev->stats[i].vals);
	}
	free(ev->stats);
	kv_release(&ev->meminfo);
	for (size_t i = 0; i < ev->nnodes; i++)
		kv_release(&ev->nodes[i].vals);
	free(ev->nodes);
	for (size_t i = 0; i < ev->nzones; i++) {
		free(ev->zones[i].zone);
		kv_release(&ev->zones[i].vals);
		free(ev->zones[i].lowmem);
	}
	free(ev->zones);
	for (size_t i = 0; i < ev->nbuddies; i++) {
		free(ev->buddies[i].zone);
		for (size_t j = 0; j < ev->buddies[i].norders; j++)
			free(ev->buddies[i].types[j]);
	}
	free(ev->buddies);
	kv_release(&ev->totals);
	tasks_release(&ev->tasks);
	for (size_t i = 0; i < ev->nkills; i++)
		kill_release(&ev->kills[i]);
	free(ev->kills);
	free(ev->group_path);
	free(ev->exiting_comm);
}

static void kill_init(struct kill *kl, unsigned long line)
{
	memset(kl, 0, sizeof(*kl));
	kl->line = line;
	kl->pid = kl->total_vm_kb = kl->anon_rss_kb = kl->file_rss_kb = NONE;
	kl->shmem_rss_kb = kl->uid = kl->pgtables_kb = kl->oom_score_adj = NONE;
	kl->score = kl->chosen_pid = NONE;
	kl->reaped_anon_kb = kl->reaped_file_kb = kl->reaped_shmem_kb = NONE;
}

/* ---- events ---- */

static struct oom_event *last_event(const struct klog *k)
{
	return k->nevents ? k->events[k->nevents - 1] : NULL;
}

/* The event report lines belong to: the last one, while it is unfinished. */
static struct oom_event *open_event(const struct klog *k)
{
	struct oom_event *ev = last_event(k);
	return ev && !ev->finished ? ev : NULL;
}

static char *time_string(const struct klog *k)
{
	struct span t = k->time;

	skip_spaces(&t);
	rtrim(&t);
	return t.n ? sdup(t) : NULL;
}

static struct oom_event *new_event(struct klog *k, bool header)
{
	struct oom_event *prev = last_event(k), *ev;

	if (prev && !prev->finished) {
		prev->finished = true;
		prev->truncated = true;
	}
	k->oom_total++;
	if (k->nevents < KLOG_MAX_EVENTS) {
		GROW(k->events, k->nevents, k->events_alloc);
		ev = xcalloc(1, sizeof(*ev));
		k->events[k->nevents++] = ev;
	} else {
		ev = k->events[k->nevents - 1];
		k->detail -= ev->detail;
		event_release(ev);
		memset(ev, 0, sizeof(*ev));
	}
	ev->owner = k;
	ev->index = k->oom_total;
	ev->line = k->lines;
	ev->time = time_string(k);
	ev->has_header = header;
	ev->sec = header ? SEC_HEADER : SEC_AFTER;
	ev->invoker_pid = ev->order = ev->oom_score_adj = ev->oom_adj = NONE;
	ev->task_pid = ev->task_uid = ev->exiting_pid = NONE;
	k->foreign = false;
	return ev;
}

static struct kill *add_kill(struct oom_event *ev, unsigned long line)
{
	struct kill *kl;

	ev->kills_total++;
	/* the first kill, the victim, is always kept */
	if (ev->nkills >= MAX_KILLS || (ev->nkills && !charge(ev, sizeof(*kl) + 64)))
		return NULL;
	GROW(ev->kills, ev->nkills, ev->kills_alloc);
	kl = &ev->kills[ev->nkills++];
	kill_init(kl, line);
	return kl;
}

/* ---- header: "<comm> invoked oom-killer: gfp_mask=..., order=N, oom_score_adj=N" ---- */

/* Parses the header text after "gfp_mask="; false if it stops short of
 * "order=": 4.11-4.14 print the nodemask with pr_cont, and a console can
 * split the line there. */
static bool parse_header_tail(struct oom_event *ev, struct span s)
{
	struct span hex;
	const char *e;

	if (!eat_hex(&s, &hex))
		return true;	/* not a form we know: nothing to wait for */
	set_str(&ev->gfp_mask, hex);
	if (EAT(&s, "(")) {
		e = memchr(s.p, ')', s.n);
		if (!e)
			return false;
		set_str(&ev->gfp_flags, cut(&s, e));
		skip(&s, 1);
	}
	if (!s.n)
		return false;
	if (!EAT(&s, ","))
		return true;
	skip_spaces(&s);
	if (EAT(&s, "nodemask=")) {
		/* a node list has commas ("0-1,3") but never ", " */
		e = FIND(s, ", ");
		if (!e)
			return false;
		set_str(&ev->hdr_nodemask, cut(&s, e));
		EAT(&s, ",");
		skip_spaces(&s);
	}
	if (!s.n)
		return false;
	if (!EAT(&s, "order=") || !eat_num(&s, &ev->order))
		return true;
	if (EAT(&s, ", oom_adj="))
		eat_num(&s, &ev->oom_adj);
	if (EAT(&s, ", oom_score_adj="))
		eat_num(&s, &ev->oom_score_adj);
	return true;
}

static void on_header(struct klog *k, struct span m, size_t comm_len)
{
	struct oom_event *ev = new_event(k, true);
	struct span s = m;

	ev->invoker = sdup(mkspan(m.p, comm_len));
	if (k->caller_tid != NONE)
		ev->invoker_pid = k->caller_tid;
	skip(&s, comm_len + sizeof(" invoked oom-killer: ") - 1);
	if (!EAT(&s, "gfp_mask="))
		return;
	if (!parse_header_tail(ev, s) && s.n < MAX_JOIN) {
		strbuf_reset(&k->join);
		strbuf_add(&k->join, s.p, s.n);
		k->pending = PEND_HEADER;
	}
}

/* ---- oom-kill: summary (5.0+) ---- */

static const char *find_from(struct span s, const char *from, const char *lit)
{
	size_t off = (size_t)(from - s.p);
	return memmem(from, s.n - off, lit, strlen(lit));
}

/* Fields in print order; values may hold commas (node lists, cgroup
 * names), so a value runs up to the next field marker that is found. */
static bool parse_summary(struct oom_event *ev)
{
	static const char *const marks[] = {
		",nodemask=", ",cpuset=", ",mems_allowed=", ",global_oom",
		",oom_memcg=", ",task_memcg=",
	};
	enum { NMARKS = sizeof(marks) / sizeof(marks[0]) };
	struct span all = mkspan(ev->summary, strlen(ev->summary)), s = all, head;
	const char *pos[NMARKS], *uid, *pid, *task, *cur;
	struct span v;
	long long x;

	free(ev->constraint);
	free(ev->nodemask);
	free(ev->s_cpuset);
	free(ev->s_mems);
	free(ev->oom_memcg);
	free(ev->task_memcg);
	free(ev->task);
	ev->constraint = ev->nodemask = ev->s_cpuset = ev->s_mems = NULL;
	ev->oom_memcg = ev->task_memcg = ev->task = NULL;
	ev->global_oom = false;
	ev->task_pid = ev->task_uid = NONE;

	if (!EAT(&s, "constraint="))
		return true;
	/* tail: ",task=<comm>,pid=N,uid=N" */
	uid = NULL;
	for (const char *p = s.p; (p = find_from(s, p, ",uid=")); p++)
		uid = p;
	head = s;
	if (uid) {
		v = mkspan(uid + 5, (size_t)(s.p + s.n - uid - 5));
		if (eat_num(&v, &x) && !v.n)
			ev->task_uid = x;
		head.n = (size_t)(uid - s.p);
		pid = NULL;
		for (const char *p = head.p; (p = find_from(head, p, ",pid=")); p++)
			pid = p;
		if (pid) {
			v = mkspan(pid + 5, (size_t)(uid - pid - 5));
			if (eat_num(&v, &x) && !v.n)
				ev->task_pid = x;
			/* comm is at most 15 bytes: ",task=" is close before ",pid=" */
			size_t back = (size_t)(pid - head.p) < 21 ? (size_t)(pid - head.p) : 21;
			struct span win = mkspan(pid - back, back);
			task = FIND(win, ",task=");
			if (task) {
				ev->task = sdup(mkspan(task + 6, (size_t)(pid - task - 6)));
				head.n = (size_t)(task - head.p);
			} else {
				head.n = (size_t)(pid - head.p);
			}
		}
	}
	cur = head.p;
	for (int i = 0; i < NMARKS; i++) {
		pos[i] = find_from(head, cur, marks[i]);
		if (pos[i] == NULL)
			continue;
		if (i == 3) {
			/* ",global_oom" is a flag: it ends at ',' or the end */
			const char *e = pos[i] + strlen(marks[i]);
			if (e != head.p + head.n && *e != ',') {
				pos[i] = NULL;
				continue;
			}
		}
		cur = pos[i] + 1;
	}
	for (int i = -1; i < NMARKS; i++) {
		const char *start = i < 0 ? head.p : pos[i], *end = head.p + head.n;
		char **dst;

		if (!start)
			continue;
		if (i >= 0)
			start += strlen(marks[i]);
		for (int j = i + 1; j < NMARKS; j++)
			if (pos[j]) {
				end = pos[j];
				break;
			}
		if (end < start)
			end = start;
		v = mkspan(start, (size_t)(end - start));
		switch (i) {
		case -1: dst = &ev->constraint; break;
		case 0: dst = &ev->nodemask; break;
		case 1: dst = &ev->s_cpuset; break;
		case 2: dst = &ev->s_mems; break;
		case 3: ev->global_oom = true; continue;
		case 4: dst = &ev->oom_memcg; break;
		default: dst = &ev->task_memcg; break;
		}
		set_str(dst, v);
	}
	return uid != NULL;
}

static void on_summary(struct klog *k, struct span m)
{
	struct oom_event *ev = open_event(k);

	if (!ev)
		ev = new_event(k, false);
	k->foreign = false;
	ev->sec = SEC_AFTER;
	if (m.n > MAX_JOIN)
		m.n = MAX_JOIN;
	free(ev->summary);
	ev->summary = sdup(m);
	if (!parse_summary(ev))
		k->pending = PEND_SUMMARY;
}

/* ---- kill lines ---- */

/* "(comm)" followed by `after`; comm may hold ')' and spaces. */
static bool eat_comm(struct span *s, const char *after, struct span *comm)
{
	const char *e;

	if (!EAT(s, "("))
		return false;
	e = memmem(s->p, s->n, after, strlen(after));
	if (!e) {
		/* a cut line, or a form without the tail: up to the last ')' */
		size_t n = s->n;
		while (n && s->p[n - 1] != ')')
			n--;
		e = n ? s->p + n - 1 : s->p + s->n;
	}
	*comm = cut(s, e);
	EAT(s, ")");
	return true;
}

/* "N (comm) total-vm:NkB, anon-rss:NkB, file-rss:NkB[, shmem-rss:NkB]
 *  [, UID:N pgtables:NkB oom_score_adj:N]"; RHEL 2.6.32: "N, UID U, (comm) ..." */
static void parse_killed(struct span s, struct kill *kl)
{
	struct span comm;

	if (!eat_num(&s, &kl->pid))
		return;
	if (EAT(&s, ", UID ")) {
		eat_num(&s, &kl->uid);
		EAT(&s, ",");
	}
	skip_spaces(&s);
	if (!eat_comm(&s, ") total-vm:", &comm))
		return;
	free(kl->comm);
	kl->comm = sdup(comm);
	skip_spaces(&s);
	if (!EAT(&s, "total-vm:") || !eat_num(&s, &kl->total_vm_kb) || !EAT(&s, "kB, anon-rss:") ||
	    !eat_num(&s, &kl->anon_rss_kb) || !EAT(&s, "kB, file-rss:") ||
	    !eat_num(&s, &kl->file_rss_kb) || !EAT(&s, "kB"))
		return;
	if (EAT(&s, ", shmem-rss:") && (!eat_num(&s, &kl->shmem_rss_kb) || !EAT(&s, "kB")))
		return;
	if (EAT(&s, ", UID:") && eat_num(&s, &kl->uid) && EAT(&s, " pgtables:") &&
	    eat_num(&s, &kl->pgtables_kb) && EAT(&s, "kB oom_score_adj:"))
		eat_num(&s, &kl->oom_score_adj);
}

/* Where a kill line goes: the open event, a memory.oom.group kill, the
 * second half of "sacrifice child"; else it is a report whose header was
 * not printed (ratelimited) or not kept. */
static struct oom_event *kill_event(struct klog *k)
{
	struct oom_event *ev = last_event(k);

	if (ev && (!ev->finished || ev->group_mode || ev->pending_sacrifice))
		return ev;
	return new_event(k, false);
}

static void on_killed(struct klog *k, struct span s, enum kill_kind kind)
{
	struct oom_event *ev = kill_event(k);
	struct kill *kl;

	k->foreign = false;
	ev->finished = true;
	ev->sec = SEC_AFTER;
	if (ev->pending_sacrifice) {
		ev->pending_sacrifice = false;
		if (ev->sacrifice_idx >= ev->nkills)
			return;
		kl = &ev->kills[ev->sacrifice_idx];
		kl->chosen_pid = kl->pid;
		kl->chosen_comm = kl->comm;
		kl->comm = NULL;
		kl->pid = NONE;
	} else {
		kl = add_kill(ev, k->lines);
		if (!kl)
			return;
		kl->group = ev->group_mode;
	}
	if (kind != KILL_PLAIN)
		kl->kind = kind;
	parse_killed(s, kl);
	if (kl->pid == NONE && kl->chosen_pid != NONE)
		kl->pid = kl->chosen_pid;
	if (!kl->comm && kl->chosen_comm)
		kl->comm = xstrdup(kl->chosen_comm);
}

/* "N (comm) score S or sacrifice child" and "N (comm) sharing same memory" */
static void on_kill_process(struct klog *k, struct span s, enum kill_kind kind)
{
	struct oom_event *ev;
	struct kill *kl;
	struct span comm;
	long long pid;
	bool sharing = FIND(s, ") sharing same memory") != NULL;

	if (!eat_num(&s, &pid) || !EAT(&s, " "))
		return;
	ev = sharing && last_event(k) ? last_event(k) : kill_event(k);
	k->foreign = false;
	ev->finished = true;
	ev->sec = SEC_AFTER;
	kl = add_kill(ev, k->lines);
	if (!kl)
		return;
	kl->kind = kind;
	kl->pid = pid;
	kl->sharing = sharing;
	if (!eat_comm(&s, sharing ? ") sharing same memory" : ") score ", &comm))
		return;
	kl->comm = sdup(comm);
	if (!sharing) {
		skip_spaces(&s);
		if (EAT(&s, "score "))
			eat_num(&s, &kl->score);
		ev->pending_sacrifice = true;
		ev->sacrifice_idx = ev->nkills - 1;
	}
}

/* 5.9+: "OOM victim N (comm) is already exiting. Skip killing the task" */
static void on_victim_exiting(struct klog *k, struct span s)
{
	struct oom_event *ev = open_event(k);
	struct span comm;

	if (!ev)
		ev = new_event(k, false);
	ev->finished = true;
	ev->sec = SEC_AFTER;
	if (!eat_num(&s, &ev->exiting_pid) || !EAT(&s, " "))
		return;
	if (eat_comm(&s, ") is already exiting", &comm))
		set_str(&ev->exiting_comm, comm);
}

static void on_kill_prefixed(struct klog *k, struct span s, enum kill_kind kind)
{
	if (EAT(&s, "Killed process "))
		on_killed(k, s, kind);
	else if (EAT(&s, "Kill process "))
		on_kill_process(k, s, kind);
	else if (EAT(&s, "OOM victim "))
		on_victim_exiting(k, s);
}

static void on_group(struct klog *k, struct span s)
{
	struct oom_event *ev = last_event(k);
	const char *e = FIND(s, " are going to be killed due to memory.oom.group set");

	if (!e)
		return;
	if (!ev)
		ev = new_event(k, false);
	set_str(&ev->group_path, cut(&s, e));
	ev->group_mode = true;
	ev->finished = true;
}

/* "reaped process N (comm), now anon-rss:NkB, file-rss:NkB, shmem-rss:NkB" */
static void on_reaper(struct klog *k, struct span s)
{
	long long pid;
	bool reaped;
	struct kill *kl = NULL;
	struct span comm;

	if (EAT(&s, "reaped process "))
		reaped = true;
	else if (EAT(&s, "unable to reap pid:"))
		reaped = false;
	else
		return;
	if (!eat_num(&s, &pid))
		return;
	/* the reaper runs a little later: look back a few events */
	for (size_t i = k->nevents; i > 0 && i + 4 > k->nevents && !kl; i--) {
		struct oom_event *ev = k->events[i - 1];
		for (size_t j = ev->nkills; j > 0; j--)
			if (ev->kills[j - 1].pid == pid) {
				kl = &ev->kills[j - 1];
				break;
			}
	}
	if (!kl)
		return;
	kl->reaped = reaped ? 1 : -1;
	if (!reaped)
		return;
	EAT(&s, " ");
	if (!eat_comm(&s, "), now ", &comm))
		return;
	EAT(&s, ",");
	skip_spaces(&s);
	if (EAT(&s, "now anon-rss:") && eat_num(&s, &kl->reaped_anon_kb) &&
	    EAT(&s, "kB, file-rss:") && eat_num(&s, &kl->reaped_file_kb) &&
	    EAT(&s, "kB, shmem-rss:"))
		eat_num(&s, &kl->reaped_shmem_kb);
}

/* ---- panics, allocation failures, oops ---- */

static bool oom_reason(struct span r)
{
	return PFX(r, "Out of memory") || PFX(r, "System is deadlocked on memory");
}

static void on_no_killable(struct klog *k)
{
	struct oom_event *ev = open_event(k);

	k->no_killable++;
	if (ev) {
		ev->no_killable = true;
		ev->finished = true;
	}
}

static void on_panic(struct klog *k, struct span r)
{
	struct panic_ev *p;
	struct oom_event *ev = last_event(k);
	bool oom = oom_reason(r);

	rtrim(&r);
	if (PFX(r, "Out of memory and no killable processes"))
		on_no_killable(k);
	k->panic_total++;
	if (k->npanics >= MAX_PANICS)
		return;
	GROW(k->panics, k->npanics, k->panics_alloc);
	p = &k->panics[k->npanics++];
	p->line = k->lines;
	p->reason = sdup(r);
	p->oom = oom;
	p->oom_event = 0;
	/* panic_on_oom panics right after the header: it ends that report */
	if (oom && ev && (!ev->finished || ev->no_killable)) {
		ev->panic = true;
		ev->finished = true;
		p->oom_event = ev->index;
	}
}

/* "<comm>: page allocation failure: order:N, mode:0x..(..)[, nodemask=..]";
 * 2.6 writes "failure. order:". */
static bool on_alloc_failure(struct klog *k, struct span m, size_t c)
{
	struct span s = m, hex;
	struct alloc_failure *af;
	long long order;

	skip(&s, c + 25);
	if (!EAT(&s, ": order:") && !EAT(&s, ". order:"))
		return false;
	if (!eat_num(&s, &order))
		return false;
	k->af_total++;
	k->foreign = true;
	if (k->nafs >= MAX_ALLOC_FAILURES)
		return true;
	GROW(k->afs, k->nafs, k->afs_alloc);
	af = &k->afs[k->nafs++];
	memset(af, 0, sizeof(*af));
	af->line = k->lines;
	af->comm = sdup(mkspan(m.p, c));
	af->order = order;
	if (EAT(&s, ", mode:") && eat_hex(&s, &hex)) {
		af->gfp_mask = sdup(hex);
		if (EAT(&s, "(")) {
			const char *e = memchr(s.p, ')', s.n);
			if (e)
				af->gfp_flags = sdup(cut(&s, e));
		}
	}
	return true;
}

/* The die header "<what>: <err in hex> [#<n>]": x86 "Oops: 0002 [#1] SMP",
 * "general protection fault, ...: 0000 [#1]", "invalid opcode: 0000 [#1]"
 * (BUG()), 6.x "Oops: invalid opcode: 0000 [#1]", arm "Internal error:
 * Oops: 805 [#1]". */
static bool is_oops(struct span m)
{
	const char *p = FIND(m, " [#"), *q;

	if (!p || !m.n || !((m.p[0] >= 'a' && m.p[0] <= 'z') || (m.p[0] >= 'A' && m.p[0] <= 'Z')))
		return false;
	for (q = p; q > m.p && (is_digit(q[-1]) || (q[-1] >= 'a' && q[-1] <= 'f')); q--)
		;
	if (q == p || p - q > 8 || q - m.p < 3 || q[-1] != ' ' || q[-2] != ':')
		return false;
	p += 3;
	if (p >= m.p + m.n || !is_digit(*p))
		return false;
	while (p < m.p + m.n && is_digit(*p))
		p++;
	return p < m.p + m.n && *p == ']';
}

/* ---- Mem-Info, zones, buddy, totals ---- */

/* "key:123kB key2: 45 ..." tokens; strict: every token must be one. */
static bool parse_kv_tokens(struct oom_event *ev, struct kvlist *l, struct span s, bool strict)
{
	bool any = false;

	for (;;) {
		struct span key;
		const char *colon, *sp;
		long long v;

		skip_spaces(&s);
		if (!s.n)
			break;
		sp = memchr(s.p, ' ', s.n);
		colon = memchr(s.p, ':', sp ? (size_t)(sp - s.p) : s.n);
		if (!colon || colon == s.p) {
			if (strict)
				return false;
			if (PFX(s, "all_unreclaimable? ")) {
				skip(&s, 19);
				kv_addstr(ev, l, "all_unreclaimable", PFX(s, "yes") ? 1 : 0);
				continue;
			}
			if (!sp)
				break;
			skip(&s, (size_t)(sp - s.p));
			continue;
		}
		key = cut(&s, colon);
		skip(&s, 1);
		if (s.n && s.p[0] == ' ')	/* THP fields: "anon_thp: 0kB" */
			skip(&s, 1);
		if (!eat_num(&s, &v)) {
			if (strict)
				return false;
			continue;
		}
		if (!EAT(&s, "kB"))
			EAT(&s, "KB");
		if (s.n && s.p[0] != ' ') {
			if (strict)
				return false;
			continue;
		}
		if (strict && !any) {
			for (size_t i = 0; i < key.n; i++)
				if (!(key.p[i] == '_' || (key.p[i] >= 'a' && key.p[i] <= 'z')))
					return false;
		}
		kv_add(ev, l, key, v);
		any = true;
	}
	return any;
}

/* "Node N " in front of zone and buddy lines (CONFIG_NUMA) */
static long long eat_node(struct span *s)
{
	struct span t = *s;
	long long node;

	if (EAT(&t, "Node ") && eat_num(&t, &node) && EAT(&t, " ")) {
		*s = t;
		return node;
	}
	return -1;
}

static size_t zone_name_len(struct span s)
{
	size_t i = 0;

	while (i < s.n && i < 32 && is_alnum(s.p[i]))
		i++;
	return i;
}

/* Entries "N*SkB [(UME)]" up to "= TkB"; false while the line is incomplete. */
static bool parse_buddy_entries(struct buddy *b, struct span s)
{
	for (;;) {
		long long cnt, size;

		skip_spaces(&s);
		if (EAT(&s, "=")) {
			skip_spaces(&s);
			if (eat_num(&s, &b->total_kb))
				return true;
			return false;
		}
		if (!eat_num(&s, &cnt) || !EAT(&s, "*") || !eat_num(&s, &size))
			return false;
		EAT(&s, "kB");
		if (b->norders < MAX_ORDERS) {
			b->count[b->norders] = cnt;
			b->size_kb[b->norders] = size;
			b->types[b->norders] = NULL;
		}
		skip_spaces(&s);
		if (EAT(&s, "(")) {
			const char *e = memchr(s.p, ')', s.n);
			if (!e)
				return false;
			if (b->norders < MAX_ORDERS)
				b->types[b->norders] = sdup(cut(&s, e));
			skip(&s, 1);
		}
		if (b->norders < MAX_ORDERS)
			b->norders++;
	}
}

static bool on_buddy(struct klog *k, struct oom_event *ev, long long node, struct span s)
{
	size_t zl = zone_name_len(s);
	struct buddy *b;

	if (!zl || s.n < zl + 3 || s.p[zl] != ':' || s.p[zl + 1] != ' ' || !is_digit(s.p[zl + 2]))
		return false;
	if (ev->nbuddies >= MAX_LIST || !charge(ev, sizeof(*b) + 256))
		return true;
	GROW(ev->buddies, ev->nbuddies, ev->buddies_alloc);
	b = &ev->buddies[ev->nbuddies++];
	memset(b, 0, sizeof(*b));
	b->node = node < 0 ? 0 : node;
	b->zone = sdup(mkspan(s.p, zl));
	b->total_kb = NONE;
	skip(&s, zl + 1);
	if (!parse_buddy_entries(b, s))
		k->pending = PEND_BUDDY;
	return true;
}

static bool on_zone(struct oom_event *ev, long long node, struct span s)
{
	size_t zl = zone_name_len(s);
	struct zone_info *z;

	if (!zl || !has_prefix(mkspan(s.p + zl, s.n - zl), " free:", 6))
		return false;
	if (ev->nzones >= MAX_LIST || !charge(ev, sizeof(*z) + 32 + MAX_ORDERS * sizeof(long long)))
		return true;
	GROW(ev->zones, ev->nzones, ev->zones_alloc);
	z = &ev->zones[ev->nzones++];
	memset(z, 0, sizeof(*z));
	z->node = node < 0 ? 0 : node;
	z->zone = sdup(mkspan(s.p, zl));
	skip(&s, zl);
	parse_kv_tokens(ev, &z->vals, s, false);
	return true;
}

static void on_lowmem(struct oom_event *ev, struct span s)
{
	struct zone_info *z;
	long long v;

	if (!ev->nzones)
		return;
	z = &ev->zones[ev->nzones - 1];
	if (z->lowmem)
		return;
	z->lowmem = xcalloc(MAX_ORDERS, sizeof(*z->lowmem));
	for (;;) {
		skip_spaces(&s);
		if (!eat_num(&s, &v) || z->nlowmem >= MAX_ORDERS)
			break;
		z->lowmem[z->nlowmem++] = v;
	}
}

/* "Node N ..." inside a report: zone, buddy, per-node counters */
static bool on_node_line(struct klog *k, struct oom_event *ev, struct span s)
{
	long long node = eat_node(&s);
	struct node_info *n;
	size_t zl;

	if (node < 0)
		return false;
	if (on_zone(ev, node, s) || on_buddy(k, ev, node, s))
		return true;
	zl = zone_name_len(s);
	if (zl < s.n && s.p[zl] == ':' && ev->nnodes < MAX_LIST && charge(ev, sizeof(*n))) {
		GROW(ev->nodes, ev->nnodes, ev->nodes_alloc);
		n = &ev->nodes[ev->nnodes++];
		memset(n, 0, sizeof(*n));
		n->node = node;
		parse_kv_tokens(ev, &n->vals, s, false);
	}
	return true;	/* hugepages, "DMA per-cpu:" */
}

static const struct {
	const char *text, *key;
} total_names[] = {
	{ "total pagecache pages", "total_pagecache_pages" },
	{ "pages in swap cache", "pages_in_swap_cache" },
	{ "pages RAM", "pages_ram" },
	{ "pages of RAM", "pages_ram" },
	{ "pages HighMem/MovableOnly", "pages_highmem_movableonly" },
	{ "pages HighMem", "pages_highmem" },
	{ "pages reserved", "pages_reserved" },
	{ "reserved pages", "pages_reserved" },
	{ "pages cma reserved", "pages_cma_reserved" },
	{ "pages hwpoisoned", "pages_hwpoisoned" },
	{ "free pages", "free_pages" },
	{ "slab pages", "slab_pages" },
	{ "pages shared", "pages_shared" },
	{ "pages swap cached", "pages_swap_cached" },
};

static bool on_total(struct oom_event *ev, struct span s)
{
	long long v;

	if (!eat_num(&s, &v) || !EAT(&s, " "))
		return false;
	rtrim(&s);
	for (size_t i = 0; i < sizeof(total_names) / sizeof(total_names[0]); i++)
		if (strlen(total_names[i].text) == s.n && !memcmp(s.p, total_names[i].text, s.n)) {
			kv_addstr(ev, &ev->totals, total_names[i].key, v);
			return true;
		}
	return false;
}

/* ---- memcg context ---- */

/* "memory: usage NkB, limit NkB, failcnt N" (and memory+swap, kmem, swap) */
static bool on_memcg_counter(struct oom_event *ev, struct span s)
{
	const char *e = FIND(s, ": usage ");
	struct memcg_counter *c;
	struct span name;

	if (!e || e - s.p > 16)
		return false;
	name = cut(&s, e);
	for (size_t i = 0; i < name.n; i++)
		if (!((name.p[i] >= 'a' && name.p[i] <= 'z') || name.p[i] == '+'))
			return false;
	skip(&s, 8);
	if (ev->ncounters >= MAX_LIST || !charge(ev, sizeof(*c) + 32))
		return true;
	GROW(ev->counters, ev->ncounters, ev->counters_alloc);
	c = &ev->counters[ev->ncounters++];
	c->name = sdup(name);
	c->usage_kb = c->limit_kb = c->failcnt = NONE;
	if (eat_num(&s, &c->usage_kb) && EAT(&s, "kB, limit ") && eat_num(&s, &c->limit_kb) &&
	    EAT(&s, "kB, failcnt "))
		eat_num(&s, &c->failcnt);
	ev->sec = SEC_MEMCG;
	return true;
}

/* "Memory cgroup stats for PATH:" (5.3+, values follow as "key value"
 * lines) or "Memory cgroup stats for PATH: cache:0KB rss:..." (<= 5.2) */
static void on_memcg_stats(struct oom_event *ev, struct span s)
{
	struct memcg_stats *st;
	const char *sep = NULL;

	rtrim(&s);
	if (ev->nstats >= MAX_LIST || !charge(ev, sizeof(*st) + 32 + (s.n < MAX_STR ? s.n : MAX_STR)))
		return;
	GROW(ev->stats, ev->nstats, ev->stats_alloc);
	st = &ev->stats[ev->nstats++];
	memset(st, 0, sizeof(*st));
	if (ENDS(s, ":")) {
		st->path = sdup(mkspan(s.p, s.n - 1));
		ev->sec = SEC_MEMCG_STATS;
		return;
	}
	for (const char *p = s.p; (p = find_from(s, p, ": ")); p++)
		sep = p;
	if (!sep) {
		st->path = sdup(s);
		return;
	}
	st->path = sdup(mkspan(s.p, (size_t)(sep - s.p)));
	parse_kv_tokens(ev, &st->vals, mkspan(sep + 2, (size_t)(s.p + s.n - sep - 2)), false);
	ev->sec = SEC_MEMCG;
}

/* "  key 1234" lines of a 5.3+ memory.stat dump */
static bool on_stat_line(struct oom_event *ev, struct span s)
{
	size_t i = 0;
	long long v;
	struct span key;

	skip_spaces(&s);
	while (i < s.n && ((s.p[i] >= 'a' && s.p[i] <= 'z') || s.p[i] == '_' || is_digit(s.p[i])))
		i++;
	if (!i || i >= s.n || s.p[i] != ' ')
		return false;
	key = cut(&s, s.p + i);
	skip(&s, 1);
	if (!eat_num(&s, &v) || s.n)
		return false;
	kv_add(ev, &ev->stats[ev->nstats - 1].vals, key, v);
	return true;
}

/* ---- task table ---- */

static bool on_task_header(struct oom_event *ev, struct span s)
{
	struct task_table *t = &ev->tasks;
	struct span tok;
	char *cols[MAX_COLS + 1];
	size_t n = 0;

	if (!EAT(&s, "["))
		return false;
	skip_spaces(&s);
	if (!EAT(&s, "pid"))
		return false;
	skip_spaces(&s);
	if (!EAT(&s, "]"))
		return false;
	rtrim(&s);
	if (!ENDS(s, " name"))
		return false;
	s.n -= 5;
	for (;;) {
		const char *e;

		skip_spaces(&s);
		if (!s.n)
			break;
		e = memchr(s.p, ' ', s.n);
		tok = cut(&s, e ? e : s.p + s.n);
		for (size_t i = 0; i < tok.n; i++)
			if (!((tok.p[i] >= 'a' && tok.p[i] <= 'z') || tok.p[i] == '_'))
				goto bad;
		if (n >= MAX_COLS)
			goto bad;
		cols[n++] = sdup(tok);
	}
	tasks_release(t);
	t->cols = xmalloc((n ? n : 1) * sizeof(*t->cols));
	memcpy(t->cols, cols, n * sizeof(*cols));
	t->ncols = n;
	ev->sec = SEC_TASKS;
	return true;
bad:
	while (n)
		free(cols[--n]);
	return false;
}

/* "[ 1234]  uid  tgid ... name": the columns the header named, then comm */
static bool on_task_row(struct oom_event *ev, struct span s)
{
	struct task_table *t = &ev->tasks;
	long long v[MAX_COLS + 1];
	size_t w = 1 + t->ncols;

	if (!EAT(&s, "["))
		return false;
	skip_spaces(&s);
	if (!eat_num(&s, &v[0]) || !EAT(&s, "]"))
		return false;
	for (size_t i = 0; i < t->ncols; i++) {
		if (!s.n || s.p[0] != ' ')
			return false;
		skip_spaces(&s);
		if (!eat_num(&s, &v[1 + i]))
			return false;
	}
	if (!EAT(&s, " "))
		return false;
	if (t->nrows >= MAX_TASKS || !charge(ev, w * sizeof(*v) + sizeof(char *) + 32 + s.n)) {
		t->dropped++;
		return true;
	}
	if (t->nrows >= t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 64;
		t->vals = xrealloc(t->vals, t->alloc * w * sizeof(*t->vals));
		t->names = xrealloc(t->names, t->alloc * sizeof(*t->names));
	}
	memcpy(t->vals + t->nrows * w, v, w * sizeof(*v));
	t->names[t->nrows++] = sdup(s);
	return true;
}

/* ---- lines inside an open report ---- */

static bool on_report_line(struct klog *k, struct oom_event *ev, struct span m)
{
	struct span s = m;
	const char *e;

	if (ev->sec == SEC_TASKS && PFX(m, "[") && on_task_row(ev, m))
		return true;
	if (ev->sec == SEC_MEMCG_STATS) {
		if (on_stat_line(ev, m))
			return true;
		ev->sec = SEC_MEMCG;
	}
	if (PFX(m, "[") && on_task_header(ev, m)) {
		k->foreign = false;
		return true;
	}
	if (PFX(m, "Tasks state"))
		return true;
	if (k->foreign)
		return false;
	if (ev->sec == SEC_HEADER) {
		if (EAT(&s, "CPU: ")) {
			/* "CPU: 3 [UID: 0 ]PID: 473206 Comm: doxygen ..." */
			const char *p = FIND(s, "PID: ");
			long long pid;

			if (!p || ev->invoker_pid != NONE)
				return true;
			s = mkspan(p + 5, (size_t)(s.p + s.n - p - 5));
			if (eat_num(&s, &pid) && EAT(&s, " Comm: ") && ev->invoker &&
			    has_prefix(s, ev->invoker, strlen(ev->invoker)) &&
			    (s.n == strlen(ev->invoker) || s.p[strlen(ev->invoker)] == ' '))
				ev->invoker_pid = pid;
			return true;
		}
		if (ev->invoker && has_prefix(s, ev->invoker, strlen(ev->invoker))) {
			skip(&s, strlen(ev->invoker));
			if (EAT(&s, " cpuset=")) {
				const char *p = NULL;
				for (const char *q = s.p; (q = find_from(s, q, " mems_allowed=")); q++)
					p = q;
				if (p) {
					set_str(&ev->cpuset, cut(&s, p));
					skip(&s, 14);
					set_str(&ev->mems_allowed, s);
				} else {
					set_str(&ev->cpuset, s);
				}
				return true;
			}
			s = m;
		}
	}
	switch (m.p[0]) {
	case 'M':
		if (PFX(m, "Mem-Info:") || PFX(m, "Mem-info:")) {
			ev->sec = SEC_MEMINFO;
			return true;
		}
		if (EAT(&s, "Memory cgroup stats for ")) {
			on_memcg_stats(ev, s);
			return true;
		}
		if (EAT(&s, "Memory limit reached of cgroup ")) {
			rtrim(&s);
			set_str(&ev->old_limit_memcg, s);
			return true;
		}
		break;
	case 'N':
		if (on_node_line(k, ev, m))
			return true;
		break;
	case 'T':
		if (EAT(&s, "Task in ")) {
			e = FIND(s, " killed as a result of limit of ");
			if (!e)
				return false;
			set_str(&ev->old_task_memcg, cut(&s, e));
			skip(&s, 32);
			rtrim(&s);
			set_str(&ev->old_limit_memcg, s);
			return true;
		}
		if (EAT(&s, "Total swap = ")) {
			long long v;
			if (eat_num(&s, &v)) {
				kv_addstr(ev, &ev->totals, "total_swap_kb", v);
				return true;
			}
		}
		break;
	case 'F':
		if (EAT(&s, "Free swap")) {
			long long v;
			skip_spaces(&s);
			if (EAT(&s, "= ") && eat_num(&s, &v)) {
				kv_addstr(ev, &ev->totals, "free_swap_kb", v);
				return true;
			}
		}
		break;
	case 'U':
		if (PFX(m, "Unreclaimable slab info:")) {
			ev->sec = SEC_SLAB;
			return true;
		}
		break;
	case 'l':
		if (EAT(&s, "lowmem_reserve[]:")) {
			on_lowmem(ev, s);
			return true;
		}
		break;
	case 'm':
	case 'k':
	case 's':
		if (on_memcg_counter(ev, m))
			return true;
		break;
	default:
		break;
	}
	if (ev->sec == SEC_MEMINFO) {
		if ((m.p[0] == ' ' || (m.p[0] >= 'a' && m.p[0] <= 'z')) &&
		    parse_kv_tokens(ev, &ev->meminfo, m, true))
			return true;
		if (is_digit(m.p[0]) && on_total(ev, m))
			return true;
		if (is_alnum(m.p[0]) && (on_zone(ev, -1, m) || on_buddy(k, ev, -1, m)))
			return true;
	} else if (is_digit(m.p[0]) && on_total(ev, m)) {
		return true;
	}
	return ev->sec == SEC_SLAB || ev->sec == SEC_TASKS;
}

/* ---- pr_cont fragments: a line the console split ---- */

static bool on_pending(struct klog *k, struct span m)
{
	enum pending p = k->pending;
	struct oom_event *ev = last_event(k);

	k->pending = PEND_NONE;
	if (!ev || !m.n)
		return false;
	switch (p) {
	case PEND_HEADER:
		if (!(m.p[0] == '(' || m.p[0] == ',' || is_digit(m.p[0])) ||
		    k->join.len + m.n > MAX_JOIN)
			return false;
		strbuf_add(&k->join, m.p, m.n);
		if (!parse_header_tail(ev, mkspan(k->join.buf, k->join.len)))
			k->pending = PEND_HEADER;
		return true;
	case PEND_SUMMARY:
		if (m.p[0] != ',' || !ev->summary || strlen(ev->summary) + m.n > MAX_JOIN)
			return false;
		strbuf_reset(&k->join);
		strbuf_addstr(&k->join, ev->summary);
		strbuf_add(&k->join, m.p, m.n);
		free(ev->summary);
		ev->summary = strbuf_detach(&k->join);
		if (!parse_summary(ev))
			k->pending = PEND_SUMMARY;
		return true;
	case PEND_BUDDY:
		if (!is_digit(m.p[0]) || !ev->nbuddies || !memchr(m.p, '*', m.n < 24 ? m.n : 24))
			return false;
		if (!parse_buddy_entries(&ev->buddies[ev->nbuddies - 1], m))
			k->pending = PEND_BUDDY;
		return true;
	default:
		return false;
	}
}

/* ---- one kernel message ---- */

static inline uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return le64toh(w);
}

#ifndef __SSE2__
/* 0x80 in each byte of w that equals c, 0 in the others (exact, no carries). */
static inline uint64_t eq8(uint64_t w, unsigned char c)
{
	uint64_t v = w ^ (0x0101010101010101ULL * c);
	uint64_t t = (v & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL;

	return ~(t | v | 0x7f7f7f7f7f7f7f7fULL);
}

static inline uint32_t bytes_to_bits(uint64_t m)
{
	uint32_t r = 0;

	for (m >>= 7; m; m &= m - 1)
		r |= 1u << (__builtin_ctzll(m) / 8);
	return r;
}
#endif

/* Offsets 1..15 where " i" or ": p" starts: where "<comm> invoked oom-killer"
 * or "<comm>: page allocation failure" may have its comm end. Most lines
 * have none, and this costs no branch per byte (it is on every line). */
static uint32_t comm_end_candidates(struct span m)
{
	if (m.n < 22)
		return 0;
#ifdef __SSE2__
	const __m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)m.p);
	const __m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)(m.p + 1));
	const __m128i b2 = _mm_loadu_si128((const __m128i *)(const void *)(m.p + 2));
	const __m128i sp = _mm_set1_epi8(' ');
	__m128i hit = _mm_or_si128(
		_mm_and_si128(_mm_cmpeq_epi8(b0, sp), _mm_cmpeq_epi8(b1, _mm_set1_epi8('i'))),
		_mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(b0, _mm_set1_epi8(':')), _mm_cmpeq_epi8(b1, sp)),
			      _mm_cmpeq_epi8(b2, _mm_set1_epi8('p'))));

	return (uint32_t)_mm_movemask_epi8(hit) & ~1u;
#else
	uint64_t w[2];

	for (int h = 0; h < 2; h++) {
		const char *p = m.p + 8 * h;
		uint64_t b0 = load8(p), b1 = load8(p + 1), b2 = load8(p + 2);

		w[h] = (eq8(b0, ' ') & eq8(b1, 'i')) | (eq8(b0, ':') & eq8(b1, ' ') & eq8(b2, 'p'));
	}
	if (!(w[0] | w[1]))
		return 0;
	return (bytes_to_bits(w[0]) | bytes_to_bits(w[1]) << 8) & ~1u;
#endif
}

/* Whether a message starting with c0 c1 can be one handle_message() looks
 * for by its start: one well-predicted branch instead of a jump table. */
static inline bool anchored_start(const char *p, size_t n)
{
	unsigned k;

	if (n < 2)
		return false;
	k = (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
	return (k == ('O' << 8 | 'u')) | (k == ('M' << 8 | 'e')) | (k == ('K' << 8 | 'i')) |
	       (k == ('K' << 8 | 'e')) | (k == ('o' << 8 | 'o')) | (k == ('T' << 8 | 'a')) |
	       (k == ('B' << 8 | 'U')) | (k == ('k' << 8 | 'e')) | (k == ('W' << 8 | 'A')) |
	       (k == ('w' << 8 | 'a')) | (k == ('N' << 8 | 'M')) | (k == ('W' << 8 | 'a')) |
	       (k == ('I' << 8 | 'N')) | (k == ('r' << 8 | 'c'));
}

/* Watchdog reports: "[NMI ]watchdog: BUG: soft lockup - CPU#0 stuck for
 * 22s! [comm:pid]", "[NMI watchdog: ]Watchdog detected hard LOCKUP on cpu
 * 1", "INFO: task comm:pid blocked for more than 120 seconds.", "[rcu: ]INFO:
 * rcu_sched self-detected stall on CPU" or "... detected stalls on CPUs".
 * Returns whether m was one. */
static bool on_watchdog(struct klog *k, struct span m)
{
	struct span s = m;
	size_t *count = NULL;

	EAT(&s, "NMI ");
	EAT(&s, "watchdog: ");
	EAT(&s, "rcu: ");
	if (PFX(s, "BUG: soft lockup"))
		count = &k->soft_lockups;
	else if (PFX(s, "Watchdog detected hard LOCKUP"))
		count = &k->hard_lockups;
	else if (EAT(&s, "INFO: task ") && FIND(s, " blocked for more than "))
		count = &k->hung_tasks;
	else if (EAT(&s, "INFO: rcu_") && FIND(s, " stall"))
		count = &k->rcu_stalls;
	if (!count)
		return false;
	(*count)++;
	k->foreign = true;
	return true;
}

static void handle_message(struct klog *k, struct span m)
{
	struct span s = m;
	struct oom_event *ev;

	if (k->pending != PEND_NONE && on_pending(k, m))
		return;
	if (!m.n)
		return;
	switch (anchored_start(m.p, m.n) ? m.p[0] : 0) {
	case 'O':
		if (EAT(&s, "Out of memory")) {
			if (EAT(&s, ": "))
				on_kill_prefixed(k, s, KILL_GLOBAL);
			else if (EAT(&s, " (oom_kill_allocating_task): "))
				on_kill_prefixed(k, s, KILL_ALLOCATING);
			else if (PFX(s, " and no killable processes"))
				on_no_killable(k);
			return;
		}
		break;
	case 'M':
		if (EAT(&s, "Memory cgroup out of memory: ")) {
			on_kill_prefixed(k, s, KILL_MEMCG);
			return;
		}
		break;
	case 'K':
		if (EAT(&s, "Killed process ")) {
			on_killed(k, s, KILL_PLAIN);
			return;
		}
		if (EAT(&s, "Kill process ")) {
			on_kill_process(k, s, KILL_PLAIN);
			return;
		}
		if (EAT(&s, "Kernel panic - not syncing: ")) {
			on_panic(k, s);
			return;
		}
		break;
	case 'o':
		if (EAT(&s, "oom_reaper: ")) {
			on_reaper(k, s);
			return;
		}
		if (EAT(&s, "oom-kill:")) {
			on_summary(k, s);
			return;
		}
		break;
	case 'T':
		if (EAT(&s, "Tasks in ")) {
			on_group(k, s);
			return;
		}
		break;
	case 'B':
		if (on_watchdog(k, m))
			return;
		if (PFX(m, "BUG: ")) {
			k->bugs++;
			k->foreign = true;
			return;
		}
		break;
	case 'k':
		if (PFX(m, "kernel BUG at ")) {
			k->bugs++;
			k->foreign = true;
			return;
		}
		break;
	case 'W':
		if (PFX(m, "WARNING: CPU: ") || PFX(m, "WARNING: at ")) {
			k->warnings++;
			k->foreign = true;
			return;
		}
		if (on_watchdog(k, m))
			return;
		break;
	case 'w':
	case 'N':
	case 'I':
	case 'r':
		if (on_watchdog(k, m))
			return;
		break;
	default:
		break;
	}
	if (k->hash && is_oops(m)) {
		k->oops++;
		k->foreign = true;
		return;
	}
	/* "<comm> invoked oom-killer: ", "<comm>: page allocation failure": comm
	 * is at most 15 bytes, longer is someone quoting the kernel */
	for (uint32_t cand = comm_end_candidates(m); cand; cand &= cand - 1) {
		size_t i = (size_t)__builtin_ctz(cand);

		if (m.n - i >= 21 && !memcmp(m.p + i, " invoked oom-killer: ", 21)) {
			on_header(k, m, i);
			return;
		}
		if (m.n - i >= 25 && !memcmp(m.p + i, ": page allocation failure", 25) &&
		    on_alloc_failure(k, m, i))
			return;
	}
	ev = open_event(k);
	if (ev && ev->has_header) {
		if (on_report_line(k, ev, m))
			ev->idle = 0;
		else if (++ev->idle > MAX_IDLE) {
			ev->finished = true;
			ev->truncated = true;
		}
	}
}

/* rsyslog writes embedded newlines as "#012", /dev/kmsg as "\x0a". */
static void handle_split(struct klog *k, struct span m, const char *sep)
{
	const char *e;

	while ((e = memmem(m.p, m.n, sep, 4))) {
		handle_message(k, cut(&m, e));
		skip(&m, 4);
	}
	handle_message(k, m);
}

/* ---- prefixes ---- */

static inline bool d2(const char *p)
{
	return is_digit(p[0]) && is_digit(p[1]);
}

static inline bool hms(const char *p)
{
	return d2(p) && p[2] == ':' && d2(p + 3) && p[5] == ':' && d2(p + 6);
}

/* "Jan  5 15:19:27 " / "Aug 12 03:54:03.123456 " (month names may be
 * localised); returns the length including the space, or 0. */
static size_t syslog_stamp(struct span s)
{
	size_t i = 0;

	while (i < s.n && i < 12 && s.p[i] != ' ' && !is_digit(s.p[i]))
		i++;
	if (!i || i + 11 > s.n || s.p[i] != ' ')
		return 0;
	i++;
	if (s.p[i] == ' ')
		i++;
	if (!is_digit(s.p[i]))
		return 0;
	i++;
	if (is_digit(s.p[i]))
		i++;
	if (i + 9 > s.n || s.p[i] != ' ' || !hms(s.p + i + 1))
		return 0;
	i += 9;
	if (i < s.n && s.p[i] == '.')
		for (i++; i < s.n && is_digit(s.p[i]); i++)
			;
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	return i + 1;
}

/* "2024-01-07T17:53:49[.,frac][Z|+00:00|+0000] "; *comma tells dmesg
 * --time-format=iso (comma) from syslog RFC 3339 (dot). */
static size_t iso_stamp(struct span s, bool *comma)
{
	size_t i = 19;

	if (s.n < 21 || !d2(s.p) || !d2(s.p + 2) || s.p[4] != '-' || !d2(s.p + 5) ||
	    s.p[7] != '-' || !d2(s.p + 8) || s.p[10] != 'T' || !hms(s.p + 11))
		return 0;
	*comma = false;
	if (s.p[i] == '.' || s.p[i] == ',') {
		*comma = s.p[i] == ',';
		for (i++; i < s.n && is_digit(s.p[i]); i++)
			;
	}
	if (i < s.n && s.p[i] == 'Z') {
		i++;
	} else if (i < s.n && (s.p[i] == '+' || s.p[i] == '-')) {
		i++;
		while (i < s.n && (is_digit(s.p[i]) || s.p[i] == ':'))
			i++;
	}
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	return i + 1;
}

/* After a syslog stamp: "[host ]kernel: msg" is the kernel, any other
 * "[host ]tag[pid]: msg" is not. */
static bool syslog_kernel(struct span *s)
{
	struct span t = *s;

	for (int tok = 0; tok < 2; tok++) {
		const char *e = memchr(t.p, ' ', t.n);
		struct span w = mkspan(t.p, e ? (size_t)(e - t.p) : t.n);

		if (w.n == 7 && !memcmp(w.p, "kernel:", 7)) {
			skip(&t, w.n);
			EAT(&t, " ");
			*s = t;
			return true;
		}
		if (!e)
			break;
		skip(&t, w.n + 1);
	}
	return false;
}

/* "[T123]" or "[   C1]" */
static bool caller_id(struct span t)
{
	size_t i;

	for (i = 1; i < t.n && t.p[i] == ' '; i++)
		;
	return i + 1 < t.n && (t.p[i] == 'T' || t.p[i] == 'C') && is_digit(t.p[i + 1]);
}

/* 0x80 in each byte of x that is not an ASCII digit. */
static inline uint64_t nondigit8(uint64_t x)
{
	uint64_t d = x ^ 0x3030303030303030ULL;

	return (((d & 0x7f7f7f7f7f7f7f7fULL) + 0x7676767676767676ULL) | d) & 0x8080808080808080ULL;
}

static inline unsigned space_or_digit(char c)
{
	return (unsigned)(c == ' ') | (unsigned)((unsigned char)(c - '0') < 10);
}

/* The kernel's "[%5lu.%06lu] " while uptime < 100000 s: nearly every line of
 * a console log starts with it, so it is checked without loops. */
static bool kernel_stamp(struct span t)
{
	if (t.n < 15 || t.p[0] != '[' || t.p[6] != '.' || t.p[13] != ']' || t.p[14] != ' ')
		return false;
	return !(nondigit8(load8(t.p + 5)) & 0x8080808080800080ULL) &&
	       (space_or_digit(t.p[1]) & space_or_digit(t.p[2]) & space_or_digit(t.p[3]) &
		space_or_digit(t.p[4]));
}

/* Console prefix: "<6>", "[    1.234567]" or dmesg -T "[Di Aug 12 03:54:03 2025]",
 * then the caller id "[T123]"/"[C1]", then one space. */
static void console_prefix(struct klog *k, struct span *s)
{
	struct span t = *s;
	size_t i;

	if (kernel_stamp(t)) {
		k->time = mkspan(t.p + 1, 12);
		skip(s, 15);
		return;
	}

	if (t.n >= 3 && t.p[0] == '<' && is_digit(t.p[1])) {
		for (i = 1; i < t.n && i < 5 && is_digit(t.p[i]); i++)
			;
		if (i < t.n && t.p[i] == '>')
			skip(&t, i + 1);
	}
	if (t.n && t.p[0] == '[' && !caller_id(t)) {
		for (i = 1; i < t.n && t.p[i] == ' '; i++)
			;
		if (i < t.n && is_digit(t.p[i])) {
			size_t d = i;
			while (i < t.n && is_digit(t.p[i]))
				i++;
			if (i < t.n && t.p[i] == '.' && i > d) {
				for (i++; i < t.n && is_digit(t.p[i]); i++)
					;
				if (i < t.n && t.p[i] == ']') {
					k->time = mkspan(t.p + 1, i - 1);
					skip(&t, i + 1);
				}
			}
		} else {
			const char *e = memchr(t.p, ']', t.n < 64 ? t.n : 64);
			if (e) {
				for (const char *p = t.p + 1; p + 8 <= e; p++)
					if (hms(p)) {
						k->time = mkspan(t.p + 1, (size_t)(e - t.p - 1));
						skip(&t, (size_t)(e - t.p + 1));
						break;
					}
			}
		}
	}
	if (t.n > 3 && t.p[0] == '[') {
		for (i = 1; i < t.n && t.p[i] == ' '; i++)
			;
		if (i + 1 < t.n && (t.p[i] == 'T' || t.p[i] == 'C') && is_digit(t.p[i + 1])) {
			bool thread = t.p[i] == 'T';
			struct span n = mkspan(t.p + i + 1, t.n - i - 1);
			long long id;

			if (eat_num(&n, &id) && n.n && n.p[0] == ']') {
				if (thread)
					k->caller_tid = id;
				skip(&t, (size_t)(n.p - t.p + 1));
			}
		}
	}
	if (t.p != s->p && t.n && t.p[0] == ' ')
		skip(&t, 1);
	*s = t;
}

/* "6,1234,5678901,-;msg" (/dev/kmsg) */
static bool kmsg_prefix(struct span *s)
{
	size_t i = 0, commas = 0;

	while (i < s->n && i < 64 && (is_digit(s->p[i]) || s->p[i] == ',' ||
				       (commas >= 3 && s->p[i] != ';'))) {
		if (s->p[i] == ',')
			commas++;
		i++;
	}
	if (commas < 3 || i >= s->n || s->p[i] != ';')
		return false;
	skip(s, i + 1);
	return true;
}

/* hash: whether the line may hold a '#' (klog_feed finds them per chunk). */
static void process_line(struct klog *k, const char *p, size_t n, bool hash)
{
	struct span s = mkspan(p, n);
	size_t st;
	bool comma, kmsg = false;
	unsigned char c;

	k->lines++;
	while (s.n && s.p[s.n - 1] == '\r')
		s.n--;
	while (s.n && s.p[0] == '\r')
		skip(&s, 1);
	k->time = mkspan(NULL, 0);
	k->caller_tid = NONE;
	if (!s.n) {
		k->kernel_lines++;
		handle_message(k, s);
		return;
	}
	c = (unsigned char)s.p[0];
	if (((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80) && (st = syslog_stamp(s))) {
		k->time = mkspan(s.p, st - 1);
		skip(&s, st);
		if (!syslog_kernel(&s)) {
			k->other_lines++;
			return;
		}
	} else if (is_digit(s.p[0]) && (st = iso_stamp(s, &comma))) {
		k->time = mkspan(s.p, st - 1);
		skip(&s, st);
		if (!comma && !syslog_kernel(&s)) {
			k->other_lines++;
			return;
		}
	} else if (is_digit(s.p[0])) {
		kmsg = kmsg_prefix(&s);
	}
	if (s.n && (s.p[0] == '[' || s.p[0] == '<'))
		console_prefix(k, &s);
	k->kernel_lines++;
	k->hash = hash;
	if (hash && memmem(s.p, s.n, "#012", 4))
		handle_split(k, s, "#012");
	else if (kmsg && memmem(s.p, s.n, "\\x0a", 4))
		handle_split(k, s, "\\x0a");
	else
		handle_message(k, s);
}

/* ---- public: feeding ---- */

struct klog *klog_new(void)
{
	struct klog *k = xcalloc(1, sizeof(*k));

	strbuf_init(&k->part);
	strbuf_init(&k->join);
	k->caller_tid = NONE;
	return k;
}

void klog_free(struct klog *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nevents; i++) {
		event_release(k->events[i]);
		free(k->events[i]);
	}
	free(k->events);
	for (size_t i = 0; i < k->npanics; i++)
		free(k->panics[i].reason);
	free(k->panics);
	for (size_t i = 0; i < k->nafs; i++) {
		free(k->afs[i].comm);
		free(k->afs[i].gfp_mask);
		free(k->afs[i].gfp_flags);
	}
	free(k->afs);
	strbuf_release(&k->part);
	strbuf_release(&k->join);
	free(k);
}

static void part_add(struct klog *k, const char *p, size_t n)
{
	if (k->part.len + n > KLOG_MAX_LINE) {
		n = KLOG_MAX_LINE - k->part.len;
		k->part_overlong = true;
	}
	strbuf_add(&k->part, p, n);
}

static void flush_part(struct klog *k)
{
	if (k->part_overlong)
		k->overlong_lines++;
	process_line(k, k->part.buf, k->part.len, memchr(k->part.buf, '#', k->part.len) != NULL);
	strbuf_reset(&k->part);
	k->part_overlong = false;
}

static inline const char *find_newline(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');

	for (; end - p >= 16; p += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	return memchr(p, '\n', (size_t)(end - p));
}

void klog_feed(struct klog *k, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl, *hash;

	if (!len)
		return;
	if (k->part.len || k->part_overlong) {
		nl = memchr(p, '\n', len);
		if (!nl) {
			part_add(k, p, len);
			return;
		}
		part_add(k, p, (size_t)(nl - p));
		flush_part(k);
		p = nl + 1;
	}
	/* the next '#' at or after p: one scan per chunk, not one per line */
	hash = memchr(p, '#', (size_t)(end - p));
	if (!hash)
		hash = end;
	while (p < end && (nl = find_newline(p, end))) {
		size_t n = (size_t)(nl - p);

		if (hash < p) {
			hash = memchr(p, '#', (size_t)(end - p));
			if (!hash)
				hash = end;
		}
		if (n > KLOG_MAX_LINE) {
			k->overlong_lines++;
			n = KLOG_MAX_LINE;
		}
		process_line(k, p, n, hash < p + n);
		p = nl + 1;
	}
	if (p < end)
		part_add(k, p, (size_t)(end - p));
}

void klog_end(struct klog *k)
{
	struct oom_event *ev;

	if (k->part.len || k->part_overlong)
		flush_part(k);
	k->pending = PEND_NONE;
	ev = last_event(k);
	if (ev && !ev->finished) {
		ev->finished = true;
		ev->truncated = true;
	}
}

size_t klog_oom_count(const struct klog *k)
{
	return k->oom_total;
}

/* ---- facts ---- */

static bool event_partial(const struct oom_event *ev)
{
	return ev->truncated || !ev->finished;
}

static const char *event_memcg(const struct oom_event *ev)
{
	return ev->oom_memcg ? ev->oom_memcg : ev->old_limit_memcg;
}

static const char *event_task_memcg(const struct oom_event *ev)
{
	return ev->task_memcg ? ev->task_memcg : ev->old_task_memcg;
}

static const struct kill *event_victim(const struct oom_event *ev)
{
	for (size_t i = 0; i < ev->nkills; i++)
		if (!ev->kills[i].group && !ev->kills[i].sharing)
			return &ev->kills[i];
	return ev->nkills ? &ev->kills[0] : NULL;
}

static const struct memcg_counter *event_counter(const struct oom_event *ev, const char *name)
{
	for (size_t i = 0; i < ev->ncounters; i++)
		if (!strcmp(ev->counters[i].name, name))
			return &ev->counters[i];
	return NULL;
}

static bool event_reaped(const struct oom_event *ev)
{
	for (size_t i = 0; i < ev->nkills; i++)
		if (ev->kills[i].reaped > 0)
			return true;
	return false;
}

struct fctx {
	struct facts *f;
	struct strbuf name;
	size_t base;
};

static void fname(struct fctx *c, const char *suffix)
{
	c->name.len = c->base;
	c->name.buf[c->base] = '\0';
	strbuf_addstr(&c->name, suffix);
}

static void fstr(struct fctx *c, const char *suffix, const char *v)
{
	if (!v)
		return;
	fname(c, suffix);
	facts_set(c->f, c->name.buf, v);
}

static void fnum(struct fctx *c, const char *suffix, long long v)
{
	if (v == NONE)
		return;
	fname(c, suffix);
	facts_setf(c->f, c->name.buf, "%lld", v);
}

static void zone_prefix(struct strbuf *sb, const char *what, long long node, const char *zone)
{
	strbuf_reset(sb);
	if (node > 0)
		strbuf_addf(sb, "%s.node%lld.%s.", what, node, zone);
	else
		strbuf_addf(sb, "%s.%s.", what, zone);
}

static void event_facts(struct fctx *c, const struct oom_event *ev)
{
	const struct kill *v = event_victim(ev);
	const struct memcg_counter *mc = event_counter(ev, "memory");
	struct strbuf sb = STRBUF_INIT;

	fstr(c, "invoker", ev->invoker);
	fnum(c, "invoker_pid", ev->invoker_pid);
	fstr(c, "gfp_mask", ev->gfp_mask);
	fstr(c, "gfp_flags", ev->gfp_flags);
	fnum(c, "order", ev->order);
	fnum(c, "oom_score_adj", ev->oom_score_adj);
	fnum(c, "oom_adj", ev->oom_adj);
	fstr(c, "nodemask", ev->nodemask ? ev->nodemask : ev->hdr_nodemask);
	fstr(c, "cpuset", ev->s_cpuset ? ev->s_cpuset : ev->cpuset);
	fstr(c, "mems_allowed", ev->s_mems ? ev->s_mems : ev->mems_allowed);
	fstr(c, "constraint", ev->constraint);
	fstr(c, "memcg", event_memcg(ev));
	fstr(c, "task_memcg", event_task_memcg(ev));
	if (v) {
		fnum(c, "victim.pid", v->pid);
		fstr(c, "victim.comm", v->comm);
		fnum(c, "victim.total_vm_kb", v->total_vm_kb);
		fnum(c, "victim.anon_rss_kb", v->anon_rss_kb);
		fnum(c, "victim.file_rss_kb", v->file_rss_kb);
		fnum(c, "victim.shmem_rss_kb", v->shmem_rss_kb);
		fnum(c, "victim.uid", v->uid != NONE ? v->uid :
		     (ev->task_pid == v->pid ? ev->task_uid : NONE));
		fnum(c, "victim.pgtables_kb", v->pgtables_kb);
		fnum(c, "victim.oom_score_adj", v->oom_score_adj);
		fnum(c, "victim.score", v->score);
		fstr(c, "kill_kind", kill_kind_name[v->kind]);
	}
	for (size_t i = 0; i < ev->nkills; i++) {
		const struct kill *kl = &ev->kills[i];
		static const char *const keys[] = {
			"pid", "comm", "total_vm_kb", "anon_rss_kb", "file_rss_kb",
			"shmem_rss_kb", "uid", "oom_score_adj", "chosen_pid",
		};
		const long long nums[] = {
			kl->pid, 0, kl->total_vm_kb, kl->anon_rss_kb, kl->file_rss_kb,
			kl->shmem_rss_kb, kl->uid, kl->oom_score_adj, kl->chosen_pid,
		};

		for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "kill.%zu.%s", i + 1, keys[j]);
			if (j == 1)
				fstr(c, sb.buf, kl->comm);
			else
				fnum(c, sb.buf, nums[j]);
		}
		if (kl->group) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "kill.%zu.oom_group", i + 1);
			fnum(c, sb.buf, 1);
		}
	}
	fnum(c, "kills", (long long)ev->kills_total);
	fnum(c, "reaped", event_reaped(ev));
	fnum(c, "partial", event_partial(ev));
	fstr(c, "oom_group", ev->group_path);
	if (ev->no_killable)
		fnum(c, "no_killable", 1);
	if (ev->panic)
		fnum(c, "panic", 1);
	fnum(c, "victim_exiting", ev->exiting_pid);
	if (mc) {
		fnum(c, "memcg_usage_kb", mc->usage_kb);
		fnum(c, "memcg_limit_kb", mc->limit_kb);
		fnum(c, "memcg_failcnt", mc->failcnt);
	}
	if (ev->nstats)
		fnum(c, "memcg_stats", (long long)ev->nstats);
	fnum(c, "free_pages", kv_get(&ev->meminfo, "free"));
	fnum(c, "pages_ram", kv_get(&ev->totals, "pages_ram"));
	fnum(c, "pages_reserved", kv_get(&ev->totals, "pages_reserved"));
	fnum(c, "free_swap_kb", kv_get(&ev->totals, "free_swap_kb"));
	fnum(c, "total_swap_kb", kv_get(&ev->totals, "total_swap_kb"));
	if (ev->tasks.ncols || ev->tasks.nrows)
		fnum(c, "tasks", (long long)(ev->tasks.nrows + ev->tasks.dropped));
	for (size_t i = 0; i < ev->nzones; i++) {
		const struct zone_info *z = &ev->zones[i];
		static const char *const keys[] = { "free", "min", "low", "high" };

		for (size_t j = 0; j < 4; j++) {
			zone_prefix(&sb, "zone", z->node, z->zone);
			strbuf_addf(&sb, "%s_kb", keys[j]);
			fnum(c, sb.buf, kv_get(&z->vals, keys[j]));
		}
	}
	for (size_t i = 0; i < ev->nbuddies; i++) {
		const struct buddy *b = &ev->buddies[i];

		for (size_t j = 0; j < b->norders; j++) {
			zone_prefix(&sb, "buddy", b->node, b->zone);
			strbuf_addf(&sb, "order%zu", j);
			fnum(c, sb.buf, b->count[j]);
		}
		zone_prefix(&sb, "buddy", b->node, b->zone);
		strbuf_addstr(&sb, "total_kb");
		fnum(c, sb.buf, b->total_kb);
	}
	fnum(c, "line", (long long)ev->line);
	fstr(c, "time", ev->time);
	strbuf_release(&sb);
}

void klog_add_facts(const struct klog *k, struct facts *f)
{
	struct fctx c = { f, STRBUF_INIT, 0 };
	const struct panic_ev *p = k->npanics ? &k->panics[0] : NULL;

	facts_setf(f, "oom.count", "%zu", k->oom_total);
	for (size_t i = 0; i < k->nevents; i++) {
		strbuf_reset(&c.name);
		strbuf_addf(&c.name, "oom.%zu.", k->events[i]->index);
		c.base = c.name.len;
		event_facts(&c, k->events[i]);
	}
	if (k->nevents) {
		strbuf_reset(&c.name);
		strbuf_addstr(&c.name, "oom.last.");
		c.base = c.name.len;
		event_facts(&c, k->events[k->nevents - 1]);
	}
	facts_setf(f, "oom.no_killable", "%zu", k->no_killable);
	facts_set(f, "panic", k->panic_total ? "1" : "0");
	if (p)
		facts_set(f, "panic.reason", p->reason);
	facts_set(f, "panic.oom", p && p->oom ? "1" : "0");
	facts_setf(f, "panic.count", "%zu", k->panic_total);
	facts_setf(f, "alloc_failure.count", "%zu", k->af_total);
	for (size_t i = 0; i < k->nafs; i++) {
		const struct alloc_failure *a = &k->afs[i];

		strbuf_reset(&c.name);
		strbuf_addf(&c.name, "alloc_failure.%zu.", i + 1);
		c.base = c.name.len;
		fstr(&c, "comm", a->comm);
		fnum(&c, "order", a->order);
		fstr(&c, "gfp_mask", a->gfp_mask);
		fstr(&c, "gfp_flags", a->gfp_flags);
	}
	facts_setf(f, "oops.count", "%zu", k->oops);
	facts_setf(f, "bug.count", "%zu", k->bugs);
	facts_setf(f, "warning.count", "%zu", k->warnings);
	facts_setf(f, "lockup.soft.count", "%zu", k->soft_lockups);
	facts_setf(f, "lockup.hard.count", "%zu", k->hard_lockups);
	facts_setf(f, "hung_task.count", "%zu", k->hung_tasks);
	facts_setf(f, "rcu_stall.count", "%zu", k->rcu_stalls);
	strbuf_release(&c.name);
}

/* ---- JSON ---- */

struct json {
	struct strbuf *out;
	bool first;
};

static void jkey(struct json *j, const char *key)
{
	if (!j->first)
		strbuf_addch(j->out, ',');
	j->first = false;
	json_add_string(j->out, key, strlen(key));
	strbuf_addch(j->out, ':');
}

static void jopen(struct json *j, const char *key, char c)
{
	if (key)
		jkey(j, key);
	else if (!j->first)
		strbuf_addch(j->out, ',');
	strbuf_addch(j->out, c);
	j->first = true;
}

static void jclose(struct json *j, char c)
{
	strbuf_addch(j->out, c);
	j->first = false;
}

static void jstr(struct json *j, const char *key, const char *v)
{
	if (!v)
		return;
	jkey(j, key);
	json_add_string(j->out, v, strlen(v));
}

static void jnum(struct json *j, const char *key, long long v)
{
	if (v == NONE)
		return;
	jkey(j, key);
	strbuf_addf(j->out, "%lld", v);
}

static void jbool(struct json *j, const char *key, bool v)
{
	jkey(j, key);
	strbuf_addstr(j->out, v ? "true" : "false");
}

static void jval(struct json *j, long long v)
{
	if (!j->first)
		strbuf_addch(j->out, ',');
	j->first = false;
	if (v == NONE)
		strbuf_addstr(j->out, "null");
	else
		strbuf_addf(j->out, "%lld", v);
}

static void jsval(struct json *j, const char *v)
{
	if (!j->first)
		strbuf_addch(j->out, ',');
	j->first = false;
	json_add_string(j->out, v, strlen(v));
}

static void jkv(struct json *j, const char *key, const struct kvlist *l)
{
	jopen(j, key, '{');
	for (size_t i = 0; i < l->n; i++)
		jnum(j, l->v[i].key, l->v[i].val);
	jclose(j, '}');
}

static void json_kill(struct json *j, const struct kill *kl)
{
	jopen(j, NULL, '{');
	jnum(j, "line", (long long)kl->line);
	jstr(j, "kind", kill_kind_name[kl->kind]);
	jnum(j, "pid", kl->pid);
	jstr(j, "comm", kl->comm);
	jnum(j, "total_vm_kb", kl->total_vm_kb);
	jnum(j, "anon_rss_kb", kl->anon_rss_kb);
	jnum(j, "file_rss_kb", kl->file_rss_kb);
	jnum(j, "shmem_rss_kb", kl->shmem_rss_kb);
	jnum(j, "uid", kl->uid);
	jnum(j, "pgtables_kb", kl->pgtables_kb);
	jnum(j, "oom_score_adj", kl->oom_score_adj);
	jnum(j, "score", kl->score);
	jnum(j, "chosen_pid", kl->chosen_pid);
	jstr(j, "chosen_comm", kl->chosen_comm);
	jbool(j, "oom_group", kl->group);
	jbool(j, "sharing_memory", kl->sharing);
	if (kl->reaped) {
		jopen(j, "oom_reaper", '{');
		jbool(j, "reaped", kl->reaped > 0);
		jnum(j, "anon_rss_kb", kl->reaped_anon_kb);
		jnum(j, "file_rss_kb", kl->reaped_file_kb);
		jnum(j, "shmem_rss_kb", kl->reaped_shmem_kb);
		jclose(j, '}');
	}
	jclose(j, '}');
}

static void json_event(struct json *j, const struct oom_event *ev)
{
	jopen(j, NULL, '{');
	jnum(j, "index", (long long)ev->index);
	jnum(j, "line", (long long)ev->line);
	jstr(j, "time", ev->time);
	jbool(j, "header", ev->has_header);
	jbool(j, "partial", event_partial(ev));
	if (ev->invoker || ev->invoker_pid != NONE) {
		jopen(j, "invoker", '{');
		jstr(j, "comm", ev->invoker);
		jnum(j, "pid", ev->invoker_pid);
		jclose(j, '}');
	}
	jstr(j, "gfp_mask", ev->gfp_mask);
	jstr(j, "gfp_flags", ev->gfp_flags);
	jstr(j, "nodemask", ev->hdr_nodemask);
	jnum(j, "order", ev->order);
	jnum(j, "oom_score_adj", ev->oom_score_adj);
	jnum(j, "oom_adj", ev->oom_adj);
	jstr(j, "cpuset", ev->cpuset);
	jstr(j, "mems_allowed", ev->mems_allowed);
	if (ev->summary) {
		jopen(j, "summary", '{');
		jstr(j, "constraint", ev->constraint);
		jstr(j, "nodemask", ev->nodemask);
		jstr(j, "cpuset", ev->s_cpuset);
		jstr(j, "mems_allowed", ev->s_mems);
		jbool(j, "global_oom", ev->global_oom);
		jstr(j, "oom_memcg", ev->oom_memcg);
		jstr(j, "task_memcg", ev->task_memcg);
		jstr(j, "task", ev->task);
		jnum(j, "pid", ev->task_pid);
		jnum(j, "uid", ev->task_uid);
		jclose(j, '}');
	}
	if (event_memcg(ev) || event_task_memcg(ev) || ev->ncounters || ev->nstats) {
		jopen(j, "memcg", '{');
		jstr(j, "oom_memcg", event_memcg(ev));
		jstr(j, "task_memcg", event_task_memcg(ev));
		jopen(j, "counters", '[');
		for (size_t i = 0; i < ev->ncounters; i++) {
			const struct memcg_counter *mc = &ev->counters[i];
			jopen(j, NULL, '{');
			jstr(j, "name", mc->name);
			jnum(j, "usage_kb", mc->usage_kb);
			jnum(j, "limit_kb", mc->limit_kb);
			jnum(j, "failcnt", mc->failcnt);
			jclose(j, '}');
		}
		jclose(j, ']');
		jopen(j, "stats", '[');
		for (size_t i = 0; i < ev->nstats; i++) {
			jopen(j, NULL, '{');
			jstr(j, "path", ev->stats[i].path);
			jkv(j, "values", &ev->stats[i].vals);
			jclose(j, '}');
		}
		jclose(j, ']');
		jclose(j, '}');
	}
	if (ev->meminfo.n || ev->nnodes || ev->nzones || ev->nbuddies || ev->totals.n) {
		jopen(j, "meminfo", '{');
		jkv(j, "counters", &ev->meminfo);
		jopen(j, "nodes", '[');
		for (size_t i = 0; i < ev->nnodes; i++) {
			jopen(j, NULL, '{');
			jnum(j, "node", ev->nodes[i].node);
			jkv(j, "values", &ev->nodes[i].vals);
			jclose(j, '}');
		}
		jclose(j, ']');
		jopen(j, "zones", '[');
		for (size_t i = 0; i < ev->nzones; i++) {
			const struct zone_info *z = &ev->zones[i];
			jopen(j, NULL, '{');
			jnum(j, "node", z->node);
			jstr(j, "zone", z->zone);
			jkv(j, "values", &z->vals);
			jopen(j, "lowmem_reserve", '[');
			for (size_t l = 0; l < z->nlowmem; l++)
				jval(j, z->lowmem[l]);
			jclose(j, ']');
			jclose(j, '}');
		}
		jclose(j, ']');
		jopen(j, "buddy", '[');
		for (size_t i = 0; i < ev->nbuddies; i++) {
			const struct buddy *b = &ev->buddies[i];
			jopen(j, NULL, '{');
			jnum(j, "node", b->node);
			jstr(j, "zone", b->zone);
			jopen(j, "orders", '[');
			for (size_t o = 0; o < b->norders; o++) {
				jopen(j, NULL, '{');
				jnum(j, "order", (long long)o);
				jnum(j, "count", b->count[o]);
				jnum(j, "size_kb", b->size_kb[o]);
				jstr(j, "types", b->types[o]);
				jclose(j, '}');
			}
			jclose(j, ']');
			jnum(j, "total_kb", b->total_kb);
			jclose(j, '}');
		}
		jclose(j, ']');
		jkv(j, "totals", &ev->totals);
		jclose(j, '}');
	}
	if (ev->tasks.ncols || ev->tasks.nrows) {
		const struct task_table *t = &ev->tasks;
		size_t w = 1 + t->ncols;

		jopen(j, "tasks", '{');
		jopen(j, "columns", '[');
		jsval(j, "pid");
		for (size_t i = 0; i < t->ncols; i++)
			jsval(j, t->cols[i]);
		jsval(j, "name");
		jclose(j, ']');
		jopen(j, "rows", '[');
		for (size_t r = 0; r < t->nrows; r++) {
			jopen(j, NULL, '[');
			for (size_t i = 0; i < w; i++)
				jval(j, t->vals[r * w + i]);
			jsval(j, t->names[r]);
			jclose(j, ']');
		}
		jclose(j, ']');
		jnum(j, "dropped", (long long)t->dropped);
		jclose(j, '}');
	}
	jnum(j, "kill_count", (long long)ev->kills_total);
	jopen(j, "kills", '[');
	for (size_t i = 0; i < ev->nkills; i++)
		json_kill(j, &ev->kills[i]);
	jclose(j, ']');
	jstr(j, "oom_group", ev->group_path);
	if (ev->exiting_pid != NONE) {
		jopen(j, "victim_exiting", '{');
		jnum(j, "pid", ev->exiting_pid);
		jstr(j, "comm", ev->exiting_comm);
		jclose(j, '}');
	}
	jbool(j, "no_killable", ev->no_killable);
	jbool(j, "panic", ev->panic);
	jclose(j, '}');
}

void klog_to_json(const struct klog *k, struct strbuf *out)
{
	struct json j = { out, true };

	jopen(&j, NULL, '{');
	jnum(&j, "lines", (long long)k->lines);
	jnum(&j, "kernel_lines", (long long)k->kernel_lines);
	jnum(&j, "other_lines", (long long)k->other_lines);
	jnum(&j, "overlong_lines", (long long)k->overlong_lines);
	jnum(&j, "details_dropped", (long long)k->details_dropped);
	jnum(&j, "oom_count", (long long)k->oom_total);
	jnum(&j, "oom_events_dropped", (long long)(k->oom_total - k->nevents));
	jopen(&j, "oom_events", '[');
	for (size_t i = 0; i < k->nevents; i++)
		json_event(&j, k->events[i]);
	jclose(&j, ']');
	jnum(&j, "no_killable", (long long)k->no_killable);
	jnum(&j, "panic_count", (long long)k->panic_total);
	jopen(&j, "panics", '[');
	for (size_t i = 0; i < k->npanics; i++) {
		jopen(&j, NULL, '{');
		jnum(&j, "line", (long long)k->panics[i].line);
		jstr(&j, "reason", k->panics[i].reason);
		jbool(&j, "oom", k->panics[i].oom);
		if (k->panics[i].oom_event)
			jnum(&j, "oom_event", (long long)k->panics[i].oom_event);
		jclose(&j, '}');
	}
	jclose(&j, ']');
	jnum(&j, "alloc_failure_count", (long long)k->af_total);
	jopen(&j, "alloc_failures", '[');
	for (size_t i = 0; i < k->nafs; i++) {
		jopen(&j, NULL, '{');
		jnum(&j, "line", (long long)k->afs[i].line);
		jstr(&j, "comm", k->afs[i].comm);
		jnum(&j, "order", k->afs[i].order);
		jstr(&j, "gfp_mask", k->afs[i].gfp_mask);
		jstr(&j, "gfp_flags", k->afs[i].gfp_flags);
		jclose(&j, '}');
	}
	jclose(&j, ']');
	jnum(&j, "oops_count", (long long)k->oops);
	jnum(&j, "bug_count", (long long)k->bugs);
	jnum(&j, "warning_count", (long long)k->warnings);
	jnum(&j, "soft_lockup_count", (long long)k->soft_lockups);
	jnum(&j, "hard_lockup_count", (long long)k->hard_lockups);
	jnum(&j, "hung_task_count", (long long)k->hung_tasks);
	jnum(&j, "rcu_stall_count", (long long)k->rcu_stalls);
	jclose(&j, '}');
	strbuf_addch(out, '\n');
}

/* ---- human summary ---- */

/* a * b and a + b for the summary; the log can hold any numbers */
static long long sat_mul(long long a, long long b)
{
	long long r;

	return __builtin_mul_overflow(a, b, &r) ? LLONG_MAX : r;
}

static long long sat_add(long long a, long long b)
{
	long long r;

	return __builtin_add_overflow(a, b, &r) ? LLONG_MAX : r;
}

/* before, the number or "?", after */
static void text_num(struct strbuf *out, const char *before, long long v, const char *after)
{
	strbuf_addstr(out, before);
	if (v == NONE)
		strbuf_addch(out, '?');
	else
		strbuf_addf(out, "%lld", v);
	strbuf_addstr(out, after);
}

static void text_kb(struct strbuf *out, const char *label, long long v)
{
	if (v != NONE)
		strbuf_addf(out, ", %s %lld kB", label, v);
}

static void text_zone_name(struct strbuf *out, long long node, const char *zone)
{
	strbuf_addf(out, "Node %lld %s", node, zone);
}

static void text_event(struct strbuf *out, const struct oom_event *ev, size_t total)
{
	const struct kill *v = event_victim(ev);
	long long page_kb = 4;

	for (size_t i = 0; i < ev->nbuddies; i++)
		if (ev->buddies[i].norders && ev->buddies[i].size_kb[0] > 0)
			page_kb = ev->buddies[i].size_kb[0];
	strbuf_addf(out, "OOM event %zu of %zu (line %lu%s%s)%s\n", ev->index, total, ev->line,
		    ev->time ? ", time " : "", ev->time ? ev->time : "",
		    event_partial(ev) ? " [partial: the report was cut off]" : "");
	if (ev->has_header) {
		strbuf_addf(out, "  asked: %s", ev->invoker ? ev->invoker : "?");
		if (ev->invoker_pid != NONE)
			strbuf_addf(out, " (pid %lld)", ev->invoker_pid);
		strbuf_addstr(out, " wanted");
		if (ev->order == -1)
			strbuf_addstr(out, " nothing (order -1: a manual OOM, sysrq-f)");
		else if (ev->order != NONE)
			strbuf_addf(out, " an order-%lld block (%lld kB)", ev->order,
				    ev->order >= 0 && ev->order < 32 ? sat_mul(page_kb, 1LL << ev->order) : 0);
		if (ev->gfp_mask)
			strbuf_addf(out, ", gfp_mask %s%s%s%s", ev->gfp_mask,
				    ev->gfp_flags ? " (" : "", ev->gfp_flags ? ev->gfp_flags : "",
				    ev->gfp_flags ? ")" : "");
		if (ev->oom_score_adj != NONE)
			strbuf_addf(out, ", oom_score_adj %lld", ev->oom_score_adj);
		strbuf_addch(out, '\n');
	} else {
		strbuf_addstr(out, "  (no header: the kernel did not print one, or the log starts later)\n");
	}
	if (ev->constraint || event_memcg(ev) || event_task_memcg(ev)) {
		strbuf_addstr(out, "  scope:");
		if (ev->constraint)
			strbuf_addf(out, " %s", ev->constraint);
		if (event_memcg(ev))
			strbuf_addf(out, "%s memcg %s hit its limit", ev->constraint ? "," : "",
				    event_memcg(ev));
		else if (ev->global_oom)
			strbuf_addstr(out, " (system-wide)");
		if (event_task_memcg(ev))
			strbuf_addf(out, "; the victim's memcg is %s", event_task_memcg(ev));
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < ev->ncounters; i++) {
		const struct memcg_counter *mc = &ev->counters[i];

		strbuf_addf(out, "  memcg %s:", mc->name);
		text_num(out, " usage ", mc->usage_kb, " kB, ");
		/* PAGE_COUNTER_MAX pages: 9007199254740988 kB on 64-bit */
		if (mc->limit_kb >= 1LL << 50)
			strbuf_addstr(out, "no limit");
		else
			text_num(out, "limit ", mc->limit_kb, " kB");
		text_num(out, ", failcnt ", mc->failcnt, "\n");
	}
	for (size_t i = 0; i < ev->nkills; i++) {
		const struct kill *kl = &ev->kills[i];

		strbuf_addf(out, "  %s %s", kl == v ? "killed:" : "also killed:", kl->comm ? kl->comm : "?");
		text_num(out, " (pid ", kl->pid, "");
		if (kl->uid != NONE)
			strbuf_addf(out, ", uid %lld", kl->uid);
		strbuf_addch(out, ')');
		if (kl->group)
			strbuf_addstr(out, " for memory.oom.group");
		if (kl->sharing)
			strbuf_addstr(out, " sharing the victim's memory");
		text_kb(out, "total-vm", kl->total_vm_kb);
		text_kb(out, "anon-rss", kl->anon_rss_kb);
		text_kb(out, "file-rss", kl->file_rss_kb);
		text_kb(out, "shmem-rss", kl->shmem_rss_kb);
		text_kb(out, "pgtables", kl->pgtables_kb);
		if (kl->oom_score_adj != NONE)
			strbuf_addf(out, ", oom_score_adj %lld", kl->oom_score_adj);
		if (kl->chosen_pid != NONE && kl->chosen_pid != kl->pid)
			strbuf_addf(out, " (chosen: pid %lld %s)", kl->chosen_pid,
				    kl->chosen_comm ? kl->chosen_comm : "");
		if (kl->score != NONE)
			strbuf_addf(out, ", score %lld", kl->score);
		if (kl->reaped > 0)
			strbuf_addstr(out, "; reaped by oom_reaper");
		else if (kl->reaped < 0)
			strbuf_addstr(out, "; oom_reaper could not reap it");
		strbuf_addch(out, '\n');
	}
	if (ev->kills_total > ev->nkills)
		strbuf_addf(out, "  ... %zu kills in all\n", ev->kills_total);
	if (ev->group_path)
		strbuf_addf(out, "  memory.oom.group: every task in %s\n", ev->group_path);
	if (ev->exiting_pid != NONE)
		strbuf_addf(out, "  no kill: victim %lld (%s) was already exiting\n", ev->exiting_pid,
			    ev->exiting_comm ? ev->exiting_comm : "?");
	if (ev->no_killable)
		strbuf_addstr(out, "  no kill: no killable processes\n");
	if (ev->panic)
		strbuf_addstr(out, "  the kernel panicked\n");
	if (!ev->nkills && !ev->no_killable && ev->exiting_pid == NONE && !ev->panic)
		strbuf_addstr(out, "  no kill line\n");

	if (ev->meminfo.n || ev->totals.n) {
		long long free_p = kv_get(&ev->meminfo, "free"), ram = kv_get(&ev->totals, "pages_ram");
		long long fs = kv_get(&ev->totals, "free_swap_kb"), ts = kv_get(&ev->totals, "total_swap_kb");

		strbuf_addstr(out, "  memory:");
		if (free_p != NONE)
			strbuf_addf(out, " free %lld pages (%lld kB)", free_p, sat_mul(free_p, page_kb));
		if (ram != NONE)
			strbuf_addf(out, " of %lld pages RAM (%lld kB)", ram, sat_mul(ram, page_kb));
		if (kv_get(&ev->meminfo, "active_anon") != NONE && kv_get(&ev->meminfo, "inactive_anon") != NONE)
			strbuf_addf(out, ", anon %lld pages",
				    sat_add(kv_get(&ev->meminfo, "active_anon"), kv_get(&ev->meminfo, "inactive_anon")));
		if (ts != NONE)
			strbuf_addf(out, ", swap %lld kB free of %lld kB", fs == NONE ? 0 : fs, ts);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < ev->nzones; i++) {
		const struct zone_info *z = &ev->zones[i];
		long long fr = kv_get(&z->vals, "free"), mn = kv_get(&z->vals, "min");

		strbuf_addstr(out, "  zone ");
		text_zone_name(out, z->node, z->zone);
		text_num(out, ": free ", fr, " kB");
		text_num(out, ", min ", mn, " kB");
		text_num(out, ", low ", kv_get(&z->vals, "low"), " kB");
		text_num(out, ", high ", kv_get(&z->vals, "high"), " kB");
		strbuf_addstr(out, fr != NONE && mn != NONE && fr < mn ? " (below min)\n" : "\n");
	}
	for (size_t i = 0; i < ev->nbuddies; i++) {
		const struct buddy *b = &ev->buddies[i];

		strbuf_addstr(out, "  buddy ");
		text_zone_name(out, b->node, b->zone);
		text_num(out, ": ", b->total_kb, " kB free;");
		for (size_t o = 0; o < b->norders; o++)
			strbuf_addf(out, " %lld", b->count[o]);
		strbuf_addf(out, " (free blocks per order 0..%zu)\n", b->norders ? b->norders - 1 : 0);
	}
	if (ev->tasks.nrows || ev->tasks.ncols)
		strbuf_addf(out, "  task table: %zu tasks\n", ev->tasks.nrows + ev->tasks.dropped);
}

void klog_to_text(const struct klog *k, struct strbuf *out)
{
	if (!k->oom_total)
		strbuf_addstr(out, "No OOM events.\n");
	if (k->oom_total > k->nevents)
		strbuf_addf(out, "%zu OOM events; the first %zu and the last are shown.\n",
			    k->oom_total, k->nevents - 1);
	for (size_t i = 0; i < k->nevents; i++) {
		if (i)
			strbuf_addch(out, '\n');
		text_event(out, k->events[i], k->oom_total);
	}
	if (k->no_killable || k->panic_total || k->af_total || k->oops || k->bugs || k->warnings ||
	    k->soft_lockups || k->hard_lockups || k->hung_tasks || k->rcu_stalls)
		strbuf_addch(out, '\n');
	if (k->no_killable)
		strbuf_addf(out, "Out of memory and no killable processes: %zu time(s)\n", k->no_killable);
	for (size_t i = 0; i < k->npanics; i++)
		strbuf_addf(out, "Kernel panic (line %lu): %s%s\n", k->panics[i].line, k->panics[i].reason,
			    k->panics[i].oom ? " [OOM]" : "");
	if (k->af_total)
		strbuf_addf(out, "Page allocation failures: %zu\n", k->af_total);
	for (size_t i = 0; i < k->nafs && i < 20; i++)
		strbuf_addf(out, "  line %lu: %s, order %lld, mode %s%s%s%s\n", k->afs[i].line,
			    k->afs[i].comm, k->afs[i].order, k->afs[i].gfp_mask ? k->afs[i].gfp_mask : "?",
			    k->afs[i].gfp_flags ? " (" : "", k->afs[i].gfp_flags ? k->afs[i].gfp_flags : "",
			    k->afs[i].gfp_flags ? ")" : "");
	if (k->oops || k->bugs || k->warnings)
		strbuf_addf(out, "Oops: %zu, BUG: %zu, WARNING: %zu\n", k->oops, k->bugs, k->warnings);
	if (k->soft_lockups || k->hard_lockups || k->hung_tasks || k->rcu_stalls)
		strbuf_addf(out, "Soft lockups: %zu, hard lockups: %zu, hung tasks: %zu, RCU stalls: %zu\n",
			    k->soft_lockups, k->hard_lockups, k->hung_tasks, k->rcu_stalls);
}
