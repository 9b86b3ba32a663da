/* snapshot: booted-guest states, made once and cached (see snapshot.h). */
#include "run/snapshot.h"
#include "lib/clock.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "payload/disks.h"
#include "proto/disks.h"
#include "proto/payload.h"
#include "target/arch.h"
#include "target/target.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bump when what a saved state depends on changes in ways the key misses
 * (the QEMU command line the backend builds, the agent protocol). */
#define SNAPSHOT_FORMAT 3
/* The boot that makes a snapshot, to the agent's ready. */
#define MAKE_TIMEOUT_MS 180000

void snapshot_key(const struct backend_ops *b, const struct vm_config *cfg, struct strbuf *key)
{
	strbuf_addf(key, "format %d\nbackend %s\narch %s\n", SNAPSHOT_FORMAT, b->name, cfg->target->arch);
	fs_add_program_identity(key, "qemu", qemu_binary(cfg->target->arch));
	strbuf_addf(key, "accel %s\n", b->accel ? b->accel() : "-");
	const struct arch_ops *a = arch_of(cfg->target->arch);
	strbuf_addf(key, "machine %s cpu %s tcg-cpu %s\n", a->machine, a->cpu ? a->cpu : "-",
		    a->cpu_tcg ? a->cpu_tcg : "-");
	fs_add_identity(key, "kernel", cfg->target->kernel);
	fs_add_identity(key, "initrd", cfg->initrd);
	strbuf_addf(key, "memory %llu\ncmdline %s\n", cfg->memory,
		    cfg->extra_cmdline && *cfg->extra_cmdline ? cfg->extra_cmdline : "-");
	/* a guest saved with a payload disk restores only with one */
	if (cfg->payload)
		strbuf_addf(key, "payload-disk %llu\n", PAYLOAD_DISK_SIZE);
	if (cfg->swap_disk)
		strbuf_addf(key, "swap-disk %llu\n", DISK_SWAP_SIZE);
	if (cfg->data_disk)
		strbuf_addf(key, "data-disk %llu\n", DISK_DATA_SIZE);
}

/* Reads what the two streams hold now into the buffers; 1 if the VM's
 * streams are at their end. */
static int drain(int fd, struct strbuf *into, int wait_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[65536];

	while (poll(&p, 1, wait_ms) > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return n == 0 || (errno != EAGAIN && errno != EINTR);
		strbuf_add(into, buf, (size_t)n);
		wait_ms = 0;
	}
	return 0;
}

/* An empty image NAME of `size` bytes in dir, for *cfg_path. 0 or -1. */
static int empty_disk(const struct strbuf *dir, const char *name, unsigned long long size, const char **cfg_path,
		      struct strbuf *path, struct strbuf *err)
{
	strbuf_addf(path, "%s/empty-%s.img", dir->buf, name);
	if (disks_make_empty(path->buf, size, err))
		return -1;
	*cfg_path = path->buf;
	return 0;
}

/* Boots, waits for the agent's ready record, saves. */
static int make(const struct backend_ops *b, const struct vm_config *cfg, const char *base,
		struct snapshot *s, struct strbuf *err)
{
	struct vm_config c = *cfg;
	struct strbuf bootdir = STRBUF_INIT, tmp = STRBUF_INIT;
	struct strbuf disks[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct vm *vm = NULL;
	double t0 = clock_now_s();
	int r = -1, ready = 0;

	strbuf_addf(&bootdir, "%s.boot", base);
	fs_mkdirs(bootdir.buf);
	c.run_dir = bootdir.buf;
	c.restore = NULL;
	/* booted with empty disks of the sizes every run's disks have; the
	 * guest probes them and never reads them */
	if ((cfg->payload && empty_disk(&bootdir, "payload", PAYLOAD_DISK_SIZE, &c.payload, &disks[0], err)) ||
	    (cfg->swap_disk && empty_disk(&bootdir, "swap", DISK_SWAP_SIZE, &c.swap_disk, &disks[1], err)) ||
	    (cfg->data_disk && empty_disk(&bootdir, "disk", DISK_DATA_SIZE, &c.data_disk, &disks[2], err)))
		goto out;
	if (b->start(&c, &vm, err))
		goto out;
	while (!ready) {
		int con_end = drain(b->console_fd(vm), &s->console, 20);
		int agent_end = drain(b->agent_fd(vm), &s->agent, 0);
		ready = !strncmp(s->agent.buf, "ready ", 6) && memchr(s->agent.buf, '\n', s->agent.len);
		if (!ready && (con_end || agent_end || b->wait(vm, 0))) {
			strbuf_addf(err, "the guest ended before its agent said ready (see %s/qemu.log)", bootdir.buf);
			goto out;
		}
		if (!ready && clock_now_s() - t0 > MAKE_TIMEOUT_MS / 1000.0) {
			strbuf_addf(err, "the agent did not say ready within %d s", MAKE_TIMEOUT_MS / 1000);
			goto out;
		}
	}
	strbuf_addf(&tmp, "%s.state.tmp.%d", base, (int)getpid());
	if (b->save(vm, tmp.buf, err)) {
		unlink(tmp.buf);
		goto out;
	}
	/* the guest is stopped: what it said before is all in the sockets */
	drain(b->console_fd(vm), &s->console, 50);
	drain(b->agent_fd(vm), &s->agent, 0);
	r = 0;
out:
	if (vm)
		b->destroy(vm);
	if (!r) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s.console", base);
		r |= fs_write_atomic(p.buf, s->console.buf, s->console.len);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.agent", base);
		r |= fs_write_atomic(p.buf, s->agent.buf, s->agent.len);
		/* the state last: its presence says the rest is there */
		if (!r && rename(tmp.buf, s->state))
			r = -errno;
		if (r) {
			strbuf_addf(err, "cannot write the snapshot %s: %s", s->state, strerror(-r));
			unlink(tmp.buf);
			r = -1;
		}
		strbuf_release(&p);
	}
	if (!r)
		s->made_seconds = clock_now_s() - t0;
	for (int i = 0; i < 3; i++) {
		if (disks[i].len)
			unlink(disks[i].buf);
		strbuf_release(&disks[i]);
	}
	strbuf_release(&bootdir);
	strbuf_release(&tmp);
	return r;
}

/* Whether a line of a .key that names a file (see add_file) still holds:
 * "WHAT PATH SIZE MTIME" or "WHAT PATH missing". Other lines hold. */
static int file_line_holds(const char *line, size_t len)
{
	static const char *const whats[] = { "qemu", "kernel", "initrd" };
	struct strbuf now = STRBUF_INIT, what = STRBUF_INIT, path = STRBUF_INIT;
	size_t skip = strcspn(line, " "), cut = len;
	int holds = 1, named = 0;

	for (size_t w = 0; w < sizeof(whats) / sizeof(whats[0]); w++)
		named |= skip == strlen(whats[w]) && !strncmp(line, whats[w], skip);
	/* "qemu PROG not found" depends on the PATH of whoever made it */
	if (!named || skip >= len || (len >= 10 && !memcmp(line + len - 10, " not found", 10)))
		return 1;
	if (len >= 8 && !memcmp(line + len - 8, " missing", 8))
		cut = len - 8;
	else
		for (int field = 0; field < 2 && cut; field++)
			while (cut && line[--cut] != ' ')
				;
	if (cut > skip + 1) {
		strbuf_add(&what, line, skip);
		strbuf_add(&path, line + skip + 1, cut - skip - 1);
		fs_add_identity(&now, what.buf, path.buf);
		holds = now.len == len + 1 && !memcmp(now.buf, line, len);
	}
	strbuf_release(&now);
	strbuf_release(&what);
	strbuf_release(&path);
	return holds;
}

/* Whether the snapshot at base can never be restored again: it has no key
 * (a key is written before the state is made), another format, or a
 * kernel, initramfs or QEMU binary that changed since it was made. One whose files are all as they
 * were may be another oomtest's (another accel, command line or QEMU on
 * its PATH), running now: it stays. */
static int stale(const char *base)
{
	struct strbuf key = STRBUF_INIT, p = STRBUF_INIT, format = STRBUF_INIT;
	int gone = 0;

	strbuf_addf(&p, "%s.key", base);
	strbuf_addf(&format, "format %d", SNAPSHOT_FORMAT);
	if (strbuf_read_file(&key, p.buf))
		gone = 1;
	for (size_t pos = 0; !gone && pos < key.len;) {
		const char *line = key.buf + pos, *nl = memchr(line, '\n', key.len - pos);
		size_t len = nl ? (size_t)(nl - line) : key.len - pos;
		if (!strncmp(line, "format ", 7))
			gone = len != format.len || memcmp(line, format.buf, len);
		else
			gone = !file_line_holds(line, len);
		pos += len + 1;
	}
	strbuf_release(&key);
	strbuf_release(&p);
	strbuf_release(&format);
	return gone;
}

/* Removes a snapshot's files (name: PREFIX + hash, in dir), the state
 * first (its presence says the rest is there), all but the lock. */
static void remove_snapshot(const char *dir, const char *name)
{
	DIR *d;
	struct dirent *e;
	size_t n = strlen(name);
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s.state", dir, name);
	unlink(p.buf);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, name, n) || e->d_name[n] != '.' || !strcmp(e->d_name + n + 1, "lock"))
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			/* a boot's logs: one level of files */
			DIR *sub = opendir(p.buf);
			struct dirent *f;
			struct strbuf q = STRBUF_INIT;
			while (sub && (f = readdir(sub))) {
				if (f->d_name[0] == '.')
					continue;
				strbuf_reset(&q);
				strbuf_addf(&q, "%s/%s", p.buf, f->d_name);
				unlink(q.buf);
			}
			if (sub)
				closedir(sub);
			strbuf_release(&q);
			rmdir(p.buf);
		} else {
			unlink(p.buf);
		}
	}
	if (d)
		closedir(d);
	strbuf_release(&p);
}

/* Removes the stale snapshots (see stale()) of the same target, memory and
 * image, each under its own lock, and skips one whose lock is held: it is
 * being made or looked at. Lock files stay: one unlinked while held would
 * let the next process lock a new file beside the holder. */
static void prune(const char *dir, const char *prefix, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = strlen(prefix), k = strlen(keep), len = n + 16;
	struct strbuf names = STRBUF_INIT, base = STRBUF_INIT, p = STRBUF_INIT;

	while (d && (e = readdir(d))) {
		/* PREFIX + 16 hex digits + '.': another image's snapshots (the
		 * shell's "PREFIX" "initramfs-shell-...") are not ours to remove */
		if (strncmp(e->d_name, prefix, n) || !strncmp(e->d_name, keep, k) ||
		    strspn(e->d_name + n, "0123456789abcdef") != 16 || e->d_name[len] != '.' ||
		    !strcmp(e->d_name + len + 1, "lock"))
			continue;
		size_t seen = 0;
		while (seen < names.len && memcmp(names.buf + seen, e->d_name, len))
			seen += len;
		if (seen == names.len)
			strbuf_add(&names, e->d_name, len);
	}
	if (d)
		closedir(d);
	for (size_t at = 0; at < names.len; at += len) {
		char *name = xstrndup(names.buf + at, len);
		strbuf_reset(&base);
		strbuf_addf(&base, "%s/%s", dir, name);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.lock", base.buf);
		int lock = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (lock >= 0 && !flock(lock, LOCK_EX | LOCK_NB) && stale(base.buf))
			remove_snapshot(dir, name);
		if (lock >= 0)
			close(lock);
		free(name);
	}
	strbuf_release(&names);
	strbuf_release(&base);
	strbuf_release(&p);
}

int snapshot_get(const struct backend_ops *b, const struct vm_config *cfg, const char *dir,
		 struct snapshot *s, struct strbuf *err)
{
	struct strbuf key = STRBUF_INIT, base = STRBUF_INIT, p = STRBUF_INIT, prefix = STRBUF_INIT;
	int lock = -1, r = -1;

	memset(s, 0, sizeof(*s));
	strbuf_init(&s->console);
	strbuf_init(&s->agent);
	if (!b->save) {
		strbuf_addf(err, "the %s backend cannot save a guest", b->name);
		goto out;
	}
	snapshot_key(b, cfg, &key);
	strbuf_addf(&prefix, "%s-%lluM-", cfg->target->name, cfg->memory >> 20);
	{
		/* an image other than the runs' (the shell's) is named in the prefix */
		const char *img = strrchr(cfg->initrd, '/');
		img = img ? img + 1 : cfg->initrd;
		if (strcmp(img, "initramfs.cpio"))
			strbuf_addf(&prefix, "%.*s-", (int)strcspn(img, "."), img);
	}
	strbuf_addf(&base, "%s/%s%016llx", dir, prefix.buf, (unsigned long long)hash_fnv1a(key.buf, key.len));
	if ((r = fs_mkdirs(dir))) {
		strbuf_addf(err, "cannot create %s: %s", dir, strerror(-r));
		r = -1;
		goto out;
	}
	strbuf_addf(&p, "%s.lock", base.buf);
	lock = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0 || flock(lock, LOCK_EX)) {
		strbuf_addf(err, "cannot lock %s: %s", p.buf, strerror(errno));
		r = -1;
		goto out;
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s.state", base.buf);
	s->state = strbuf_detach(&p);
	if (!access(s->state, R_OK)) {
		strbuf_addf(&p, "%s.console", base.buf);
		r = strbuf_read_file(&s->console, p.buf);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.agent", base.buf);
		if (!r)
			r = strbuf_read_file(&s->agent, p.buf);
		if (!r)
			goto out;
		/* half there: make it again */
		strbuf_reset(&s->console);
		strbuf_reset(&s->agent);
	}
	{
		const char *slash = strrchr(base.buf, '/');
		prune(dir, prefix.buf, slash + 1);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s.key", base.buf);
	fs_write_atomic(p.buf, key.buf, key.len);
	r = make(b, cfg, base.buf, s, err);
out:
	if (lock >= 0)
		close(lock);	/* drops the lock */
	strbuf_release(&key);
	strbuf_release(&base);
	strbuf_release(&p);
	strbuf_release(&prefix);
	return r;
}

void snapshot_drop(struct snapshot *s)
{
	if (s->state)
		unlink(s->state);
}

void snapshot_release(struct snapshot *s)
{
	free(s->state);
	strbuf_release(&s->console);
	strbuf_release(&s->agent);
	memset(s, 0, sizeof(*s));
}
