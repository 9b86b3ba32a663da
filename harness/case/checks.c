/* checks: what can only be checked once the whole file is read: cgroups,
 * steps and modules named before (or without) their section (wait
 * conditions' too), keys that need others, required keys and sections,
 * files in the way of programs. */
#include "case/checks.h"
#include "apps/hog_args.h"
#include "case/keys_files.h"
#include "case/wait.h"
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

/* wait = exit STEP: an earlier step (or this one) that starts something
 * in the background; a foreground one has ended before the wait begins. */
static void check_wait_exit(struct parser *p, size_t si, const struct case_wait *w)
{
	const struct oomcase *c = p->c;
	size_t j;

	for (j = 0; j < c->nsteps; j++)
		if (!strcmp(c->steps[j].name, w->step))
			break;
	if (j == c->nsteps)
		case_error_at(p, w->line, "wait '%s' names no [step %s]", w->text_form, w->step);
	else if (j > si)
		case_error_at(p, w->line, "wait '%s' names a later step (allowed: this step or an earlier one)",
			      w->text_form);
	else if (!p->sl[j].run && !p->sl[j].module && j == si)
		case_error_at(p, w->line, "wait '%s': [step %s] starts nothing to wait for (allowed: exit STEP, "
			      "naming a step with background = yes)", w->text_form, w->step);
	else if (!p->sl[j].run && !p->sl[j].module)
		case_error_at(p, w->line, "wait '%s' names a step with no run or module", w->text_form);
	else if (!c->steps[j].background)
		case_error_at(p, w->line, "wait '%s': [step %s] is not in the background, and a foreground "
			      "step is already waited for (allowed: a step with background = yes)", w->text_form,
			      w->step);
}

/* wait and wait_max of step si; the bound goes into the wait. */
static void check_wait(struct parser *p, size_t si)
{
	struct case_step *s = &p->c->steps[si];
	const struct step_lines *l = &p->sl[si];
	struct case_wait *w = s->wait;
	struct strbuf what = STRBUF_INIT;

	if (l->wait_max && !l->wait)
		case_error_at(p, l->wait_max, "'wait_max' in [step %s] needs wait", s->name);
	if (l->sleep && l->wait)
		case_error_at(p, l->sleep > l->wait ? l->sleep : l->wait,
			      "[step %s] has both sleep and wait (allowed: one of them)", s->name);
	if (l->wait_max_ms > p->c->timeout_ms) {
		struct strbuf max = STRBUF_INIT, timeout = STRBUF_INIT;

		case_add_duration(&max, l->wait_max_ms);
		case_add_duration(&timeout, p->c->timeout_ms);
		case_error_at(p, l->wait_max, "'wait_max' %s in [step %s] is over the case's timeout %s",
			      max.buf, s->name, timeout.buf);
		strbuf_release(&max);
		strbuf_release(&timeout);
	}
	if (!w)
		return;
	if (l->wait_max_ms)
		w->max_ms = l->wait_max_ms;
	strbuf_addf(&what, "wait '%s'", w->text_form);
	if (w->kind == WAIT_EXIT)
		check_wait_exit(p, si, w);
	else if (w->kind == WAIT_OUTPUT && !l->run && !l->module)
		case_error_at(p, w->line, "wait '%s' in [step %s] needs run or module (the output it "
			      "watches is this step's)", w->text_form, s->name);
	else if (w->group)
		check_cgroup_ref(p, w->line, what.buf, w->group);
	strbuf_release(&what);
}

/* hog --kind file writes to the case's disk unless --dir names another
 * place: without a disk there is no such directory. */
static void check_hog_file(struct parser *p, size_t si)
{
	const struct case_step *s = &p->c->steps[si];
	struct hog_args a;
	size_t bad;

	if (s->kind != STEP_RUN || s->host_path || !s->argc || strcmp(s->argv[0], "hog") ||
	    hog_args_parse(&a, s->argc, s->argv, HOG_GUEST_SIZE_MAX, &bad))
		return;
	if (a.kind == HOG_KIND_FILE && !strcmp(a.dir, HOG_FILE_DIR) && !p->c->disk)
		case_error_at(p, p->sl[si].run, "hog --kind file writes to " HOG_FILE_DIR ": the case needs "
			      "'disk = SIZE' in [case] (or give the hog --dir)");
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

		if (!starts && !l->sleep && !l->wait && !l->collect && !l->rmmod && !l->write)
			case_error_at(p, s->line, "[step %s] does nothing (needs run, module, write, sleep, wait, "
				      "collect or rmmod)", s->name);
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
		check_wait(p, i);
		check_hog_file(p, i);
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
