/* debian: the fetch pipeline (apt-cache depends, apt-get download,
 * dpkg-deb) over payload/apt's reading of the answers and payload/
 * pkgcache's files, under the cache's lock. */
#include "payload/debian.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "payload/apt.h"
#include "payload/pkgcache.h"

struct fetch {
	const char *root, *arch, *debarch;
	struct strbuf dir;         /* STATE/images/debian/ARCH */
	int native;
	int updated;               /* apt-update.sh has run */
	struct strbuf *err;
};

static void cache_dir(struct strbuf *sb, const char *state, const char *arch)
{
	strbuf_addf(sb, "%s/images/debian/%s", state, arch);
}

char *debian_cache_root(const char *state, const char *arch)
{
	struct strbuf sb = STRBUF_INIT;
	cache_dir(&sb, state, arch);
	strbuf_addstr(&sb, "/root");
	return strbuf_detach(&sb);
}

static void list_path(struct strbuf *sb, const char *state, const char *arch, const char *name)
{
	cache_dir(sb, state, arch);
	strbuf_addf(sb, "/lists/%s", name);
}

/* Debian policy: lower case letters, digits, + - . ; two or more, the first alphanumeric. */
static int valid_name(const char *name)
{
	if (strlen(name) < 2 || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9')))
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("+-.", *p)))
			return 0;
	return 1;
}

static int cached(const char *state, const char *arch, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	list_path(&p, state, arch, name);
	int r = !access(p.buf, F_OK);
	strbuf_release(&p);
	return r;
}

int debian_fetch_needed(const char *state, const char *arch, char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cached(state, arch, names[i]))
			return 1;
	return 0;
}

static int host_is_native(struct fetch *f)
{
	static const char *const argv[] = { "dpkg", "--print-architecture" };
	struct strbuf out = STRBUF_INIT;
	int st = pkg_run_c(argv, 2, f->dir.buf, &out);

	strbuf_rtrim(&out);
	if (st) {
		strbuf_addf(f->err, "dpkg --print-architecture failed: %s",
			    st < 0 ? child_strerror(-st) : out.buf);
		strbuf_release(&out);
		return -1;
	}
	f->native = !strcmp(out.buf, f->debarch);
	strbuf_release(&out);
	return 0;
}

/* Once per fetch: apt's lists may predate the package or its version. */
static void apt_update(struct fetch *f)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT;

	if (f->updated)
		return;
	f->updated = 1;
	strbuf_addf(&script, "%s/images/apt-update.sh", f->root);
	char *argv[] = { script.buf, NULL };
	/* judged by what resolves afterwards, as the script says */
	child_run_capture(argv, f->dir.buf, &out);
	strbuf_release(&script);
	strbuf_release(&out);
}

static int depends(struct fetch *f, char **roots, size_t n, enum apt_root_status *st, struct apt_closure *c)
{
	static const char *const head[] = { "apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
					    "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances" };
	size_t nhead = sizeof(head) / sizeof(head[0]);
	const char **argv = xcalloc(nhead + n, sizeof(char *));
	struct strbuf out = STRBUF_INIT;

	memcpy(argv, head, sizeof(head));
	memcpy(argv + nhead, roots, n * sizeof(char *));
	int r = pkg_run_c(argv, nhead + n, f->dir.buf, &out);
	free(argv);
	if (r < 0) {
		strbuf_addf(f->err, "apt-cache: %s", child_strerror(-r));
		strbuf_release(&out);
		return -2;
	}
	/* apt-cache exits 100 when it found none: judged by the roots */
	r = apt_closure(out.buf, f->debarch, f->native, roots, n, st, c);
	strbuf_release(&out);
	return r;
}

/* Not found as NAME:ARCH on a foreign arch: an Arch: all package is
 * NAME alone. roots[i] becomes the name that was found. */
static void try_unqualified(struct fetch *f, char **roots, char *const *names, size_t n,
			    enum apt_root_status *st, struct apt_closure *c)
{
	char **bare = xcalloc(n, sizeof(char *));
	size_t *at = xcalloc(n, sizeof(size_t)), nb = 0;
	enum apt_root_status *st2 = xcalloc(n, sizeof(*st2));
	struct apt_closure more;

	for (size_t i = 0; i < n; i++)
		if (st[i] != APT_FOUND) {
			at[nb] = i;
			bare[nb++] = (char *)names[i];
		}
	if (depends(f, bare, nb, st2, &more) >= -1) {
		for (size_t k = 0; k < nb; k++)
			if (st2[k] == APT_FOUND) {
				st[at[k]] = APT_FOUND;
				free(roots[at[k]]);
				roots[at[k]] = xstrdup(bare[k]);
			}
		apt_closure_merge(c, &more);
	}
	free(bare);
	free(at);
	free(st2);
}

/* Whether dpkg takes packages of the guest's foreign arch: without it
 * apt knows none. */
static int foreign_arch_enabled(struct fetch *f)
{
	static const char *const argv[] = { "dpkg", "--print-foreign-architectures" };
	struct strbuf out = STRBUF_INIT;
	int yes = 0;

	if (!pkg_run_c(argv, 2, f->dir.buf, &out))
		for (char *w = strtok(out.buf, " \n"); w && !yes; w = strtok(NULL, " \n"))
			yes = !strcmp(w, f->debarch);
	strbuf_release(&out);
	return yes;
}

/* The closure of names; roots[i]: apt's name of names[i]. What apt does
 * not know is asked again after apt-update.sh. */
static int resolve(struct fetch *f, char *const *names, size_t n, char **roots, struct apt_closure *c)
{
	enum apt_root_status *st = xcalloc(n, sizeof(*st));
	int r = -1, ret = 0;

	for (int attempt = 0; attempt < 2 && r == -1; attempt++) {
		if (attempt) {
			apt_closure_release(c);
			apt_update(f);
		}
		for (size_t i = 0; i < n; i++) {
			free(roots[i]);
			roots[i] = apt_qualified(names[i], f->debarch, f->native);
		}
		r = depends(f, roots, n, st, c);
		if (r == -1 && !f->native) {
			try_unqualified(f, roots, names, n, st, c);
			r = 0;
			for (size_t i = 0; i < n; i++)
				if (st[i] != APT_FOUND)
					r = -1;
		}
	}
	if (r == -2) {
		free(st);
		return -1;
	}
	for (size_t i = 0; i < n && !ret; i++) {
		if (st[i] == APT_FOUND)
			continue;
		strbuf_addf(f->err, "package '%s' is %s Debian's archive for %s", names[i],
			    st[i] == APT_VIRTUAL ? "a virtual package in" : "not in", f->arch);
		if (st[i] == APT_VIRTUAL)
			strbuf_addstr(f->err, ": name a package that provides it");
		else if (!f->native && !foreign_arch_enabled(f))
			strbuf_addf(f->err, " (apt has no %s packages: dpkg --add-architecture %s; apt-get update)",
				    f->debarch, f->debarch);
		ret = -1;
	}
	free(st);
	return ret;
}

static int try_download(struct fetch *f, char **pkgs, size_t n, const char *into, struct strbuf *out)
{
	char **argv = xcalloc(n + 7, sizeof(char *));

	argv[0] = "env";
	argv[1] = "-C";
	argv[2] = (char *)into;
	argv[3] = "LC_ALL=C";
	argv[4] = "apt-get";
	argv[5] = "download";
	memcpy(argv + 6, pkgs, n * sizeof(char *));
	fs_remove_tree(into);
	fs_mkdirs(into);
	strbuf_reset(out);
	int st = child_run_capture(argv, f->dir.buf, out);
	free(argv);
	return st;
}

/* apt-get download into a directory of its own, so that what it brought
 * is all there is in it. */
static int download(struct fetch *f, char **pkgs, size_t n, const char *into)
{
	struct strbuf out = STRBUF_INIT;
	int st = try_download(f, pkgs, n, into, &out);

	/* a version the lists name may be gone from the archive */
	if (st > 0 && !f->updated) {
		apt_update(f);
		st = try_download(f, pkgs, n, into, &out);
	}
	if (st) {
		strbuf_addf(f->err, "apt-get download for %s failed: ", f->arch);
		if (st < 0)
			strbuf_addstr(f->err, child_strerror(-st));
		else
			pkg_add_apt_errors(f->err, &out);
	}
	strbuf_release(&out);
	return st ? -1 : 0;
}

/* A downloaded .deb and what it is for. */
struct got {
	char *file;                /* its name in the download directory */
	struct pkg_list info;      /* Package, Version, Architecture; then its files */
	const struct apt_pkg *pkg; /* the closure's entry with that name */
	int root;                  /* one of the named packages */
};

static const struct apt_pkg *find_pkg(const struct apt_closure *c, const char *base)
{
	for (size_t i = 0; i < c->n; i++) {
		char *b = apt_base_name(c->v[i].name);
		int same = !strcmp(b, base);
		free(b);
		if (same)
			return &c->v[i];
	}
	return NULL;
}

static int is_root(char **roots, size_t n, const char *apt_name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(roots[i], apt_name))
			return 1;
	return 0;
}

static int install(struct fetch *f, const char *dl, struct got *g)
{
	struct strbuf from = STRBUF_INIT, deb = STRBUF_INIT, work = STRBUF_INIT, rootdir = STRBUF_INIT,
		      list = STRBUF_INIT;
	int ret = -1;

	for (size_t i = 0; i < g->pkg->ndeps; i++) {
		char *b = apt_base_name(g->pkg->deps[i]);
		pkg_list_add_depend(&g->info, b);
		free(b);
	}
	strbuf_addf(&from, "%s/%s", dl, g->file);
	strbuf_addf(&deb, "%s/debs/%s", f->dir.buf, g->file);
	strbuf_addf(&work, "%s/unpack.tmp", f->dir.buf);
	strbuf_addf(&rootdir, "%s/root", f->dir.buf);
	strbuf_addf(&list, "%s/lists/%s", f->dir.buf, g->info.name);
	if (strcmp(g->info.arch, f->debarch) && strcmp(g->info.arch, "all")) {
		if (g->root) {
			strbuf_addf(f->err, "package '%s' is not in Debian's archive for %s (only for %s)",
				    g->info.name, f->arch, g->info.arch);
			goto out;
		}
		/* a native package satisfying a foreign one's dependency: of
		 * no use in the guest; listed, with no files, to be asked once */
	} else if (rename(from.buf, deb.buf)) {
		strbuf_addf(f->err, "%s: %s", deb.buf, strerror(errno));
		goto out;
	} else if (pkg_unpack(deb.buf, rootdir.buf, work.buf, &g->info, f->err)) {
		goto out;
	}
	int r = pkg_list_write(list.buf, &g->info);
	if (r) {
		strbuf_addf(f->err, "%s: %s", list.buf, strerror(-r));
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&from);
	strbuf_release(&deb);
	strbuf_release(&work);
	strbuf_release(&rootdir);
	strbuf_release(&list);
	return ret;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* Reads what was downloaded and installs it, the named packages last. */
static int install_all(struct fetch *f, const char *dl, const struct apt_closure *c, char **roots, size_t nroots,
		       char **todo, size_t ntodo)
{
	struct got *got = NULL;
	size_t ngot = 0;
	DIR *d = opendir(dl);
	struct dirent *de;
	int ret = 0;

	if (!d) {
		strbuf_addf(f->err, "%s: %s", dl, strerror(errno));
		return -1;
	}
	while (!ret && (de = readdir(d))) {
		if (!ends_with(de->d_name, ".deb"))
			continue;
		struct strbuf path = STRBUF_INIT;
		struct got g = { xstrdup(de->d_name), { 0 }, NULL, 0 };
		strbuf_addf(&path, "%s/%s", dl, de->d_name);
		ret = pkg_deb_info(path.buf, &g.info, f->err);
		if (!ret && (g.pkg = find_pkg(c, g.info.name)))
			g.root = is_root(roots, nroots, g.pkg->name);
		got = xrealloc(got, (ngot + 1) * sizeof(*got));
		got[ngot++] = g;
		strbuf_release(&path);
	}
	closedir(d);
	for (size_t i = 0; i < ntodo && !ret; i++) {
		char *b = apt_base_name(todo[i]);
		size_t k = 0;
		while (k < ngot && !(got[k].pkg && !strcmp(got[k].info.name, b)))
			k++;
		if (k == ngot) {
			strbuf_addf(f->err, "apt-get download brought no .deb for %s", todo[i]);
			ret = -1;
		}
		free(b);
	}
	for (int roots_pass = 0; roots_pass < 2 && !ret; roots_pass++)
		for (size_t i = 0; i < ngot && !ret; i++)
			if (got[i].pkg && got[i].root == roots_pass)
				ret = install(f, dl, &got[i]);
	for (size_t i = 0; i < ngot; i++) {
		free(got[i].file);
		pkg_list_release(&got[i].info);
	}
	free(got);
	return ret;
}

/* The closure's packages not in the cache yet, each once. */
static char **missing_packages(const char *state, const char *arch, const struct apt_closure *c, size_t *n)
{
	char **todo = NULL, **bases = NULL;

	*n = 0;
	for (size_t i = 0; i < c->n; i++) {
		char *b = apt_base_name(c->v[i].name);
		int dup = cached(state, arch, b);
		for (size_t k = 0; k < *n && !dup; k++)
			dup = !strcmp(bases[k], b);
		if (dup) {
			free(b);
			continue;
		}
		todo = xrealloc(todo, (*n + 1) * sizeof(char *));
		bases = xrealloc(bases, (*n + 1) * sizeof(char *));
		todo[*n] = c->v[i].name;
		bases[(*n)++] = b;
	}
	debian_free_list(bases, *n);
	return todo;
}

static int fetch_locked(struct fetch *f, const char *state, char *const *names, size_t n)
{
	char **want = NULL, **roots = NULL, **todo = NULL;
	size_t nwant = 0, ntodo = 0;
	struct apt_closure c = { NULL, 0 };
	struct strbuf dl = STRBUF_INIT;
	int ret = -1;

	/* another process may have fetched them while this one waited */
	for (size_t i = 0; i < n; i++)
		if (!cached(state, f->arch, names[i])) {
			want = xrealloc(want, (nwant + 1) * sizeof(char *));
			want[nwant++] = names[i];
		}
	if (!nwant) {
		free(want);
		return 0;
	}
	roots = xcalloc(nwant, sizeof(char *));
	if (host_is_native(f) || resolve(f, want, nwant, roots, &c))
		goto out;
	todo = missing_packages(state, f->arch, &c, &ntodo);
	strbuf_addf(&dl, "%s/debs/download.%ld", f->dir.buf, (long)getpid());
	if (ntodo && (download(f, todo, ntodo, dl.buf) || install_all(f, dl.buf, &c, roots, nwant, todo, ntodo)))
		goto out;
	ret = 0;
out:
	if (dl.len)
		fs_remove_tree(dl.buf);
	strbuf_release(&dl);
	free(todo);
	debian_free_list(roots, nwant);
	apt_closure_release(&c);
	free(want);
	return ret;
}

int debian_fetch(const char *state, const char *root, const char *arch, char *const *names, size_t n,
		 struct strbuf *err)
{
	struct fetch f = { root, arch, apt_debian_arch(arch), STRBUF_INIT, 0, 0, err };
	struct strbuf lock = STRBUF_INIT;
	int ret = -1, fd;

	if (!f.debarch) {
		strbuf_addf(err, "no Debian architecture for the target arch '%s'", arch);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!valid_name(names[i])) {
			strbuf_addf(err, "'%s' is not a Debian package name", names[i]);
			return -1;
		}
	if (!debian_fetch_needed(state, arch, names, n))
		return 0;
	cache_dir(&f.dir, state, arch);
	static const char *const subdirs[] = { "debs", "root", "lists" };
	for (size_t i = 0; i < 3; i++) {
		struct strbuf d = STRBUF_INIT;
		strbuf_addf(&d, "%s/%s", f.dir.buf, subdirs[i]);
		int r = fs_mkdirs(d.buf);
		if (r)
			strbuf_addf(err, "%s: %s", d.buf, strerror(-r));
		strbuf_release(&d);
		if (r)
			goto out;
	}
	strbuf_addf(&lock, "%s/lock", f.dir.buf);
	fd = pkg_lock(lock.buf);
	if (fd < 0) {
		strbuf_addf(err, "%s: %s", lock.buf, strerror(-fd));
		goto out;
	}
	ret = fetch_locked(&f, state, names, n);
	close(fd);
out:
	strbuf_release(&lock);
	strbuf_release(&f.dir);
	return ret;
}

void debian_free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int documentation(const char *path)
{
	static const char *const dirs[] = { "/usr/share/doc/", "/usr/share/man/", "/usr/share/info/",
					    "/usr/share/lintian/", "/usr/share/locale/" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])))
			return 1;
	return 0;
}

int debian_package_files(const char *state, const char *arch, const char *name, char ***paths, size_t *n,
			 char **version)
{
	struct strbuf p = STRBUF_INIT;
	struct pkg_list l;

	*paths = NULL;
	*n = 0;
	*version = NULL;
	list_path(&p, state, arch, name);
	int r = pkg_list_read(p.buf, &l);
	strbuf_release(&p);
	if (r)
		return r;
	for (size_t i = 0; i < l.nfiles; i++) {
		if (documentation(l.files[i]))
			continue;
		*paths = xrealloc(*paths, (*n + 1) * sizeof(char *));
		(*paths)[(*n)++] = xstrdup(l.files[i]);
	}
	*version = xstrdup(l.version);
	pkg_list_release(&l);
	return 0;
}

int debian_package_closure(const char *state, const char *arch, const char *name, char ***names, size_t *n)
{
	*names = xcalloc(1, sizeof(char *));
	(*names)[0] = xstrdup(name);
	*n = 1;
	for (size_t i = 0; i < *n; i++) {
		struct strbuf p = STRBUF_INIT;
		struct pkg_list l;
		list_path(&p, state, arch, (*names)[i]);
		int r = pkg_list_read(p.buf, &l);
		strbuf_release(&p);
		if (r && !i) {
			debian_free_list(*names, *n);
			*names = NULL;
			*n = 0;
			return r;
		}
		for (size_t d = 0; !r && d < l.ndepends; d++) {
			size_t k = 0;
			while (k < *n && strcmp((*names)[k], l.depends[d]))
				k++;
			if (k < *n)
				continue;
			*names = xrealloc(*names, (*n + 1) * sizeof(char *));
			(*names)[(*n)++] = xstrdup(l.depends[d]);
		}
		if (!r)
			pkg_list_release(&l);
	}
	return 0;
}

int debian_package_for_soname(const char *soname, const char *arch, char **pkg, struct strbuf *err)
{
	const char *tmp = getenv("TMPDIR");
	struct strbuf pattern = STRBUF_INIT, out = STRBUF_INIT;

	*pkg = NULL;
	if (!*soname || strpbrk(soname, "/*?[\\")) {
		strbuf_addf(err, "'%s' is not a library's name", soname);
		return -1;
	}
	strbuf_addf(&pattern, "*/%s", soname);
	char *argv[] = { "env", "LC_ALL=C", "dpkg", "-S", pattern.buf, NULL };
	/* exit 1: no package has such a file; its words are in out */
	child_run_capture(argv, tmp && *tmp ? tmp : "/tmp", &out);
	*pkg = apt_soname_owner(out.buf, arch);
	if (!*pkg && apt_glibc_package(soname))
		*pkg = xstrdup(apt_glibc_package(soname));
	strbuf_release(&pattern);
	strbuf_release(&out);
	if (*pkg)
		return 0;
	strbuf_addf(err, "library %s: the host's dpkg knows no Debian package that ships it for %s; "
		    "add the package that has it to `packages =`", soname, arch);
	return -1;
}
