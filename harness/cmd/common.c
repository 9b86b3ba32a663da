/* common: the commands' shared surroundings (see common.h). */
#include "cmd/common.h"
#include "case/casefile.h"
#include "lib/child.h"
#include "lib/fs.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *project_root(void)
{
	const char *env = getenv("OOMTEST_ROOT");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* ROOT/build/oomtest */
		for (int i = 0; i < 2; i++) {
			char *s = strrchr(exe, '/');
			if (s)
				*s = '\0';
		}
		struct strbuf probe = STRBUF_INIT;
		strbuf_addf(&probe, "%s/images/build-initramfs.sh", exe);
		int ok = !access(probe.buf, X_OK);
		strbuf_release(&probe);
		if (ok)
			return xstrdup(exe);
	}
	return xstrdup(".");
}

int project_installed(const char *root)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/INSTALLED", root);
	int r = !access(p.buf, F_OK);
	strbuf_release(&p);
	return r;
}

const char *state_dir(const char *root)
{
	static char *dir;
	const char *env = getenv("OOMTEST_STATE"), *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (dir)
		return dir;
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
	}
	if (!project_installed(root))
		strbuf_addf(&sb, "%s/build", root);
	else if (env && *env)
		strbuf_addstr(&sb, env);
	else if (cache && *cache)
		strbuf_addf(&sb, "%s/oomtest", cache);
	else if (home)
		strbuf_addf(&sb, "%s/.cache/oomtest", home);
	else
		strbuf_addf(&sb, "%s/oomtest-state", root); /* never a shared /tmp */
	fs_mkdirs(sb.buf);
	/* the scripts cd to ROOT: they get an absolute path, or none */
	char *abs = realpath(sb.buf, NULL);
	dir = abs ? abs : strbuf_detach(&sb);
	strbuf_release(&sb);
	if (project_installed(root))
		setenv("OOMTEST_STATE", dir, 1);
	else
		unsetenv("OOMTEST_STATE");
	return dir;
}

void ensure_targets(const char *root)
{
	struct strbuf list = STRBUF_INIT, script = STRBUF_INIT;

	strbuf_addf(&list, "%s/images/targets.list", state_dir(root));
	if (access(list.buf, R_OK)) {
		strbuf_addf(&script, "%s/images/fetch-targets.sh", root);
		fprintf(stderr, "oomtest: no targets in %s yet: fetching them from Debian (%s)\n", state_dir(root),
			script.buf);
		char *argv[] = { script.buf, NULL };
		child_run(argv, 2);
	}
	strbuf_release(&list);
	strbuf_release(&script);
}

int load_targets(struct target_list *tl, const char *root, struct strbuf *err)
{
	struct strbuf list = STRBUF_INIT;

	strbuf_addf(&list, "%s/images/targets.list", state_dir(root));
	int r = targets_load(tl, root, list.buf, err);
	strbuf_release(&list);
	return r;
}

void print_no_target(const char *cmd, const char *name, const struct target_list *tl)
{
	fprintf(stderr, "oomtest %s: no target '%s' (have:", cmd, name);
	for (size_t j = 0; j < tl->n; j++)
		fprintf(stderr, " %s", tl->v[j].name);
	fprintf(stderr, ")\n");
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int collect_case_paths(char **args, int n, char ***out, size_t *nout)
{
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(args[i], &st)) {
			fprintf(stderr, "oomtest: %s: %s\n", args[i], strerror(errno));
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			*out = xrealloc(*out, (*nout + 1) * sizeof(char *));
			(*out)[(*nout)++] = xstrdup(args[i]);
			continue;
		}
		DIR *d = opendir(args[i]);
		struct dirent *de;
		size_t first = *nout;
		if (!d) {
			fprintf(stderr, "oomtest: %s: %s\n", args[i], strerror(errno));
			return -1;
		}
		while ((de = readdir(d))) {
			if (!ends_with(de->d_name, ".case") || de->d_name[0] == '.')
				continue;
			struct strbuf p = STRBUF_INIT;
			strbuf_addf(&p, "%s%s%s", args[i], ends_with(args[i], "/") ? "" : "/", de->d_name);
			*out = xrealloc(*out, (*nout + 1) * sizeof(char *));
			(*out)[(*nout)++] = strbuf_detach(&p);
		}
		closedir(d);
		qsort(*out + first, *nout - first, sizeof(char *), cmp_str);
	}
	return 0;
}

int prepare_target(const char *root, const struct target *t, struct strbuf *initrd, struct strbuf *err)
{
	struct strbuf script = STRBUF_INIT, log = STRBUF_INIT, dir = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&script, "%s/images/build-initramfs.sh", root);
	strbuf_addf(&dir, "%s/targets", state_dir(root));
	fs_mkdirs(dir.buf);
	strbuf_addf(&log, "%s/targets/%s.prepare.log", state_dir(root), t->name);
	FILE *lf = fopen(log.buf, "w+");
	char *argv[] = { script.buf, t->name, t->arch, t->kdir, t->kernel, NULL };
	int st = child_run(argv, lf ? fileno(lf) : -1);
	if (st != 0) {
		strbuf_addf(err, "target %s: preparing the module and initramfs failed", t->name);
		if (st < 0)
			strbuf_addf(err, " (%s: %s)", script.buf, child_strerror(-st));
		if (lf) {
			char buf[4096];
			size_t n;
			rewind(lf);
			strbuf_addstr(err, ":\n");
			while ((n = fread(buf, 1, sizeof(buf), lf)) > 0)
				strbuf_add(err, buf, n);
			strbuf_rtrim(err);
		}
		ret = -1;
	}
	if (lf)
		fclose(lf);
	strbuf_addf(initrd, "%s/targets/%s/initramfs.cpio", state_dir(root), t->name);
	strbuf_release(&script);
	strbuf_release(&log);
	strbuf_release(&dir);
	return ret;
}

size_t probe_choice(const struct prepared *prep, size_t n)
{
	size_t j = 0;

	while (j < n && prep[j].ok != 1)
		j++;
	return j;
}

void decide_accel(const struct backend_ops *b, const char *root, const struct target *t, const char *initrd)
{
	char tmpl[] = "/tmp/oomtest-probe.XXXXXX";
	struct target booted;
	struct vm_config probe = { .initrd = initrd };

	if (t) {
		probe.memory = t->min_memory > (128ull << 20) ? t->min_memory : 128ull << 20;
		booted = target_for_memory(t, probe.memory);
		probe.target = &booted;
	}
	probe.run_dir = mkdtemp(tmpl);
	b->setup(probe.target && probe.run_dir ? &probe : NULL, state_dir(root));
	if (probe.run_dir) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/qemu.log", tmpl);
		unlink(p.buf);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/qemu.cmdline", tmpl);
		unlink(p.buf);
		strbuf_release(&p);
		rmdir(tmpl);
	}
}

/* Reads the cases of args (default: ROOT/cases); 0, or -1 with the errors
 * on stderr. */
int load_case_args(char **args, int n, struct oomcase **cases, size_t *ncases)
{
	char *root = project_root();
	struct strbuf dir = STRBUF_INIT, err = STRBUF_INIT;
	char **paths = NULL;
	size_t npaths = 0;
	int r = 0;

	strbuf_addf(&dir, "%s/cases", root);
	char *def[] = { dir.buf };
	if (collect_case_paths(n ? args : def, n ? n : 1, &paths, &npaths))
		r = -1;
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *more = NULL;
		size_t nmore = 0;
		if (case_load_all(paths[i], &more, &nmore, &err)) {
			r = -1;
		} else {
			*cases = xrealloc(*cases, (*ncases + nmore) * sizeof(**cases));
			memcpy(*cases + *ncases, more, nmore * sizeof(*more));
			*ncases += nmore;
		}
		free(more);
		free(paths[i]);
	}
	fputs(err.buf, stderr);
	free(paths);
	strbuf_release(&dir);
	strbuf_release(&err);
	free(root);
	return r;
}

int load_run_cases(const char *cmd, char **args, int n, struct oomcase **cases, size_t *ncases)
{
	struct strbuf err = STRBUF_INIT;
	char **paths = NULL;
	size_t npaths = 0;
	int r = -1, bad = 0;

	if (collect_case_paths(args, n, &paths, &npaths))
		goto out;
	if (!npaths) {
		fprintf(stderr, "oomtest %s: no *.case files found\n", cmd);
		goto out;
	}
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *more = NULL;
		size_t nmore = 0;
		if (case_load_all(paths[i], &more, &nmore, &err)) {
			bad = 1;
			continue;
		}
		*cases = xrealloc(*cases, (*ncases + nmore) * sizeof(**cases));
		memcpy(*cases + *ncases, more, nmore * sizeof(*more));
		*ncases += nmore;
		free(more);
	}
	if (bad) {
		fputs(err.buf, stderr);
		if (err.len && err.buf[err.len - 1] != '\n')
			fputc('\n', stderr);
		goto out;
	}
	r = 0;
out:
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	strbuf_release(&err);
	return r;
}

int choose_targets(const char *cmd, const struct target_choice *tc, const char *root, struct target_list *tl)
{
	struct strbuf err = STRBUF_INIT;
	struct target custom = { 0 };
	int r = -1;

	if (tc->kernel || tc->kdir || tc->arch) {
		if (!tc->kernel || !tc->kdir || !tc->arch) {
			fprintf(stderr, "oomtest %s: --kernel, --kdir and --arch go together\n", cmd);
			goto out;
		}
		if (target_custom(&custom, tc->kernel, tc->kdir, tc->arch, &err)) {
			fprintf(stderr, "oomtest %s: %s\n", cmd, err.buf);
			goto out;
		}
		tl->v = xcalloc(1, sizeof(*tl->v));
		tl->v[0] = custom;
		memset(&custom, 0, sizeof(custom));
		tl->n = 1;
	} else {
		ensure_targets(root);
		if (load_targets(tl, root, &err)) {
			fprintf(stderr, "oomtest: %s\n", err.buf);
			goto out;
		}
	}
	for (size_t i = 0; i < tc->nwant; i++)
		if (!targets_find(tl, tc->want[i])) {
			print_no_target(cmd, tc->want[i], tl);
			goto out;
		}
	r = 0;
out:
	target_release(&custom);
	strbuf_release(&err);
	return r;
}
