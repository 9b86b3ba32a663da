/* payload: a case's programs, files, modules and packages, per target. */
#include "payload/payload.h"
#include "proto/disks.h"
#include "target/arch.h"
#include "lib/child.h"
#include "payload/debian.h"
#include "payload/elf.h"
#include "payload/kbuild.h"
#include "payload/libs.h"
#include "proto/payload.h"
#include "target/modcheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where a bare program name is looked for among the packages' files, in
 * the order the agent searches its PATH. */
static const char *const bin_dirs[] = { "/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin" };

struct gather {
	const char *root, *state;
	const struct oomcase *c;
	const struct target *t;
	struct manifest *m;
	struct strbuf *why;
	int have_busybox;
	char **applets;         /* busybox --list, once it is needed */
	size_t napplets;
};

char *payload_arch_path(const char *path, const char *arch)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = path, *q;

	while ((q = strstr(p, CASE_ARCH_VAR))) {
		strbuf_add(&out, p, (size_t)(q - p));
		strbuf_addstr(&out, arch);
		p = q + strlen(CASE_ARCH_VAR);
	}
	strbuf_addstr(&out, p);
	return strbuf_detach(&out);
}

static enum payload_verdict fail(struct gather *g, int line, enum payload_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static enum payload_verdict fail(struct gather *g, int line, enum payload_verdict v, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		strbuf_addf(g->why, "%s:%d: ", g->c->path, line);
	va_start(ap, fmt);
	strbuf_vaddf(g->why, fmt, ap);
	va_end(ap);
	return v;
}

/* Another arch's ELF file: this target cannot run it; the case may be
 * right for the others. */
static enum payload_verdict arch_mismatch(struct gather *g, int line, const char *host, const struct elf_info *info)
{
	struct strbuf msg = STRBUF_INIT;

	elf_arch_mismatch(info, g->t->arch, &msg);
	fail(g, line, PAYLOAD_SKIP, "%s: %s", host, msg.buf);
	strbuf_release(&msg);
	return PAYLOAD_SKIP;
}

static void origin_line(struct strbuf *o, const struct gather *g, int line, const char *host)
{
	strbuf_reset(o);
	strbuf_addf(o, "%s:%d", g->c->path, line);
	if (host)
		strbuf_addf(o, " (%s)", host);
}

/* busybox --list of the target's busybox, read once. */
static int read_applets(struct gather *g, const char *bb)
{
	struct strbuf text = STRBUF_INIT;
	char *argv[] = { (char *)bb, "--list", NULL };
	const char *tmp = getenv("TMPDIR");
	int st = child_run_capture(argv, tmp && *tmp ? tmp : "/tmp", &text);

	for (char *p = text.buf, *nl; st == 0 && *p; p = nl + 1) {
		size_t len = strcspn(p, "\n");

		nl = p + len;
		if (len && !memchr(p, '/', len)) {
			g->applets = xrealloc(g->applets, (g->napplets + 1) * sizeof(char *));
			g->applets[g->napplets++] = xstrndup(p, len);
		}
		if (!*nl)
			break;
	}
	strbuf_release(&text);
	return st == 0 && g->napplets ? 0 : -ENOEXEC;
}

static int is_applet(struct gather *g, const char *name)
{
	for (size_t i = 0; i < g->napplets; i++)
		if (!strcmp(g->applets[i], name))
			return 1;
	return 0;
}

/* The busybox that says which applets the target's has: that one where the
 * host runs its arch, else the host's own (Debian builds busybox-static
 * with one configuration for every arch; an arm64 one does not run here). */
static const char *applet_lister(const struct gather *g, struct strbuf *lister, const char *bb)
{
	const char *host = arch_host_machine();
	const struct arch_ops *own = arch_find(host);

	if (arch_is_native(arch_of(g->t->arch), host) || !own)
		return bb;
	strbuf_addf(lister, "%s/images/busybox/%s/busybox", g->state, own->name);
	return lister->buf;
}

/* busybox in /bin, with a link per applet where nothing else is. */
static enum payload_verdict need_busybox(struct gather *g, int line)
{
	struct strbuf bb = STRBUF_INIT, link = STRBUF_INIT, lister = STRBUF_INIT;
	enum payload_verdict v = PAYLOAD_READY;

	if (g->have_busybox)
		return PAYLOAD_READY;
	strbuf_addf(&bb, "%s/images/busybox/%s/busybox", g->state, g->t->arch);
	if (access(bb.buf, X_OK)) {
		v = fail(g, line, PAYLOAD_ERROR, "busybox for %s is not fetched (run make images): "
			 "scripts and applets need it", g->t->arch);
	} else if (read_applets(g, applet_lister(g, &lister, bb.buf))) {
		v = fail(g, line, PAYLOAD_ERROR, "%s --list gave no applets", lister.len ? lister.buf : bb.buf);
	} else if (manifest_add_file(g->m, "/bin/busybox", bb.buf, 0755, "Debian busybox-static")) {
		v = fail(g, line, PAYLOAD_ERROR, "/bin/busybox is already another file of the payload");
	} else {
		for (size_t i = 0; i < g->napplets; i++) {
			strbuf_reset(&link);
			strbuf_addf(&link, "/bin/%s", g->applets[i]);
			if (!manifest_find(g->m, link.buf) && strcmp(link.buf, "/bin/hog"))
				manifest_add_symlink(g->m, link.buf, "busybox", "busybox applet");
		}
		g->have_busybox = 1;
	}
	strbuf_release(&bb);
	strbuf_release(&link);
	strbuf_release(&lister);
	return v;
}

/* Every file of the case's packages, and the libraries their programs need. */
static enum payload_verdict add_packages(struct gather *g)
{
	struct strbuf origin = STRBUF_INIT, host = STRBUF_INIT, err = STRBUF_INIT;
	enum payload_verdict v = PAYLOAD_READY;

	if (!g->c->npackages)
		return PAYLOAD_READY;
	if (debian_fetch_needed(g->state, g->t->arch, g->c->packages, g->c->npackages))
		fprintf(stderr, "oomtest: fetching Debian packages for %s: %s%s\n", g->t->arch, g->c->packages[0],
			g->c->npackages > 1 ? " ..." : "");
	if (debian_fetch(g->state, g->root, g->t->arch, g->c->packages, g->c->npackages, &err))
		return fail(g, g->c->packages_line, PAYLOAD_SKIP, "%s", err.buf);
	char *cache = debian_cache_root(g->state, g->t->arch);
	for (size_t i = 0; i < g->c->npackages && v == PAYLOAD_READY; i++) {
		char **paths = NULL, *version = NULL;
		size_t n = 0;

		if (debian_package_files(g->state, g->t->arch, g->c->packages[i], &paths, &n, &version)) {
			v = fail(g, g->c->packages_line, PAYLOAD_ERROR, "package %s: its file list is missing",
				 g->c->packages[i]);
			break;
		}
		strbuf_reset(&origin);
		strbuf_addf(&origin, "package %s %s (%s)", g->c->packages[i], version ? version : "?", g->t->arch);
		for (size_t k = 0; k < n && v == PAYLOAD_READY; k++) {
			struct stat st;
			char target[4096];
			ssize_t len;

			strbuf_reset(&host);
			strbuf_addf(&host, "%s%s", cache, paths[k]);
			if (lstat(host.buf, &st) || S_ISDIR(st.st_mode))
				continue;
			if (S_ISLNK(st.st_mode)) {
				len = readlink(host.buf, target, sizeof(target) - 1);
				if (len > 0) {
					target[len] = '\0';
					manifest_add_symlink(g->m, paths[k], target, origin.buf);
				}
				continue;
			}
			if (!S_ISREG(st.st_mode) || manifest_add_file(g->m, paths[k], host.buf, st.st_mode & 07777, origin.buf))
				continue;
			struct elf_info info = { 0 };
			strbuf_reset(&err);
			if (!elf_inspect(host.buf, &info, &err) && info.is_elf && (info.interp || info.nneeded)) {
				struct strbuf lo = STRBUF_INIT;
				strbuf_addf(&lo, "library of %s", paths[k]);
				strbuf_reset(&err);
				if (libs_resolve(g->state, g->root, g->t->arch, host.buf, g->m, lo.buf, &err))
					v = fail(g, g->c->packages_line, PAYLOAD_ERROR, "package %s: %s",
						 g->c->packages[i], err.buf);
				strbuf_release(&lo);
			}
			elf_info_release(&info);
		}
		debian_free_list(paths, n);
		free(version);
	}
	free(cache);
	strbuf_release(&origin);
	strbuf_release(&host);
	strbuf_release(&err);
	return v;
}

/* A script's interpreter must be in the guest: busybox's applets are.
 * host: the script's file, its ${arch} replaced. */
static enum payload_verdict script_interpreter(struct gather *g, const struct case_step *s, const char *host,
					       const char *interp)
{
	const char *base = strrchr(interp, '/');

	base = base ? base + 1 : interp;
	if (interp[0] != '/')
		return fail(g, s->key_line, PAYLOAD_ERROR, "%s: the #! interpreter '%s' is not an absolute path",
			    host, interp);
	if (manifest_find(g->m, interp) || !strcmp(interp, "/bin/hog"))
		return PAYLOAD_READY;
	enum payload_verdict v = need_busybox(g, s->key_line);
	if (v != PAYLOAD_READY)
		return v;
	if (!is_applet(g, base))
		return fail(g, s->key_line, PAYLOAD_ERROR, "%s: the #! interpreter %s is neither in the guest nor a "
			    "busybox applet (add its package to packages =)", host, interp);
	if (!manifest_find(g->m, interp))
		manifest_add_symlink(g->m, interp, "/bin/busybox", "busybox applet");
	return PAYLOAD_READY;
}

static enum payload_verdict add_program(struct gather *g, const struct case_step *s)
{
	struct strbuf err = STRBUF_INIT, origin = STRBUF_INIT;
	struct elf_info info = { 0 };
	enum payload_verdict v = PAYLOAD_READY;
	char *host = payload_arch_path(s->host_path, g->t->arch);
	struct stat st;

	if (stat(host, &st))
		v = fail(g, s->key_line, PAYLOAD_ERROR, "run '%s': %s", host, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		v = fail(g, s->key_line, PAYLOAD_ERROR, "run '%s': not a regular file", host);
	else if (elf_inspect(host, &info, &err))
		v = fail(g, s->key_line, PAYLOAD_ERROR, "run '%s': %s", host, err.buf);
	else if (info.is_elf && !elf_arch_matches(&info, g->t->arch))
		v = arch_mismatch(g, s->key_line, host, &info);
	else if (!info.is_elf && !info.script_interp)
		v = fail(g, s->key_line, PAYLOAD_ERROR, "run '%s': neither an ELF program nor a #! script", host);
	if (v == PAYLOAD_READY) {
		origin_line(&origin, g, s->key_line, host);
		if (manifest_add_file(g->m, s->argv[0], host, 0755, origin.buf))
			v = fail(g, s->key_line, PAYLOAD_ERROR, "%s is already another file of the payload", s->argv[0]);
	}
	if (v == PAYLOAD_READY && info.is_elf && (info.interp || info.nneeded)) {
		strbuf_reset(&origin);
		strbuf_addf(&origin, "library of %s", s->argv[0]);
		if (libs_resolve(g->state, g->root, g->t->arch, host, g->m, origin.buf, &err))
			v = fail(g, s->key_line, PAYLOAD_ERROR, "%s", err.buf);
	}
	if (v == PAYLOAD_READY && info.script_interp)
		v = script_interpreter(g, s, host, info.script_interp);
	elf_info_release(&info);
	free(host);
	strbuf_release(&err);
	strbuf_release(&origin);
	return v;
}

/* hog is in the image; a package's program or a busybox applet otherwise. */
static enum payload_verdict bare_program(struct gather *g, const struct case_step *s)
{
	struct strbuf path = STRBUF_INIT;
	const struct manifest_entry *e = NULL;

	if (!strcmp(s->argv[0], "hog"))
		return PAYLOAD_READY;
	for (size_t i = 0; !e && i < sizeof(bin_dirs) / sizeof(bin_dirs[0]); i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", bin_dirs[i], s->argv[0]);
		e = manifest_find(g->m, path.buf);
	}
	strbuf_release(&path);
	if (e) {
		/* a package's script: Debian does not list its shell as a
		 * dependency (dash is essential), so its #! is looked for too */
		struct elf_info info = { 0 };
		struct strbuf err = STRBUF_INIT;
		enum payload_verdict v = PAYLOAD_READY;

		if (e->host && !elf_inspect(e->host, &info, &err) && info.script_interp)
			v = script_interpreter(g, s, e->host, info.script_interp);
		elf_info_release(&info);
		strbuf_release(&err);
		return v;
	}
	enum payload_verdict v = need_busybox(g, s->key_line);
	if (v != PAYLOAD_READY)
		return v;
	if (!is_applet(g, s->argv[0]))
		return fail(g, s->key_line, PAYLOAD_ERROR, "unknown program '%s': not hog, a program of the case's "
			    "packages, nor a busybox applet (a file of the case is run as ./%s)", s->argv[0],
			    s->argv[0]);
	return PAYLOAD_READY;
}

/* Whether libkmod finds a vermagic in the .ko's .modinfo. modcheck fails
 * alike for a vermagic of another kernel (this target's mismatch: a skip)
 * and for none at all (not a module on any target: the case's error). */
static int ko_has_vermagic(const char *ko)
{
	const char *null_config = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, &null_config);
	struct kmod_module *mod = NULL;
	struct kmod_list *info = NULL, *l;
	int found = 0;

	if (!ctx)
		return 0;
	if (!kmod_module_new_from_path(ctx, ko, &mod) && kmod_module_get_info(mod, &info) >= 0)
		kmod_list_foreach(l, info)
			found |= !strcmp(kmod_module_info_get_key(l), "vermagic");
	kmod_module_info_free_list(info);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return found;
}

/* A user's module: built from its Kbuild directory, or a .ko taken as it
 * is; either way read with libkmod before any guest boots. */
static enum payload_verdict add_module(struct gather *g, const struct case_step *s)
{
	struct strbuf ko = STRBUF_INIT, err = STRBUF_INIT, guest = STRBUF_INIT, origin = STRBUF_INIT;
	enum payload_verdict v = PAYLOAD_READY;
	char *src = payload_arch_path(s->host_path, g->t->arch);
	struct elf_info info = { 0 };

	if (s->module_is_dir) {
		if (kbuild_module(g->state, g->t, src, s->argv[0], &ko, &err))
			v = fail(g, s->key_line, PAYLOAD_ERROR, "%s", err.buf);
	} else {
		strbuf_addstr(&ko, src);
		if (access(ko.buf, R_OK))
			v = fail(g, s->key_line, PAYLOAD_ERROR, "module '%s': %s", ko.buf, strerror(errno));
		else if (elf_inspect(ko.buf, &info, &err))
			v = fail(g, s->key_line, PAYLOAD_ERROR, "module '%s': %s", ko.buf, err.buf);
		else if (!info.is_elf)
			v = fail(g, s->key_line, PAYLOAD_ERROR, "module '%s' is not an ELF file", ko.buf);
		else if (!elf_arch_matches(&info, g->t->arch))
			v = arch_mismatch(g, s->key_line, ko.buf, &info);
		else if (!ko_has_vermagic(ko.buf))
			v = fail(g, s->key_line, PAYLOAD_ERROR, "module '%s' is not a kernel module: it has no vermagic "
				 "(build it against a kernel's kdir, or name its Kbuild directory)", ko.buf);
		/* built for another kernel: this target cannot load it */
		else if (modcheck(ko.buf, g->t->release, NULL, 0, &err))
			v = fail(g, s->key_line, PAYLOAD_SKIP, "%s", err.buf);
	}
	if (v == PAYLOAD_READY && modcheck(ko.buf, g->t->release, s->argv + 1, s->argc - 1, &err))
		v = fail(g, s->key_line, PAYLOAD_ERROR, "%s", err.buf);
	if (v == PAYLOAD_READY) {
		strbuf_addf(&guest, "/lib/modules/%s.ko", s->argv[0]);
		origin_line(&origin, g, s->key_line, s->module_is_dir ? src : NULL);
		if (s->module_is_dir)
			strbuf_addstr(&origin, ", built");
		if (manifest_add_file(g->m, guest.buf, ko.buf, 0644, origin.buf))
			v = fail(g, s->key_line, PAYLOAD_ERROR, "two modules named %s", s->argv[0]);
	}
	elf_info_release(&info);
	free(src);
	strbuf_release(&ko);
	strbuf_release(&err);
	strbuf_release(&guest);
	strbuf_release(&origin);
	return v;
}

static enum payload_verdict add_files(struct gather *g)
{
	struct strbuf origin = STRBUF_INIT;
	enum payload_verdict v = PAYLOAD_READY;

	for (size_t i = 0; i < g->c->nfiles && v == PAYLOAD_READY; i++) {
		const struct case_file *f = &g->c->files[i];
		char *host = payload_arch_path(f->host, g->t->arch);
		struct stat st;

		if (stat(host, &st))
			v = fail(g, f->line, PAYLOAD_ERROR, "'%s': %s", host, strerror(errno));
		else if (!S_ISREG(st.st_mode))
			v = fail(g, f->line, PAYLOAD_ERROR, "'%s' is not a regular file", host);
		else {
			origin_line(&origin, g, f->line, host);
			if (manifest_add_file(g->m, f->guest, host, st.st_mode & 07777, origin.buf))
				v = fail(g, f->line, PAYLOAD_ERROR, "%s is already another file of the payload",
					 f->guest);
		}
		free(host);
	}
	strbuf_release(&origin);
	return v;
}

/* A case's disk needs its filesystem's modules where the target has them
 * as modules: images/build-initramfs.sh put them, in load order, in the
 * target's disk-modules directory (empty when they are built in). */
static enum payload_verdict add_disk_modules(struct gather *g)
{
	struct strbuf dir = STRBUF_INIT, host = STRBUF_INIT, guest = STRBUF_INIT;
	enum payload_verdict v = PAYLOAD_READY;
	struct dirent **names;
	int n;

	strbuf_addf(&dir, "%s/targets/%s/disk-modules", g->state, g->t->name);
	n = scandir(dir.buf, &names, NULL, alphasort);
	if (n < 0)
		v = fail(g, g->c->disk_line, PAYLOAD_ERROR, "%s: %s (prepare the target again: make)", dir.buf,
			 strerror(errno));
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && v == PAYLOAD_READY) {
			strbuf_reset(&host);
			strbuf_reset(&guest);
			strbuf_addf(&host, "%s/%s", dir.buf, names[i]->d_name);
			strbuf_addf(&guest, "%s/%s", DISK_MODULES_DIR, names[i]->d_name);
			if (manifest_add_file(g->m, guest.buf, host.buf, 0644, "the disk's filesystem"))
				v = fail(g, g->c->disk_line, PAYLOAD_ERROR, "%s: cannot be added", host.buf);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	strbuf_release(&dir);
	strbuf_release(&host);
	strbuf_release(&guest);
	return v;
}

enum payload_verdict payload_gather(const char *root, const char *state, const struct oomcase *c,
				    const struct target *t, struct manifest *m, struct strbuf *why)
{
	struct gather g = { .root = root, .state = state, .c = c, .t = t, .m = m, .why = why };
	enum payload_verdict v;

	/* packages first: bare names and #! lines are looked up among them */
	v = add_packages(&g);
	if (v == PAYLOAD_READY)
		v = add_files(&g);
	if (v == PAYLOAD_READY && c->disk)
		v = add_disk_modules(&g);
	for (size_t i = 0; i < c->nsteps && v == PAYLOAD_READY; i++) {
		const struct case_step *s = &c->steps[i];

		if (s->kind == STEP_RUN)
			v = s->host_path ? add_program(&g, s) : bare_program(&g, s);
		else if (s->kind == STEP_MODULE && s->host_path)
			v = add_module(&g, s);
	}
	if (v == PAYLOAD_READY && manifest_bytes(m) > c->memory / PAYLOAD_MAX_SHARE)
		v = fail(&g, 0, PAYLOAD_ERROR, "%s: the payload for %s is %llu KiB: more than a guest of %llu MiB "
			 "can unpack (at most a quarter of its memory)", c->path, t->name,
			 manifest_bytes(m) >> 10, c->memory >> 20);
	for (size_t i = 0; i < g.napplets; i++)
		free(g.applets[i]);
	free(g.applets);
	return v;
}

void payload_describe(const struct manifest *m, struct strbuf *out)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct manifest_entry *e = &m->v[i];
		const char *origin = e->origin ? e->origin : "";

		/* a symlink takes no bytes of the guest's RAM: no size */
		if (e->symlink)
			strbuf_addf(out, "%s -> %s\t-\t%s\n", e->guest, e->symlink, origin);
		else
			strbuf_addf(out, "%s\t%llu\t%s\n", e->guest, e->size, origin);
	}
}

int payload_disk_compact(const char *path)
{
	char head[PAYLOAD_HEADER_SIZE];
	int fd = open(path, O_RDWR | O_CLOEXEC), r = 0;
	size_t magic = strlen(PAYLOAD_MAGIC);

	if (fd < 0)
		return -errno;
	ssize_t n = pread(fd, head, sizeof(head), 0);
	if (n != (ssize_t)sizeof(head) || memcmp(head, PAYLOAD_MAGIC, magic)) {
		r = -EINVAL;
	} else {
		unsigned long long len = strtoull(head + magic, NULL, 10);
		unsigned long long size = (PAYLOAD_HEADER_SIZE + len + 511) / 512 * 512;
		if (ftruncate(fd, (off_t)size))
			r = -errno;
	}
	close(fd);
	return r;
}
