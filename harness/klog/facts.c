/* facts: the facts of a parsed log. */
#include "klog/facts.h"

#include <string.h>

#include "klog/event.h"


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
