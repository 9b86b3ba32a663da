/* cmd_bisect: `oomtest bisect --good G --bad B SRC CASE...`: git bisect
 * run over SRC, each step building the commit's kernel (build-kernel) and
 * running the cases on it with run --bisect's exit codes. A repository of
 * prebuilt kernels (a file oomtest-kernel per commit) bisects the same way
 * without building. */
#include "cmd/bisect.h"
#include "case/casefile.h"
#include "cmd/common.h"
#include "cmd/run.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "report/report.h"
#include "target/arch.h"
#include "target/bisect.h"
#include "target/kconfig.h"
#include "target/kernel_build.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct bisect_args {
	const char *good, *bad, *out, *arch, *base, *results;
	char **fragments;
	size_t nfragments;
	int jobs, step;
};

static void usage(FILE *out)
{
	fputs("usage: oomtest bisect --good COMMIT --bad COMMIT [--arch ARCH] [--base B]\n"
	      "                      [--config FRAGMENT]... [-o OUTDIR] [-j N] [--results DIR]\n"
	      "                      SRC CASE|DIR...\n"
	      "\n"
	      "Finds the commit of the git repository SRC between a good one (the cases\n"
	      "pass) and a bad one (a case fails) where the cases start to fail: git\n"
	      "bisect run, each step building that commit's kernel as build-kernel does\n"
	      "(into OUTDIR, kept between steps) and running the cases on it as run\n"
	      "--bisect does: a commit whose kernel does not build, or whose runs end in\n"
	      "an error, a timeout or a skip, is skipped, never blamed. SRC may also be a\n"
	      "repository of prebuilt kernels: a file " BISECT_PREBUILT_FILE " at each commit\n"
	      "with the lines 'kernel PATH', 'kdir PATH' and 'arch ARCH'.\n"
	      "\n"
	      "  --good COMMIT, --bad COMMIT   the ends (good must be an ancestor of bad)\n"
	      "  --arch, --base, --config, -o, -j   as for build-kernel\n"
	      "  --results DIR                 where each step's run goes (default results/)\n"
	      "  --help                        this text\n"
	      "\n"
	      "The steps' output goes to OUTDIR/bisect.log. SRC is left as it was (git\n"
	      "bisect reset). Exit status: 0 the first bad commit was found (printed);\n"
	      "1 only skipped commits were left (the candidates are printed); 2 on a\n"
	      "usage error, a SRC that is not a git work tree or has uncommitted\n"
	      "changes, an unknown commit, a good commit that is not an ancestor of\n"
	      "the bad one, a case in error, or a bisection that stopped.\n",
	      out);
}

/* git -C src ARGS...: the exit status (or -errno) with the output in out */
static int git(const char *src, struct strbuf *out, const char *const *args, size_t n)
{
	char **argv = xcalloc(n + 4, sizeof(char *));
	const char *tmp = getenv("TMPDIR");
	int st;

	argv[0] = "git";
	argv[1] = "-C";
	argv[2] = (char *)src;
	for (size_t i = 0; i < n; i++)
		argv[3 + i] = (char *)args[i];
	strbuf_reset(out);
	st = child_run_capture(argv, tmp && *tmp ? tmp : "/tmp", out);
	free(argv);
	strbuf_rtrim(out);
	return st;
}

/* 0 when src can be bisected from good to bad; -1 with the reason */
static int check_repository(const struct bisect_args *a, const char *src)
{
	struct strbuf out = STRBUF_INIT, spec = STRBUF_INIT;
	const char *worktree[] = { "rev-parse", "--is-inside-work-tree" };
	const char *clean[] = { "status", "--porcelain", "--untracked-files=no" };
	int r = -1;

	if (git(src, &out, worktree, 2) || strcmp(out.buf, "true")) {
		fprintf(stderr, "oomtest bisect: %s: not a git work tree\n", src);
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		const char *c = i ? a->bad : a->good;
		strbuf_reset(&spec);
		strbuf_addf(&spec, "%s^{commit}", c);
		const char *verify[] = { "rev-parse", "--verify", "--quiet", spec.buf };
		if (git(src, &out, verify, 4)) {
			fprintf(stderr, "oomtest bisect: --%s %s: no such commit in %s\n", i ? "bad" : "good", c, src);
			goto out;
		}
	}
	const char *ancestor[] = { "merge-base", "--is-ancestor", a->good, a->bad };
	int st = git(src, &out, ancestor, 4);
	if (st) {
		if (st > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 1)
			fprintf(stderr, "oomtest bisect: --good %s is not an ancestor of --bad %s\n", a->good, a->bad);
		else
			fprintf(stderr, "oomtest bisect: git merge-base: %s\n", out.buf);
		goto out;
	}
	if (git(src, &out, clean, 3) || out.len) {
		fprintf(stderr, "oomtest bisect: %s has uncommitted changes (git bisect checks out each step):\n%s\n",
			src, out.buf);
		goto out;
	}
	r = 0;
out:
	strbuf_release(&out);
	strbuf_release(&spec);
	return r;
}

static void default_out(const char *root, const char *src, const char *arch, struct strbuf *out)
{
	char *real = realpath(src, NULL);
	const char *name = strrchr(real ? real : src, '/');

	strbuf_addf(out, "%s/kernels/%s-%s", state_dir(root), name ? name + 1 : src, arch);
	free(real);
}

/* One step, run by git bisect run in SRC at the commit to judge. */
static int step(const struct bisect_args *a, const char *src, char **cases, int ncases)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, err = STRBUF_INIT, out = STRBUF_INIT,
		      fragment = STRBUF_INIT, dir = STRBUF_INIT;
	struct prebuilt_kernel pk = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct kernel_built built = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0 };
	struct kconfig_reqs reqs = { 0 };
	struct oomcase *loaded = NULL;
	size_t nloaded = 0;
	const char *kernel, *kdir, *arch;
	char *root = project_root(), *real = realpath(src, NULL);
	int ret = REPORT_BISECT_SKIP;

	strbuf_addstr(&dir, real ? real : src);
	free(real);
	strbuf_addf(&path, "%s/" BISECT_PREBUILT_FILE, dir.buf);
	if (!strbuf_read_file(&text, path.buf)) {
		if (prebuilt_kernel_parse(text.buf, path.buf, dir.buf, &pk, &err)) {
			fprintf(stderr, "oomtest bisect: %s: this commit is skipped\n", err.buf);
			goto out;
		}
		kernel = pk.kernel.buf;
		kdir = pk.kdir.buf;
		arch = pk.arch.buf;
	} else {
		const struct arch_ops *ops = arch_find(a->arch);
		if (load_case_args(cases, ncases, &loaded, &nloaded)) {
			ret = REPORT_BISECT_ABORT;
			goto out;
		}
		kconfig_requirements(&reqs, ops->name, NULL, loaded, nloaded);
		kconfig_fragment(&reqs, ops->name, &fragment);
		if (a->out)
			strbuf_addstr(&out, a->out);
		else
			default_out(root, src, ops->name, &out);
		struct kernel_build_opts o = { .src = src, .out = out.buf, .arch = ops, .base = a->base,
					       .fragments = a->fragments, .nfragments = a->nfragments,
					       .oomtest_fragment = fragment.buf, .jobs = a->jobs,
					       .progress = stderr };
		if (kernel_build(&o, &built, &err)) {
			fprintf(stderr, "oomtest bisect: %s: this commit is skipped\n", err.buf);
			goto out;
		}
		kernel = built.image.buf;
		kdir = built.kdir.buf;
		arch = ops->name;
	}
	{
		char **argv = xcalloc((size_t)ncases + 12, sizeof(char *));
		int argc = 0;
		argv[argc++] = "run";
		argv[argc++] = "--bisect";
		argv[argc++] = "--no-progress";
		argv[argc++] = "--kernel";
		argv[argc++] = (char *)kernel;
		argv[argc++] = "--kdir";
		argv[argc++] = (char *)kdir;
		argv[argc++] = "--arch";
		argv[argc++] = (char *)arch;
		if (a->results) {
			argv[argc++] = "--results";
			argv[argc++] = (char *)a->results;
		}
		for (int i = 0; i < ncases; i++)
			argv[argc++] = cases[i];
		fflush(stdout);
		ret = cmd_run(argc, argv);
		free(argv);
	}
out:
	for (size_t i = 0; i < nloaded; i++)
		case_release(&loaded[i]);
	free(loaded);
	kconfig_reqs_release(&reqs);
	kernel_built_release(&built);
	prebuilt_kernel_release(&pk);
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&err);
	strbuf_release(&out);
	strbuf_release(&fragment);
	strbuf_release(&dir);
	free(root);
	return ret;
}

/* Runs git bisect from good to bad with this program's --step; prints the
 * outcome. */
static int bisect(const struct bisect_args *a, const char *src, char **cases, int ncases)
{
	struct strbuf out = STRBUF_INIT, log = STRBUF_INIT, text = STRBUF_INIT, sha = STRBUF_INIT,
		      outdir = STRBUF_INIT;
	char *root = project_root(), *self = realpath("/proc/self/exe", NULL);
	const char *start[] = { "bisect", "start", a->bad, a->good };
	const char *reset[] = { "bisect", "reset" };
	int ret = 2, fd, r;

	if (a->out)
		strbuf_addstr(&outdir, a->out);
	else
		default_out(root, src, arch_find(a->arch)->name, &outdir);
	if ((r = fs_mkdirs(outdir.buf))) {
		fprintf(stderr, "oomtest bisect: %s: %s\n", outdir.buf, strerror(-r));
		goto out;
	}
	strbuf_addf(&log, "%s/bisect.log", outdir.buf);
	fd = open(log.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !self) {
		fprintf(stderr, "oomtest bisect: %s: %s\n", fd < 0 ? log.buf : "/proc/self/exe", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if (git(src, &text, start, 4)) {
		fprintf(stderr, "oomtest bisect: git bisect start: %s\n", text.buf);
		close(fd);
		goto out;
	}
	/* git bisect run SELF bisect --step OPTIONS SRC CASE..., every path
	 * absolute: the steps run in SRC */
	struct strbuf jobs = STRBUF_INIT;
	char **run = xcalloc((size_t)ncases + 2 * a->nfragments + 24, sizeof(char *));
	char **owned = xcalloc((size_t)ncases + a->nfragments + 4, sizeof(char *));
	int n = 0, nowned = 0;
	strbuf_addf(&jobs, "%d", a->jobs);
#define ABS(p) (owned[nowned] = realpath((p), NULL), owned[nowned] ? owned[nowned++] : (char *)(p))
	run[n++] = "git";
	run[n++] = "-C";
	run[n++] = (char *)src;
	run[n++] = "bisect";
	run[n++] = "run";
	run[n++] = self;
	run[n++] = "bisect";
	run[n++] = "--step";
	run[n++] = "--arch";
	run[n++] = (char *)a->arch;
	run[n++] = "--base";
	run[n++] = (char *)a->base;
	run[n++] = "-j";
	run[n++] = jobs.buf;
	run[n++] = "-o";
	run[n++] = ABS(outdir.buf);
	if (a->results) {
		fs_mkdirs(a->results);
		run[n++] = "--results";
		run[n++] = ABS(a->results);
	}
	for (size_t i = 0; i < a->nfragments; i++) {
		run[n++] = "--config";
		run[n++] = ABS(a->fragments[i]);
	}
	run[n++] = ABS(src);
	for (int i = 0; i < ncases; i++)
		run[n++] = ABS(cases[i]);
#undef ABS
	fprintf(stderr, "oomtest: bisecting %s from %s (good) to %s (bad); the steps: %s\n", src, a->good, a->bad,
		log.buf);
	child_run(run, fd);
	free(run);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	strbuf_release(&jobs);
	close(fd);
	git(src, &text, reset, 2);
	strbuf_read_file(&out, log.buf);
	switch (bisect_outcome_of(out.buf, &sha)) {
	case BISECT_FOUND: {
		const char *show[] = { "log", "-1", "--format=%h %s", sha.buf };
		git(src, &text, show, 4);
		printf("first bad commit: %s (%s)\n", sha.buf, text.buf);
		ret = 0;
		break;
	}
	case BISECT_ONLY_SKIPPED:
		printf("only skipped commits are left; the first bad commit is one of:\n%s", sha.buf);
		ret = 1;
		break;
	default:
		fprintf(stderr, "oomtest bisect: the bisection stopped without an answer (a usage or case error "
				"in a step?): see %s\n", log.buf);
		break;
	}
out:
	free(self);
	free(root);
	strbuf_release(&out);
	strbuf_release(&log);
	strbuf_release(&text);
	strbuf_release(&sha);
	strbuf_release(&outdir);
	return ret;
}

int cmd_bisect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "good", required_argument, NULL, 'g' },
		{ "bad", required_argument, NULL, 'B' },
		{ "arch", required_argument, NULL, 'a' },
		{ "base", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "results", required_argument, NULL, 'r' },
		{ "step", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bisect_args a = { .arch = "x86_64", .base = "tinyconfig" };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct oomcase *cases = NULL;
	size_t ncases = 0;
	int c, ret = 2;
	char *end;

	a.jobs = ncpu > 0 ? (int)ncpu : 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'g': a.good = optarg; break;
		case 'B': a.bad = optarg; break;
		case 'a': a.arch = optarg; break;
		case 'b': a.base = optarg; break;
		case 'o': a.out = optarg; break;
		case 'r': a.results = optarg; break;
		case 'S': a.step = 1; break;
		case 'c':
			a.fragments = xrealloc(a.fragments, (a.nfragments + 1) * sizeof(char *));
			a.fragments[a.nfragments++] = optarg;
			break;
		case 'j':
			a.jobs = (int)strtol(optarg, &end, 10);
			if (*end || a.jobs < 1 || a.jobs > 256) {
				fprintf(stderr, "oomtest bisect: -j %s: expected a number from 1 to 256\n", optarg);
				goto out;
			}
			break;
		case 'h': usage(stdout); ret = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (!arch_find(a.arch) || !kernel_build_base_known(a.base)) {
		fprintf(stderr, "oomtest bisect: %s: unknown\n", !arch_find(a.arch) ? a.arch : a.base);
		goto out;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "oomtest bisect: a source tree and at least one case are needed\n");
		usage(stderr);
		goto out;
	}
	const char *src = argv[optind];
	if (a.step) {
		ret = step(&a, src, argv + optind + 1, argc - optind - 1);
		goto out;
	}
	if (!a.good || !a.bad) {
		fprintf(stderr, "oomtest bisect: --good and --bad are needed\n");
		goto out;
	}
	if (load_case_args(argv + optind + 1, argc - optind - 1, &cases, &ncases) || check_repository(&a, src))
		goto out;
	ret = bisect(&a, src, argv + optind + 1, argc - optind - 1);
out:
	for (size_t i = 0; i < ncases; i++)
		case_release(&cases[i]);
	free(cases);
	free(a.fragments);
	return ret;
}
