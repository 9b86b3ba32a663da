/* checks: what can only be checked once the whole file is read: cgroups,
 * steps and modules named before (or without) their section, keys that
 * need others, required keys and sections, files in the way of programs. */
#include "case/checks.h"
#include "case/keys_files.h"
#include "proto/collect.h"

#include <string.h>

static const struct case_cgroup *find_cgroup(const struct oomcase *c, const char *name)
{
	for (size_t i = 0; i < c->ncgroups; i++)
		if (!strcmp(c->cgroups[i].name, name))
			return &c->cgroups[i];
	return NULL;
}

static void check_cgroup_ref(struct parser *p, int line, const char *what, const char *name)
{
	struct strbuf known = STRBUF_INIT;
	const struct oomcase *c = p->c;

	if (find_cgroup(c, name))
		return;
	/* a few are enough to hint; all of them, per error, could be huge */
	for (size_t i = 0; i < c->ncgroups && i < 8; i++)
		strbuf_addf(&known, "%s%s", i ? " " : "", c->cgroups[i].name);
	if (c->ncgroups > 8)
		strbuf_addstr(&known, " ...");
	case_error_at(p, line, "%s names no [cgroup %s] (defined: %s)", what, name,
		      c->ncgroups ? known.buf : "none");
	strbuf_release(&known);
}

/* item: "proc:NAME" */
static void check_proc_ref(struct parser *p, size_t si, int line, const char *item,
			   const char *name)
{
	const struct oomcase *c = p->c;
	size_t j;

	for (j = 0; j < c->nsteps; j++)
		if (!strcmp(c->steps[j].name, name))
			break;
	if (j == c->nsteps)
		case_error_at(p, line, "collect item '%s' names no [step %s]", item, name);
	else if (j > si)
		case_error_at(p, line, "collect item '%s' names a later step (allowed: this step or an earlier one)",
			      item);
	else if (!p->sl[j].run && !p->sl[j].module)
		case_error_at(p, line, "collect item '%s' names a step with no run or module", item);
}

/* rmmod names oom_trigger or the module of a module step, before or after it. */
static void check_rmmod(struct parser *p, size_t si)
{
	const struct oomcase *c = p->c;
	struct strbuf known = STRBUF_INIT;
	const char *name = c->steps[si].rmmod;
	size_t j, shown = 0;

	if (case_in_list(case_guest_modules, name))
		return;
	for (j = 0; j < c->nsteps; j++) {
		if (p->sl[j].module && c->steps[j].kind != STEP_MODULE)
			return;	/* that step's module is in error: it may be this one */
		if (c->steps[j].kind == STEP_MODULE && !strcmp(c->steps[j].argv[0], name))
			return;
	}
	case_add_list(&known, case_guest_modules);
	for (j = 0; j < c->nsteps; j++) {
		const struct case_step *s = &c->steps[j];

		if (s->kind != STEP_MODULE || !s->host_path)
			continue;
		if (shown++ == 8) {	/* a few are enough to hint */
			strbuf_addstr(&known, " ...");
			break;
		}
		strbuf_addf(&known, " %s", s->argv[0]);
	}
	case_error_at(p, p->sl[si].rmmod, "unknown module '%s' for 'rmmod' (known: %s)", name, known.buf);
	strbuf_release(&known);
}

void case_check_all(struct parser *p)
{
	const struct oomcase *c = p->c;
	size_t i, k;

	for (i = 0; i < c->ncgroups; i++)
		if (!c->cgroups[i].version)
			case_error_at(p, c->cgroups[i].line, "[cgroup %s] needs 'version' (1 or 2)",
				      c->cgroups[i].name);
	for (i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];
		const struct step_lines *l = &p->sl[i];
		int starts = l->run || l->module;

		if (!starts && !l->sleep && !l->collect && !l->rmmod && !l->write)
			case_error_at(p, s->line, "[step %s] does nothing (needs run, module, write, sleep, collect or rmmod)",
				      s->name);
		if (l->cgroup && !starts)
			case_error_at(p, l->cgroup, "'cgroup' in [step %s] needs run or module", s->name);
		if (l->background && !starts)
			case_error_at(p, l->background, "'background' in [step %s] needs run or module",
				      s->name);
		if (l->score && !starts)
			case_error_at(p, l->score, "'oom_score_adj' in [step %s] needs run or module",
				      s->name);
		if (l->tap && l->module)
			case_error_at(p, l->tap, "'tap' in [step %s] is for run, not module", s->name);
		else if (l->tap && !l->run)
			case_error_at(p, l->tap, "'tap' in [step %s] needs run", s->name);
		if (s->cgroup)
			check_cgroup_ref(p, l->cgroup, "'cgroup'", s->cgroup);
		if (s->rmmod)
			check_rmmod(p, i);
		for (k = 0; k < s->ncollect; k++) {
			const char *arg;
			const struct proto_collector *col = proto_collector_find(s->collect[k], &arg);

			if (col && col->arg == PROTO_COLLECT_CGROUP) {
				struct strbuf what = STRBUF_INIT;

				strbuf_addf(&what, "collect item '%s'", s->collect[k]);
				check_cgroup_ref(p, l->collect, what.buf, arg);
				strbuf_release(&what);
			} else if (col && col->arg == PROTO_COLLECT_STEP) {
				check_proc_ref(p, i, l->collect, s->collect[k], arg);
			}
		}
	}
	case_check_files(p);
	if (!p->nexpr)
		case_error_at(p, 0, "no expectations");
	if (p->ps->file_err)
		case_error_at(p, 0, "%s", p->ps->file_err);
}
