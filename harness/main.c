/* oomtest: command line entry — run, list, parse, help. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "case/casefile.h"
#include "lib/child.h"
#include "cmd/parse.h"
#include "target/modcheck.h"
#include "case/needs.h"
#include "report/progress.h"
#include "report/report.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "run/results.h"
#include "run/runner.h"
#include "run/sched.h"
#include "cmd/shell.h"
#include "cmd/show.h"
#include "report/tap.h"
#include "target/target.h"
#include "lib/units.h"

#define OOMTEST_VERSION "0.1"

static const char usage_text[] =
	"usage: oomtest COMMAND [ARGS]\n"
	"\n"
	"Boots QEMU guests with a fixed amount of RAM, drives their kernels out of\n"
	"memory as case files describe, and judges what the kernel did.\n"
	"\n"
	"commands:\n"
	"  run [OPTIONS] CASE|DIR...   run cases (a DIR means its *.case files); TAP on stdout\n"
	"      -t, --target NAME       run on this target only (repeatable; default: the\n"
	"                              case's targets, else every default target)\n"
	"      --timeout SECONDS       override every case's timeout\n"
	"      --silence SECONDS       end a run as a timeout when neither the console nor\n"
	"                              the agent said anything for that long (default: off)\n"
	"      --log-limit SIZE        keep at most SIZE of each console and agent log per\n"
	"                              run (default 64M); the rest is read, parsed, not kept\n"
	"      --cold-boot             boot every guest; default: start each run from a\n"
	"                              guest booted once and saved (build/snapshots/,\n"
	"                              made again when the kernel or initramfs changes)\n"
	"      --backend qemu|libvirt  start guests with QEMU directly (default) or as\n"
	"                              transient domains of a libvirt daemon\n"
	"      --connect URI[*SLOTS]   a libvirt daemon (default qemu:///system); give\n"
	"                              several to spread runs over them, SLOTS guests\n"
	"                              at a time each (default 1; -j for a single one);\n"
	"                              a host that fails is dropped, its runs retried\n"
	"                              elsewhere once, and the TAP names each run's host\n"
	"      --kernel IMAGE --kdir DIR --arch ARCH\n"
	"                              run on your own kernel (bzImage or vmlinux) with the\n"
	"                              module built against DIR; ARCH is x86_64 or i386\n"
	"      --results DIR           where results go (default: results/ in the source tree,\n"
	"                              ./results for an installed oomtest)\n"
	"      -j, --jobs N            run N guests at a time (default: the number of CPUs);\n"
	"                              never more guest memory than the host has available\n"
	"      --junit FILE            also write a JUnit XML report to FILE\n"
	"      --json FILE             also write the JSON report (report.json) to FILE\n"
	"      --no-progress           no status line or colours even on a terminal (plain\n"
	"                              TAP, as through a pipe; TERM=dumb does the same)\n"
	"      --tap-version 13|14     the TAP version line (default 13: the output uses only\n"
	"                              what both share, and Debian 12's prove refuses 14)\n"
	"  list [CASE|DIR...]          list targets and cases\n"
	"  show CASE|DIR...            a case as the harness understands it: runs, targets,\n"
	"                              steps, expectations and the plan the guest is sent\n"
	"  shell [--target T] [--memory SIZE] [--cold-boot]\n"
	"                              an interactive guest (default: the first target, 256M)\n"
	"                              with the module, the hog and a busybox shell on your\n"
	"                              terminal; exit leaves it, Ctrl-] kills it\n"
	"  parse [--json|--facts] FILE...\n"
	"                              read OOM reports from any kernel log ('-': stdin)\n"
	"  help case                   the case file format: every section and key (the facts\n"
	"                              are in man oomtest and the README)\n"
	"  --version                   the version\n"
	"\n"
	"On a terminal, run keeps a progress line below the TAP and colours it (NO_COLOR=1:\n"
	"no colours); elsewhere the TAP is plain.\n"
	"\n"
	"Exit status of run: 0 every run ok, 1 something not ok, 2 usage or case errors.\n"
	"Results: results/<run-id>/<case>/<target>/ (console.log, agent.log, facts.json,\n"
	"result.json, events.json, memory.tsv, plan.txt, qemu.cmdline), and per run\n"
	"index.html (the report to read) and report.json; results/latest is the newest run.\n";

static char *project_root(void)
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

/* An installed tree (make install) has this file at its root. */
static int installed(const char *root)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/INSTALLED", root);
	int r = !access(p.buf, F_OK);
	strbuf_release(&p);
	return r;
}

/* Where fetched kernels, built targets and snapshots live: ROOT/build in a
 * source tree; for an installed one $OOMTEST_STATE, else
 * ${XDG_CACHE_HOME:-~/.cache}/oomtest. The scripts get it as OOMTEST_STATE. */
static const char *state_dir(const char *root)
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
	if (!installed(root))
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
	if (installed(root))
		setenv("OOMTEST_STATE", dir, 1);
	else
		unsetenv("OOMTEST_STATE");
	return dir;
}

/* The default targets are fetched the first time they are needed. */
static void ensure_targets(const char *root)
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

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands directories to their *.case files (sorted). */
static int collect_case_paths(char **args, int n, char ***out, size_t *nout)
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

static void on_signal(int sig)
{
	runner_interrupted = 1;
	child_kill_all();
	sched_signal_workers(sig);
}

/* Builds (if needed) the module and initramfs of a target. */
static int prepare_target(const char *root, const struct target *t, struct strbuf *initrd,
			  struct strbuf *err)
{
	struct strbuf script = STRBUF_INIT, log = STRBUF_INIT, dir = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&script, "%s/images/build-initramfs.sh", root);
	strbuf_addf(&dir, "%s/targets", state_dir(root));
	fs_mkdirs(dir.buf);
	strbuf_addf(&log, "%s/targets/%s.prepare.log", state_dir(root), t->name);
	FILE *lf = fopen(log.buf, "w+");
	char *argv[] = { script.buf, t->name, t->arch, t->kdir, NULL };
	int st = child_run(argv, lf ? fileno(lf) : -1);
	if (st != 0) {
		strbuf_addf(err, "target %s: preparing the module and initramfs failed", t->name);
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

struct prepared {
	int ok;
	struct strbuf initrd;
	struct strbuf err;
};

struct job_data {
	const struct oomcase *c;
	const struct target *t;
	const struct prepared *prep;
	const char *root;
	long timeout_ms;
	long silence_ms;
	unsigned long long log_limit;
	const char *snapshot_dir;
	struct strbuf dir;
};

static size_t reported_not_ok;
static struct report report;
static const struct backend_ops *backend = &backend_qemu;
/* --connect URI[*SLOTS], repeatable: the libvirt hosts */
static struct sched_host *hosts;
static char **host_uris;
static int nhosts;

/* KVM or TCG is decided once, before any worker forks, by booting t (when
 * given) with its initramfs (see backend_qemu.c). */
static void decide_accel(const struct backend_ops *b, const struct target *t, const char *initrd)
{
	char tmpl[] = "/tmp/oomtest-probe.XXXXXX";
	struct vm_config probe = { .target = t, .initrd = initrd };

	if (t)
		probe.memory = t->min_memory > (128ull << 20) ? t->min_memory : 128ull << 20;
	probe.run_dir = mkdtemp(tmpl);
	b->setup(t && probe.run_dir ? &probe : NULL);
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

/* "case" or "case[memory=64M,order=1]"; for a directory name, '/' is
 * replaced (values are case text). */
static void add_run_name(struct strbuf *out, const struct oomcase *c, int for_path)
{
	strbuf_addstr(out, c->name);
	if (!c->variant)
		return;
	strbuf_addch(out, '[');
	for (const char *p = c->variant; *p; p++)
		strbuf_addch(out, for_path && (*p == '/' || *p == '\\') ? '_' : *p);
	strbuf_addch(out, ']');
}

/* In a worker process: one case on one target. */
static void run_job(const struct job *job, struct run_result *res)
{
	const struct job_data *d = job->data;
	const struct oomcase *oc = d->c;
	const struct target *t = d->t;

	if (job->host >= 0)
		backend_libvirt_set_uri(host_uris[job->host]);
	if (!needs_target(oc, t)) {
		res->verdict = V_SKIP;
		strbuf_addstr(&res->reason, "the case names other targets");
		return;
	}
	if (t->min_memory && oc->memory < t->min_memory) {
		res->verdict = V_SKIP;
		strbuf_addf(&res->reason, "target %s needs at least %lluM of guest memory (its kernel takes most of %lluM)",
			    t->name, t->min_memory >> 20, oc->memory >> 20);
		return;
	}
	if (!needs_met(oc, t, &res->reason)) {
		res->verdict = V_SKIP;
		return;
	}
	int r = fs_mkdirs(d->dir.buf);
	if (r) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "cannot create %s: %s", d->dir.buf, strerror(-r));
		return;
	}
	if (!d->prep->ok) {
		res->verdict = V_ERROR;
		strbuf_addbuf(&res->reason, &d->prep->err);
		return;
	}
	/* The module must fit the kernel and have the parameters the case sets. */
	struct strbuf ko = STRBUF_INIT, merr = STRBUF_INIT;
	strbuf_addf(&ko, "%s/targets/%s/oom_trigger.ko", state_dir(d->root), t->name);
	int mok = 1;
	for (size_t s = 0; s < oc->nsteps && mok; s++)
		if (oc->steps[s].kind == STEP_MODULE)
			mok = !modcheck(ko.buf, t->release, oc->steps[s].argv + 1, oc->steps[s].argc - 1, &merr);
	if (!mok) {
		res->verdict = V_ERROR;
		strbuf_addbuf(&res->reason, &merr);
	} else {
		struct run_request rq = {
			.c = oc, .t = t, .backend = backend,
			.initrd = d->prep->initrd.buf, .run_dir = d->dir.buf,
			.timeout_ms = d->timeout_ms ? d->timeout_ms : oc->timeout_ms,
			.silence_ms = d->silence_ms,
			.log_limit = d->log_limit,
			.snapshot_dir = d->snapshot_dir,
		};
		run_one(&rq, res);
	}
	strbuf_release(&ko);
	strbuf_release(&merr);
}

static void report_job(const struct job *job, const struct run_result *res)
{
	const struct job_data *d = job->data;

	if (res->verdict != V_PASS && res->verdict != V_SKIP)
		reported_not_ok++;
	struct strbuf name = STRBUF_INIT;
	add_run_name(&name, d->c, 0);
	struct strbuf tgt = STRBUF_INIT;
	strbuf_addstr(&tgt, d->t->name);
	/* with several hosts, the TAP says where each run ran */
	if (nhosts > 1 && job->host >= 0 && res->verdict != V_SKIP) {
		strbuf_addf(&tgt, " on %s", host_uris[job->host]);
		if (job->moved_from >= 0)
			strbuf_addf(&tgt, ", moved from %s", host_uris[job->moved_from]);
	}
	progress_clear();
	tap_result(stdout, job->index + 1, name.buf, tgt.buf, res,
		   res->verdict == V_SKIP ? NULL : d->dir.buf);
	progress_finished(res->verdict);
	report_add(&report, d->c, d->t, nhosts > 1 && job->host >= 0 ? host_uris[job->host] : NULL, res,
		   res->verdict == V_SKIP ? NULL : d->dir.buf);
	strbuf_release(&name);
	strbuf_release(&tgt);
}

/* index.html and report.json in the run directory, and the files asked
 * for. A report that cannot be written is named on stderr and the others
 * are still written; one asked for (--junit, --json) missing makes the
 * exit status 1, as a CI job would otherwise miss it. */
static int write_reports(const struct report *rep, const char *run_dir, const char *junit, const char *json)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	int bad = 0;

	for (int i = 0; i < 4; i++) {
		int r;
		strbuf_reset(&path);
		strbuf_reset(&err);
		if (i == 0) {
			strbuf_addf(&path, "%s/report.json", run_dir);
			r = report_json_write(rep, path.buf, &err);
		} else if (i == 1) {
			strbuf_addf(&path, "%s/index.html", run_dir);
			r = report_html_write(rep, path.buf, &err);
		} else if (i == 2) {
			r = json ? report_json_write(rep, json, &err) : 0;
		} else {
			r = junit ? report_junit_write(rep, junit, &err) : 0;
		}
		if (r) {
			fprintf(stderr, "oomtest: %s\n", err.buf);
			bad |= i >= 2;
		}
	}
	strbuf_release(&path);
	strbuf_release(&err);
	return bad;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "kdir", required_argument, NULL, 'd' },
		{ "arch", required_argument, NULL, 'a' },
		{ "results", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "tap-version", required_argument, NULL, 'V' },
		{ "silence", required_argument, NULL, 'S' },
		{ "log-limit", required_argument, NULL, 'L' },
		{ "cold-boot", no_argument, NULL, 'C' },
		{ "backend", required_argument, NULL, 'B' },
		{ "connect", required_argument, NULL, 'U' },
		{ "junit", required_argument, NULL, 'J' },
		{ "json", required_argument, NULL, 'O' },
		{ "no-progress", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char **want_targets = NULL, **paths = NULL;
	size_t nwant = 0, npaths = 0;
	const char *kernel = NULL, *kdir = NULL, *arch = NULL, *results_opt = NULL;
	const char *junit_path = NULL, *json_path = NULL;
	long timeout_ms = 0, silence_ms = 0;
	unsigned long long log_limit = 64ull << 20;
	int c, ret = 2, cold_boot = 0, jobs_given = 0, no_progress = 0;
	char *root = project_root();
	struct target_list tl = { 0 };
	struct target custom = { 0 };
	struct strbuf err = STRBUF_INIT, run_dir = STRBUF_INIT, results_root = STRBUF_INIT, snapshot_dir = STRBUF_INIT;
	struct oomcase *cases = NULL;
	size_t ncases = 0;

	strbuf_addf(&snapshot_dir, "%s/snapshots", state_dir(root));
	optind = 1;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int parallel = ncpu > 0 ? (int)(ncpu > 64 ? 64 : ncpu) : 1, tap_version = 13;
	while ((c = getopt_long(argc, argv, "t:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			want_targets = xrealloc(want_targets, (nwant + 1) * sizeof(char *));
			want_targets[nwant++] = optarg;
			break;
		case 'T':
			if (units_parse_duration(optarg, &timeout_ms)) {
				fprintf(stderr, "oomtest: --timeout %s: expected seconds (e.g. 60 or 90s)\n", optarg);
				goto out;
			}
			break;
		case 'k': kernel = optarg; break;
		case 'd': kdir = optarg; break;
		case 'a': arch = optarg; break;
		case 'r': results_opt = optarg; break;
		case 'S':
			if (units_parse_duration(optarg, &silence_ms)) {
				fprintf(stderr, "oomtest: --silence %s: expected seconds (e.g. 30 or 30s)\n", optarg);
				goto out;
			}
			break;
		case 'C': cold_boot = 1; break;
		case 'J': junit_path = optarg; break;
		case 'O': json_path = optarg; break;
		case 'N': no_progress = 1; break;
		case 'B':
			if (!strcmp(optarg, "qemu")) {
				backend = &backend_qemu;
			} else if (!strcmp(optarg, "libvirt")) {
				backend = &backend_libvirt;
			} else {
				fprintf(stderr, "oomtest: --backend %s: qemu or libvirt\n", optarg);
				goto out;
			}
			break;
		case 'U': {
			/* URI or URI*SLOTS */
			char *star = strrchr(optarg, '*');
			long slots = 0;
			if (star && star[1] && strspn(star + 1, "0123456789") == strlen(star + 1)) {
				slots = strtol(star + 1, NULL, 10);
				*star = '\0';
				if (slots < 1 || slots > 64) {
					fprintf(stderr, "oomtest: --connect %s*%s: slots from 1 to 64\n", optarg, star + 1);
					goto out;
				}
			}
			hosts = xrealloc(hosts, (size_t)(nhosts + 1) * sizeof(*hosts));
			host_uris = xrealloc(host_uris, (size_t)(nhosts + 1) * sizeof(*host_uris));
			host_uris[nhosts] = optarg;
			if (!nhosts)
				backend_libvirt_set_uri(optarg);
			hosts[nhosts] = (struct sched_host){ .label = optarg, .slots = (int)slots };
			nhosts++;
			break;
		}
		case 'L':
			if (units_parse_size(optarg, &log_limit) || log_limit < 4096) {
				fprintf(stderr, "oomtest: --log-limit %s: expected a size of 4K or more (e.g. 64M)\n",
					optarg);
				goto out;
			}
			break;
		case 'V':
			if (strcmp(optarg, "13") && strcmp(optarg, "14")) {
				fprintf(stderr, "oomtest: --tap-version %s: 13 or 14\n", optarg);
				goto out;
			}
			tap_version = atoi(optarg);
			break;
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 64) {
				fprintf(stderr, "oomtest: -j %s: expected a number of guests from 1 to 64\n", optarg);
				goto out;
			}
			parallel = (int)v;
			jobs_given = 1;
			break;
		}
		case 'h':
			fputs(usage_text, stdout);
			ret = 0;
			goto out;
		default:
			fputs(usage_text, stderr);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "oomtest run: no case given\n%s", usage_text);
		goto out;
	}
	if (collect_case_paths(argv + optind, argc - optind, &paths, &npaths))
		goto out;
	if (!npaths) {
		fprintf(stderr, "oomtest run: no *.case files found\n");
		goto out;
	}

	/* Every case is read (and expanded into its runs) before any guest starts. */
	int bad = 0;
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *more = NULL;
		size_t nmore = 0;
		if (case_load_all(paths[i], &more, &nmore, &err)) {
			bad = 1;
			continue;
		}
		cases = xrealloc(cases, (ncases + nmore) * sizeof(*cases));
		memcpy(cases + ncases, more, nmore * sizeof(*more));
		ncases += nmore;
		free(more);
	}
	if (bad) {
		fputs(err.buf, stderr);
		if (err.len && err.buf[err.len - 1] != '\n')
			fputc('\n', stderr);
		goto out;
	}

	if (kernel || kdir || arch) {
		if (!kernel || !kdir || !arch) {
			fprintf(stderr, "oomtest run: --kernel, --kdir and --arch go together\n");
			goto out;
		}
		if (target_custom(&custom, kernel, kdir, arch, &err)) {
			fprintf(stderr, "oomtest run: %s\n", err.buf);
			goto out;
		}
		tl.v = xcalloc(1, sizeof(*tl.v));
		tl.v[0] = custom;
		memset(&custom, 0, sizeof(custom));
		tl.n = 1;
	} else {
		struct strbuf lp = STRBUF_INIT;
		ensure_targets(root);
		strbuf_addf(&lp, "%s/images/targets.list", state_dir(root));
		int r = targets_load(&tl, root, lp.buf, &err);
		strbuf_release(&lp);
		if (r) {
			fprintf(stderr, "oomtest: %s\n", err.buf);
			goto out;
		}
	}
	for (size_t i = 0; i < nwant; i++)
		if (!targets_find(&tl, want_targets[i])) {
			fprintf(stderr, "oomtest run: no target '%s' (have:", want_targets[i]);
			for (size_t j = 0; j < tl.n; j++)
				fprintf(stderr, " %s", tl.v[j].name);
			fprintf(stderr, ")\n");
			goto out;
		}

	if (results_opt)
		strbuf_addstr(&results_root, results_opt);
	else if (installed(root))
		strbuf_addstr(&results_root, "results");
	else
		strbuf_addf(&results_root, "%s/results", root);
	if (results_new_run(results_root.buf, &run_dir, &err)) {
		/* The verdicts still matter: run, keep the logs somewhere else. */
		const char *tmp = getenv("TMPDIR");
		struct strbuf alt = STRBUF_INIT;
		strbuf_addf(&alt, "%s/oomtest-results.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(alt.buf)) {
			fprintf(stderr, "oomtest: %s; no temporary directory either (%s): %s\n", err.buf,
				alt.buf, strerror(errno));
			strbuf_release(&alt);
			goto out;
		}
		fprintf(stderr, "oomtest: %s; logs of this run go to %s instead\n", err.buf, alt.buf);
		strbuf_reset(&run_dir);
		strbuf_addbuf(&run_dir, &alt);
		strbuf_release(&alt);
	}

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Which (case, target) pairs, in order: case by case. */
	struct prepared *prep = xcalloc(tl.n, sizeof(*prep));
	for (size_t j = 0; j < tl.n; j++) {
		strbuf_init(&prep[j].initrd);
		strbuf_init(&prep[j].err);
		prep[j].ok = -1; /* not yet */
	}
	struct job *jobs = xcalloc(ncases * tl.n + 1, sizeof(*jobs));
	struct job_data *jd = xcalloc(ncases * tl.n + 1, sizeof(*jd));
	size_t njobs = 0;
	for (size_t i = 0; i < ncases; i++)
		for (size_t j = 0; j < tl.n; j++) {
			int chosen = !nwant;
			for (size_t k = 0; k < nwant; k++)
				chosen |= !strcmp(want_targets[k], tl.v[j].name);
			if (!chosen)
				continue;
			jd[njobs] = (struct job_data){ .c = &cases[i], .t = &tl.v[j], .prep = &prep[j],
						       .root = root, .timeout_ms = timeout_ms,
						       .silence_ms = silence_ms, .log_limit = log_limit,
						       .snapshot_dir = cold_boot || !backend->save ? NULL : snapshot_dir.buf };
			strbuf_init(&jd[njobs].dir);
			strbuf_addf(&jd[njobs].dir, "%s/", run_dir.buf);
			add_run_name(&jd[njobs].dir, &cases[i], 1);
			strbuf_addf(&jd[njobs].dir, "/%s", tl.v[j].name);
			jobs[njobs] = (struct job){ .index = njobs, .memory = cases[i].memory, .data = &jd[njobs] };
			/* Modules and images are built here, once per target, before any guest. */
			if (needs_target(&cases[i], &tl.v[j]) && prep[j].ok < 0)
				prep[j].ok = !prepare_target(root, &tl.v[j], &prep[j].initrd, &prep[j].err);
			njobs++;
		}

	time_t started = time(NULL);
	report_init(&report, run_dir.buf, started, njobs);
	tap_begin(stdout, tap_version, njobs);
	progress_begin(stdout, njobs, !no_progress);
	sched_progress_hook = progress_update;
	/* KVM or TCG is decided once, here, not in every worker, by booting
	 * the first target that is ready (see backend_qemu.c) */
	{
		size_t j = 0;
		while (j < njobs && !jd[j].prep->ok)
			j++;
		decide_accel(backend, j < njobs ? jd[j].t : NULL, j < njobs ? jd[j].prep->initrd.buf : NULL);
	}
	size_t n;
	if (nhosts && backend == &backend_libvirt) {
		/* hosts without *SLOTS: one alone takes -j; several take one each */
		int total = 0;
		for (int h = 0; h < nhosts; h++) {
			if (!hosts[h].slots)
				hosts[h].slots = nhosts == 1 ? parallel : 1;
			total += hosts[h].slots;
		}
		if (!jobs_given || parallel > total)
			parallel = total;
		backend_libvirt_set_uri(host_uris[0]);
		n = sched_run_hosts(jobs, njobs, parallel, hosts, nhosts, run_job, report_job, &runner_interrupted);
	} else {
		n = sched_run(jobs, njobs, parallel, run_job, report_job, &runner_interrupted);
	}
	size_t not_ok = reported_not_ok;
	progress_clear();
	if (runner_interrupted || n < njobs) {
		tap_bail_out(stdout, "interrupted");
		ret = 1;
	} else {
		ret = not_ok ? 1 : 0;
	}
	fflush(stdout);
	report.seconds = progress_elapsed();
	report.interrupted = runner_interrupted || n < njobs;
	if (write_reports(&report, run_dir.buf, junit_path, json_path))
		ret = ret ? ret : 1;
	report_release(&report);
	for (size_t i = 0; i < njobs; i++)
		strbuf_release(&jd[i].dir);
	free(jd);
	free(jobs);
	fprintf(stderr, "oomtest: %zu run, %zu not ok; results in %s\n", n, not_ok, run_dir.buf);
	for (size_t j = 0; j < tl.n; j++) {
		strbuf_release(&prep[j].initrd);
		strbuf_release(&prep[j].err);
	}
	free(prep);
out:
	for (size_t i = 0; i < ncases; i++)
		case_release(&cases[i]);
	free(cases);
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	free(want_targets);
	targets_release(&tl);
	target_release(&custom);
	strbuf_release(&err);
	strbuf_release(&run_dir);
	strbuf_release(&results_root);
	strbuf_release(&snapshot_dir);
	free(root);
	return ret;
}

static int cmd_list(int argc, char **argv)
{
	char *root = project_root();
	struct target_list tl;
	struct strbuf err = STRBUF_INIT, lp = STRBUF_INIT, cdir = STRBUF_INIT;
	char **paths = NULL;
	size_t npaths = 0;
	int ret = 0;

	strbuf_addf(&lp, "%s/images/targets.list", state_dir(root));
	printf("targets:\n");
	if (targets_load(&tl, root, lp.buf, &err)) {
		printf("  (none: %s)\n", err.buf);
	} else {
		for (size_t i = 0; i < tl.n; i++)
			printf("  %-10s %-7s %-18s %s\n", tl.v[i].name, tl.v[i].arch, tl.v[i].release,
			       tl.v[i].boot == BOOT_PVH ? "pvh" : "bzimage");
		targets_release(&tl);
	}
	strbuf_addf(&cdir, "%s/cases", root);
	char *def[] = { cdir.buf };
	if (collect_case_paths(argc > 1 ? argv + 1 : def, argc > 1 ? argc - 1 : 1, &paths, &npaths))
		ret = 2;
	printf("cases:\n");
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *cs = NULL;
		size_t n = 0;
		strbuf_reset(&err);
		if (case_load_all(paths[i], &cs, &n, &err)) {
			printf("  %s", err.buf); /* "file:line: message" lines */
			ret = 2;
		} else {
			printf("  %-28s %s", cs[0].name, cs[0].description ? cs[0].description : "");
			printf(n > 1 ? " (%zu runs)\n" : "\n", n);
		}
		for (size_t k = 0; k < n; k++)
			case_release(&cs[k]);
		free(cs);
		free(paths[i]);
	}
	free(paths);
	strbuf_release(&err);
	strbuf_release(&lp);
	strbuf_release(&cdir);
	free(root);
	return ret;
}

int cmd_shell(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "memory", required_argument, NULL, 'm' },
		{ "cold-boot", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: oomtest shell [--target T] [--memory SIZE] [--cold-boot]\n"
		"An interactive guest of target T (default: the first target) with SIZE of RAM\n"
		"(default 256M): the OOM-trigger module (/lib/modules/oom_trigger.ko), the hog\n"
		"(/bin/hog), busybox and cgroup v2 on /sys/fs/cgroup. Its serial console is your\n"
		"terminal: exit (or Ctrl-D) powers the guest off, Ctrl-] kills it at once.\n"
		"Without --cold-boot it starts from a guest booted once and saved.\n";
	const char *want = NULL;
	unsigned long long memory = 256ull << 20;
	int c, cold = 0, ret = 2;
	char *root = project_root();
	struct target_list tl = { 0 };
	struct strbuf err = STRBUF_INIT, lp = STRBUF_INIT, initrd = STRBUF_INIT, shell_initrd = STRBUF_INIT,
		      snapdir = STRBUF_INIT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': want = optarg; break;
		case 'm':
			if (units_parse_size(optarg, &memory) || memory < (16ull << 20)) {
				fprintf(stderr, "oomtest shell: --memory %s: expected a size of 16M or more (e.g. 256M)\n",
					optarg);
				goto out;
			}
			break;
		case 'C': cold = 1; break;
		case 'h': fputs(usage, stdout); ret = 0; goto out;
		default: fputs(usage, stderr); goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "oomtest shell: unexpected argument '%s'\n%s", argv[optind], usage);
		goto out;
	}
	ensure_targets(root);
	strbuf_addf(&lp, "%s/images/targets.list", state_dir(root));
	if (targets_load(&tl, root, lp.buf, &err)) {
		fprintf(stderr, "oomtest: %s\n", err.buf);
		goto out;
	}
	const struct target *t = want ? targets_find(&tl, want) : tl.n ? &tl.v[0] : NULL;
	if (!t) {
		fprintf(stderr, "oomtest shell: no target '%s' (have:", want ? want : "");
		for (size_t j = 0; j < tl.n; j++)
			fprintf(stderr, " %s", tl.v[j].name);
		fprintf(stderr, ")\n");
		goto out;
	}
	if (t->min_memory && memory < t->min_memory) {
		fprintf(stderr, "oomtest shell: target %s needs at least %lluM\n", t->name, t->min_memory >> 20);
		goto out;
	}
	if (prepare_target(root, t, &initrd, &err)) {
		fprintf(stderr, "oomtest shell: %s\n", err.buf);
		goto out;
	}
	strbuf_addf(&shell_initrd, "%s/targets/%s/initramfs-shell.cpio", state_dir(root), t->name);
	if (access(shell_initrd.buf, R_OK)) {
		fprintf(stderr, "oomtest shell: %s missing: busybox was not fetched (run %s/images/fetch-targets.sh)\n",
			shell_initrd.buf, root);
		goto out;
	}
	strbuf_addf(&snapdir, "%s/snapshots", state_dir(root));
	decide_accel(&backend_qemu, t, initrd.buf);
	struct shell_request rq = {
		.backend = &backend_qemu, .target = t, .initrd = shell_initrd.buf, .memory = memory,
		.snapshot_dir = cold ? NULL : snapdir.buf, .in_fd = 0, .out_fd = 1,
	};
	ret = shell_run(&rq);
out:
	targets_release(&tl);
	strbuf_release(&err);
	strbuf_release(&lp);
	strbuf_release(&initrd);
	strbuf_release(&shell_initrd);
	strbuf_release(&snapdir);
	free(root);
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	char *root = project_root();
	struct target_list tl = { 0 };
	struct strbuf err = STRBUF_INIT, lp = STRBUF_INIT, out = STRBUF_INIT;
	char **paths = NULL;
	size_t npaths = 0;
	int ret = 0, have_targets;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs("usage: oomtest show CASE|DIR...\n", argc < 2 ? stderr : stdout);
		free(root);
		return argc < 2 ? 2 : 0;
	}
	strbuf_addf(&lp, "%s/images/targets.list", state_dir(root));
	have_targets = !targets_load(&tl, root, lp.buf, &err);
	strbuf_reset(&err);
	if (collect_case_paths(argv + 1, argc - 1, &paths, &npaths))
		ret = 2;
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *cs = NULL;
		size_t n = 0;
		strbuf_reset(&err);
		if (case_load_all(paths[i], &cs, &n, &err)) {
			fputs(err.buf, stderr);
			ret = 2;
		}
		for (size_t k = 0; k < n; k++) {
			strbuf_reset(&out);
			if (n > 1 && !k)
				printf("%s stands for %zu runs:\n", paths[i], n);
			show_case(&cs[k], have_targets ? &tl : NULL, &out);
			fputs(out.buf, stdout);
			fputc('\n', stdout);
			case_release(&cs[k]);
		}
		free(cs);
		free(paths[i]);
	}
	free(paths);
	if (have_targets)
		targets_release(&tl);
	strbuf_release(&err);
	strbuf_release(&lp);
	strbuf_release(&out);
	free(root);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		if (argc > 2 && !strcmp(argv[2], "case")) {
			struct strbuf sb = STRBUF_INIT;
			case_print_help(&sb);
			fputs(sb.buf, stdout);
			strbuf_release(&sb);
			return 0;
		}
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("oomtest %s\n", OOMTEST_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(cmd, "shell"))
		return cmd_shell(argc - 1, argv + 1);
	if (!strcmp(cmd, "parse"))
		return cmd_parse(argc - 1, argv + 1);
	fprintf(stderr, "oomtest: unknown command '%s'\n%s", cmd, usage_text);
	return 2;
}
