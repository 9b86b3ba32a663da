/* json: the event structure through json-c (lib/json.h). */
#include "klog/json.h"

#include "klog/event.h"

/* Members the kernel did not print are left out. */
static void put_str(json_object *o, const char *key, const char *v)
{
	if (v)
		json_put(o, key, json_str(v));
}

static void put_num(json_object *o, const char *key, long long v)
{
	if (v != NONE)
		json_put(o, key, json_object_new_int64(v));
}

static void put_count(json_object *o, const char *key, size_t v)
{
	json_put(o, key, json_object_new_int64((long long)v));
}

static void put_bool(json_object *o, const char *key, bool v)
{
	json_put(o, key, json_object_new_boolean(v));
}

/* Inside an array a missing number keeps its place as null. */
static json_object *num_or_null(long long v)
{
	return v == NONE ? NULL : json_object_new_int64(v);
}

static json_object *new_array_in(json_object *o, const char *key)
{
	json_object *a = json_object_new_array();

	json_put(o, key, a);
	return a;
}

static json_object *new_object_in(json_object *parent, const char *key)
{
	json_object *o = json_object_new_object();

	if (key)
		json_put(parent, key, o);
	else
		json_object_array_add(parent, o);
	return o;
}

static void put_kv(json_object *o, const char *key, const struct kvlist *l)
{
	json_object *kv = new_object_in(o, key);

	for (size_t i = 0; i < l->n; i++)
		put_num(kv, l->v[i].key, l->v[i].val);
}

static void json_kill(json_object *kills, const struct kill *kl)
{
	json_object *o = new_object_in(kills, NULL);

	put_num(o, "line", (long long)kl->line);
	put_str(o, "kind", kill_kind_name[kl->kind]);
	put_num(o, "pid", kl->pid);
	put_str(o, "comm", kl->comm);
	put_num(o, "total_vm_kb", kl->total_vm_kb);
	put_num(o, "anon_rss_kb", kl->anon_rss_kb);
	put_num(o, "file_rss_kb", kl->file_rss_kb);
	put_num(o, "shmem_rss_kb", kl->shmem_rss_kb);
	put_num(o, "uid", kl->uid);
	put_num(o, "pgtables_kb", kl->pgtables_kb);
	put_num(o, "oom_score_adj", kl->oom_score_adj);
	put_num(o, "score", kl->score);
	put_num(o, "chosen_pid", kl->chosen_pid);
	put_str(o, "chosen_comm", kl->chosen_comm);
	put_bool(o, "oom_group", kl->group);
	put_bool(o, "sharing_memory", kl->sharing);
	if (kl->reaped) {
		json_object *r = new_object_in(o, "oom_reaper");

		put_bool(r, "reaped", kl->reaped > 0);
		put_num(r, "anon_rss_kb", kl->reaped_anon_kb);
		put_num(r, "file_rss_kb", kl->reaped_file_kb);
		put_num(r, "shmem_rss_kb", kl->reaped_shmem_kb);
	}
}

static void json_summary(json_object *o, const struct oom_event *ev)
{
	json_object *s = new_object_in(o, "summary");

	put_str(s, "constraint", ev->constraint);
	put_str(s, "nodemask", ev->nodemask);
	put_str(s, "cpuset", ev->s_cpuset);
	put_str(s, "mems_allowed", ev->s_mems);
	put_bool(s, "global_oom", ev->global_oom);
	put_str(s, "oom_memcg", ev->oom_memcg);
	put_str(s, "task_memcg", ev->task_memcg);
	put_str(s, "task", ev->task);
	put_num(s, "pid", ev->task_pid);
	put_num(s, "uid", ev->task_uid);
}

static void json_memcg(json_object *o, const struct oom_event *ev)
{
	json_object *m = new_object_in(o, "memcg"), *counters, *stats;

	put_str(m, "oom_memcg", event_memcg(ev));
	put_str(m, "task_memcg", event_task_memcg(ev));
	counters = new_array_in(m, "counters");
	for (size_t i = 0; i < ev->ncounters; i++) {
		const struct memcg_counter *mc = &ev->counters[i];
		json_object *c = new_object_in(counters, NULL);

		put_str(c, "name", mc->name);
		put_num(c, "usage_kb", mc->usage_kb);
		put_num(c, "limit_kb", mc->limit_kb);
		put_num(c, "failcnt", mc->failcnt);
	}
	stats = new_array_in(m, "stats");
	for (size_t i = 0; i < ev->nstats; i++) {
		json_object *st = new_object_in(stats, NULL);

		put_str(st, "path", ev->stats[i].path);
		put_kv(st, "values", &ev->stats[i].vals);
	}
}

static void json_buddy(json_object *list, const struct buddy *b)
{
	json_object *o = new_object_in(list, NULL), *orders;

	put_num(o, "node", b->node);
	put_str(o, "zone", b->zone);
	orders = new_array_in(o, "orders");
	for (size_t i = 0; i < b->norders; i++) {
		json_object *ord = new_object_in(orders, NULL);

		put_num(ord, "order", (long long)i);
		put_num(ord, "count", b->count[i]);
		put_num(ord, "size_kb", b->size_kb[i]);
		put_str(ord, "types", b->types[i]);
	}
	put_num(o, "total_kb", b->total_kb);
}

static void json_meminfo(json_object *o, const struct oom_event *ev)
{
	json_object *m = new_object_in(o, "meminfo"), *nodes, *zones, *buddy;

	put_kv(m, "counters", &ev->meminfo);
	nodes = new_array_in(m, "nodes");
	for (size_t i = 0; i < ev->nnodes; i++) {
		json_object *n = new_object_in(nodes, NULL);

		put_num(n, "node", ev->nodes[i].node);
		put_kv(n, "values", &ev->nodes[i].vals);
	}
	zones = new_array_in(m, "zones");
	for (size_t i = 0; i < ev->nzones; i++) {
		const struct zone_info *z = &ev->zones[i];
		json_object *zo = new_object_in(zones, NULL), *lowmem;

		put_num(zo, "node", z->node);
		put_str(zo, "zone", z->zone);
		put_kv(zo, "values", &z->vals);
		lowmem = new_array_in(zo, "lowmem_reserve");
		for (size_t l = 0; l < z->nlowmem; l++)
			json_object_array_add(lowmem, num_or_null(z->lowmem[l]));
	}
	buddy = new_array_in(m, "buddy");
	for (size_t i = 0; i < ev->nbuddies; i++)
		json_buddy(buddy, &ev->buddies[i]);
	put_kv(m, "totals", &ev->totals);
}

/* Rows are arrays in column order: pid, the named columns, then the name. */
static void json_tasks(json_object *o, const struct task_table *t)
{
	json_object *to = new_object_in(o, "tasks"), *cols, *rows;
	size_t w = 1 + t->ncols;

	cols = new_array_in(to, "columns");
	json_object_array_add(cols, json_str("pid"));
	for (size_t i = 0; i < t->ncols; i++)
		json_object_array_add(cols, json_str(t->cols[i]));
	json_object_array_add(cols, json_str("name"));
	rows = new_array_in(to, "rows");
	for (size_t r = 0; r < t->nrows; r++) {
		json_object *row = json_object_new_array_ext((int)w + 1);

		for (size_t i = 0; i < w; i++)
			json_object_array_add(row, num_or_null(t->vals[r * w + i]));
		json_object_array_add(row, json_str(t->names[r]));
		json_object_array_add(rows, row);
	}
	put_count(to, "dropped", t->dropped);
}

static void json_event(json_object *events, const struct oom_event *ev)
{
	json_object *o = new_object_in(events, NULL), *kills;

	put_count(o, "index", ev->index);
	put_num(o, "line", (long long)ev->line);
	put_str(o, "time", ev->time);
	put_bool(o, "header", ev->has_header);
	put_bool(o, "partial", event_partial(ev));
	if (ev->invoker || ev->invoker_pid != NONE) {
		json_object *inv = new_object_in(o, "invoker");

		put_str(inv, "comm", ev->invoker);
		put_num(inv, "pid", ev->invoker_pid);
	}
	put_str(o, "gfp_mask", ev->gfp_mask);
	put_str(o, "gfp_flags", ev->gfp_flags);
	put_str(o, "nodemask", ev->hdr_nodemask);
	put_num(o, "order", ev->order);
	put_num(o, "oom_score_adj", ev->oom_score_adj);
	put_num(o, "oom_adj", ev->oom_adj);
	put_str(o, "cpuset", ev->cpuset);
	put_str(o, "mems_allowed", ev->mems_allowed);
	if (ev->summary)
		json_summary(o, ev);
	if (event_memcg(ev) || event_task_memcg(ev) || ev->ncounters || ev->nstats)
		json_memcg(o, ev);
	if (ev->meminfo.n || ev->nnodes || ev->nzones || ev->nbuddies || ev->totals.n)
		json_meminfo(o, ev);
	if (ev->tasks.ncols || ev->tasks.nrows)
		json_tasks(o, &ev->tasks);
	put_count(o, "kill_count", ev->kills_total);
	kills = new_array_in(o, "kills");
	for (size_t i = 0; i < ev->nkills; i++)
		json_kill(kills, &ev->kills[i]);
	put_str(o, "oom_group", ev->group_path);
	if (ev->exiting_pid != NONE) {
		json_object *ex = new_object_in(o, "victim_exiting");

		put_num(ex, "pid", ev->exiting_pid);
		put_str(ex, "comm", ev->exiting_comm);
	}
	put_bool(o, "no_killable", ev->no_killable);
	put_bool(o, "panic", ev->panic);
}

static void json_panics(json_object *o, const struct klog *k)
{
	json_object *panics = new_array_in(o, "panics");

	for (size_t i = 0; i < k->npanics; i++) {
		json_object *p = new_object_in(panics, NULL);

		put_num(p, "line", (long long)k->panics[i].line);
		put_str(p, "reason", k->panics[i].reason);
		put_bool(p, "oom", k->panics[i].oom);
		if (k->panics[i].oom_event)
			put_count(p, "oom_event", k->panics[i].oom_event);
	}
}

static void json_alloc_failures(json_object *o, const struct klog *k)
{
	json_object *afs = new_array_in(o, "alloc_failures");

	for (size_t i = 0; i < k->nafs; i++) {
		json_object *a = new_object_in(afs, NULL);

		put_num(a, "line", (long long)k->afs[i].line);
		put_str(a, "comm", k->afs[i].comm);
		put_num(a, "order", k->afs[i].order);
		put_str(a, "gfp_mask", k->afs[i].gfp_mask);
		put_str(a, "gfp_flags", k->afs[i].gfp_flags);
	}
}

json_object *klog_json(const struct klog *k)
{
	json_object *o = json_object_new_object(), *events;

	put_count(o, "lines", k->lines);
	put_count(o, "kernel_lines", k->kernel_lines);
	put_count(o, "other_lines", k->other_lines);
	put_count(o, "overlong_lines", k->overlong_lines);
	put_count(o, "details_dropped", k->details_dropped);
	put_count(o, "oom_count", k->oom_total);
	put_count(o, "oom_events_dropped", k->oom_total - k->nevents);
	events = new_array_in(o, "oom_events");
	for (size_t i = 0; i < k->nevents; i++)
		json_event(events, k->events[i]);
	put_count(o, "no_killable", k->no_killable);
	put_count(o, "panic_count", k->panic_total);
	json_panics(o, k);
	put_count(o, "alloc_failure_count", k->af_total);
	json_alloc_failures(o, k);
	put_count(o, "oops_count", k->oops);
	put_count(o, "bug_count", k->bugs);
	put_count(o, "warning_count", k->warnings);
	put_count(o, "soft_lockup_count", k->soft_lockups);
	put_count(o, "hard_lockup_count", k->hard_lockups);
	put_count(o, "hung_task_count", k->hung_tasks);
	put_count(o, "rcu_stall_count", k->rcu_stalls);
	return o;
}

void klog_to_json(const struct klog *k, struct strbuf *out)
{
	json_object *o = klog_json(k);

	json_dump(o, 0, out);
	json_object_put(o);
}
