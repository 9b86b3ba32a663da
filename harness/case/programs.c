/* programs: a step's run and module: bare names checked for syntax (the
 * hog's arguments too), the case's own programs and modules found on the
 * host and given their guest names. */
#include "case/programs.h"
#include "apps/hog_args.h"
#include "case/hostpath.h"
#include "case/kbuild.h"
#include "case/lexer.h"

#include <stdlib.h>
#include <string.h>

#define ALNUM	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define KO	".ko"
#define ARCH_NOT_DIR	"${arch} is for programs and .ko files, not Kbuild directories"

static struct case_step *cur_step(struct parser *p)
{
	return &p->c->steps[p->cur];
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* Letters, digits and _ . + -, not "." or ".."; with arch_ok, ${arch}
 * may stand among them (the base name of a program built per arch). */
static int valid_program_name(const char *s, int arch_ok)
{
	size_t n = 0, var = strlen(CASE_ARCH_VAR);

	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	while (*s) {
		if (arch_ok && !strncmp(s, CASE_ARCH_VAR, var)) {
			s += var;
		} else {
			if (!strchr(ALNUM "_.+-", *s))
				return 0;
			s++;
		}
		n++;
	}
	return n > 0;
}

/* The hog's own option table says what it takes; a bad argument is this
 * line's error, not an exit 2 in the guest. */
static int check_hog(struct parser *p, char *const *v, size_t n)
{
	struct hog_args a;
	size_t bad;
	enum hog_args_error e = hog_args_parse(&a, n, v, HOG_GUEST_SIZE_MAX, &bad);

	if (e)
		case_error(p, "bad hog argument '%s': %s (usage: %s)", v[bad], hog_args_strerror(e), HOG_USAGE);
	return !e;
}

/* Reports what makes the host file at abs unusable for what ('what
 * SPEC': ...); dir_problem is what a directory there is. 0: usable. */
static int check_host_file(struct parser *p, const char *what, const char *spec, const char *abs,
			   const char *dir_problem)
{
	struct strbuf why = STRBUF_INIT;
	int err;
	enum host_kind k = case_host_kind(abs, &err);

	if (k == HOST_FILE)
		return 0;
	if (k == HOST_DIR)
		case_error(p, "%s '%s' is %s", what, spec, dir_problem);
	else {
		case_host_problem(&why, k, err, abs);
		case_error(p, "%s '%s': %s", what, spec, why.buf);
	}
	strbuf_release(&why);
	return -1;
}

/* run = ./prog: the host file (absolute) into *host, the guest path into
 * *guest. -1 after reporting what is wrong. */
static int host_program(struct parser *p, const char *spec, char **host, char **guest)
{
	const char *base = case_base_name(spec);
	struct strbuf g = STRBUF_INIT;
	int rc = -1;

	*host = *guest = NULL;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		case_error(p, "program '%s' is a directory, not a program", spec);
		return -1;
	}
	if (!valid_program_name(base, 1)) {
		case_error(p, "bad program file name '%s' (allowed: " PROGRAM_CHARS "; the program "
			   "is " CASE_USER_BIN "/NAME in the guest)", base);
		return -1;
	}
	*host = case_host_path(p->c->path, spec);
	if (!case_has_arch(spec) && check_host_file(p, "program", spec, *host, "a directory, not a program"))
		goto out;
	strbuf_addf(&g, CASE_USER_BIN "/%s", base);
	for (size_t j = 0; j < p->cur; j++) {
		const struct case_step *o = &p->c->steps[j];

		if (o->kind == STEP_RUN && o->host_path && !strcmp(o->argv[0], g.buf) &&
		    !case_same_file(o->host_path, *host)) {
			case_error(p, "program %s and %s of [step %s] (line %d) would both be %s in "
				   "the guest (allowed: different base names)", *host, o->host_path,
				   o->name, p->sl[j].run, g.buf);
			goto out;
		}
	}
	*guest = strbuf_detach(&g);
	rc = 0;
out:
	if (rc) {
		free(*host);
		*host = NULL;
	}
	strbuf_release(&g);
	return rc;
}

void case_set_run(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	char **v, *host = NULL, *guest;
	size_t n;

	(void)key;
	p->sl[p->cur].run = p->line;
	if (p->sl[p->cur].module) {
		case_error(p, "[step %s] has both run and module (allowed: one of them)", s->name);
		return;
	}
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'run'");
		return;
	}
	if (n && strchr(v[0], '/')) {
		if (host_program(p, v[0], &host, &guest)) {
			lexer_free_words(v, n);
			return;
		}
		free(v[0]);
		v[0] = guest;
	} else if (!n || !valid_program_name(v[0], 0)) {
		case_error(p, "bad program '%s' (allowed: a name of " PROGRAM_CHARS " the guest has: "
			   "hog, a busybox applet, a program of [case] packages; or a path with '/' "
			   "to a program of yours)", n ? v[0] : "");
		lexer_free_words(v, n);
		return;
	} else if (!strcmp(v[0], "hog") && !check_hog(p, v, n)) {
		lexer_free_words(v, n);
		return;
	}
	s->kind = STEP_RUN;
	s->argv = v;
	s->argc = n;
	s->host_path = host;
	s->key_line = p->line;
}

/* The name of the module a host .ko or Kbuild directory spec gives (its
 * absolute path into *host), or NULL after reporting what is wrong. */
static char *host_module(struct parser *p, const char *spec, char **host, int *is_dir)
{
	struct strbuf why = STRBUF_INIT;
	const char *base = case_base_name(spec);
	char *name = NULL;
	int err;
	enum host_kind k = HOST_FILE;

	*is_dir = ends_with(spec, "/");
	*host = case_host_path(p->c->path, spec);
	if (case_has_arch(spec)) {
		if (*is_dir || !ends_with(spec, KO)) {
			case_error(p, "module '%s': " ARCH_NOT_DIR, spec);
			goto out;
		}
	} else {
		k = case_host_kind(*host, &err);
		if (*is_dir && k != HOST_DIR) {
			case_error(p, "module '%s': %s (%s)", spec,
				   k == HOST_MISSING ? "no such directory" : "not a directory", *host);
			goto out;
		}
		*is_dir = k == HOST_DIR;
		if (k != HOST_FILE && k != HOST_DIR) {
			case_host_problem(&why, k, err, *host);
			case_error(p, "module '%s': %s", spec, why.buf);
			goto out;
		}
		if (k == HOST_FILE && !ends_with(spec, KO)) {
			case_error(p, "module '%s' is not a .ko file or a Kbuild directory", spec);
			goto out;
		}
	}
	if (*is_dir) {
		if (kbuild_dir_module(*host, &name, &why))
			case_error(p, "module '%s': %s", spec, why.buf);
	} else {
		name = xstrndup(base, strlen(base) - strlen(KO));
		if (!case_valid_name(name)) {
			case_error(p, "bad module name '%s' from '%s' (allowed: " NAME_CHARS ")", name, spec);
			free(name);
			name = NULL;
		}
	}
out:
	if (name && !strcmp(name, "oom_trigger")) {
		case_error(p, "module '%s' is called oom_trigger, as the image's own module is "
			   "(allowed: another name)", spec);
		free(name);
		name = NULL;
	}
	if (!name) {
		free(*host);
		*host = NULL;
	}
	strbuf_release(&why);
	return name;
}

/* One name, one module: two host sources of the same name cannot both be loaded. */
static int same_name_elsewhere(struct parser *p, const char *name, const char *host)
{
	for (size_t j = 0; j < p->cur; j++) {
		const struct case_step *o = &p->c->steps[j];

		if (o->kind == STEP_MODULE && o->host_path && !strcmp(o->argv[0], name) &&
		    !case_same_file(o->host_path, host)) {
			case_error(p, "module %s and %s of [step %s] (line %d) are both named '%s' "
				   "(allowed: one source per module name)", host, o->host_path, o->name,
				   p->sl[j].module, name);
			return 1;
		}
	}
	return 0;
}

void case_set_module(struct parser *p, const char *key, const char *val)
{
	struct case_step *s = cur_step(p);
	char **v, *host = NULL, *name;
	size_t n, i;
	int bad = 0, is_dir = 0;

	(void)key;
	p->sl[p->cur].module = p->line;
	if (p->sl[p->cur].run) {
		case_error(p, "[step %s] has both run and module (allowed: one of them)", s->name);
		return;
	}
	if (lexer_words(val, &v, &n)) {
		case_error(p, "unterminated \"quote\" in 'module'");
		return;
	}
	if (n && strchr(v[0], '/')) {
		name = host_module(p, v[0], &host, &is_dir);
		if (name && same_name_elsewhere(p, name, host)) {
			free(name);
			name = NULL;
		}
		if (name) {
			free(v[0]);
			v[0] = name;
		} else {
			bad = 1;
		}
	} else if (!n || !case_in_list(case_guest_modules, v[0])) {
		struct strbuf known = STRBUF_INIT;

		case_add_list(&known, case_guest_modules);
		case_error(p, "unknown module '%s' (known: %s; or a path with '/' to a .ko file or "
			   "Kbuild directory of yours)", n ? v[0] : "", known.buf);
		strbuf_release(&known);
		bad = 1;
	}
	for (i = 1; i < n; i++) {
		char *eq = strchr(v[i], '=');

		if (!eq || eq == v[i]) {
			case_error(p, "module parameter '%s' is not key=value", v[i]);
			bad = 1;
		}
	}
	if (bad) {
		free(host);
		lexer_free_words(v, n);
		return;
	}
	s->kind = STEP_MODULE;
	s->argv = v;
	s->argc = n;
	s->host_path = host;
	s->module_is_dir = is_dir;
	s->key_line = p->line;
}
