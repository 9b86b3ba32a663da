/* run: the run command's command line (see run.h). */
#include "cmd/run.h"
#include "report/report.h"
#include "cmd/common.h"
#include "cmd/help.h"
#include "cmd/kconfig.h"
#include "cmd/run_jobs.h"
#include "run/results.h"
#include "lib/units.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct run_args {
	struct run_setup setup;
	const char *kernel, *kdir, *arch, *results;
	int cold_boot;
	/* --backend lava: the server, its token, where artifacts are served */
	const char *lava_url, *lava_token, *lava_artifacts_url, *lava_artifacts_dir;
};

/* --connect URI or URI*SLOTS; 0, or -1 with a message. */
static int add_host(struct run_setup *s, char *arg)
{
	char *star = strrchr(arg, '*');
	long slots = 0;

	if (star && star[1] && strspn(star + 1, "0123456789") == strlen(star + 1)) {
		slots = strtol(star + 1, NULL, 10);
		*star = '\0';
		if (slots < 1 || slots > 64) {
			fprintf(stderr, "oomtest: --connect %s*%s: slots from 1 to 64\n", arg, star + 1);
			return -1;
		}
	}
	s->hosts = xrealloc(s->hosts, (size_t)(s->nhosts + 1) * sizeof(*s->hosts));
	s->host_uris = xrealloc(s->host_uris, (size_t)(s->nhosts + 1) * sizeof(*s->host_uris));
	s->host_uris[s->nhosts] = arg;
	if (!s->nhosts)
		backend_libvirt_set_uri(arg);
	s->hosts[s->nhosts] = (struct sched_host){ .label = arg, .slots = (int)slots };
	s->nhosts++;
	return 0;
}

static const struct backend_ops *const backends[] = { &backend_qemu, &backend_libvirt, &backend_lava_local,
						       &backend_lava_server };

/* One option; 0, or -1 with a message. */
static int take_option(struct run_args *a, int c, char *arg)
{
	struct run_setup *s = &a->setup;

	switch (c) {
	case 't':
		s->want_targets = xrealloc(s->want_targets, (s->nwant + 1) * sizeof(char *));
		s->want_targets[s->nwant++] = arg;
		return 0;
	case 'T':
		if (!units_parse_duration(arg, &s->timeout_ms))
			return 0;
		fprintf(stderr, "oomtest: --timeout %s: expected seconds (e.g. 60 or 90s)\n", arg);
		return -1;
	case 'k': a->kernel = arg; return 0;
	case 'd': a->kdir = arg; return 0;
	case 'a': a->arch = arg; return 0;
	case 'r': a->results = arg; return 0;
	case 'S':
		if (!units_parse_duration(arg, &s->silence_ms))
			return 0;
		fprintf(stderr, "oomtest: --silence %s: expected seconds (e.g. 30 or 30s)\n", arg);
		return -1;
	case 'C': a->cold_boot = 1; return 0;
	case 'J': s->junit_path = arg; return 0;
	case 'O': s->json_path = arg; return 0;
	case 'N': s->progress = 0; return 0;
	case 'b': s->bisect = 1; return 0;
	case '1': s->single_console = 1; return 0;
	case 'B':
		for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
			if (!strcmp(arg, backends[i]->name)) {
				s->backend = backends[i];
				return 0;
			}
		fprintf(stderr, "oomtest: --backend %s: qemu, libvirt, lava-local or lava\n", arg);
		return -1;
	case 'U':
		return add_host(s, arg);
	case 'u': a->lava_url = arg; return 0;
	case 'K': a->lava_token = arg; return 0;
	case 'A': a->lava_artifacts_url = arg; return 0;
	case 'D': a->lava_artifacts_dir = arg; return 0;
	case 'L':
		if (!units_parse_size(arg, &s->log_limit) && s->log_limit >= 4096)
			return 0;
		fprintf(stderr, "oomtest: --log-limit %s: expected a size of 4K or more (e.g. 64M)\n", arg);
		return -1;
	case 'V':
		if (!strcmp(arg, "13") || !strcmp(arg, "14")) {
			s->tap_version = atoi(arg);
			return 0;
		}
		fprintf(stderr, "oomtest: --tap-version %s: 13 or 14\n", arg);
		return -1;
	case 'j': {
		char *end;
		long v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 64) {
			fprintf(stderr, "oomtest: -j %s: expected a number of guests from 1 to 64\n", arg);
			return -1;
		}
		s->parallel = (int)v;
		s->jobs_given = 1;
		return 0;
	}
	}
	help_print_usage(stderr);
	return -1;
}

/* Returns 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_options(struct run_args *a, int argc, char **argv)
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
		{ "bisect", no_argument, NULL, 'b' },
		{ "single-console", no_argument, NULL, '1' },
		{ "lava-url", required_argument, NULL, 'u' },
		{ "lava-token", required_argument, NULL, 'K' },
		{ "lava-artifacts-url", required_argument, NULL, 'A' },
		{ "lava-artifacts-dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	a->setup.backend = &backend_qemu;
	a->setup.log_limit = 64ull << 20;
	a->setup.parallel = ncpu > 0 ? (int)(ncpu > 64 ? 64 : ncpu) : 1;
	a->setup.tap_version = 13;
	a->setup.progress = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:j:h", opts, NULL)) != -1) {
		if (c == 'h') {
			help_print_usage(stdout);
			return 1;
		}
		if (take_option(a, c, optarg))
			return -1;
	}
	/* a LAVA job's guest has its console only; lava-run must be there */
	if (a->setup.backend == &backend_lava_local) {
		struct strbuf err = STRBUF_INIT;
		int r = backend_lava_local_usable((unsigned)geteuid(), &err);

		if (r)
			fprintf(stderr, "oomtest run: %s\n", err.buf);
		strbuf_release(&err);
		if (r)
			return -1;
		a->setup.single_console = 1;
	}
	/* a LAVA server's job: its URL and a token (or OOMTEST_LAVA_TOKEN) */
	if (a->setup.backend == &backend_lava_server) {
		if (!a->lava_token)
			a->lava_token = getenv("OOMTEST_LAVA_TOKEN");
		if (!a->lava_url || !a->lava_token) {
			fprintf(stderr, "oomtest run: --backend lava needs --lava-url URL and --lava-token TOKEN "
					"(or OOMTEST_LAVA_TOKEN)\n");
			return -1;
		}
		if (!a->lava_artifacts_url != !a->lava_artifacts_dir) {
			fprintf(stderr, "oomtest run: --lava-artifacts-url and --lava-artifacts-dir go together\n");
			return -1;
		}
		backend_lava_server_set(a->lava_url, a->lava_token, a->lava_artifacts_url, a->lava_artifacts_dir);
		a->setup.single_console = 1;
	} else if (a->lava_url || a->lava_token || a->lava_artifacts_url || a->lava_artifacts_dir) {
		fprintf(stderr, "oomtest run: the --lava-* options are for --backend lava\n");
		return -1;
	}
	/* libvirt gives its domains their own devices (harness/backend/libvirt_xml.c) */
	if (a->setup.single_console && a->setup.backend == &backend_libvirt) {
		fprintf(stderr, "oomtest run: --single-console needs the qemu backend (libvirt's domains "
				"always have an agent channel)\n");
		return -1;
	}
	if (optind >= argc) {
		fprintf(stderr, "oomtest run: no case given\n");
		help_print_usage(stderr);
		return -1;
	}
	return 0;
}

/* A new directory under --results (or the default); when it cannot be made
 * the verdicts still matter: the logs go to a temporary directory. 0, or -1
 * with a message. */
static int make_run_dir(const char *results, const char *root, struct strbuf *run_dir)
{
	struct strbuf results_root = STRBUF_INIT, err = STRBUF_INIT, alt = STRBUF_INIT;
	int r = 0;

	if (results)
		strbuf_addstr(&results_root, results);
	else if (project_installed(root))
		strbuf_addstr(&results_root, "results");
	else
		strbuf_addf(&results_root, "%s/results", root);
	if (results_new_run(results_root.buf, run_dir, &err)) {
		const char *tmp = getenv("TMPDIR");
		strbuf_addf(&alt, "%s/oomtest-results.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(alt.buf)) {
			fprintf(stderr, "oomtest: %s; no temporary directory either (%s): %s\n", err.buf,
				alt.buf, strerror(errno));
			r = -1;
		} else {
			fprintf(stderr, "oomtest: %s; logs of this run go to %s instead\n", err.buf, alt.buf);
			strbuf_reset(run_dir);
			strbuf_addbuf(run_dir, &alt);
		}
	}
	strbuf_release(&results_root);
	strbuf_release(&err);
	strbuf_release(&alt);
	return r;
}

/* --bisect among the arguments, for a usage error found before it was read */
static int bisect_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--bisect"))
			return 1;
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { 0 };
	struct target_list tl = { 0 };
	struct strbuf run_dir = STRBUF_INIT, snapshot_dir = STRBUF_INIT;
	struct oomcase *cases = NULL;
	size_t ncases = 0;
	char *root = project_root();
	int ret = 2, r;

	strbuf_addf(&snapshot_dir, "%s/snapshots", state_dir(root));
	if ((r = parse_options(&a, argc, argv))) {
		ret = r > 0 ? 0 : bisect_wanted(argc, argv) ? REPORT_BISECT_ABORT : 2;
		goto out;
	}
	/* a case file in error is so at every commit: bisecting stops */
	if (load_run_cases("run", argv + optind, argc - optind, &cases, &ncases)) {
		ret = a.setup.bisect ? REPORT_BISECT_ABORT : 2;
		goto out;
	}
	/* a kernel or module that does not build at this commit skips it */
	if (a.setup.bisect)
		ret = REPORT_BISECT_SKIP;
	struct target_choice tc = { a.kernel, a.kdir, a.arch, a.setup.want_targets, a.setup.nwant };
	if (choose_targets("run", &tc, root, &tl) || (a.kdir && kconfig_check_run(&tl.v[0], cases, ncases)) ||
	    make_run_dir(a.results, root, &run_dir))
		goto out;
	a.setup.root = root;
	/* a saved guest booted without the plan a single console bakes in */
	a.setup.snapshot_dir = a.cold_boot || a.setup.single_console || !a.setup.backend->save ? NULL
												: snapshot_dir.buf;
	ret = run_jobs(&a.setup, cases, ncases, &tl, run_dir.buf);
out:
	for (size_t i = 0; i < ncases; i++)
		case_release(&cases[i]);
	free(cases);
	free(a.setup.want_targets);
	free(a.setup.hosts);
	free(a.setup.host_uris);
	targets_release(&tl);
	strbuf_release(&run_dir);
	strbuf_release(&snapshot_dir);
	free(root);
	return ret;
}
