/* lava_job: the lava-job command (see lava_job.h). */
#include "cmd/lava_job.h"
#include "case/casefile.h"
#include "case/needs.h"
#include "cmd/common.h"
#include "cmd/run_jobs.h"
#include "lava/lava_board.h"
#include "lava/lava_job.h"
#include "lava/lava_run.h"
#include "lava/lava_spec.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "payload/manifest.h"
#include "payload/payload.h"
#include "run/runner.h"
#include "target/arch.h"
#include "target/kimage.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct lj_args {
	struct target_choice tc;
	const char *out, *url, *device_type, *dtb;
	const struct lava_board *board;  /* NULL: device type qemu */
};

/* What each run became. */
struct lj_run {
	struct strbuf rel;     /* CASE[VARIANT]/TARGET under DIR */
	struct strbuf skip;    /* why it is no job; empty: it is one */
};

struct lj_ctx {
	const struct lj_args *a;
	const char *root;
	char *abs_out;         /* DIR, absolute */
	struct strbuf tmp;     /* DIR/.tmp-XXXXXX */
	int kvm_host;          /* /dev/kvm is there */
};

static void usage(FILE *out)
{
	struct strbuf boards = STRBUF_INIT;

	lava_board_names(&boards);
	fprintf(out,
		"usage: oomtest lava-job CASE|DIR... -o DIR [-t TARGET]... [--url BASE]\n"
		"                        [--device-type TYPE [--dtb FILE]]\n"
		"                        [--kernel IMAGE --kdir DIR --arch ARCH]\n"
		"\n"
		"Writes each run of the cases (case x target x variant, as oomtest run has\n"
		"them) as a LAVA job, in DIR/CASE/TARGET (CASE[VARIANT]/TARGET for a variant):\n"
		"job.yaml, the kernel, the target's initramfs with the run's plan baked in\n"
		"(initrd.cpio) and plan.txt, which holds the run's key: the judge needs it.\n"
		"For device type qemu also device.yaml and DIR/dispatcher.yaml, to run a job\n"
		"with this host's dispatcher:\n"
		"  lava-run --job-id 1 --output-dir OUT --device DIR/RUN/device.yaml \\\n"
		"           --dispatcher DIR/dispatcher.yaml DIR/RUN/job.yaml\n"
		"A run that needs a disk (the case's files, swap, a data disk) is no job:\n"
		"it is listed at the end with the reason.\n"
		"\n"
		"  -o, --output DIR      where the jobs go (made if missing; a run's directory\n"
		"                        there is replaced)\n"
		"  -t, --target NAME     this target only (repeatable; default: every target)\n"
		"  --url BASE            the files' URLs are BASE/CASE/TARGET/FILE, for a lab\n"
		"                        that serves DIR over HTTP (default: file:// paths in DIR)\n"
		"  --device-type TYPE    qemu (default), or a board: %s\n"
		"                        (arm64 targets only; deployed over TFTP, booted by\n"
		"                        U-Boot; the initramfs is initrd.cpio.uboot)\n"
		"  --dtb FILE            the board's device tree (required for a board)\n"
		"  --kernel IMAGE --kdir DIR --arch ARCH\n"
		"                        your own kernel, as for oomtest run\n"
		"  --help                this text\n"
		"\n"
		"Exit status: 0 at least one job written; 1 a file could not be written\n"
		"(nothing is put in DIR then); 2 on usage or case errors, or when no run\n"
		"could be a job.\n",
		boards.buf);
	strbuf_release(&boards);
}

/* 0 to go on, 1 after --help, -1 on a usage error (said). */
static int parse_options(struct lj_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "target", required_argument, NULL, 't' },
		{ "url", required_argument, NULL, 'u' },
		{ "device-type", required_argument, NULL, 'D' },
		{ "dtb", required_argument, NULL, 'b' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "kdir", required_argument, NULL, 'd' },
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 't':
			a->tc.want = xrealloc(a->tc.want, (a->tc.nwant + 1) * sizeof(char *));
			a->tc.want[a->tc.nwant++] = optarg;
			break;
		case 'u': a->url = optarg; break;
		case 'D': a->device_type = optarg; break;
		case 'b': a->dtb = optarg; break;
		case 'k': a->tc.kernel = optarg; break;
		case 'd': a->tc.kdir = optarg; break;
		case 'a': a->tc.arch = optarg; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -1;
		}
	}
	if (a->device_type && strcmp(a->device_type, "qemu") && !(a->board = lava_board_find(a->device_type))) {
		struct strbuf names = STRBUF_INIT;
		lava_board_names(&names);
		fprintf(stderr, "oomtest lava-job: --device-type %s: qemu or a board oomtest knows (%s)\n",
			a->device_type, names.buf);
		strbuf_release(&names);
		return -1;
	}
	if (a->board && !a->dtb) {
		fprintf(stderr, "oomtest lava-job: --device-type %s needs the board's device tree: --dtb FILE\n",
			a->device_type);
		return -1;
	}
	if (!a->board && a->dtb) {
		fprintf(stderr, "oomtest lava-job: --dtb is for a board's --device-type\n");
		return -1;
	}
	if (a->dtb && access(a->dtb, R_OK)) {
		fprintf(stderr, "oomtest lava-job: --dtb %s: %s\n", a->dtb, strerror(errno));
		return -1;
	}
	if (a->url && strncmp(a->url, "http://", 7) && strncmp(a->url, "https://", 8)) {
		fprintf(stderr, "oomtest lava-job: --url %s: an http:// or https:// URL\n", a->url);
		return -1;
	}
	if (!a->out) {
		fprintf(stderr, "oomtest lava-job: where do the jobs go? -o DIR\n");
		return -1;
	}
	if (optind >= argc) {
		fprintf(stderr, "oomtest lava-job: no case given\n");
		return -1;
	}
	return 0;
}

/* A run's file as LAVA fetches it: BASE/RUN/FILE (RUN's bytes outside a
 * URL path's plain characters %-escaped), else file://DIR/RUN/FILE. */
static int file_url(const struct lj_ctx *x, const char *rel, const char *file, struct strbuf *url,
		    struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int r = 0;

	if (x->a->url) {
		size_t n = strlen(x->a->url);
		while (n && x->a->url[n - 1] == '/')
			n--;
		strbuf_add(url, x->a->url, n);
		strbuf_addch(url, '/');
		for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
			if (isalnum(*p) || strchr("-._~/=,+:@", *p))
				strbuf_addch(url, (char)*p);
			else
				strbuf_addf(url, "%%%02X", *p);
		strbuf_addf(url, "/%s", file);
	} else {
		strbuf_addf(&path, "%s/%s/%s", x->abs_out, rel, file);
		r = lava_job_file_url(path.buf, url, err);
	}
	strbuf_release(&path);
	return r;
}

/* dst as a hard link to src, else a copy. 0, or -1 with err. */
static int link_or_copy(const char *src, const char *dst, struct strbuf *err)
{
	struct strbuf data = STRBUF_INIT;
	int r;

	if (!link(src, dst))
		return 0;
	r = strbuf_read_file(&data, src);
	if (!r)
		r = fs_write_atomic(dst, data.buf, data.len);
	if (r)
		strbuf_addf(err, "%s -> %s: %s", src, dst, strerror(-r));
	strbuf_release(&data);
	return r ? -1 : 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "gz" for a gzip'd kernel (a board's U-Boot boots the Image in it). */
static const char *kernel_compression(const char *kernel)
{
	struct kimage k = { 0 };
	struct strbuf err = STRBUF_INIT;
	const char *r;

	kimage_check(kernel, arch_of("arm64"), &k, &err);
	r = k.kind == KIMAGE_GZIP ? "gz" : NULL;
	strbuf_release(&err);
	return r;
}

static int write_text(const char *dir, const char *name, const struct strbuf *text, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int r;

	strbuf_addf(&path, "%s/%s", dir, name);
	r = fs_write_atomic(path.buf, text->buf, text->len);
	if (r)
		strbuf_addf(err, "%s: %s", path.buf, strerror(-r));
	strbuf_release(&path);
	return r ? -1 : 0;
}

/* The job's YAML (and a QEMU job's device) from its spec. */
static int write_yaml(const struct lj_ctx *x, struct lava_spec *spec, const struct vm_config *cfg,
		      const char *rel, const char *dir, struct strbuf *err)
{
	struct strbuf job = STRBUF_INIT, device = STRBUF_INIT, dtb_url = STRBUF_INIT;
	int r = -1;

	if (x->a->board) {
		struct lava_board_job b = { &spec->job, x->a->board, NULL, kernel_compression(cfg->target->kernel) };

		strbuf_reset(&spec->cmdline);
		lava_spec_board_cmdline(cfg, &spec->cmdline);
		/* the board has its own RAM: the kernel is given the case's */
		strbuf_addf(&spec->cmdline, " mem=%lluM", cfg->memory >> 20);
		spec->job.cmdline = spec->cmdline.buf;
		if (file_url(x, rel, base_name(x->a->dtb), &dtb_url, err))
			goto out;
		b.dtb_url = dtb_url.buf;
		if (lava_board_write_job(&b, &job, err))
			goto out;
	} else if (lava_job_write(&spec->job, &job, err) || lava_job_write_device(&spec->job, &device, err) ||
		   write_text(dir, "device.yaml", &device, err)) {
		goto out;
	}
	r = write_text(dir, "job.yaml", &job, err);
out:
	strbuf_release(&job);
	strbuf_release(&device);
	strbuf_release(&dtb_url);
	return r;
}

/* One run's files in tmp/rel. 0, or -1 with err. */
static int write_run(const struct lj_ctx *x, const struct oomcase *c, const struct target *t,
		     const char *initrd, const char *rel, struct strbuf *err)
{
	struct target booted = target_for_memory(t, c->memory);
	struct strbuf dir = STRBUF_INIT, plan = STRBUF_INIT, path = STRBUF_INIT, name = STRBUF_INIT,
		      kernel_url = STRBUF_INIT, initrd_url = STRBUF_INIT;
	const char *initrd_file = x->a->board ? "initrd.cpio.uboot" : "initrd.cpio";
	unsigned char key[SIPHASH_KEY_BYTES];
	struct lava_spec spec;
	int r = -1, m;

	strbuf_addf(&dir, "%s/%s", x->tmp.buf, rel);
	if ((m = fs_mkdirs(dir.buf))) {
		strbuf_addf(err, "%s: %s", dir.buf, strerror(-m));
		goto out;
	}
	strbuf_addf(&path, "%s/initrd.cpio", dir.buf);
	if (runner_plan(c, 0, 0, 0, &plan, err) || runner_bake(dir.buf, initrd, &plan, key, path.buf, err))
		goto out;
	if (x->a->board) {
		struct strbuf wrapped = STRBUF_INIT;
		strbuf_addf(&wrapped, "%s/%s", dir.buf, initrd_file);
		m = lava_board_wrap_ramdisk(x->a->board, path.buf, "oomtest initramfs", wrapped.buf, err);
		unlink(path.buf);
		strbuf_release(&wrapped);
		if (m)
			goto out;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, base_name(x->a->dtb));
		if (link_or_copy(x->a->dtb, path.buf, err))
			goto out;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", dir.buf, base_name(booted.kernel));
	if (link_or_copy(booted.kernel, path.buf, err))
		goto out;
	if (file_url(x, rel, base_name(booted.kernel), &kernel_url, err) ||
	    file_url(x, rel, initrd_file, &initrd_url, err))
		goto out;

	struct vm_config cfg = {
		.target = &booted, .memory = c->memory, .extra_cmdline = c->cmdline,
		.single_console = 1, .timeout_ms = c->timeout_ms,
	};
	int kvm = x->kvm_host && arch_is_native(arch_of(t->arch), arch_host_machine());
	strbuf_addf(&name, "oomtest ");
	run_name(&name, c, 0);
	strbuf_addf(&name, "/%s", t->name);
	if (lava_spec_init(&spec, &cfg, name.buf, kernel_url.buf, initrd_url.buf, kvm, false, err))
		goto out;
	r = write_yaml(x, &spec, &cfg, rel, dir.buf, err);
	lava_spec_release(&spec);
out:
	strbuf_release(&dir);
	strbuf_release(&plan);
	strbuf_release(&path);
	strbuf_release(&name);
	strbuf_release(&kernel_url);
	strbuf_release(&initrd_url);
	return r;
}

/* Why a run cannot be a job (in why), or 0 when it can. */
static int no_job(const struct lj_ctx *x, const struct oomcase *c, const struct target *t,
		  const struct prepared *prep, struct strbuf *why)
{
	struct manifest m = MANIFEST_INIT;
	int r = 1;

	if (x->a->board && arch_of(t->arch) != arch_of(x->a->board->arch))
		strbuf_addf(why, "%s is an %s board", x->a->board->device_type, x->a->board->arch);
	/* the lab's memory is not this host's: no memory:SIZE need skips */
	else if (run_skipped(c, t, ULLONG_MAX, why))
		;
	else if (!prep->ok)
		strbuf_addbuf(why, &prep->err);
	else if (run_module_check(x->root, c, t, why))
		;
	else if (c->swap || c->disk)
		strbuf_addf(why, "it needs a %s disk, which a LAVA job cannot attach", c->swap ? "swap" : "data");
	else if (payload_gather(x->root, state_dir(x->root), c, t, &m, why) != PAYLOAD_READY)
		;
	else if (m.n)
		strbuf_addf(why, "it brings %zu files on a payload disk, which a LAVA job cannot attach", m.n);
	else
		r = 0;
	manifest_release(&m);
	return r;
}

/* tmp/rel to DIR/rel, what was there moved aside into tmp first. */
static int place(const struct lj_ctx *x, const char *rel, size_t index, struct strbuf *err)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, aside = STRBUF_INIT, parent = STRBUF_INIT;
	int r = 0;

	strbuf_addf(&from, "%s/%s", x->tmp.buf, rel);
	strbuf_addf(&to, "%s/%s", x->abs_out, rel);
	strbuf_addf(&aside, "%s/.old-%zu", x->tmp.buf, index);
	strbuf_add(&parent, to.buf, (size_t)(strrchr(to.buf, '/') - to.buf));
	fs_mkdirs(parent.buf);
	if ((!access(to.buf, F_OK) && rename(to.buf, aside.buf)) || rename(from.buf, to.buf)) {
		strbuf_addf(err, "%s: %s", to.buf, strerror(errno));
		r = -1;
	}
	strbuf_release(&from);
	strbuf_release(&to);
	strbuf_release(&aside);
	strbuf_release(&parent);
	return r;
}

static int write_dispatcher(const struct lj_ctx *x, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int r = lava_job_write_dispatcher(LAVA_RUN_PREFIX, &text, err);

	if (!r)
		r = write_text(x->tmp.buf, "dispatcher.yaml", &text, err);
	strbuf_release(&text);
	return r;
}

/* Every run's job; returns the exit status. */
static int write_all(struct lj_ctx *x, const struct oomcase *cases, size_t ncases, const struct target_list *tl)
{
	struct prepared *prep = xcalloc(tl->n, sizeof(*prep));
	struct lj_run *runs = xcalloc(ncases * tl->n + 1, sizeof(*runs));
	struct strbuf err = STRBUF_INIT, from = STRBUF_INIT, to = STRBUF_INIT;
	size_t nruns = 0, written = 0;
	int ret = 1;

	for (size_t j = 0; j < tl->n; j++) {
		strbuf_init(&prep[j].initrd);
		strbuf_init(&prep[j].err);
		prep[j].ok = -1;
	}
	for (size_t i = 0; i < ncases; i++)
		for (size_t j = 0; j < tl->n; j++) {
			const struct target *t = &tl->v[j];
			struct lj_run *run = &runs[nruns];

			if (!run_target_chosen(x->a->tc.want, x->a->tc.nwant, t))
				continue;
			nruns++;
			strbuf_init(&run->rel);
			strbuf_init(&run->skip);
			run_name(&run->rel, &cases[i], 1);
			strbuf_addf(&run->rel, "/%s", t->name);
			if (needs_target(&cases[i], t) && prep[j].ok < 0)
				prep[j].ok = !prepare_target(x->root, t, &prep[j].initrd, &prep[j].err);
			if (no_job(x, &cases[i], t, &prep[j], &run->skip))
				continue;
			if (write_run(x, &cases[i], t, prep[j].initrd.buf, run->rel.buf, &err))
				goto out;
			written++;
		}
	if (!written) {
		fprintf(stderr, "oomtest lava-job: no run could be a LAVA job\n");
		ret = 2;
	} else if (!x->a->board && write_dispatcher(x, &err)) {
		goto out;
	} else {
		for (size_t k = 0; k < nruns; k++)
			if (!runs[k].skip.len && place(x, runs[k].rel.buf, k, &err))
				goto out;
		strbuf_addf(&from, "%s/dispatcher.yaml", x->tmp.buf);
		strbuf_addf(&to, "%s/dispatcher.yaml", x->abs_out);
		if (!x->a->board && rename(from.buf, to.buf)) {
			strbuf_addf(&err, "%s: %s", to.buf, strerror(errno));
			goto out;
		}
		for (size_t k = 0; k < nruns; k++)
			if (!runs[k].skip.len)
				printf("%s/%s/job.yaml\n", x->abs_out, runs[k].rel.buf);
		ret = 0;
	}
	for (size_t k = 0; k < nruns; k++)
		if (runs[k].skip.len)
			fprintf(stderr, "oomtest lava-job: %s: no job: %s\n", runs[k].rel.buf, runs[k].skip.buf);
out:
	if (err.len)
		fprintf(stderr, "oomtest lava-job: %s\n", err.buf);
	for (size_t k = 0; k < nruns; k++) {
		strbuf_release(&runs[k].rel);
		strbuf_release(&runs[k].skip);
	}
	for (size_t j = 0; j < tl->n; j++) {
		strbuf_release(&prep[j].initrd);
		strbuf_release(&prep[j].err);
	}
	free(runs);
	free(prep);
	strbuf_release(&err);
	strbuf_release(&from);
	strbuf_release(&to);
	return ret;
}

int cmd_lava_job(int argc, char **argv)
{
	struct lj_args a = { 0 };
	struct lj_ctx x = { .a = &a, .tmp = STRBUF_INIT };
	struct target_list tl = { 0 };
	struct oomcase *cases = NULL;
	size_t ncases = 0;
	char *root = project_root();
	int ret = 2, r;

	x.root = root;
	if ((r = parse_options(&a, argc, argv))) {
		ret = r > 0 ? 0 : 2;
		goto out;
	}
	if (load_run_cases("lava-job", argv + optind, argc - optind, &cases, &ncases) ||
	    choose_targets("lava-job", &a.tc, root, &tl))
		goto out;
	if ((r = fs_mkdirs(a.out)) || !(x.abs_out = realpath(a.out, NULL))) {
		fprintf(stderr, "oomtest lava-job: %s: %s\n", a.out, strerror(r ? -r : errno));
		ret = 1;
		goto out;
	}
	strbuf_addf(&x.tmp, "%s/.tmp-XXXXXX", x.abs_out);
	if (!mkdtemp(x.tmp.buf)) {
		fprintf(stderr, "oomtest lava-job: %s: %s\n", x.tmp.buf, strerror(errno));
		strbuf_reset(&x.tmp);
		ret = 1;
		goto out;
	}
	x.kvm_host = !access("/dev/kvm", R_OK | W_OK);
	ret = write_all(&x, cases, ncases, &tl);
out:
	if (x.tmp.len)
		fs_remove_tree(x.tmp.buf);
	for (size_t i = 0; i < ncases; i++)
		case_release(&cases[i]);
	free(cases);
	free(a.tc.want);
	targets_release(&tl);
	strbuf_release(&x.tmp);
	free(x.abs_out);
	free(root);
	return ret;
}
