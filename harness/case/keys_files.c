/* keys_files: the [files] section: GUEST_PATH = HOST_PATH lines, the guest
 * paths a case's files may take, their host files. */
#include "case/keys_files.h"
#include "case/hostpath.h"
#include "case/lexer.h"

#include <stdlib.h>
#include <string.h>

#define GUEST_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-@"

/* A file there would hide the kernel's files or the agent's, which the
 * run needs. */
static const struct {
	const char *path;
	const char *what;
} reserved[] = {
	{ "/proc", "the kernel's /proc" },
	{ "/sys", "the kernel's /sys" },
	{ "/dev", "the kernel's /dev" },
	{ "/lib/modules", "the image's /lib/modules" },
	{ "/init", "the agent's /init" },
	{ "/bin/hog", "the agent's /bin/hog" },
};

enum overlap { OVERLAP_NONE, OVERLAP_SAME, OVERLAP_UNDER, OVERLAP_HOLDS };

/* How path a stands to path b: the same, under it, holding it, or apart. */
static enum overlap overlap(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na == nb)
		return strcmp(a, b) ? OVERLAP_NONE : OVERLAP_SAME;
	if (na > nb)
		return !strncmp(a, b, nb) && a[nb] == '/' ? OVERLAP_UNDER : OVERLAP_NONE;
	return !strncmp(a, b, na) && b[na] == '/' ? OVERLAP_HOLDS : OVERLAP_NONE;
}

/* Reports at line that guest stands in the way of what (the thing at
 * path). 1 when it does. */
static int in_the_way(struct parser *p, int line, const char *guest, const char *path,
		      const char *what)
{
	static const char *const how[] = { NULL, "it is", "it is under", "it would hide" };
	enum overlap o = overlap(guest, path);

	if (o == OVERLAP_NONE)
		return 0;
	case_error_at(p, line, "bad guest path '%s': %s %s", guest, how[o], what);
	return 1;
}

/* NULL, or what makes s no guest path of a file. */
static const char *guest_path_problem(const char *s)
{
	if (s[0] != '/')
		return "not absolute";
	if (!s[1])
		return "/ itself";
	return case_components_problem(s + 1, GUEST_CHARS);
}

static int guest_path_ok(struct parser *p, const char *guest)
{
	const struct oomcase *c = p->c;
	const char *problem = guest_path_problem(guest);
	struct strbuf what = STRBUF_INIT;
	int bad = 0;

	if (problem) {
		case_error(p, "bad guest path '%s': %s (allowed: " GUEST_PATH_HELP ")", guest, problem);
		return 0;
	}
	for (size_t i = 0; !bad && i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		if (in_the_way(p, p->line, guest, reserved[i].path, reserved[i].what))
			bad = 1;
	}
	for (size_t i = 0; !bad && i < c->nfiles; i++) {
		strbuf_reset(&what);
		strbuf_addf(&what, "the file %s of line %d", c->files[i].guest, c->files[i].line);
		if (in_the_way(p, p->line, guest, c->files[i].guest, what.buf))
			bad = 1;
	}
	strbuf_release(&what);
	return !bad;
}

static char *host_file(struct parser *p, const char *guest, const char *spec)
{
	struct strbuf why = STRBUF_INIT;
	char *abs = case_host_path(p->c->path, spec);
	int err;
	enum host_kind k = case_has_arch(spec) ? HOST_FILE : case_host_kind(abs, &err);

	if (k == HOST_FILE)
		return abs;
	if (k == HOST_DIR) {
		case_error(p, "host file '%s' for %s is a directory (files are copied one by one)",
			   spec, guest);
	} else {
		case_host_problem(&why, k, err, abs);
		case_error(p, "host file '%s' for %s: %s", spec, guest, why.buf);
	}
	strbuf_release(&why);
	free(abs);
	return NULL;
}

void case_add_file(struct parser *p, const char *guest, const char *host)
{
	struct oomcase *c = p->c;
	int guest_ok = guest_path_ok(p, guest);
	char *abs = host_file(p, guest, host);

	if (!guest_ok || !abs) {
		free(abs);
		return;
	}
	case_grow((void **)&c->files, &p->afiles, c->nfiles, sizeof(*c->files));
	c->files[c->nfiles].guest = xstrdup(guest);
	c->files[c->nfiles].host = abs;
	c->files[c->nfiles].line = p->line;
	c->nfiles++;
}

void case_check_files(struct parser *p)
{
	const struct oomcase *c = p->c;
	struct strbuf what = STRBUF_INIT;

	for (size_t i = 0; i < c->nfiles; i++) {
		for (size_t k = 0; k < c->nsteps; k++) {
			const struct case_step *s = &c->steps[k];

			if (s->kind != STEP_RUN || !s->host_path)
				continue;
			strbuf_reset(&what);
			strbuf_addf(&what, "%s, the program of [step %s]", s->argv[0], s->name);
			if (in_the_way(p, c->files[i].line, c->files[i].guest, s->argv[0], what.buf))
				break;
		}
	}
	strbuf_release(&what);
}
