/* needs: requirements of a case against a target. */
#include "case/needs.h"
#include "lib/units.h"

#include <stdlib.h>
#include <string.h>

const char *kconfig_value(const char *text, const char *name, struct strbuf *buf)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > n && !strncmp(p, name, n) && p[n] == '=') {
			strbuf_reset(buf);
			strbuf_add(buf, p + n + 1, len - n - 1);
			return buf->buf;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static void parse_version(const char *s, long v[3])
{
	char *end;
	v[0] = v[1] = v[2] = 0;
	for (int i = 0; i < 3 && *s; i++) {
		v[i] = strtol(s, &end, 10);
		if (end == s || *end != '.')
			break;
		s = end + 1;
	}
}

int release_cmp(const char *release, const char *version)
{
	long a[3], b[3];
	parse_version(release, a);
	parse_version(version, b);
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int config_set(const char *v)
{
	return v && strcmp(v, "n");
}

/* The v1 memory controller: CONFIG_MEMCG_V1 where the kernel has that
 * option (6.11+), else CONFIG_MEMCG. */
static int check_cgroup_v1(const char *cfg, struct strbuf *tmp, struct strbuf *why)
{
	if (!config_set(kconfig_value(cfg, "CONFIG_MEMCG", tmp))) {
		strbuf_addstr(why, "needs cgroup-v1: CONFIG_MEMCG is not set");
		return 0;
	}
	if (strstr(cfg, "CONFIG_MEMCG_V1") && !config_set(kconfig_value(cfg, "CONFIG_MEMCG_V1", tmp))) {
		strbuf_addstr(why, "needs cgroup-v1: CONFIG_MEMCG_V1 is not set");
		return 0;
	}
	return 1;
}

static int check_one(const char *need, const struct oomcase *c, const struct target *t,
		     const char *cfg, unsigned long long host_memory, struct strbuf *why)
{
	struct strbuf tmp = STRBUF_INIT;
	int ok = 1;
	(void)c;

	if (!strcmp(need, "cgroup-v1") || !strcmp(need, "cgroup-v2") || !strncmp(need, "kconfig:", 8)) {
		if (!cfg) {
			strbuf_addf(why, "needs %s: no kernel config in %s (.config or include/config/auto.conf)", need, t->kdir);
			ok = 0;
		} else if (!strcmp(need, "cgroup-v1")) {
			ok = check_cgroup_v1(cfg, &tmp, why);
		} else if (!strcmp(need, "cgroup-v2")) {
			if (!(ok = config_set(kconfig_value(cfg, "CONFIG_MEMCG", &tmp))))
				strbuf_addstr(why, "needs cgroup-v2: CONFIG_MEMCG is not set");
		} else {
			const char *name = need + 8;
			int negate = *name == '!';
			if (negate)
				name++;
			int set = config_set(kconfig_value(cfg, name, &tmp));
			if (set == negate) {
				ok = 0;
				strbuf_addf(why, "needs %s: %s is %s in %s", need, name,
					    set ? "set" : "not set", t->release);
			}
		}
	} else if (!strncmp(need, "min-kernel:", 11)) {
		if (release_cmp(t->release, need + 11) < 0) {
			ok = 0;
			strbuf_addf(why, "needs %s: the kernel is %s", need, t->release);
		}
	} else if (!strncmp(need, "max-kernel:", 11)) {
		/* max-kernel:6.10 admits every 6.10.x: compare as many parts as given */
		long a[3], b[3];
		int parts = 1;
		for (const char *q = need + 11; *q; q++)
			parts += *q == '.';
		parse_version(t->release, a);
		parse_version(need + 11, b);
		int cmp = 0;
		for (int i = 0; i < parts && i < 3 && !cmp; i++)
			cmp = a[i] < b[i] ? -1 : a[i] > b[i];
		if (cmp > 0) {
			ok = 0;
			strbuf_addf(why, "needs %s: the kernel is %s", need, t->release);
		}
	} else if (!strncmp(need, "arch:", 5)) {
		if (strcmp(t->arch, need + 5)) {
			ok = 0;
			strbuf_addf(why, "needs %s: the target is %s", need, t->arch);
		}
	} else if (!strncmp(need, "memory:", 7)) {
		unsigned long long want = 0;
		if (!units_parse_size(need + 7, &want) && want > host_memory) {
			ok = 0;
			strbuf_addf(why, "needs %s: the host has %llu MiB to spare", need, host_memory >> 20);
		}
	} else {
		ok = 0;
		strbuf_addf(why, "unknown requirement %s", need);
	}
	strbuf_release(&tmp);
	return ok;
}

int needs_met(const struct oomcase *c, const struct target *t, unsigned long long host_memory,
	      struct strbuf *why)
{
	struct strbuf cfgpath = STRBUF_INIT, cfg = STRBUF_INIT;
	int have_cfg, ok = 1;

	strbuf_addf(&cfgpath, "%s/.config", t->kdir);
	have_cfg = !strbuf_read_file(&cfg, cfgpath.buf);
	/* a build tree that was handed its config another way has its
	 * values in auto.conf, which names only the options set */
	if (!have_cfg) {
		strbuf_reset(&cfgpath);
		strbuf_reset(&cfg);
		strbuf_addf(&cfgpath, "%s/include/config/auto.conf", t->kdir);
		have_cfg = !strbuf_read_file(&cfg, cfgpath.buf);
	}

	/* What the case's groups imply comes first: it is the usual reason. */
	for (size_t i = 0; ok && i < c->ncgroups; i++)
		ok = check_one(c->cgroups[i].version == 1 ? "cgroup-v1" : "cgroup-v2", c, t,
			       have_cfg ? cfg.buf : NULL, host_memory, why);
	for (size_t i = 0; ok && i < c->nneeds; i++)
		ok = check_one(c->needs[i], c, t, have_cfg ? cfg.buf : NULL, host_memory, why);
	strbuf_release(&cfgpath);
	strbuf_release(&cfg);
	return ok;
}

int needs_target(const struct oomcase *c, const struct target *t)
{
	if (!c->ntargets)
		return 1;
	for (size_t i = 0; i < c->ntargets; i++)
		if (target_name_matches(c->targets[i], t->name) || !strcmp(c->targets[i], t->arch))
			return 1;
	return 0;
}
