/* keys_cgroup: the [cgroup NAME] section: its key table (version) and the
 * cgroup files any other key with a '.' names. */
#include "case/keys_cgroup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void set_version(struct parser *p, const char *key, const char *val)
{
	struct case_cgroup *g = &p->c->cgroups[p->cur];

	(void)key;
	if (!strcmp(val, "1"))
		g->version = 1;
	else if (!strcmp(val, "2"))
		g->version = 2;
	else {
		case_error(p, "bad version '%s' for [cgroup %s] (allowed: 1 or 2)", val, g->name);
		g->version = -1;	/* set, though bad: no "needs 'version'" too */
	}
}

const struct case_key case_keys_cgroup[] = {
	{ "version", "1|2", "(required)", "cgroup v1 (memory controller) or v2 (unified)", NULL, set_version },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

static int valid_cgroup_file(const char *s)
{
	if (*s == '.')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return 1;
}

void case_add_cgroup_file(struct parser *p, const char *key, const char *val)
{
	struct case_cgroup *g = &p->c->cgroups[p->cur];

	if (!valid_cgroup_file(key)) {
		case_error(p, "bad cgroup file name '%s' (allowed: letters, digits and _ - ., "
			   "not starting with '.')", key);
		return;
	}
	g->settings = xrealloc(g->settings, (g->nsettings + 1) * sizeof(*g->settings));
	g->settings[g->nsettings].file = xstrdup(key);
	g->settings[g->nsettings].value = xstrdup(val);
	g->settings[g->nsettings].line = p->line;
	g->nsettings++;
}
