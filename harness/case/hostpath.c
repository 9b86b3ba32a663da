/* hostpath: host paths of a case made absolute, and what is there. */
#include "case/hostpath.h"
#include "case/casefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Appends path's components to out ("/a/b"), skipping empty and "." ones. */
static void add_components(struct strbuf *out, const char *path)
{
	while (*path) {
		size_t n = strcspn(path, "/");

		if (n && !(n == 1 && path[0] == '.')) {
			strbuf_addch(out, '/');
			strbuf_add(out, path, n);
		}
		path += n;
		if (*path)
			path++;
	}
}

char *case_host_path(const char *case_path, const char *spec)
{
	struct strbuf out = STRBUF_INIT;

	if (spec[0] != '/') {
		const char *slash = strrchr(case_path, '/');

		if (case_path[0] != '/') {
			char *cwd = getcwd(NULL, 0);

			/* no working directory (removed): the path stays relative to it */
			if (cwd)
				add_components(&out, cwd);
			free(cwd);
		}
		if (slash) {
			char *dir = xstrndup(case_path, (size_t)(slash - case_path));

			add_components(&out, dir);
			free(dir);
		}
	}
	add_components(&out, spec);
	if (!out.len)
		strbuf_addch(&out, '/');
	return strbuf_detach(&out);
}

enum host_kind case_host_kind(const char *path, int *err)
{
	struct stat st;

	*err = 0;
	if (stat(path, &st)) {
		if (errno == ENOENT || errno == ENOTDIR)
			return HOST_MISSING;
		*err = errno;
		return HOST_UNKNOWN;
	}
	if (S_ISDIR(st.st_mode))
		return HOST_DIR;
	if (!S_ISREG(st.st_mode))
		return HOST_SPECIAL;
	if (access(path, R_OK)) {
		*err = errno;
		return HOST_UNREADABLE;
	}
	return HOST_FILE;
}

void case_host_problem(struct strbuf *out, enum host_kind kind, int err, const char *path)
{
	switch (kind) {
	case HOST_MISSING: strbuf_addf(out, "no such file (%s)", path); break;
	case HOST_SPECIAL: strbuf_addf(out, "not a regular file (%s)", path); break;
	case HOST_UNREADABLE: strbuf_addf(out, "not readable (%s: %s)", path, strerror(err)); break;
	case HOST_UNKNOWN: strbuf_addf(out, "cannot be checked (%s: %s)", path, strerror(err)); break;
	case HOST_DIR: strbuf_addf(out, "a directory (%s)", path); break;
	case HOST_FILE: strbuf_addf(out, "a file (%s)", path); break;
	}
}

int case_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return 1;
	if (case_has_arch(a) || case_has_arch(b) || stat(a, &sa) || stat(b, &sb))
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

const char *case_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int case_has_arch(const char *s)
{
	return strstr(s, CASE_ARCH_VAR) != NULL;
}
