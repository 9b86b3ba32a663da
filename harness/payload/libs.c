/* libs: a breadth-first walk over DT_NEEDED, each soname looked up in the
 * cache's root/ as ld.so would look it up in the guest. */
#include "payload/libs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "payload/apt.h"
#include "payload/debian.h"
#include "payload/elf.h"

#define MAX_SYMLINKS 40

/* Follows one symlink at probe: its target goes in front of rest. */
static int follow(const char *probe, off_t size_hint, struct strbuf *resolved, struct strbuf *rest)
{
	size_t size = size_hint > 0 ? (size_t)size_hint + 1 : 256;
	char *target = xmalloc(size);
	ssize_t n = readlink(probe, target, size);

	if (n < 0 || (size_t)n >= size) {
		int e = n < 0 ? -errno : -ENAMETOOLONG;
		free(target);
		return e;
	}
	if (target[0] == '/')
		strbuf_reset(resolved);
	struct strbuf next = STRBUF_INIT;
	strbuf_add(&next, target, (size_t)n);
	strbuf_addch(&next, '/');
	strbuf_addbuf(&next, rest);
	strbuf_release(rest);
	*rest = next;
	free(target);
	return 0;
}

int libs_path_in_root(const char *rootdir, const char *guest_path, struct strbuf *host)
{
	/* resolved: the guest path so far, "" or "/usr/lib"; rest: what is left */
	struct strbuf resolved = STRBUF_INIT, rest = STRBUF_INIT, probe = STRBUF_INIT;
	int hops = 0, ret = 0;

	strbuf_addstr(&rest, guest_path);
	while (rest.len && !ret) {
		size_t skip = strspn(rest.buf, "/");
		size_t len = strcspn(rest.buf + skip, "/");
		char *part = xstrndup(rest.buf + skip, len);
		struct stat st;

		strbuf_drop_front(&rest, skip + len);
		if (!*part || !strcmp(part, ".")) {
			/* nothing */
		} else if (!strcmp(part, "..")) {
			char *slash = strrchr(resolved.buf, '/');
			if (slash) {
				resolved.len = (size_t)(slash - resolved.buf);
				resolved.buf[resolved.len] = '\0';
			}
		} else {
			strbuf_reset(&probe);
			strbuf_addf(&probe, "%s%s/%s", rootdir, resolved.buf, part);
			if (lstat(probe.buf, &st))
				ret = -errno;
			else if (!S_ISLNK(st.st_mode))
				strbuf_addf(&resolved, "/%s", part);
			else if (++hops > MAX_SYMLINKS)
				ret = -ELOOP;
			else
				ret = follow(probe.buf, st.st_size, &resolved, &rest);
		}
		free(part);
	}
	if (!ret)
		strbuf_addf(host, "%s%s", rootdir, resolved.buf);
	strbuf_release(&resolved);
	strbuf_release(&rest);
	strbuf_release(&probe);
	return ret;
}

struct pending {
	char *soname;
	char *needed_by;
};

struct resolver {
	const char *state, *root, *arch, *origin;
	char *cache;               /* STATE/images/debian/ARCH/root */
	struct manifest *m;
	struct strbuf *err;
	struct pending *queue;     /* sonames to find, in the order met */
	size_t nqueue;
	const char *interp_name;   /* the interpreter's file name; NULL: none */
};

static int is_regular(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int is_arch_elf(const char *path, const char *arch)
{
	struct elf_info info;
	struct strbuf ignored = STRBUF_INIT;
	int ok = !elf_inspect(path, &info, &ignored) && elf_arch_matches(&info, arch);
	elf_info_release(&info);
	strbuf_release(&ignored);
	return ok;
}

/* Where the guest's ld.so would find soname: a file the manifest already
 * puts in one of its directories, else the first in the cache. */
static int lookup(struct resolver *r, const char *soname, struct strbuf *guest, struct strbuf *host)
{
	const char *triplet = apt_triplet(r->arch);
	struct strbuf dirs[4] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	int found = 0;

	strbuf_addf(&dirs[0], "/lib/%s", triplet);
	strbuf_addf(&dirs[1], "/usr/lib/%s", triplet);
	strbuf_addstr(&dirs[2], "/lib");
	strbuf_addstr(&dirs[3], "/usr/lib");
	for (int pass = 0; pass < 2 && !found; pass++) {
		for (int i = 0; i < 4 && !found; i++) {
			strbuf_reset(guest);
			strbuf_reset(host);
			strbuf_addf(guest, "%s/%s", dirs[i].buf, soname);
			if (!pass) {
				const struct manifest_entry *e = manifest_find(r->m, guest->buf);
				if (e && e->host && is_arch_elf(e->host, r->arch)) {
					strbuf_addstr(host, e->host);
					found = 1;
				}
			} else if (!libs_path_in_root(r->cache, guest->buf, host) && is_regular(host->buf) &&
				   is_arch_elf(host->buf, r->arch)) {
				found = 1;
			}
		}
	}
	for (int i = 0; i < 4; i++)
		strbuf_release(&dirs[i]);
	return found;
}

/* Fetches the package the host's dpkg says ships soname; why on failure. */
static int fetch_for(struct resolver *r, const char *soname, struct strbuf *why, char **pkg)
{
	*pkg = NULL;
	if (debian_package_for_soname(soname, r->arch, pkg, why))
		return -1;
	return debian_fetch(r->state, r->root, r->arch, pkg, 1, why);
}

static int add(struct resolver *r, const char *guest, const char *host)
{
	struct stat st;
	int e = stat(host, &st) ? -errno : manifest_add_file(r->m, guest, host, st.st_mode & 0777, r->origin);

	/* -EEXIST: the manifest has its own there (a package's symlink, a case's file) */
	if (e && e != -EEXIST) {
		strbuf_addf(r->err, "%s (from %s): %s", guest, host, strerror(-e));
		return -1;
	}
	return 0;
}

static void enqueue_needed(struct resolver *r, const char *host, const char *needed_by)
{
	struct elf_info info;
	struct strbuf ignored = STRBUF_INIT;

	if (!elf_inspect(host, &info, &ignored))
		for (size_t i = 0; i < info.nneeded; i++) {
			r->queue = xrealloc(r->queue, (r->nqueue + 1) * sizeof(*r->queue));
			r->queue[r->nqueue].soname = xstrdup(info.needed[i]);
			r->queue[r->nqueue++].needed_by = xstrdup(needed_by);
		}
	elf_info_release(&info);
	strbuf_release(&ignored);
}

static int resolve_library(struct resolver *r, const struct pending *p)
{
	struct strbuf guest = STRBUF_INIT, host = STRBUF_INIT, why = STRBUF_INIT;
	char *pkg = NULL;
	int ret = 0;

	if (!lookup(r, p->soname, &guest, &host)) {
		if (!fetch_for(r, p->soname, &why, &pkg) && !lookup(r, p->soname, &guest, &host))
			strbuf_addf(&why, "the %s package %s has no %s in /lib/%s, /usr/lib/%s, /lib or /usr/lib",
				    r->arch, pkg, p->soname, apt_triplet(r->arch), apt_triplet(r->arch));
		if (why.len) {
			strbuf_addf(r->err, "library %s (needed by %s) cannot be resolved: %s", p->soname,
				    p->needed_by, why.buf);
			ret = -1;
		}
	}
	if (!ret && !(ret = add(r, guest.buf, host.buf)))
		enqueue_needed(r, host.buf, guest.buf);
	free(pkg);
	strbuf_release(&guest);
	strbuf_release(&host);
	strbuf_release(&why);
	return ret;
}

static int resolve_interp(struct resolver *r, const char *interp, const char *program)
{
	struct strbuf host = STRBUF_INIT, why = STRBUF_INIT;
	const struct manifest_entry *e = manifest_find(r->m, interp);
	const char *base = strrchr(interp, '/') ? strrchr(interp, '/') + 1 : interp;
	char *pkg = NULL;
	int ret = 0;

	if (e && e->host)
		goto out;
	if (libs_path_in_root(r->cache, interp, &host) || !is_regular(host.buf)) {
		strbuf_reset(&host);
		if (!fetch_for(r, base, &why, &pkg) && (libs_path_in_root(r->cache, interp, &host) || !is_regular(host.buf)))
			strbuf_addf(&why, "the %s package %s does not have it", r->arch, pkg);
		if (why.len) {
			strbuf_addf(r->err, "the interpreter %s (of %s) cannot be resolved: %s", interp, program, why.buf);
			ret = -1;
			goto out;
		}
	}
	ret = add(r, interp, host.buf);
out:
	free(pkg);
	strbuf_release(&host);
	strbuf_release(&why);
	return ret;
}

int libs_resolve(const char *state, const char *root, const char *arch, const char *elf_path,
		 struct manifest *m, const char *origin, struct strbuf *err)
{
	struct resolver r = { state, root, arch, origin, NULL, m, err, NULL, 0, NULL };
	struct elf_info info;
	int ret = 0;

	if (elf_inspect(elf_path, &info, err))
		return -1;
	if (!info.is_elf || (!info.interp && !info.nneeded))
		goto out;
	if (!apt_triplet(arch) || !elf_arch_matches(&info, arch)) {
		strbuf_addf(err, "%s: ", elf_path);
		elf_arch_mismatch(&info, arch, err);
		ret = -1;
		goto out;
	}
	r.cache = debian_cache_root(state, arch);
	if (info.interp && resolve_interp(&r, info.interp, elf_path))
		ret = -1;
	/* libc names ld.so as needed: the loaded interpreter answers to it
	 * by its soname, no second copy is read */
	if (info.interp)
		r.interp_name = strrchr(info.interp, '/') ? strrchr(info.interp, '/') + 1 : info.interp;
	enqueue_needed(&r, elf_path, elf_path);
	char **done = NULL;
	size_t ndone = 0;
	for (size_t i = 0; i < r.nqueue && !ret; i++) {
		size_t k = 0;
		while (k < ndone && strcmp(done[k], r.queue[i].soname))
			k++;
		if (k < ndone || (r.interp_name && !strcmp(r.queue[i].soname, r.interp_name)))
			continue;
		done = xrealloc(done, (ndone + 1) * sizeof(char *));
		done[ndone++] = r.queue[i].soname;
		ret = resolve_library(&r, &r.queue[i]);
	}
	free(done);
	for (size_t i = 0; i < r.nqueue; i++) {
		free(r.queue[i].soname);
		free(r.queue[i].needed_by);
	}
	free(r.queue);
	free(r.cache);
out:
	elf_info_release(&info);
	return ret;
}
