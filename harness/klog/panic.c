/* panic: panics, allocation failures, oops, watchdogs. */
#include "klog/panic.h"

#include <stdlib.h>
#include <string.h>


static bool oom_reason(struct span r)
{
	return PFX(r, "Out of memory") || PFX(r, "System is deadlocked on memory");
}

void on_no_killable(struct klog *k)
{
	struct oom_event *ev = open_event(k);

	k->no_killable++;
	if (ev) {
		ev->no_killable = true;
		ev->finished = true;
	}
}

void on_panic(struct klog *k, struct span r)
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
bool on_alloc_failure(struct klog *k, struct span m, size_t c)
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
bool is_oops(struct span m)
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

/* Watchdog reports: "[NMI ]watchdog: BUG: soft lockup - CPU#0 stuck for
 * 22s! [comm:pid]", "[NMI watchdog: ]Watchdog detected hard LOCKUP on cpu
 * 1", "INFO: task comm:pid blocked for more than 120 seconds.", "[rcu: ]INFO:
 * rcu_sched self-detected stall on CPU" or "... detected stalls on CPUs".
 * Returns whether m was one. */
bool on_watchdog(struct klog *k, struct span m)
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
