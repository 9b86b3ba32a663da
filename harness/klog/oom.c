/* oom: OOM header, summary and kill lines. */
#include "klog/oom.h"

#include <stdlib.h>
#include <string.h>


/* Parses the header text after "gfp_mask="; false if it stops short of
 * "order=": 4.11-4.14 print the nodemask with pr_cont, and a console can
 * split the line there. */
bool parse_header_tail(struct oom_event *ev, struct span s)
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

void on_header(struct klog *k, struct span m, size_t comm_len)
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

/* Fields in print order; values may hold commas (node lists, cgroup
 * names), so a value runs up to the next field marker that is found. */
bool parse_summary(struct oom_event *ev)
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

	summary_clear(ev);
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

void on_summary(struct klog *k, struct span m)
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

void on_killed(struct klog *k, struct span s, enum kill_kind kind)
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
void on_kill_process(struct klog *k, struct span s, enum kill_kind kind)
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

void on_kill_prefixed(struct klog *k, struct span s, enum kill_kind kind)
{
	if (EAT(&s, "Killed process "))
		on_killed(k, s, kind);
	else if (EAT(&s, "Kill process "))
		on_kill_process(k, s, kind);
	else if (EAT(&s, "OOM victim "))
		on_victim_exiting(k, s);
}

void on_group(struct klog *k, struct span s)
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
void on_reaper(struct klog *k, struct span s)
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
