/* keys_case: the [case] section's key table (description, targets, memory,
 * timeout, cmdline, needs, packages) and the syntax of `needs` words and
 * package names. */
#include "case/keys_case.h"
#include "case/lexer.h"
#include "case/params.h"
#include "lib/units.h"
#include "target/arch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MEMORY_MIN	(32ULL << 20)
#define MEMORY_MAX	(16ULL << 30)

static void set_description(struct parser *p, const char *key, const char *val)
{
	(void)key;
	free(p->c->description);
	p->c->description = xstrdup(val);
}

static void set_targets(struct parser *p, const char *key, const char *val)
{
	(void)key;
	lexer_free_words(p->c->targets, p->c->ntargets);
	p->c->targets = NULL;
	p->c->ntargets = 0;
	if (lexer_words(val, &p->c->targets, &p->c->ntargets))
		case_error(p, "unterminated \"quote\" in 'targets'");
}

static int check_memory(struct parser *p, const char *val, unsigned long long *v)
{
	if (units_parse_size(val, v)) {
		case_error(p, "bad size '%s' for 'memory' (%s)", val, SIZE_HELP);
		return -1;
	}
	if (*v < MEMORY_MIN || *v > MEMORY_MAX) {
		case_error(p, "memory %s is out of range (allowed: 32M to 16G)", val);
		return -1;
	}
	return 0;
}


/* Swap and the disk live on the host's disk, not in the guest's RAM; the
 * guest keeps a byte per swap page and the filesystem's metadata. */
#define SWAP_MIN	(1ULL << 20)
#define DISK_MIN	(8ULL << 20)

static void set_disk_size(struct parser *p, const char *key, const char *val, unsigned long long min,
			  unsigned long long max, unsigned long long *out, int *line)
{
	unsigned long long v;

	if (units_parse_size(val, &v)) {
		case_error(p, "bad size '%s' for '%s' (%s)", val, key, SIZE_HELP);
		return;
	}
	if (v < min || v > max) {
		case_error(p, "%s %s is out of range (allowed: %lluM to %lluG)", key, val, min >> 20, max >> 30);
		return;
	}
	*out = v;
	*line = p->line;
}

static void set_swap(struct parser *p, const char *key, const char *val)
{
	set_disk_size(p, key, val, SWAP_MIN, DISK_SWAP_SIZE, &p->c->swap, &p->c->swap_line);
}

static void set_disk(struct parser *p, const char *key, const char *val)
{
	set_disk_size(p, key, val, DISK_MIN, DISK_DATA_SIZE, &p->c->disk, &p->c->disk_line);
}

/* One size, or several literal ones: then memory is a parameter, and this
 * combination's value is the one used. */
static void set_memory(struct parser *p, const char *key, const char *val)
{
	unsigned long long v;
	const char *dup, *use;
	char **w;
	size_t n;
	int bad = 0;

	(void)key;
	if (strstr(p->raw_val, "${")) {	/* from a parameter: one size */
		if (!check_memory(p, val, &v))
			p->c->memory = v;
		return;
	}
	lexer_plain_words(val, &w, &n);
	if (p->ps->prescan) {
		p->memdef.name = xstrdup("memory");
		p->memdef.values = w;
		p->memdef.nvalues = n;
		p->memdef.line = p->line;
		return;
	}
	for (size_t i = 0; i < n; i++)
		bad |= check_memory(p, w[i], &v);
	dup = case_repeated_word(w, n);
	if (dup) {
		case_error(p, "duplicate value '%s' for 'memory'", dup);
		bad = 1;
	}
	use = n == 1 ? w[0] : case_param_pick(p, "memory", 6);
	if (!bad && use && !units_parse_size(use, &v))
		p->c->memory = v;
	lexer_free_words(w, n);
}


/* N.N or N.N.N */
static int valid_version(const char *s)
{
	int parts = 0;

	for (;;) {
		size_t n = strspn(s, "0123456789");

		if (!n || n > 9)
			return 0;
		parts++;
		s += n;
		if (!*s)
			return parts == 2 || parts == 3;
		if (*s != '.')
			return 0;
		s++;
	}
}

static int valid_kconfig(const char *s)
{
	if (*s == '!')
		s++;
	if (strncmp(s, "CONFIG_", 7) || !s[7])
		return 0;
	for (s += 7; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* Words v[0..keep) are kept; v[i] joins them when ok and not one of them
 * already (else it is freed, a duplicate reported). The new count. Past
 * COMBOS_MAX words duplicates are not looked for: a line of thousands
 * would cost their square. */
static size_t keep_word(struct parser *p, char **v, size_t keep, size_t i, int ok, const char *what)
{
	for (size_t j = 0; ok && j < keep && keep <= COMBOS_MAX; j++)
		if (!strcmp(v[j], v[i])) {
			case_error(p, "duplicate %s '%s'", what, v[i]);
			ok = 0;
		}
	if (!ok) {
		free(v[i]);
		return keep;
	}
	v[keep] = v[i];
	return keep + 1;
}

static void set_needs(struct parser *p, const char *key, const char *val)
{
	char **v;
	size_t n, i, keep = 0;

	(void)key;
	lexer_free_words(p->c->needs, p->c->nneeds);
	p->c->needs = NULL;
	p->c->nneeds = 0;
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'needs'");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *w = v[i];
		unsigned long long size;
		int ok = 1;

		if (!strcmp(w, "cgroup-v1") || !strcmp(w, "cgroup-v2"))
			;
		else if (!strncmp(w, "kconfig:", 8)) {
			if (!valid_kconfig(w + 8)) {
				case_error(p, "bad requirement '%s' (expected kconfig:CONFIG_NAME or "
					   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)", w);
				ok = 0;
			}
		} else if (!strncmp(w, "min-kernel:", 11) || !strncmp(w, "max-kernel:", 11)) {
			if (!valid_version(w + 11)) {
				case_error(p, "bad requirement '%s' (expected %.11sX.Y or %.11sX.Y.Z)",
					   w, w, w);
				ok = 0;
			}
		} else if (!strncmp(w, "arch:", 5)) {
			/* a target's arch is its own name: an alias would never match */
			const struct arch_ops *a = arch_find(w + 5);
			if (!a) {
				case_error(p, "bad requirement '%s' (known arches: " ARCH_LIST ")", w);
				ok = 0;
			} else if (strcmp(a->name, w + 5)) {
				case_error(p, "bad requirement '%s' (the arch is called %s here: arch:%s)", w,
					   a->name, a->name);
				ok = 0;
			}
		} else if (!strncmp(w, "memory:", 7)) {
			if (units_parse_size(w + 7, &size)) {
				case_error(p, "bad requirement '%s' (memory:SIZE, SIZE %s)", w, SIZE_HELP);
				ok = 0;
			}
		} else {
			case_error(p, "unknown requirement '%s' (known: " NEEDS_LIST ")", w);
			ok = 0;
		}
		keep = keep_word(p, v, keep, i, ok, "requirement");
	}
	v[keep] = NULL;
	p->c->needs = v;
	p->c->nneeds = keep;
}


/* A Debian package name, as Debian policy allows it. */
static int valid_package(const char *s)
{
	static const char lower_digit[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = strlen(s);

	return n >= 2 && strchr(lower_digit, s[0]) &&
	       strspn(s + 1, "abcdefghijklmnopqrstuvwxyz0123456789+.-") == n - 1;
}

static void set_packages(struct parser *p, const char *key, const char *val)
{
	char **v;
	size_t n, i, keep = 0;

	(void)key;
	lexer_free_words(p->c->packages, p->c->npackages);
	p->c->packages = NULL;
	p->c->npackages = 0;
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'packages'");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *w = v[i], *colon = strchr(w, ':');
		int ok = 1;

		if (colon && colon != w) {
			case_error(p, "bad package '%s': the arch comes from the target (allowed: "
				   "the name alone, e.g. %.*s)", w, (int)(colon - w), w);
			ok = 0;
		} else if (!valid_package(w)) {
			case_error(p, "bad package name '%s' (allowed: " PACKAGE_HELP ")", w);
			ok = 0;
		}
		keep = keep_word(p, v, keep, i, ok, "package");
	}
	v[keep] = NULL;
	p->c->packages = v;
	p->c->npackages = keep;
	p->c->packages_line = p->line;
}

static void set_timeout(struct parser *p, const char *key, const char *val)
{
	case_set_duration(p, key, val, &p->c->timeout_ms);
}

static void set_cmdline(struct parser *p, const char *key, const char *val)
{
	(void)key;
	free(p->c->cmdline);
	p->c->cmdline = xstrdup(val);
}

const struct case_key case_keys_case[] = {
	{ "description", "string", "(none)", "one line: what the case shows", NULL, set_description },
	{ "targets", "words", "(all)", "targets to run on, e.g. x86_64 i386; default: every default target", NULL, set_targets },
	{ "memory", "size", "128M", "guest memory, 32M to 16G; several sizes: a run each (see [params])", NULL, set_memory },
	{ "timeout", "duration", "60s", "how long the whole run may take", NULL, set_timeout },
	{ "cmdline", "string", "(none)", "extra kernel command line arguments", NULL, set_cmdline },
	{ "needs", "words", "(none)", "what a target must have, else the case is skipped there (below)", NULL, set_needs },
	{ "swap", "size", "(none)", "a swap area of this size on a virtio disk, on before the steps (1M to 4G)", NULL, set_swap },
	{ "disk", "size", "(none)", "an ext4 filesystem of this size on a virtio disk, mounted at " DISK_MOUNT " (8M to 16G)", NULL, set_disk },
	{ "packages", "words", "(none)", "Debian packages the guest gets, e.g. stress-ng, for the target's arch", NULL, set_packages },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
