/* keys_sysctl: the [sysctl] section, where any key is a sysctl name. */
#include "case/keys_sysctl.h"
#include "case/lexer.h"

#include <string.h>

static int valid_sysctl(const char *s)
{
	int dots = 0;
	size_t n;

	for (;;) {
		n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (!n)
			return 0;
		s += n;
		if (!*s)
			return dots > 0;
		if (*s != '.')
			return 0;
		dots++;
		s++;
	}
}

void case_add_sysctl(struct parser *p, const char *key, const char *val)
{
	struct oomcase *c = p->c;

	if (!valid_sysctl(key)) {
		case_error(p, "bad sysctl name '%s' (allowed: %s)", key, SYSCTL_HELP);
		return;
	}
	for (const char *v = val; *v; v++) {
		if (lexer_is_space(*v)) {
			case_error(p, "bad value '%s' for sysctl %s (allowed: one word, no spaces)",
				   val, key);
			return;
		}
	}
	case_grow((void **)&c->sysctls, &p->asysctls, c->nsysctls, sizeof(*c->sysctls));
	c->sysctls[c->nsysctls].file = xstrdup(key);
	c->sysctls[c->nsysctls].value = xstrdup(val);
	c->sysctls[c->nsysctls].line = p->line;
	c->nsysctls++;
}
