/* event: the model's containers, the detail budget and the event list. */
#include "klog/event.h"

#include <stdlib.h>
#include <string.h>

const char *const kill_kind_name[] = {
	[KILL_PLAIN] = NULL,
	[KILL_GLOBAL] = "global",
	[KILL_MEMCG] = "memcg",
	[KILL_ALLOCATING] = "allocating_task",
};

/* Takes bytes from the detail budget for ev; false when it is spent. */
bool charge(struct oom_event *ev, size_t bytes)
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

void kv_add(struct oom_event *ev, struct kvlist *l, struct span key, long long val)
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

void kv_addstr(struct oom_event *ev, struct kvlist *l, const char *key, long long val)
{
	kv_add(ev, l, mkspan(key, strlen(key)), val);
}

long long kv_get(const struct kvlist *l, const char *key)
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

void tasks_release(struct task_table *t)
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

void summary_clear(struct oom_event *ev)
{
	free(ev->constraint);
	free(ev->nodemask);
	free(ev->s_cpuset);
	free(ev->s_mems);
	free(ev->oom_memcg);
	free(ev->task_memcg);
	free(ev->task);
	ev->constraint = ev->nodemask = ev->s_cpuset = ev->s_mems = NULL;
	ev->oom_memcg = ev->task_memcg = ev->task = NULL;
}

void event_release(struct oom_event *ev)
{
	free(ev->time);
	free(ev->invoker);
	free(ev->gfp_mask);
	free(ev->gfp_flags);
	free(ev->hdr_nodemask);
	free(ev->cpuset);
	free(ev->mems_allowed);
	free(ev->summary);
	summary_clear(ev);
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

struct oom_event *last_event(const struct klog *k)
{
	return k->nevents ? k->events[k->nevents - 1] : NULL;
}

/* The event report lines belong to: the last one, while it is unfinished. */
struct oom_event *open_event(const struct klog *k)
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

struct oom_event *new_event(struct klog *k, bool header)
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

struct kill *add_kill(struct oom_event *ev, unsigned long line)
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

bool event_partial(const struct oom_event *ev)
{
	return ev->truncated || !ev->finished;
}

const char *event_memcg(const struct oom_event *ev)
{
	return ev->oom_memcg ? ev->oom_memcg : ev->old_limit_memcg;
}

const char *event_task_memcg(const struct oom_event *ev)
{
	return ev->task_memcg ? ev->task_memcg : ev->old_task_memcg;
}

const struct kill *event_victim(const struct oom_event *ev)
{
	for (size_t i = 0; i < ev->nkills; i++)
		if (!ev->kills[i].group && !ev->kills[i].sharing)
			return &ev->kills[i];
	return ev->nkills ? &ev->kills[0] : NULL;
}

const struct memcg_counter *event_counter(const struct oom_event *ev, const char *name)
{
	for (size_t i = 0; i < ev->ncounters; i++)
		if (!strcmp(ev->counters[i].name, name))
			return &ev->counters[i];
	return NULL;
}

bool event_reaped(const struct oom_event *ev)
{
	for (size_t i = 0; i < ev->nkills; i++)
		if (ev->kills[i].reaped > 0)
			return true;
	return false;
}
