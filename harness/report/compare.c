/* compare: runs matched into pairs and their facts compared (see compare.h). */
#include "report/compare.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

const struct compare_rule compare_rules[] = {
	/* noise: differs from run to run whatever the kernel does */
	{ "*.pid", COMPARE_NOISE, "a process id (step.hog.pid, oom.1.victim.pid, oom.1.kill.2.pid)" },
	{ "*_pid", COMPARE_NOISE, "a process id (oom.1.invoker_pid)" },
	{ "proc.*Pid", COMPARE_NOISE, "a process id in /proc/PID/status (Pid, PPid, TracerPid)" },
	{ "proc.*.Tgid", COMPARE_NOISE, "a process id in /proc/PID/status" },
	{ "proc.*.NS*", COMPARE_NOISE, "a process id in /proc/PID/status (NSpid, NStgid, NSpgid, NSsid)" },
	{ "proc.*voluntary_ctxt_switches", COMPARE_NOISE, "context switches: how the scheduler went" },
	{ "cgroup.*.cgroup.procs", COMPARE_NOISE, "the process ids in a cgroup" },
	{ "cgroup.*.cgroup.threads", COMPARE_NOISE, "the thread ids in a cgroup" },
	{ "cgroup.*.tasks", COMPARE_NOISE, "the process ids in a cgroup v1 group" },
	{ "oom.*.line", COMPARE_NOISE, "the console line an OOM report starts on" },
	{ "*.samples", COMPARE_NOISE, "how many samples the agent took" },
	{ "agent.dropped_bytes", COMPARE_NOISE, "agent records lost to a full channel" },
	/* timing: compared with --timing */
	{ "*.seconds", COMPARE_TIMING, "a duration (run.seconds, boot.seconds)" },
	{ "*_seconds", COMPARE_TIMING, "CPU time (qemu.cpu_seconds, harness.cpu_seconds)" },
	{ "*.ms", COMPARE_TIMING, "a duration (wait.hog.ms)" },
	{ "*_ms", COMPARE_TIMING, "a duration (payload.unpack_ms)" },
	{ "*_usec", COMPARE_TIMING, "CPU time of a cgroup (cpu.stat)" },
	{ "boot.*", COMPARE_TIMING, "how the guest was booted" },
	{ "harness.*", COMPARE_TIMING, "the harness's own costs" },
	{ "run.*", COMPARE_TIMING, "the run's own costs" },
	{ "oom.*.time", COMPARE_TIMING, "the console time stamp of an OOM report" },
	{ "cgroup.*.pressure.some", COMPARE_TIMING, "pressure stall time (PSI averages and total)" },
	{ "cgroup.*.pressure.full", COMPARE_TIMING, "pressure stall time (PSI averages and total)" },
};
const size_t compare_nrules = sizeof(compare_rules) / sizeof(compare_rules[0]);

const struct compare_rule *compare_rule_for(const char *name)
{
	for (size_t i = 0; i < compare_nrules; i++)
		if (!fnmatch(compare_rules[i].pattern, name, 0))
			return &compare_rules[i];
	return NULL;
}

enum compare_class compare_classify(const char *name)
{
	const struct compare_rule *r = compare_rule_for(name);
	return r ? r->class : COMPARE_KEPT;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int compared(const char *name, int skip_last, const struct compare_options *opt)
{
	enum compare_class c = compare_classify(name);

	if (c == COMPARE_NOISE || (c == COMPARE_TIMING && !opt->timing))
		return 0;
	/* oom.last.* repeats the last oom.N.*: the same unless the counts differ */
	return !(skip_last && !strncmp(name, "oom.last.", 9));
}

static void add_diff(struct compare_pair *p, const char *name, const char *a, const char *b)
{
	p->diffs = xrealloc(p->diffs, (p->ndiffs + 1) * sizeof(*p->diffs));
	p->diffs[p->ndiffs++] = (struct compare_diff){ .name = name, .a = a, .b = b };
}

void compare_pair_diff(struct compare_pair *p, const struct compare_options *opt)
{
	const struct facts *fa = &p->a->facts, *fb = &p->b->facts;

	free(p->diffs);
	p->diffs = NULL;
	p->ndiffs = 0;
	p->verdict_differs = strcmp(p->a->verdict, p->b->verdict) != 0;
	p->no_facts = !fa->n && fb->n ? 'a' : fa->n && !fb->n ? 'b' : 0;
	if (p->no_facts)
		return;
	int skip_last = same(facts_get(fa, "oom.count"), facts_get(fb, "oom.count"));
	for (size_t i = 0; i < fa->n; i++) {
		const char *name = fa->v[i].name, *bv = facts_get(fb, name);
		if (compared(name, skip_last, opt) && !same(fa->v[i].value, bv))
			add_diff(p, name, fa->v[i].value, bv);
	}
	for (size_t i = 0; i < fb->n; i++) {
		const char *name = fb->v[i].name;
		if (!facts_get(fa, name) && compared(name, skip_last, opt))
			add_diff(p, name, NULL, fb->v[i].value);
	}
}

int compare_pair_differs(const struct compare_pair *p)
{
	return !p->a || !p->b || p->verdict_differs || p->ndiffs || p->no_facts;
}

void compare_pair_target(const struct compare_pair *p, struct strbuf *out)
{
	if (p->a && p->b && strcmp(p->a->target, p->b->target))
		strbuf_addf(out, "%s -> %s", p->a->target, p->b->target);
	else
		strbuf_addstr(out, p->a ? p->a->target : p->b->target);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void compare_summary(const struct compare_result *res, struct strbuf *out)
{
	strbuf_addf(out, "%zu %s, %zu %s, %zu with differing facts, %zu only in A, %zu only in B", res->pairs,
		    plural(res->pairs, "pair", "pairs"), res->verdicts_differ,
		    plural(res->verdicts_differ, "verdict differs", "verdicts differ"), res->facts_differ,
		    res->only_a, res->only_b);
}

static void add_pair(struct compare_result *res, const struct compare_run *a, const struct compare_run *b,
		     const struct compare_options *opt)
{
	res->v = xrealloc(res->v, (res->n + 1) * sizeof(*res->v));
	struct compare_pair *p = &res->v[res->n++];
	memset(p, 0, sizeof(*p));
	p->a = a;
	p->b = b;
	if (!a || !b) {
		res->only_a += !b;
		res->only_b += !a;
		return;
	}
	compare_pair_diff(p, opt);
	res->pairs++;
	res->verdicts_differ += p->verdict_differs != 0;
	res->facts_differ += p->ndiffs != 0;
}

static size_t count_targets(const struct compare_run *const *v, size_t n)
{
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < i && strcmp(v[k]->target, v[i]->target))
			k++;
		distinct += k == i;
	}
	return distinct;
}

/* Pairs A's runs with B's: each run of A with the first run of B not yet
 * taken that has its name (and its target unless by_name). */
static size_t match(const struct compare_run *const *a, size_t na, const struct compare_run *const *b, size_t nb,
		    int by_name, size_t *partner)
{
	char *taken = xcalloc(nb ? nb : 1, 1);
	size_t found = 0;

	for (size_t i = 0; i < na; i++) {
		partner[i] = nb;
		for (size_t j = 0; j < nb; j++) {
			if (taken[j] || strcmp(a[i]->name, b[j]->name) ||
			    (!by_name && strcmp(a[i]->target, b[j]->target)))
				continue;
			taken[j] = 1;
			partner[i] = j;
			found++;
			break;
		}
	}
	free(taken);
	return found;
}

static void build(struct compare_result *res, const struct compare_run *const *a, size_t na,
		  const struct compare_run *const *b, size_t nb, int by_name, const struct compare_options *opt)
{
	int by_name_asked = by_name;
	size_t *partner = xcalloc(na ? na : 1, sizeof(*partner));
	char *paired = xcalloc(nb ? nb : 1, 1);

	if (!match(a, na, b, nb, by_name, partner) && !by_name && count_targets(a, na) == 1 &&
	    count_targets(b, nb) == 1) {
		/* one kernel against another: custom targets have names of their own */
		by_name = 1;
		match(a, na, b, nb, by_name, partner);
	}
	res->by_name = by_name && !by_name_asked;
	for (size_t i = 0; i < na; i++) {
		if (partner[i] < nb)
			paired[partner[i]] = 1;
		add_pair(res, a[i], partner[i] < nb ? b[partner[i]] : NULL, opt);
	}
	for (size_t j = 0; j < nb; j++)
		if (!paired[j])
			add_pair(res, NULL, b[j], opt);
	free(partner);
	free(paired);
}

/* The runs of r (of target t only, when t is given). */
static size_t runs_of(const struct compare_report *r, const char *t, const struct compare_run ***out)
{
	size_t n = 0;

	*out = xcalloc(r->n ? r->n : 1, sizeof(**out));
	for (size_t i = 0; i < r->n; i++)
		if (!t || !strcmp(r->v[i].target, t))
			(*out)[n++] = &r->v[i];
	return n;
}

/* "PATH (run RUN_ID)[, target T]" */
static char *label(const struct compare_report *r, const char *target)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, r->path);
	if (*r->run_id)
		strbuf_addf(&sb, " (run %s)", r->run_id);
	if (target)
		strbuf_addf(&sb, ", target %s", target);
	return strbuf_detach(&sb);
}

void compare_reports(struct compare_result *res, const struct compare_report *a, const struct compare_report *b,
		     const struct compare_options *opt)
{
	const struct compare_run **ra, **rb;
	size_t na = runs_of(a, NULL, &ra), nb = runs_of(b, NULL, &rb);

	memset(res, 0, sizeof(*res));
	res->label_a = label(a, NULL);
	res->label_b = label(b, NULL);
	build(res, ra, na, rb, nb, 0, opt);
	free(ra);
	free(rb);
}

static void no_target(const struct compare_report *r, const char *t, struct strbuf *err)
{
	const char **have;
	size_t n = compare_report_targets(r, &have);

	strbuf_addf(err, "no target '%s' in %s (have:", t, r->path);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(err, " %s", have[i]);
	strbuf_addstr(err, n ? ")" : " no run)");
	free(have);
}

int compare_targets(struct compare_result *res, const struct compare_report *r, const char *ta, const char *tb,
		    const struct compare_options *opt, struct strbuf *err)
{
	const struct compare_run **ra, **rb;
	size_t na = runs_of(r, ta, &ra), nb = runs_of(r, tb, &rb);
	int ret = 0;

	memset(res, 0, sizeof(*res));
	if (!na || !nb) {
		no_target(r, na ? tb : ta, err);
		ret = -1;
	} else {
		res->label_a = label(r, ta);
		res->label_b = label(r, tb);
		build(res, ra, na, rb, nb, 1, opt);
	}
	free(ra);
	free(rb);
	return ret;
}

void compare_result_release(struct compare_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->v[i].diffs);
	free(res->v);
	free(res->label_a);
	free(res->label_b);
	memset(res, 0, sizeof(*res));
}
