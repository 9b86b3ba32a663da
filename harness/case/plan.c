/* plan: case -> agent plan lines (proto/proto.h). */
#include "case/plan.h"
#include "case/wait.h"
#include "run/record.h"

#include <string.h>

/* "arm STEP KIND ARGS...": before the step's action, so that the agent
 * takes the condition's baseline (an OOM kill count, the output so far)
 * before anything the step does can change it. */
static void add_arm(struct strbuf *out, const struct case_step *s)
{
	const struct case_wait *w = s->wait;

	strbuf_addstr(out, "arm");
	record_add_field(out, s->name);
	record_add_field(out, case_wait_kind_name(w->kind));
	switch (w->kind) {
	case WAIT_EXIT:
		record_add_field(out, w->step);
		break;
	case WAIT_OUTPUT:
		record_add_field(out, w->text);
		break;
	case WAIT_OOM_KILL:
		record_add_field(out, w->group ? w->group : "-");
		break;
	case WAIT_CGROUP:
		record_add_field(out, w->group);
		record_add_field(out, w->file);
		record_add_field(out, w->key ? w->key : "-");
		record_add_field(out, expect_op_name(w->op));
		strbuf_addf(out, " %lld", w->value);
		break;
	}
	strbuf_addch(out, '\n');
}

int plan_build(const struct oomcase *c, struct strbuf *out, struct strbuf *err)
{
	int v1 = 0, v2 = 0;

	for (size_t i = 0; i < c->ncgroups; i++) {
		v1 |= c->cgroups[i].version == 1;
		v2 |= c->cgroups[i].version == 2;
	}
	if (v1 && v2) {
		strbuf_addf(err, "%s: cgroup v1 and v2 groups in one case: the memory controller "
			    "can be on only one hierarchy", c->path);
		return -1;
	}
	for (size_t i = 0; i < c->nsysctls; i++) {
		strbuf_addstr(out, "sysctl");
		record_add_field(out, c->sysctls[i].file);
		record_add_field(out, c->sysctls[i].value);
		strbuf_addch(out, '\n');
	}
	if (v1)
		strbuf_addstr(out, "mount cgroup1\n");
	if (v2)
		strbuf_addstr(out, "mount cgroup2\n");
	for (size_t i = 0; i < c->ncgroups; i++) {
		const struct case_cgroup *g = &c->cgroups[i];
		strbuf_addstr(out, "cgroup");
		record_add_field(out, g->name);
		strbuf_addch(out, '\n');
		for (size_t j = 0; j < g->nsettings; j++) {
			strbuf_addstr(out, "cgset");
			record_add_field(out, g->name);
			record_add_field(out, g->settings[j].file);
			record_add_field(out, g->settings[j].value);
			strbuf_addch(out, '\n');
		}
	}
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];
		if (s->wait)
			add_arm(out, s);
		if (s->kind != STEP_NONE) {
			strbuf_addstr(out, s->kind == STEP_RUN ? "run" : "module");
			record_add_field(out, s->name);
			record_add_field(out, s->background ? "1" : "0");
			record_add_field(out, s->cgroup ? s->cgroup : "-");
			if (s->has_oom_score_adj)
				strbuf_addf(out, " %d", s->oom_score_adj);
			else
				record_add_field(out, "-");
			for (size_t j = 0; j < s->argc; j++)
				record_add_field(out, s->argv[j]);
			strbuf_addch(out, '\n');
		}
		if (s->write_path) {
			strbuf_addstr(out, "write");
			record_add_field(out, s->write_path);
			record_add_field(out, s->write_value);
			strbuf_addch(out, '\n');
		}
		if (s->wait) {
			strbuf_addstr(out, "wait");
			record_add_field(out, s->name);
			strbuf_addf(out, " %ld\n", s->wait->max_ms);
		}
		if (s->sleep_ms > 0)
			strbuf_addf(out, "sleep %ld\n", s->sleep_ms);
		if (s->ncollect) {
			strbuf_addstr(out, "collect");
			record_add_field(out, s->name);
			for (size_t j = 0; j < s->ncollect; j++)
				record_add_field(out, s->collect[j]);
			strbuf_addch(out, '\n');
		}
		if (s->rmmod) {
			strbuf_addstr(out, "rmmod");
			record_add_field(out, s->rmmod);
			strbuf_addch(out, '\n');
		}
	}
	strbuf_addstr(out, "end\n");
	return 0;
}
