/* text: the human summary. */
#include "klog/text.h"

#include "klog/event.h"


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
