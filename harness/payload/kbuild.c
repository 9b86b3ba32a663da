/* kbuild: a case's Kbuild directory built for a target, cached by content. */
#include "payload/kbuild.h"
#include "target/toolchain.h"
#include "target/arch.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "lib/hash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A diagnostic longer than this is cut: it goes into a one-line message. */
#define ERROR_LINE_MAX 400

struct source {
	char *path;                /* relative to the source directory */
	mode_t mode;
	struct strbuf data;
};

struct sources {
	struct source *v;
	size_t n;
	size_t bytes;
};

static void sources_release(struct sources *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].path);
		strbuf_release(&s->v[i].data);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->bytes = 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

int kbuild_is_skipped(const char *name, int is_dir)
{
	if (is_dir)
		return !strcmp(name, ".git") || !strcmp(name, ".tmp_versions");
	if (name[0] == '.' && (ends_with(name, ".cmd") || ends_with(name, ".d")))
		return 1;
	return ends_with(name, ".o") || ends_with(name, ".ko") || ends_with(name, ".mod") ||
	       ends_with(name, ".mod.c") || !strcmp(name, "Module.symvers") ||
	       !strcmp(name, "modules.order");
}

/* Reads every source under root/rel (rel "" at the top) into s. Symbolic
 * links and special files are no sources: a copy could not be faithful. */
static int collect(const char *root, const char *rel, struct sources *s, struct strbuf *err)
{
	struct strbuf dirpath = STRBUF_INIT, full = STRBUF_INIT, sub = STRBUF_INIT;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	strbuf_addf(&dirpath, "%s%s%s", root, *rel ? "/" : "", rel);
	d = opendir(dirpath.buf);
	if (!d) {
		strbuf_addf(err, "%s: %s", dirpath.buf, strerror(errno));
		strbuf_release(&dirpath);
		return -1;
	}
	while (!ret && (de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", dirpath.buf, de->d_name);
		strbuf_reset(&sub);
		strbuf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (lstat(full.buf, &st)) {
			strbuf_addf(err, "%s: %s", full.buf, strerror(errno));
			ret = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (!kbuild_is_skipped(de->d_name, 1))
				ret = collect(root, sub.buf, s, err);
		} else if (S_ISREG(st.st_mode) && !kbuild_is_skipped(de->d_name, 0)) {
			struct source src = { strbuf_detach(&sub), st.st_mode & 07777, STRBUF_INIT };
			int r = strbuf_read_file(&src.data, full.buf);

			s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
			s->v[s->n++] = src;
			s->bytes += src.data.len;
			if (r) {
				strbuf_addf(err, "%s: %s", full.buf, strerror(-r));
				ret = -1;
			} else if (s->bytes > KBUILD_MAX_SOURCE_BYTES) {
				strbuf_addf(err, "%s: more than %u MiB of sources: not a module's directory",
					    root, KBUILD_MAX_SOURCE_BYTES >> 20);
				ret = -1;
			}
		}
	}
	closedir(d);
	strbuf_release(&dirpath);
	strbuf_release(&full);
	strbuf_release(&sub);
	return ret;
}

static int cmp_source(const void *a, const void *b)
{
	return strcmp(((const struct source *)a)->path, ((const struct source *)b)->path);
}

static int sources_load(const char *src_dir, struct sources *s, struct strbuf *err)
{
	struct stat st;

	if (stat(src_dir, &st) || !S_ISDIR(st.st_mode)) {
		strbuf_addf(err, "%s: not a directory", src_dir);
		return -1;
	}
	if (collect(src_dir, "", s, err)) {
		sources_release(s);
		return -1;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_source);
	return 0;
}

/* What the target's build depends on, as build-initramfs.sh's identity. */
static int target_identity(const struct target *t, struct strbuf *id, struct strbuf *err)
{
	struct strbuf symvers = STRBUF_INIT, path = STRBUF_INIT;
	struct stat st;
	int ret = 0;

	strbuf_addf(&path, "%s/Module.symvers", t->kdir);
	if (strbuf_read_file(&symvers, path.buf)) {
		strbuf_addf(err, "%s missing: build the kernel's modules first ('make modules', or 'make'; "
			    "'make modules_prepare' does not write it)", path.buf);
		ret = -1;
	} else if (stat(t->kernel, &st)) {
		strbuf_addf(err, "%s: no kernel image there", t->kernel);
		ret = -1;
	} else {
		strbuf_addf(id, "arch %s\nsymvers %016llx\nkernel %lld %lld.%09ld\n", t->arch,
			    (unsigned long long)hash_fnv1a(symvers.buf, symvers.len), (long long)st.st_size,
			    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	}
	strbuf_release(&symvers);
	strbuf_release(&path);
	return ret;
}

static uint64_t sources_hash(const struct sources *s, const struct strbuf *identity)
{
	static const char version[] = "oomtest kbuild 1\n";
	struct strbuf head = STRBUF_INIT;
	uint64_t h = hash_fnv1a_add(HASH_FNV1A_INIT, version, sizeof(version) - 1);

	h = hash_fnv1a_add(h, identity->buf, identity->len);
	for (size_t i = 0; i < s->n; i++) {
		/* lengths first: no two different trees give the same bytes */
		strbuf_reset(&head);
		strbuf_addf(&head, "file %zu %s %zu\n", strlen(s->v[i].path), s->v[i].path, s->v[i].data.len);
		h = hash_fnv1a_add(h, head.buf, head.len);
		h = hash_fnv1a_add(h, s->v[i].data.buf, s->v[i].data.len);
	}
	strbuf_release(&head);
	return h;
}

int kbuild_key(const char *src_dir, const struct target *t, uint64_t *key, struct strbuf *err)
{
	struct sources s = { 0 };
	struct strbuf id = STRBUF_INIT;
	int ret = -1;

	if (!sources_load(src_dir, &s, err) && !target_identity(t, &id, err)) {
		*key = sources_hash(&s, &id);
		ret = 0;
	}
	sources_release(&s);
	strbuf_release(&id);
	return ret;
}

/* The line [p, eol) if it holds needle at its start or after a blank. */
static int line_has(const char *p, const char *eol, const char *needle)
{
	size_t n = strlen(needle);

	for (const char *q = p; q + n <= eol; q++)
		if (!memcmp(q, needle, n) && (q == p || q[-1] == ' '))
			return 1;
	return 0;
}

static int is_blank(char c)
{
	return (unsigned char)c <= ' ' || c == 0x7f;
}

/* Appends the line [p, eol) as one line of a message; 0 when nothing of
 * it is left to say. */
static int add_line(struct strbuf *out, const char *p, const char *eol, const char *build_dir)
{
	struct strbuf prefix = STRBUF_INIT;
	size_t start = out->len;

	if (build_dir && *build_dir)
		strbuf_addf(&prefix, "%s/", build_dir);
	while (p < eol) {
		if (prefix.len && (size_t)(eol - p) >= prefix.len && !memcmp(p, prefix.buf, prefix.len)) {
			p += prefix.len;
			continue;
		}
		/* tabs, a NUL or an escape would spoil a one-line message */
		strbuf_addch(out, is_blank(*p) ? ' ' : *p);
		p++;
	}
	strbuf_release(&prefix);
	while (out->len > start && out->buf[out->len - 1] == ' ')
		out->buf[--out->len] = '\0';
	if (out->len - start > ERROR_LINE_MAX) {
		size_t cut = start + ERROR_LINE_MAX;

		/* not inside a UTF-8 sequence */
		while (cut > start && ((unsigned char)out->buf[cut] & 0xc0) == 0x80)
			cut--;
		out->len = cut;
		out->buf[cut] = '\0';
		strbuf_addstr(out, "...");
	}
	return out->len > start;
}

void kbuild_first_error(const char *log, size_t len, const char *build_dir, struct strbuf *out)
{
	/* in order of preference: the compiler, modpost, make */
	static const char *const kinds[] = { "error: ", "ERROR: ", "*** " };
	const char *end = log + len;

	for (size_t k = 0; k <= sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (const char *p = log; p < end;) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			const char *q = p;

			if (!eol)
				eol = end;
			while (q < eol && is_blank(*q))
				q++;
			if ((k < sizeof(kinds) / sizeof(kinds[0]) ? line_has(p, eol, kinds[k]) : q < eol) &&
			    add_line(out, q, eol, build_dir))
				return;
			p = eol + (eol < end);
		}
	}
	strbuf_addstr(out, "the build printed nothing");
}

static int valid_name(const char *name)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	/* the kernel's MODULE_NAME_LEN is 56 with the NUL */
	return *name && strlen(name) < 56 && strspn(name, ok) == strlen(name);
}

static int write_sources(const char *dir, const struct sources *s, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; !ret && i < s->n; i++) {
		char *slash;
		int fd, r;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, s->v[i].path);
		slash = strrchr(path.buf, '/');
		*slash = '\0';
		r = fs_mkdirs(path.buf);
		*slash = '/';
		fd = r ? r : open(path.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, s->v[i].mode | 0600);
		if (fd < 0) {
			r = r ? r : -errno;
		} else {
			r = fs_write_all(fd, s->v[i].data.buf, s->v[i].data.len);
			if (close(fd) && !r)
				r = -errno;
		}
		if (r) {
			strbuf_addf(err, "%s: %s", path.buf, strerror(-r));
			ret = -1;
		}
	}
	strbuf_release(&path);
	return ret;
}

/* The *.ko files a build made, for a build that made none of the name
 * asked for. */
static void list_modules(const char *dir, struct strbuf *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t start = out->len;

	while (d && (de = readdir(d)))
		if (ends_with(de->d_name, ".ko"))
			strbuf_addf(out, "%s%s", out->len > start ? " " : "", de->d_name);
	if (d)
		closedir(d);
	if (out->len == start)
		strbuf_addstr(out, "none");
}

/* Runs make in dir (absolute), its output in dir/build.log. Returns 0 when
 * it made NAME.ko; else -1 with the reason in why. */
static int run_make(const struct target *t, const char *dir, const char *name, struct strbuf *why)
{
	struct strbuf log = STRBUF_INIT, m = STRBUF_INIT, ko = STRBUF_INIT, text = STRBUF_INIT;
	int ret = -1, fd, st;

	strbuf_addf(&log, "%s/build.log", dir);
	strbuf_addf(&m, "M=%s", dir);
	strbuf_addf(&ko, "%s/%s.ko", dir, name);
	fd = open(log.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(why, "%s: %s", log.buf, strerror(errno));
		goto out;
	}
	struct toolchain tc;
	if (toolchain_for(&tc, t->kdir, arch_of(t->arch), arch_host_machine(), why)) {
		toolchain_release(&tc);
		close(fd);
		goto out;
	}
	char *argv[5 + TOOLCHAIN_MAX_VARS + 2] = { "make", "-s", "-C", t->kdir, m.buf };
	size_t argc = 5;
	for (size_t i = 0; i < tc.n; i++)
		argv[argc++] = tc.vars[i].buf;
	argv[argc++] = "modules";
	argv[argc] = NULL;
	st = child_run(argv, fd);
	close(fd);
	toolchain_release(&tc);
	if (st < 0) {
		strbuf_addf(why, "make: %s", child_strerror(-st));
	} else if (st != 0) {
		strbuf_read_file(&text, log.buf);
		kbuild_first_error(text.buf, text.len, dir, why);
	} else if (access(ko.buf, F_OK)) {
		strbuf_addf(why, "the build made no %s.ko (it made: ", name);
		list_modules(dir, why);
		strbuf_addstr(why, "; obj-m in Kbuild names the module)");
	} else {
		ret = 0;
	}
out:
	strbuf_release(&log);
	strbuf_release(&m);
	strbuf_release(&ko);
	strbuf_release(&text);
	return ret;
}

/* Temporary build directories of leaf (".LEAF.XXXXXX") older than
 * KBUILD_STALE_SECONDS: what an oomtest killed during a build left. */
static void remove_stale(const char *base, const char *leaf)
{
	struct strbuf prefix = STRBUF_INIT, path = STRBUF_INIT;
	DIR *d = opendir(base);
	struct dirent *de;
	time_t now = time(NULL);

	strbuf_addf(&prefix, ".%s.", leaf);
	while (d && (de = readdir(d))) {
		struct stat st;

		if (strncmp(de->d_name, prefix.buf, prefix.len))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", base, de->d_name);
		if (!lstat(path.buf, &st) && S_ISDIR(st.st_mode) && now - st.st_mtime > KBUILD_STALE_SECONDS)
			fs_remove_tree(path.buf);
	}
	if (d)
		closedir(d);
	strbuf_release(&prefix);
	strbuf_release(&path);
}

/* Builds in a temporary directory beside final and renames it into place;
 * when another process got there first its build is as good. */
static int build(const struct target *t, const struct sources *s, const char *base,
		 const char *final, const char *name, struct strbuf *err)
{
	struct strbuf tmpl = STRBUF_INIT, why = STRBUF_INIT, log = STRBUF_INIT, kept = STRBUF_INIT;
	const char *leaf = strrchr(final, '/') + 1;
	char *tmp;
	int ret = -1;

	remove_stale(base, leaf);
	strbuf_addf(&tmpl, "%s/.%s.XXXXXX", base, leaf);
	tmp = mkdtemp(tmpl.buf);
	if (!tmp) {
		strbuf_addf(err, "%s: %s", tmpl.buf, strerror(errno));
		goto out;
	}
	if (write_sources(tmp, s, err)) {
		fs_remove_tree(tmp);
		goto out;
	}
	if (!run_make(t, tmp, name, &why)) {
		if (rename(tmp, final) && errno != EEXIST && errno != ENOTEMPTY)
			strbuf_addf(err, "%s: %s", final, strerror(errno));
		else
			ret = 0;
		if (!access(tmp, F_OK))
			fs_remove_tree(tmp);
		goto out;
	}
	/* the log outlives the failed build, beside where it would have gone */
	strbuf_addf(&log, "%s/build.log", tmp);
	strbuf_addf(&kept, "%s.build.log", final);
	if (rename(log.buf, kept.buf)) {
		strbuf_reset(&kept);
		strbuf_addstr(&kept, "none");
	}
	strbuf_addf(err, "building %s for %s failed: %s (full log: %s)", name, t->name, why.buf, kept.buf);
	fs_remove_tree(tmp);
out:
	strbuf_release(&tmpl);
	strbuf_release(&why);
	strbuf_release(&log);
	strbuf_release(&kept);
	return ret;
}

static int has_top_makefile(const struct sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].path, "Kbuild") || !strcmp(s->v[i].path, "Makefile"))
			return 1;
	return 0;
}

int kbuild_module(const char *state, const struct target *t, const char *src_dir,
		  const char *name, struct strbuf *ko_path, struct strbuf *err)
{
	struct strbuf base = STRBUF_INIT, final = STRBUF_INIT, ko = STRBUF_INIT, id = STRBUF_INIT;
	struct sources s = { 0 };
	char *abs_base = NULL;
	int ret = -1, r;

	strbuf_addf(&base, "%s/Makefile", t->kdir);
	if (!valid_name(name)) {
		strbuf_addf(err, "%s: not a module name (letters, digits, _ and -, at most 55)", name);
		goto out;
	}
	if (access(base.buf, F_OK)) {
		strbuf_addf(err, "%s: not a kernel build directory (no Makefile)", t->kdir);
		goto out;
	}
	if (sources_load(src_dir, &s, err) || target_identity(t, &id, err))
		goto out;
	if (!has_top_makefile(&s)) {
		strbuf_addf(err, "%s: no Kbuild or Makefile: not a kernel module's source directory", src_dir);
		goto out;
	}
	strbuf_reset(&base);
	strbuf_addf(&base, "%s/targets/%s/user-modules", state, t->name);
	r = fs_mkdirs(base.buf);
	abs_base = r ? NULL : realpath(base.buf, NULL);
	if (!abs_base) {
		strbuf_addf(err, "%s: %s", base.buf, strerror(r ? -r : errno));
		goto out;
	}
	strbuf_addf(&final, "%s/%s-%016llx", abs_base, name, (unsigned long long)sources_hash(&s, &id));
	strbuf_addf(&ko, "%s/%s.ko", final.buf, name);
	if (access(ko.buf, F_OK)) {
		/* a cache directory appears whole (a rename); one without the
		 * module was not made here. The module is looked for again
		 * after the directory: another oomtest building the same
		 * module may have renamed its build into place meanwhile, and
		 * removing that would pull it from under that process. */
		if (!access(final.buf, F_OK) && access(ko.buf, F_OK))
			fs_remove_tree(final.buf);
		if (access(ko.buf, F_OK) && build(t, &s, abs_base, final.buf, name, err))
			goto out;
	}
	strbuf_addbuf(ko_path, &ko);
	ret = 0;
out:
	free(abs_base);
	sources_release(&s);
	strbuf_release(&base);
	strbuf_release(&final);
	strbuf_release(&ko);
	strbuf_release(&id);
	return ret;
}
