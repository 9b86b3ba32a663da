/* event: klog's model. The parser state (struct klog) and what it keeps:
 * OOM events with their memcg, Mem-Info, zone, buddy, task-table and kill
 * details, panics and allocation failures. Details are charged to one
 * budget (MAX_DETAIL) so memory stays bounded whatever the log. */
#ifndef OOMTEST_KLOG_EVENT_H
#define OOMTEST_KLOG_EVENT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "klog/klog.h"
#include "klog/span.h"
#include "lib/strbuf.h"

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


extern const char *const kill_kind_name[];


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

/* Takes bytes from the detail budget for ev; false when it is spent. */
bool charge(struct oom_event *ev, size_t bytes);
/* Sets key to val in l (adds it while the budget allows). */
void kv_add(struct oom_event *ev, struct kvlist *l, struct span key, long long val);
void kv_addstr(struct oom_event *ev, struct kvlist *l, const char *key, long long val);
/* The value of key, or NONE. */
long long kv_get(const struct kvlist *l, const char *key);
void tasks_release(struct task_table *t);
/* Frees what parse_summary() fills in (not the summary line). */
void summary_clear(struct oom_event *ev);
void event_release(struct oom_event *ev);

struct oom_event *last_event(const struct klog *k);
/* The event report lines belong to: the last one, while it is unfinished. */
struct oom_event *open_event(const struct klog *k);
/* Starts an event (header: it starts with "invoked oom-killer"); ends the
 * previous one as truncated if it was still open. */
struct oom_event *new_event(struct klog *k, bool header);
/* A kill slot for ev, or NULL when none is kept (it is counted). */
struct kill *add_kill(struct oom_event *ev, unsigned long line);

bool event_partial(const struct oom_event *ev);
/* The memcg that hit its limit, and the victim's (new or <= 4.20 form). */
const char *event_memcg(const struct oom_event *ev);
const char *event_task_memcg(const struct oom_event *ev);
/* The victim: the first kill that is neither an oom.group nor a sharing kill. */
const struct kill *event_victim(const struct oom_event *ev);
const struct memcg_counter *event_counter(const struct oom_event *ev, const char *name);
bool event_reaped(const struct oom_event *ev);

#endif
