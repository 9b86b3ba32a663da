/* pkgcache: list files, unpacking by moving a dpkg-deb -x tree into the
 * shared root, the flock, captured tool output. */
#include "payload/pkgcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"

static void add_string(char ***v, size_t *n, const char *s, size_t len)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrndup(s, len);
}

void pkg_list_add_depend(struct pkg_list *l, const char *name)
{
	for (size_t i = 0; i < l->ndepends; i++)
		if (!strcmp(l->depends[i], name))
			return;
	add_string(&l->depends, &l->ndepends, name, strlen(name));
}

static void set_field(struct pkg_list *l, const char *line, size_t len)
{
	static const struct {
		const char *key;
		size_t offset;
	} fields[] = {
		{ "Package: ", offsetof(struct pkg_list, name) },
		{ "Version: ", offsetof(struct pkg_list, version) },
		{ "Architecture: ", offsetof(struct pkg_list, arch) },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t k = strlen(fields[i].key);
		if (len >= k && !strncmp(line, fields[i].key, k)) {
			char **slot = (char **)((char *)l + fields[i].offset);
			free(*slot);
			*slot = xstrndup(line + k, len - k);
			return;
		}
	}
	if (len >= 9 && !strncmp(line, "Depends: ", 9)) {
		const char *p = line + 9, *end = line + len;
		while (p < end) {
			const char *sp = memchr(p, ' ', (size_t)(end - p));
			const char *stop = sp ? sp : end;
			if (stop > p)
				add_string(&l->depends, &l->ndepends, p, (size_t)(stop - p));
			p = stop + 1;
		}
	}
}

int pkg_list_read(const char *path, struct pkg_list *l)
{
	struct strbuf text = STRBUF_INIT;
	int in_files = 0, r;

	memset(l, 0, sizeof(*l));
	if ((r = strbuf_read_file(&text, path))) {
		strbuf_release(&text);
		return r;
	}
	for (const char *p = text.buf; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (in_files && len)
			add_string(&l->files, &l->nfiles, p, len);
		else if (!len)
			in_files = 1;
		else
			set_field(l, p, len);
		p += len + (nl ? 1 : 0);
	}
	strbuf_release(&text);
	if (!l->name || !l->version || !l->arch || !in_files) {
		pkg_list_release(l);
		return -EINVAL;
	}
	return 0;
}

int pkg_list_write(const char *path, const struct pkg_list *l)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "Package: %s\nVersion: %s\nArchitecture: %s\nDepends:", l->name, l->version, l->arch);
	for (size_t i = 0; i < l->ndepends; i++)
		strbuf_addf(&sb, " %s", l->depends[i]);
	strbuf_addstr(&sb, "\n\n");
	for (size_t i = 0; i < l->nfiles; i++)
		strbuf_addf(&sb, "%s\n", l->files[i]);
	int r = fs_write_atomic(path, sb.buf, sb.len);
	strbuf_release(&sb);
	return r;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pkg_list_release(struct pkg_list *l)
{
	free(l->name);
	free(l->version);
	free(l->arch);
	free_strings(l->depends, l->ndepends);
	free_strings(l->files, l->nfiles);
	memset(l, 0, sizeof(*l));
}

/* The directory a path is in: ".", or what is before its last '/'. */
static void parent_dir(const char *path, struct strbuf *dir)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		strbuf_addch(dir, '.');
	else if (slash == path)
		strbuf_addch(dir, '/');
	else
		strbuf_add(dir, path, (size_t)(slash - path));
}

int pkg_run_c(const char *const *argv, size_t argc, const char *scratch_dir, struct strbuf *out)
{
	char **full = xcalloc(argc + 3, sizeof(char *));

	full[0] = "env";
	full[1] = "LC_ALL=C";
	memcpy(full + 2, argv, argc * sizeof(char *));
	int st = child_run_capture(full, scratch_dir, out);
	free(full);
	return st;
}

void pkg_add_apt_errors(struct strbuf *err, const struct strbuf *out)
{
	struct strbuf e = STRBUF_INIT;

	for (const char *p = out->buf; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 3 && !strncmp(p, "E: ", 3)) {
			strbuf_addstr(&e, e.len ? "; " : "");
			strbuf_add(&e, p + 3, len - 3);
		}
		p += len + (nl ? 1 : 0);
	}
	if (!e.len)
		strbuf_addbuf(&e, out);
	strbuf_rtrim(&e);
	strbuf_addstr(err, e.buf);
	strbuf_release(&e);
}

static void tool_failed(struct strbuf *err, const char *what, int st, const struct strbuf *out)
{
	struct strbuf words = STRBUF_INIT;

	strbuf_addbuf(&words, out);
	strbuf_rtrim(&words);
	strbuf_addf(err, "%s failed", what);
	if (st < 0)
		strbuf_addf(err, ": %s", child_strerror(-st));
	else if (words.len)
		strbuf_addf(err, ": %s", words.buf);
	strbuf_release(&words);
}

int pkg_deb_info(const char *deb, struct pkg_list *l, struct strbuf *err)
{
	struct strbuf out = STRBUF_INIT, dir = STRBUF_INIT;
	char *argv[] = { "env", "LC_ALL=C", "dpkg-deb", "--show",
			 "--showformat=${Package}\\t${Version}\\t${Architecture}\\n", (char *)deb, NULL };
	int ret = -1;

	parent_dir(deb, &dir);
	int st = child_run_capture(argv, dir.buf, &out);
	char *tab1 = strchr(out.buf, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
	char *nl = tab2 ? strchr(tab2 + 1, '\n') : NULL;
	if (st || !nl || tab1 == out.buf || tab2 == tab1 + 1 || nl == tab2 + 1) {
		tool_failed(err, "dpkg-deb --show", st, &out);
		strbuf_addf(err, " (%s)", deb);
	} else {
		l->name = xstrndup(out.buf, (size_t)(tab1 - out.buf));
		l->version = xstrndup(tab1 + 1, (size_t)(tab2 - tab1 - 1));
		l->arch = xstrndup(tab2 + 1, (size_t)(nl - tab2 - 1));
		ret = 0;
	}
	strbuf_release(&out);
	strbuf_release(&dir);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves what src holds into dst (rel: the guest path of both). */
static int merge(struct strbuf *src, struct strbuf *dst, struct strbuf *rel, struct pkg_list *l,
		 struct strbuf *err)
{
	DIR *d = opendir(src->buf);
	struct dirent *de;
	int ret = 0;

	if (!d) {
		strbuf_addf(err, "%s: %s", src->buf, strerror(errno));
		return -1;
	}
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		size_t s = src->len, t = dst->len, r = rel->len;
		struct stat st, have;
		strbuf_addf(src, "/%s", de->d_name);
		strbuf_addf(dst, "/%s", de->d_name);
		strbuf_addf(rel, "/%s", de->d_name);
		if (lstat(src->buf, &st)) {
			strbuf_addf(err, "%s: %s", src->buf, strerror(errno));
			ret = -1;
		} else if (S_ISDIR(st.st_mode)) {
			/* a package's directory where another put a file or symlink: the directory wins */
			if (!lstat(dst->buf, &have) && !S_ISDIR(have.st_mode))
				unlink(dst->buf);
			/* writable for the packages that come later */
			if (mkdir(dst->buf, (st.st_mode & 07777) | 0700) && errno != EEXIST) {
				strbuf_addf(err, "%s: %s", dst->buf, strerror(errno));
				ret = -1;
			} else {
				ret = merge(src, dst, rel, l, err);
			}
		} else if (!lstat(dst->buf, &have) && S_ISDIR(have.st_mode)) {
			strbuf_addf(err, "%s: a directory of another package is in the way", rel->buf);
			ret = -1;
		} else if (rename(src->buf, dst->buf)) {
			strbuf_addf(err, "%s: %s", dst->buf, strerror(errno));
			ret = -1;
		} else if (!strchr(rel->buf, '\n')) {
			add_string(&l->files, &l->nfiles, rel->buf, rel->len);
		}
		src->len = s;
		src->buf[s] = '\0';
		dst->len = t;
		dst->buf[t] = '\0';
		rel->len = r;
		rel->buf[r] = '\0';
	}
	closedir(d);
	return ret;
}

int pkg_unpack(const char *deb, const char *root, const char *work, struct pkg_list *l, struct strbuf *err)
{
	struct strbuf out = STRBUF_INIT, src = STRBUF_INIT, dst = STRBUF_INIT, rel = STRBUF_INIT;
	struct strbuf scratch = STRBUF_INIT;
	char *argv[] = { "env", "LC_ALL=C", "dpkg-deb", "-x", (char *)deb, (char *)work, NULL };
	int ret = -1, r;

	fs_remove_tree(work);
	if ((r = fs_mkdirs(work)) || (r = fs_mkdirs(root))) {
		strbuf_addf(err, "%s: %s", r == 0 ? root : work, strerror(-r));
		goto out;
	}
	parent_dir(work, &scratch);
	int st = child_run_capture(argv, scratch.buf, &out);
	if (st) {
		tool_failed(err, "dpkg-deb -x", st, &out);
		strbuf_addf(err, " (%s)", deb);
		goto out;
	}
	strbuf_addstr(&src, work);
	strbuf_addstr(&dst, root);
	if (merge(&src, &dst, &rel, l, err))
		goto out;
	if (l->nfiles)
		qsort(l->files, l->nfiles, sizeof(char *), cmp_str);
	ret = 0;
out:
	fs_remove_tree(work);
	strbuf_release(&out);
	strbuf_release(&src);
	strbuf_release(&dst);
	strbuf_release(&rel);
	strbuf_release(&scratch);
	return ret;
}

int pkg_lock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX)) {
		if (errno == EINTR)
			continue;
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}
