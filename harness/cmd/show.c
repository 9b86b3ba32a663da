/* show: a parsed case, printed for people. */
#include "cmd/show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/needs.h"
#include "cmd/common.h"
#include "case/plan.h"
#include "case/wait.h"
#include "run/record.h"

static void size_text(struct strbuf *out, unsigned long long bytes)
{
	if (bytes && !(bytes % (1ull << 30)))
		strbuf_addf(out, "%lluG", bytes >> 30);
	else if (bytes && !(bytes % (1ull << 20)))
		strbuf_addf(out, "%lluM", bytes >> 20);
	else if (bytes && !(bytes % 1024))
		strbuf_addf(out, "%lluK", bytes >> 10);
	else
		strbuf_addf(out, "%llu bytes", bytes);
}

/* Plan lines with their fields decoded, quoted where they hold spaces. */
static void plan_text(struct strbuf *out, const char *plan)
{
	const char *p = plan;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char **f;
		size_t n = record_split(p, len, &f);
		strbuf_addstr(out, "    ");
		for (size_t i = 0; i < n; i++) {
			int quote = !*f[i] || strpbrk(f[i], " \t\"") != NULL;
			strbuf_addstr(out, i ? " " : "");
			if (quote)
				strbuf_addch(out, '"');
			for (const char *s = f[i]; *s; s++) {
				if (*s == '"' || *s == '\\')
					strbuf_addch(out, '\\');
				strbuf_addch(out, (unsigned char)*s < 0x20 ? '?' : *s);
			}
			if (quote)
				strbuf_addch(out, '"');
		}
		strbuf_addch(out, '\n');
		record_fields_free(f, n);
		p += len + (nl ? 1 : 0);
	}
}

/* Where a step's program or module comes from. */
static void step_origin(struct strbuf *out, const struct case_step *s)
{
	const char *arch = s->host_path && strstr(s->host_path, CASE_ARCH_VAR) ? ", ${arch} per target" : "";

	if (s->kind == STEP_RUN && s->host_path)
		strbuf_addf(out, "       program %s: the case's file %s%s, with the libraries it needs\n",
			    s->argv[0], s->host_path, arch);
	else if (s->kind == STEP_RUN && !strcmp(s->argv[0], "hog"))
		strbuf_addstr(out, "       program hog: in the image\n");
	else if (s->kind == STEP_RUN)
		strbuf_addf(out, "       program %s: from the case's packages, or a busybox applet\n", s->argv[0]);
	else if (s->kind == STEP_MODULE && s->host_path && s->module_is_dir)
		strbuf_addf(out, "       module %s: built from %s against each target's kdir\n", s->argv[0],
			    s->host_path);
	else if (s->kind == STEP_MODULE && s->host_path)
		strbuf_addf(out, "       module %s: the case's file %s%s, checked against each target\n", s->argv[0],
			    s->host_path, arch);
	else if (s->kind == STEP_MODULE)
		strbuf_addf(out, "       module %s: in the image, built for each target\n", s->argv[0]);
}

void show_case(const struct oomcase *c, const struct target_list *tl, struct strbuf *out)
{
	strbuf_addf(out, "case %s%s%s%s  (%s)\n", c->name, c->variant ? "[" : "", c->variant ? c->variant : "",
		    c->variant ? "]" : "", c->path);
	if (c->description)
		strbuf_addf(out, "  %s\n", c->description);
	strbuf_addstr(out, "  memory:   ");
	size_text(out, c->memory);
	strbuf_addf(out, "\n  timeout:  %ld s\n", c->timeout_ms / 1000);
	if (c->swap) {
		strbuf_addstr(out, "  swap:     ");
		size_text(out, c->swap);
		strbuf_addstr(out, " on a virtio disk of the run's own (mkswap), on before the steps\n");
	}
	if (c->disk) {
		strbuf_addstr(out, "  disk:     ");
		size_text(out, c->disk);
		strbuf_addstr(out, " of ext4 (mke2fs) mounted at " CASE_DISK_MOUNT " before the steps\n");
	}
	if (c->cmdline)
		strbuf_addf(out, "  cmdline:  %s (added to the kernel command line)\n", c->cmdline);
	strbuf_addstr(out, "  targets:  ");
	if (tl && tl->n) {
		size_t k = 0;
		for (size_t i = 0; i < tl->n; i++)
			if (needs_target(c, &tl->v[i])) {
				strbuf_addf(out, "%s%s", k++ ? ", " : "", tl->v[i].name);
				if (tl->v[i].min_memory && c->memory < tl->v[i].min_memory)
					strbuf_addf(out, " (skipped: needs %lluM)", tl->v[i].min_memory >> 20);
			}
		if (!k)
			strbuf_addstr(out, "none of the targets there are");
	} else if (c->ntargets) {
		for (size_t i = 0; i < c->ntargets; i++)
			strbuf_addf(out, "%s%s", i ? ", " : "", c->targets[i]);
	} else {
		strbuf_addstr(out, "every default target");
	}
	strbuf_addch(out, '\n');
	if (c->nneeds) {
		strbuf_addstr(out, "  needs:   ");
		for (size_t i = 0; i < c->nneeds; i++)
			strbuf_addf(out, " %s", c->needs[i]);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < c->nsysctls; i++)
		strbuf_addf(out, "  sysctl %s = %s (line %d)\n", c->sysctls[i].file, c->sysctls[i].value,
			    c->sysctls[i].line);
	for (size_t i = 0; i < c->ncgroups; i++) {
		const struct case_cgroup *g = &c->cgroups[i];
		strbuf_addf(out, "  cgroup %s (v%d, line %d)\n", g->name, g->version, g->line);
		for (size_t j = 0; j < g->nsettings; j++)
			strbuf_addf(out, "    %s = %s\n", g->settings[j].file, g->settings[j].value);
	}
	if (c->npackages) {
		strbuf_addstr(out, "  packages: ");
		for (size_t i = 0; i < c->npackages; i++)
			strbuf_addf(out, "%s%s", i ? " " : "", c->packages[i]);
		strbuf_addstr(out, " (Debian's build for each target's arch, with the libraries they need)\n");
	}
	for (size_t i = 0; i < c->nfiles; i++)
		strbuf_addf(out, "  file %s from %s (line %d)\n", c->files[i].guest, c->files[i].host, c->files[i].line);
	strbuf_addstr(out, "  steps, in order:\n");
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];
		strbuf_addf(out, "    %zu. %s (line %d)", i + 1, s->name, s->line);
		if (s->kind != STEP_NONE) {
			strbuf_addstr(out, s->kind == STEP_MODULE ? ": insmod" : ": run");
			for (size_t j = 0; j < s->argc; j++)
				strbuf_addf(out, " %s", s->argv[j]);
			if (s->background)
				strbuf_addstr(out, ", in the background");
			if (s->cgroup)
				strbuf_addf(out, ", in cgroup %s", s->cgroup);
			if (s->has_oom_score_adj)
				strbuf_addf(out, ", oom_score_adj %d", s->oom_score_adj);
		}
		if (s->write_path)
			strbuf_addf(out, "%s write '%s' to %s", s->kind != STEP_NONE ? ";" : ":", s->write_value,
				    s->write_path);
		if (s->sleep_ms)
			strbuf_addf(out, "; then sleep %ld ms", s->sleep_ms);
		if (s->wait) {
			strbuf_addf(out, "; then wait for %s, at most ", s->wait->text_form);
			case_add_duration(out, s->wait->max_ms);
		}
		if (s->ncollect) {
			strbuf_addstr(out, "; collect");
			for (size_t j = 0; j < s->ncollect; j++)
				strbuf_addf(out, " %s", s->collect[j]);
		}
		if (s->rmmod)
			strbuf_addf(out, "; rmmod %s", s->rmmod);
		if (s->tap)
			strbuf_addf(out, "; its output read as TAP (facts tap.%s.*)", s->name);
		strbuf_addch(out, '\n');
		step_origin(out, s);
	}
	strbuf_addstr(out, "  expectations:\n");
	if (!c->nexpects)
		strbuf_addstr(out, "    (none)\n");
	for (size_t i = 0; i < c->nexpects; i++) {
		const struct expectation *e = &c->expects[i];
		strbuf_addf(out, "    line %d: %s", e->line, e->text);
		if (e->selector)
			strbuf_addf(out, "   [only on %s]", e->selector);
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, "  plus, unless an expectation speaks of them: no kernel panic, no oops or BUG\n");
	for (size_t i = 0; i < c->nsteps; i++)
		if (c->steps[i].wait)
			strbuf_addf(out, "  plus: step %s's wait holds (wait.%s.met == 1)\n", c->steps[i].name,
				    c->steps[i].name);

	struct strbuf plan = STRBUF_INIT, err = STRBUF_INIT;
	if (plan_build(c, &plan, &err)) {
		strbuf_addf(out, "  plan: cannot be built: %s\n", err.buf);
	} else {
		strbuf_addstr(out, "  plan (what the guest agent is sent):\n");
		plan_text(out, plan.buf);
	}
	strbuf_release(&plan);
	strbuf_release(&err);
}

int cmd_show(int argc, char **argv)
{
	char *root = project_root();
	struct target_list tl = { 0 };
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	char **paths = NULL;
	size_t npaths = 0;
	int ret = 0, have_targets;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs("usage: oomtest show CASE|DIR...\n", argc < 2 ? stderr : stdout);
		free(root);
		return argc < 2 ? 2 : 0;
	}
	have_targets = !load_targets(&tl, root, &err);
	strbuf_reset(&err);
	if (collect_case_paths(argv + 1, argc - 1, &paths, &npaths))
		ret = 2;
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *cs = NULL;
		size_t n = 0;
		strbuf_reset(&err);
		if (case_load_all(paths[i], &cs, &n, &err)) {
			fputs(err.buf, stderr);
			ret = 2;
		}
		for (size_t k = 0; k < n; k++) {
			strbuf_reset(&out);
			if (n > 1 && !k)
				printf("%s stands for %zu runs:\n", paths[i], n);
			show_case(&cs[k], have_targets ? &tl : NULL, &out);
			fputs(out.buf, stdout);
			fputc('\n', stdout);
			case_release(&cs[k]);
		}
		free(cs);
		free(paths[i]);
	}
	free(paths);
	if (have_targets)
		targets_release(&tl);
	strbuf_release(&err);
	strbuf_release(&out);
	free(root);
	return ret;
}
