/* kernel_build: configuring and building a kernel for oomtest. */
#include "target/kernel_build.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/fs.h"
#include "payload/kbuild.h"
#include "target/kconfig_file.h"
#include "target/toolchain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a Linux user space (a static agent, busybox, stress-ng) and the
 * kernel's own OOM reporting need that `make tinyconfig` leaves out; oomtest
 * kconfig's fragment adds what the harness and the cases need on top. */
static const char *const tiny_userland[] = {
	"CONFIG_BASE_FULL=y", "CONFIG_MULTIUSER=y", "CONFIG_FUTEX=y", "CONFIG_EPOLL=y",
	"CONFIG_SIGNALFD=y", "CONFIG_TIMERFD=y", "CONFIG_EVENTFD=y", "CONFIG_POSIX_TIMERS=y",
	"CONFIG_FILE_LOCKING=y", "CONFIG_PROC_SYSCTL=y", "CONFIG_INOTIFY_USER=y", "CONFIG_FHANDLE=y",
	"CONFIG_ADVISE_SYSCALLS=y", "CONFIG_HIGH_RES_TIMERS=y", "CONFIG_UNIX98_PTYS=y",
	"CONFIG_KALLSYMS=y", "CONFIG_BUG=y", "CONFIG_VM_EVENT_COUNTERS=y", "CONFIG_COMPACTION=y",
	/* kernel memory is charged to memory cgroups only without SLOB */
	"CONFIG_SLUB=y", "CONFIG_PSI=y",
	/* without it a kernel thread's stack is an order-2 block: kthreadd
	 * then calls the OOM killer before the cases' own allocations do */
	"CONFIG_VMAP_STACK=y",
	/* the DMA zone Debian's kernels have: the cases name its free lists */
	"CONFIG_ZONE_DMA=y",
	/* no PS/2 keyboard: its probe holds a kworker for a second under TCG
	 * after boot, which leaves the pool one idle worker; any work queued
	 * during a case's OOM then makes kthreadd fork, and kthreadd meets
	 * the OOM killer before the case's own task does */
	"# CONFIG_INPUT_KEYBOARD is not set", "# CONFIG_INPUT_MOUSE is not set",
	"# CONFIG_SERIO is not set",
};
/* the PCI host bridge of QEMU's virt board, where the virtio devices are */
static const char *const tiny_arm64[] = { "CONFIG_PCI_HOST_GENERIC=y" };

int kernel_build_base_known(const char *base)
{
	return !strcmp(base, "tinyconfig") || !strcmp(base, "defconfig");
}

void kernel_build_base_fragment(const char *base, const struct arch_ops *a, struct strbuf *out)
{
	strbuf_addf(out, "# oomtest build-kernel: what a user space needs beyond %s\n", base);
	if (!strcmp(a->name, "x86_64"))
		strbuf_addstr(out, "CONFIG_64BIT=y\n");
	if (strcmp(base, "tinyconfig"))
		return;
	for (size_t i = 0; i < sizeof(tiny_userland) / sizeof(tiny_userland[0]); i++)
		strbuf_addf(out, "%s\n", tiny_userland[i]);
	if (!strcmp(a->name, "arm64"))
		for (size_t i = 0; i < sizeof(tiny_arm64) / sizeof(tiny_arm64[0]); i++)
			strbuf_addf(out, "%s\n", tiny_arm64[i]);
}

/* The kernel's name for the arch's source directory. */
static const char *srcarch(const struct arch_ops *a)
{
	return a->kernel == ARCH_KERNEL_X86 ? "x86" : a->name;
}

static int has_line_starting(const char *path, const char *prefix)
{
	struct strbuf text = STRBUF_INIT;
	int found = 0;

	if (!strbuf_read_file(&text, path))
		for (const char *l = text.buf; l && *l && !found; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
			found = !strncmp(l, prefix, strlen(prefix));
	strbuf_release(&text);
	return found;
}

int kernel_build_check_source(const char *src, const struct arch_ops *a, struct strbuf *err)
{
	struct strbuf p = STRBUF_INIT;
	const char *missing = NULL;
	struct stat st;

	if (stat(src, &st) || !S_ISDIR(st.st_mode)) {
		strbuf_addf(err, "%s: not a directory", src);
		strbuf_release(&p);
		return -1;
	}
	strbuf_addf(&p, "%s/Makefile", src);
	if (!has_line_starting(p.buf, "VERSION =") || !has_line_starting(p.buf, "PATCHLEVEL ="))
		missing = "a top Makefile with VERSION and PATCHLEVEL";
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/Kconfig", src);
	if (!missing && access(p.buf, F_OK))
		missing = "Kconfig";
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/scripts/kconfig/merge_config.sh", src);
	if (!missing && access(p.buf, X_OK))
		missing = "scripts/kconfig/merge_config.sh";
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/arch/%s/Kconfig", src, srcarch(a));
	if (!missing && access(p.buf, F_OK)) {
		strbuf_addf(err, "%s: not a kernel source tree for %s (no arch/%s/Kconfig)", src, a->name, srcarch(a));
		strbuf_release(&p);
		return -1;
	}
	if (missing)
		strbuf_addf(err, "%s: not a kernel source tree (no %s)", src, missing);
	strbuf_release(&p);
	return missing ? -1 : 0;
}

struct step_ctx {
	const struct kernel_build_opts *o;
	struct strbuf log;         /* OUT/build.log */
	struct strbuf arch_var, cross_var, src_abs, out_abs;
};

/* Runs argv with its output appended to the log; 0, or -1 with err naming
 * the step and the log's first error. */
static int step(struct step_ctx *c, const char *what, char **argv, struct strbuf *err)
{
	int fd = open(c->log.buf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	struct strbuf text = STRBUF_INIT;
	int st;

	if (fd < 0) {
		strbuf_addf(err, "%s: %s", c->log.buf, strerror(errno));
		return -1;
	}
	dprintf(fd, "### %s\n", what);
	if (c->o->progress)
		fprintf(c->o->progress, "oomtest: %s\n", what);
	st = child_run(argv, fd);
	close(fd);
	if (st == 0)
		return 0;
	strbuf_addf(err, "%s failed: ", what);
	if (st < 0) {
		strbuf_addstr(err, child_strerror(-st));
	} else {
		strbuf_read_file(&text, c->log.buf);
		const char *last = text.buf;
		for (const char *m = strstr(text.buf, "### "); m; m = strstr(m + 1, "\n### "))
			last = m;
		kbuild_first_error(last, strlen(last), c->out_abs.buf, err);
	}
	strbuf_addf(err, " (log: %s)", c->log.buf);
	strbuf_release(&text);
	return -1;
}

static int make_target(struct step_ctx *c, const char *what, const char *const *targets, size_t n,
		       struct strbuf *err)
{
	struct strbuf odir = STRBUF_INIT, jobs = STRBUF_INIT;
	char **argv = xcalloc(8 + n, sizeof(char *));
	size_t k = 0;
	int r;

	strbuf_addf(&odir, "O=%s", c->out_abs.buf);
	strbuf_addf(&jobs, "-j%d", c->o->jobs > 0 ? c->o->jobs : 1);
	argv[k++] = "make";
	argv[k++] = "-C";
	argv[k++] = c->src_abs.buf;
	argv[k++] = odir.buf;
	argv[k++] = c->arch_var.buf;
	if (c->cross_var.len)
		argv[k++] = c->cross_var.buf;
	argv[k++] = jobs.buf;
	for (size_t i = 0; i < n; i++)
		argv[k++] = (char *)targets[i];
	argv[k] = NULL;
	r = step(c, what, argv, err);
	free(argv);
	strbuf_release(&odir);
	strbuf_release(&jobs);
	return r;
}

/* CONFIG_X=V or "# CONFIG_X is not set" lines of a fragment that the final
 * config does not have as asked: appended to bad, "CONFIG_X=V (final: W)". */
static void not_taken(const char *fragment, const struct kconfig_file *final, struct strbuf *bad)
{
	for (const char *l = fragment; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t len = strcspn(l, "\n");
		struct strbuf name = STRBUF_INIT, want = STRBUF_INIT;

		if (!strncmp(l, "CONFIG_", 7) && memchr(l, '=', len)) {
			const char *eq = memchr(l, '=', len);
			strbuf_add(&name, l, (size_t)(eq - l));
			strbuf_add(&want, eq + 1, len - (size_t)(eq - l) - 1);
		} else if (!strncmp(l, "# CONFIG_", 9) && len > 13 && !strncmp(l + len - 11, " is not set", 11)) {
			strbuf_add(&name, l + 2, len - 13);
			strbuf_addstr(&want, "n");
		}
		if (name.len) {
			const char *have = kconfig_file_get(final, name.buf);
			const char *got = have ? have : "n";
			if (strcmp(got, want.buf))
				strbuf_addf(bad, "%s  %s=%s (final: %s)", bad->len ? "\n" : "", name.buf, want.buf,
					    have ? have : "not set");
		}
		strbuf_release(&name);
		strbuf_release(&want);
	}
}

static int write_text(const char *dir, const char *name, const char *text, struct strbuf *path,
		      struct strbuf *err)
{
	strbuf_reset(path);
	strbuf_addf(path, "%s/%s", dir, name);
	int r = fs_write_atomic(path->buf, text, strlen(text));
	if (r)
		strbuf_addf(err, "%s: %s", path->buf, strerror(-r));
	return r ? -1 : 0;
}

static int configure(struct step_ctx *c, struct strbuf *err)
{
	const struct kernel_build_opts *o = c->o;
	struct strbuf base = STRBUF_INIT, basefile = STRBUF_INIT, ours = STRBUF_INIT, user = STRBUF_INIT,
		      script = STRBUF_INIT, config = STRBUF_INIT, bad = STRBUF_INIT, what = STRBUF_INIT;
	struct kconfig_file final = { 0 };
	const char *base_target[] = { o->base };
	const char *olddef[] = { "olddefconfig" };
	char **argv = NULL;
	int ret = -1;

	kernel_build_base_fragment(o->base, o->arch, &base);
	if (write_text(c->out_abs.buf, "oomtest-base.config", base.buf, &basefile, err) ||
	    write_text(c->out_abs.buf, "oomtest.config", o->oomtest_fragment, &ours, err))
		goto out;
	for (size_t i = 0; i < o->nfragments; i++) {
		if (strbuf_read_file(&user, o->fragments[i])) {
			strbuf_addf(err, "%s: %s", o->fragments[i], strerror(errno ? errno : ENOENT));
			goto out;
		}
		strbuf_addch(&user, '\n');
	}
	strbuf_addf(&what, "make %s (ARCH=%s)", o->base, o->arch->name);
	if (make_target(c, what.buf, base_target, 1, err))
		goto out;
	/* merge_config.sh makes its temporary files in the directory it runs in */
	strbuf_addf(&script, "%s/scripts/kconfig/merge_config.sh", c->src_abs.buf);
	strbuf_addf(&config, "%s/.config", c->out_abs.buf);
	argv = xcalloc(9 + o->nfragments, sizeof(char *));
	size_t k = 0;
	argv[k++] = "env";
	argv[k++] = "-C";
	argv[k++] = c->out_abs.buf;
	argv[k++] = script.buf;
	argv[k++] = "-m";
	argv[k++] = config.buf;
	argv[k++] = basefile.buf;
	argv[k++] = ours.buf;
	for (size_t i = 0; i < o->nfragments; i++)
		argv[k++] = o->fragments[i];
	argv[k] = NULL;
	if (step(c, "merge_config.sh: the base, oomtest's fragment and yours", argv, err) ||
	    make_target(c, "make olddefconfig", olddef, 1, err))
		goto out;
	struct strbuf path = STRBUF_INIT;
	int r = kconfig_file_load(&final, c->out_abs.buf, &path, err);
	strbuf_release(&path);
	if (r)
		goto out;
	not_taken(user.buf, &final, &bad);
	if (bad.len) {
		strbuf_addf(err, "kconfig did not take these options of yours (unknown, or what they depend on "
				 "is not set; see %s):\n%s", c->log.buf, bad.buf);
		goto out;
	}
	if (o->progress) {
		not_taken(o->oomtest_fragment, &final, &bad);
		if (bad.len)
			fprintf(o->progress, "oomtest: options of oomtest's fragment this kernel does not have "
					     "(oomtest kconfig --kdir %s says what they are for):\n%s\n",
				c->out_abs.buf, bad.buf);
	}
	ret = 0;
out:
	free(argv);
	kconfig_file_release(&final);
	strbuf_release(&base);
	strbuf_release(&basefile);
	strbuf_release(&ours);
	strbuf_release(&user);
	strbuf_release(&script);
	strbuf_release(&config);
	strbuf_release(&bad);
	strbuf_release(&what);
	return ret;
}

int kernel_build(const struct kernel_build_opts *o, struct kernel_built *res, struct strbuf *err)
{
	struct step_ctx c = { .o = o };
	struct strbuf stamp = STRBUF_INIT, image_target = STRBUF_INIT, text = STRBUF_INIT, rel = STRBUF_INIT;
	double start = clock_now_s();
	char *real;
	int ret = -1, r;

	memset(res, 0, sizeof(*res));
	strbuf_init(&res->image);
	strbuf_init(&res->kdir);
	strbuf_init(&res->release);
	strbuf_init(&c.log);
	strbuf_init(&c.arch_var);
	strbuf_init(&c.cross_var);
	strbuf_init(&c.src_abs);
	strbuf_init(&c.out_abs);
	if (kernel_build_check_source(o->src, o->arch, err))
		goto out;
	if ((r = fs_mkdirs(o->out))) {
		strbuf_addf(err, "%s: %s", o->out, strerror(-r));
		goto out;
	}
	real = realpath(o->src, NULL);
	strbuf_addstr(&c.src_abs, real ? real : o->src);
	free(real);
	real = realpath(o->out, NULL);
	strbuf_addstr(&c.out_abs, real ? real : o->out);
	free(real);
	strbuf_addf(&stamp, "%s/" KERNEL_BUILT_STAMP, c.out_abs.buf);
	unlink(stamp.buf);
	strbuf_addf(&c.log, "%s/build.log", c.out_abs.buf);
	unlink(c.log.buf);
	strbuf_addf(&c.arch_var, "ARCH=%s", o->arch->name);
	/* the cross compiler, and the check that it is there, as for a module */
	struct toolchain tc;
	if (toolchain_for(&tc, c.out_abs.buf, o->arch, arch_host_machine(), err)) {
		toolchain_release(&tc);
		goto out;
	}
	for (size_t i = 0; i < tc.n; i++)
		if (!strncmp(tc.vars[i].buf, "CROSS_COMPILE=", 14))
			strbuf_addbuf(&c.cross_var, &tc.vars[i]);
	toolchain_release(&tc);
	if (configure(&c, err))
		goto out;
	/* the image make builds is the one a kdir's image is looked for as */
	strbuf_addstr(&image_target, strrchr(o->arch->kdir_image, '/') + 1);
	const char *targets[] = { image_target.buf, "modules" };
	if (make_target(&c, "make: the image and the modules", targets, 2, err))
		goto out;
	strbuf_addf(&res->image, "%s/%s", c.out_abs.buf, o->arch->kdir_image);
	strbuf_reset(&text);
	strbuf_addf(&text, "%s/include/config/kernel.release", c.out_abs.buf);
	if (access(res->image.buf, F_OK) || strbuf_read_file(&rel, text.buf)) {
		strbuf_addf(err, "the build made no %s (log: %s)", res->image.buf, c.log.buf);
		goto out;
	}
	strbuf_rtrim(&rel);
	strbuf_addbuf(&res->release, &rel);
	strbuf_addbuf(&res->kdir, &c.out_abs);
	res->seconds = clock_now_s() - start;
	strbuf_reset(&text);
	strbuf_addf(&text, "arch %s\nrelease %s\nimage %s\nkdir %s\nsource %s\nbase %s\nseconds %.0f\n",
		    o->arch->name, rel.buf, res->image.buf, c.out_abs.buf, c.src_abs.buf, o->base, res->seconds);
	if ((r = fs_write_atomic(stamp.buf, text.buf, text.len))) {
		strbuf_addf(err, "%s: %s", stamp.buf, strerror(-r));
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&stamp);
	strbuf_release(&image_target);
	strbuf_release(&text);
	strbuf_release(&rel);
	strbuf_release(&c.log);
	strbuf_release(&c.arch_var);
	strbuf_release(&c.cross_var);
	strbuf_release(&c.src_abs);
	strbuf_release(&c.out_abs);
	return ret;
}

void kernel_built_release(struct kernel_built *res)
{
	strbuf_release(&res->image);
	strbuf_release(&res->kdir);
	strbuf_release(&res->release);
}
