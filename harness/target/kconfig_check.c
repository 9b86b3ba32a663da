/* kconfig_check: a build tree's config checked against what oomtest needs
 * (see kconfig_check.h). */
#include "target/kconfig_check.h"
#include "case/needs.h"

#include <stdlib.h>
#include <string.h>

const char *kconfig_want_text(const struct kconfig_req *q, struct strbuf *buf)
{
	strbuf_reset(buf);
	switch (q->want) {
	case KCONFIG_Y: strbuf_addstr(buf, "y"); break;
	case KCONFIG_Y_OR_M: strbuf_addstr(buf, "y or m"); break;
	case KCONFIG_SET: strbuf_addstr(buf, "y, m or a value"); break;
	case KCONFIG_NOT_SET: strbuf_addstr(buf, "not set"); break;
	case KCONFIG_AT_LEAST: strbuf_addf(buf, "%ld or more", q->min); break;
	}
	return buf->buf;
}

/* Whether value (NULL: not named) gives q; version: the config's kernel. */
static int satisfied(const struct kconfig_req *q, const char *value, const char *version)
{
	char *end;

	/* an option this kernel does not have asks nothing of it */
	if (q->since && !value && (!version || release_cmp(version, q->since) < 0))
		return 1;
	switch (q->want) {
	case KCONFIG_Y: return value && !strcmp(value, "y");
	case KCONFIG_Y_OR_M: return value && (!strcmp(value, "y") || !strcmp(value, "m"));
	case KCONFIG_SET: return kconfig_value_is_set(value);
	case KCONFIG_NOT_SET: return !kconfig_value_is_set(value);
	case KCONFIG_AT_LEAST:
		if (!value || !*value)
			return 0;
		long n = strtol(value, &end, 0);
		return !*end && n >= q->min;
	}
	return 0;
}

static void add_miss(struct kconfig_report *rep, const struct kconfig_req *q, const char *value)
{
	struct strbuf have = STRBUF_INIT;

	if (kconfig_value_is_set(value))
		strbuf_addf(&have, "=%s", value);
	else
		strbuf_addstr(&have, " is not set");
	rep->v = xrealloc(rep->v, (rep->n + 1) * sizeof(*rep->v));
	rep->v[rep->n++] = (struct kconfig_miss){ q, strbuf_detach(&have) };
	rep->nhard += q->level == KCONFIG_HARD;
}

/* A config of another arch: the symbol of the one wanted is missing. */
static void check_arch(struct kconfig_report *rep, const struct kconfig_file *f, const char *arch)
{
	const char *sym = kconfig_arch_symbol(arch);
	struct strbuf why = STRBUF_INIT;

	if (!sym || (rep->config_arch && !strcmp(rep->config_arch, arch)))
		return;
	strbuf_addf(&why, "the kernel must be built for %s", arch);
	if (rep->config_arch)
		strbuf_addf(&why, "; this config builds %s (%s=y)", rep->config_arch,
			    kconfig_arch_symbol(rep->config_arch));
	rep->arch_req = (struct kconfig_req){ .option = xstrdup(sym), .want = KCONFIG_Y, .value = xstrdup("y"),
					      .why = strbuf_detach(&why), .level = KCONFIG_HARD };
	add_miss(rep, &rep->arch_req, kconfig_file_get(f, sym));
}

int kconfig_check_config(const struct kconfig_file *f, const char *config_path, const char *arch,
			 const struct oomcase *cases, size_t ncases, struct kconfig_report *rep, struct strbuf *err)
{
	memset(rep, 0, sizeof(*rep));
	rep->config_path = xstrdup(config_path);
	rep->version = f->version ? xstrdup(f->version) : NULL;
	rep->config_arch = kconfig_file_arch(f) ? xstrdup(kconfig_file_arch(f)) : NULL;
	if (!arch && !(arch = rep->config_arch)) {
		strbuf_addf(err, "%s: which arch it builds is not said (no CONFIG_X86_64, CONFIG_X86_32 "
			    "or CONFIG_ARM64 set)", config_path);
		return -1;
	}
	rep->arch = xstrdup(arch);
	kconfig_requirements(&rep->reqs, arch, rep->version, cases, ncases);
	check_arch(rep, f, arch);
	for (size_t i = 0; i < rep->reqs.n; i++) {
		const struct kconfig_req *q = &rep->reqs.v[i];
		if (q->fragment_only)
			continue;
		rep->nchecked++;
		if (!satisfied(q, kconfig_file_get(f, q->option), rep->version))
			add_miss(rep, q, kconfig_file_get(f, q->option));
	}
	return 0;
}

int kconfig_check(const char *kdir, const char *arch, const struct oomcase *cases, size_t ncases,
		  struct kconfig_report *rep, struct strbuf *err)
{
	struct kconfig_file f;
	struct strbuf path = STRBUF_INIT;
	int r = -1;

	memset(rep, 0, sizeof(*rep));
	if (!kconfig_file_load(&f, kdir, &path, err)) {
		r = kconfig_check_config(&f, path.buf, arch, cases, ncases, rep, err);
		kconfig_file_release(&f);
	}
	strbuf_release(&path);
	return r;
}

void kconfig_report_release(struct kconfig_report *rep)
{
	for (size_t i = 0; i < rep->n; i++)
		free(rep->v[i].have);
	free(rep->v);
	kconfig_reqs_release(&rep->reqs);
	free(rep->arch_req.option);
	free(rep->arch_req.value);
	free(rep->arch_req.why);
	free(rep->config_path);
	free(rep->version);
	free(rep->config_arch);
	free(rep->arch);
	memset(rep, 0, sizeof(*rep));
}

void kconfig_miss_text(const struct kconfig_miss *m, struct strbuf *out)
{
	const struct kconfig_req *q = m->req;
	struct strbuf want = STRBUF_INIT;
	size_t skip = 0;

	strbuf_addf(out, "%s%s (wanted %s): ", q->option, m->have, kconfig_want_text(q, &want));
	kconfig_req_why(q, out);
	for (size_t i = 0; i < q->ncases; i++)
		skip += q->cases[i].skips;
	if (q->level == KCONFIG_OPTIONAL && !q->ncases)
		strbuf_addstr(out, "; no case skips");
	if (skip) {
		strbuf_addstr(out, "; cases that will skip: ");
		kconfig_req_cases(q, 1, 0, out);
	}
	if (skip < q->ncases) {
		strbuf_addstr(out, "; cases that will fail: ");
		kconfig_req_cases(q, 0, 0, out);
	}
	strbuf_release(&want);
}
