/* cmd_compare: `oomtest compare [--timing] [--html FILE] [--all] A B` and
 * `oomtest compare ... DIR --targets T1,T2`. */
#include "cmd/compare.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/strbuf.h"
#include "report/compare.h"
#include "report/compare_html.h"
#include "report/compare_text.h"

static const char usage[] =
	"usage: oomtest compare [--timing] [--html FILE] [--all] A B\n"
	"       oomtest compare [--timing] [--html FILE] [--all] DIR --targets T1,T2\n"
	"\n"
	"Puts two runs side by side, case by case: their verdicts, and every fact\n"
	"whose value differs or that one run has and the other has not (the OOM\n"
	"victim, the kill count, the constraint, the order, memcg counters, the\n"
	"buddy state...). A and B are result directories: a run directory holding\n"
	"report.json, or a results directory whose latest link points at one. Runs\n"
	"are matched by case and target; when none match so and each side ran one\n"
	"target, by case alone (your kernel against another). With --targets, the\n"
	"runs of T1 and T2 in DIR are matched by case.\n"
	"\n"
	"  --timing          also compare timing facts (*.seconds, *_seconds, *.ms,\n"
	"                    *_ms, *_usec, boot.*, run.*, harness.*, oom.N.time,\n"
	"                    cgroup pressure stall times)\n"
	"  --html FILE       also write the comparison as an HTML page to FILE\n"
	"  --all             also list the pairs in which nothing differs\n"
	"  --targets T1,T2   compare two targets of the one run DIR\n"
	"  --help            this text\n"
	"\n"
	"Never compared: process ids (*.pid, *_pid, and those of proc.*, cgroup\n"
	"procs, threads and tasks), oom.N.line, *.samples, context switches and\n"
	"agent.dropped_bytes. oom.last.* is compared only when the counts of OOM\n"
	"events differ.\n"
	"\n"
	"Exit status: 0 when no verdict differs, 1 when one does, 2 on a usage\n"
	"error or bad input.\n";

struct compare_args {
	struct compare_options opt;
	int all;
	const char *html;
	char *targets[2];          /* --targets T1,T2 */
	const char *dirs[2];
	int ndirs;
};

/* "T1,T2": two different target names. */
static int split_targets(const char *arg, char *out[2])
{
	const char *comma = strchr(arg, ',');

	if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ','))
		return -1;
	out[0] = xstrndup(arg, (size_t)(comma - arg));
	out[1] = xstrdup(comma + 1);
	return strcmp(out[0], out[1]) ? 0 : -1;
}

/* 0, 1 for --help (printed), or 2 after a message. */
static int parse_args(struct compare_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timing", no_argument, NULL, 'T' },
		{ "html", required_argument, NULL, 'H' },
		{ "all", no_argument, NULL, 'a' },
		{ "targets", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'T': a->opt.timing = 1; break;
		case 'a': a->all = 1; break;
		case 'h': fputs(usage, stdout); return 1;
		case 'H':
			if (!*optarg) {
				fputs("oomtest compare: --html needs a file name\n", stderr);
				return 2;
			}
			a->html = optarg;
			break;
		case 't':
			free(a->targets[0]);
			free(a->targets[1]);
			a->targets[0] = a->targets[1] = NULL;
			if (split_targets(optarg, a->targets)) {
				fprintf(stderr, "oomtest compare: --targets %s: expected two different targets, T1,T2\n",
					optarg);
				return 2;
			}
			break;
		case ':':
			fprintf(stderr, "oomtest compare: %s needs an argument\n%s", argv[optind - 1], usage);
			return 2;
		default:
			fprintf(stderr, "oomtest compare: unknown option %s\n%s", argv[optind - 1], usage);
			return 2;
		}
	}
	int want = a->targets[0] ? 1 : 2;
	for (; optind < argc && a->ndirs < 2; optind++)
		a->dirs[a->ndirs++] = argv[optind];
	if (a->ndirs != want || optind < argc) {
		fprintf(stderr, "oomtest compare: %s\n%s",
			want == 1 ? "--targets compares two targets of one directory: give one DIR"
				  : "give two result directories, A and B (or one DIR with --targets)",
			usage);
		return 2;
	}
	return 0;
}

/* "N runs on T1 T2" */
static void describe(struct strbuf *out, const struct compare_report *r)
{
	const char **t;
	size_t n = compare_report_targets(r, &t);

	strbuf_addf(out, "%zu run%s", r->n, r->n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s%s", i ? " " : " on ", t[i]);
	free(t);
}

static int load(struct compare_report *r, const char *dir, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int ret = compare_find_report(dir, &path, err) ? -1 : compare_load_report(r, path.buf, err);

	strbuf_release(&path);
	return ret;
}

/* Builds the comparison; 0, or -1 with a message in err. */
static int compare(const struct compare_args *a, struct compare_report rep[2], struct compare_result *res,
		   struct strbuf *err)
{
	for (int i = 0; i < a->ndirs; i++)
		if (load(&rep[i], a->dirs[i], err))
			return -1;
	if (a->targets[0]) {
		if (compare_targets(res, &rep[0], a->targets[0], a->targets[1], &a->opt, err))
			return -1;
		if (!res->pairs)
			strbuf_addf(err, "targets %s and %s ran no case in common in %s", a->targets[0], a->targets[1],
				    rep[0].path);
	} else {
		compare_reports(res, &rep[0], &rep[1], &a->opt);
		if (!res->pairs) {
			strbuf_addf(err, "no case in common: A (%s) has ", rep[0].path);
			describe(err, &rep[0]);
			strbuf_addf(err, ", B (%s) has ", rep[1].path);
			describe(err, &rep[1]);
		}
	}
	return res->pairs ? 0 : -1;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = { 0 };
	struct compare_report rep[2] = { 0 };
	struct compare_result res = { 0 };
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	int ret = parse_args(&a, argc, argv);

	if (ret) {
		ret = ret == 1 ? 0 : 2;
		goto out;
	}
	ret = 2;
	if (compare(&a, rep, &res, &err))
		goto fail;
	compare_text(&res, a.all, &text);
	/* the page first: when it cannot be written, nothing is printed */
	if (a.html && compare_html_write(&res, a.all, a.html, &err))
		goto fail;
	int e = fs_write_all(STDOUT_FILENO, text.buf, text.len);
	if (e) {
		strbuf_addf(&err, "stdout: %s", strerror(-e));
		goto fail;
	}
	ret = res.verdicts_differ ? 1 : 0;
	goto out;
fail:
	fprintf(stderr, "oomtest compare: %s\n", err.buf);
out:
	compare_result_release(&res);
	compare_report_release(&rep[0]);
	compare_report_release(&rep[1]);
	free(a.targets[0]);
	free(a.targets[1]);
	strbuf_release(&err);
	strbuf_release(&text);
	return ret;
}
