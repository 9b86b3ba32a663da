/* Tests for cmd/compare.c (`oomtest compare`): the exit codes, the output
 * of the real fixture, a results directory's latest link, --html, and each
 * bad input with its message and nothing written. */
#include "fixtures/compare/compare_fixture.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "cmd/compare.h"

struct ran {
	int rc;
	char *out, *err;
};

/* Runs cmd_compare with stdout and stderr caught in files. */
static struct ran run(int argc, const char **argv)
{
	char out[] = "/tmp/oomtest-compare-out.XXXXXX", err[] = "/tmp/oomtest-compare-err.XXXXXX";
	int fo = mkstemp(out), fe = mkstemp(err), saved_out = dup(1), saved_err = dup(2);
	struct ran r;

	assert_true(fo >= 0 && fe >= 0 && saved_out >= 0 && saved_err >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(fo, 1);
	dup2(fe, 2);
	r.rc = cmd_compare(argc, (char **)argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(fo);
	close(fe);
	r.out = slurp(out);
	r.err = slurp(err);
	unlink(out);
	unlink(err);
	return r;
}

static void done(struct ran *r)
{
	free(r->out);
	free(r->err);
}

/* `oomtest compare ARG...`: the arguments end with NULL. */
static struct ran compare_cmd(const char *arg, ...)
{
	const char *argv[16] = { "compare" };
	int argc = 1;
	va_list ap;

	va_start(ap, arg);
	for (; arg; arg = va_arg(ap, const char *)) {
		assert_true(argc < 15);
		argv[argc++] = arg;
	}
	va_end(ap);
	return run(argc, argv);
}

/* Exit 2, nothing on stdout, and this on stderr. */
static void expect_error(struct ran r, const char *message)
{
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.out, "");
	if (!strstr(r.err, message))
		fail_msg("stderr \"%s\" lacks \"%s\"", r.err, message);
	done(&r);
}

static void test_exit_codes(void **state)
{
	(void)state;

	/* a run against itself: nothing differs */
	struct ran r = compare_cmd(RUN_A, RUN_A, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "\n8 pairs, 0 verdicts differ, 0 with differing facts, 0 only in A, 0 only in B\n"));
	done(&r);

	/* a verdict differs: 1, the golden text */
	r = compare_cmd(RUN_A, RUN_B, NULL);
	assert_int_equal(r.rc, 1);
	char *want = slurp("fixtures/compare/edited.txt");
	assert_string_equal(r.out, want);
	free(want);
	done(&r);

	/* options anywhere */
	r = compare_cmd(RUN_A, "--all", RUN_B, "--timing", NULL);
	assert_int_equal(r.rc, 1);
	want = slurp("fixtures/compare/edited-timing-all.txt");
	assert_string_equal(r.out, want);
	free(want);
	done(&r);

	r = compare_cmd(RUN_A, "--targets", "x86_64,x86_64-6.12", NULL);
	assert_int_equal(r.rc, 1);
	want = slurp("fixtures/compare/targets.txt");
	assert_string_equal(r.out, want);
	free(want);
	done(&r);

	r = compare_cmd("--targets=x86_64-6.12,x86_64", RUN_B, NULL);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.out, "B: " REPORT_B " (run 20261206-084734-edited), target x86_64\n"));
	done(&r);

	/* two targets whose verdicts agree, their facts not */
	char dir[64];
	temp_dir(dir);
	write_in(dir, "report.json",
		 HEAD RUN("x", "t", "pass", "\"a\": \"1\"") "," RUN("x", "u", "pass", "\"a\": \"2\"") TAIL, NULL);
	r = compare_cmd(dir, "--targets", "t,u", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "\n= x [t -> u]: pass, pass, 1 fact differs\n    a  1  2\n"));
	done(&r);
	remove_dir(dir);

	r = compare_cmd("--help", NULL);
	assert_int_equal(r.rc, 0);
	assert_true(!strncmp(r.out, "usage: oomtest compare", 22));
	done(&r);
}

/* A results directory: its latest run. */
static void test_results_dir(void **state)
{
	char dir[64];
	struct strbuf results = STRBUF_INIT, run_dir = STRBUF_INIT, link = STRBUF_INIT;
	(void)state;

	temp_dir(dir);
	strbuf_addf(&results, "%s/results", dir);
	strbuf_addf(&run_dir, "%s/20261206-084734", results.buf);
	char *report = slurp(REPORT_B);
	write_in(run_dir.buf, "report.json", report, NULL);
	free(report);
	strbuf_addf(&link, "%s/latest", results.buf);
	assert_int_equal(symlink("20261206-084734", link.buf), 0);
	struct ran r = compare_cmd(RUN_A, results.buf, NULL);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.out, "/results/latest/report.json (run 20261206-084734-edited)\n"));
	assert_non_null(strstr(r.out, "! kmod-order0-backup [x86_64]: pass -> fail, 5 facts differ\n"));
	done(&r);
	remove_dir(dir);
	strbuf_release(&results);
	strbuf_release(&run_dir);
	strbuf_release(&link);
}

static void test_html(void **state)
{
	char dir[64];
	struct strbuf page = STRBUF_INIT, bad = STRBUF_INIT;
	(void)state;

	temp_dir(dir);
	strbuf_addf(&page, "%s/compare.html", dir);
	struct ran r = compare_cmd("--html", page.buf, RUN_A, RUN_B, NULL);
	assert_int_equal(r.rc, 1);
	char *want = slurp("fixtures/compare/edited.txt");
	assert_string_equal(r.out, want);
	free(want);
	done(&r);
	char *html = slurp(page.buf);
	assert_true(!strncmp(html, "<!DOCTYPE html>", 15));
	assert_non_null(strstr(html, "oom.1.victim.comm"));
	free(html);

	/* a page that cannot be written: exit 2, nothing on stdout */
	strbuf_addf(&bad, "%s/no/such/dir/compare.html", dir);
	r = compare_cmd("--html", bad.buf, RUN_A, RUN_B, NULL);
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, bad.buf));
	done(&r);

	/* bad input: no page written */
	assert_int_equal(unlink(page.buf), 0);
	expect_error(compare_cmd("--html", page.buf, RUN_A, dir, NULL), "no report.json");
	assert_int_equal(access(page.buf, F_OK), -1);
	remove_dir(dir);
	strbuf_release(&page);
	strbuf_release(&bad);
}

static void test_bad_input(void **state)
{
	char dir[64];
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, want = STRBUF_INIT, path = STRBUF_INIT;
	(void)state;

	temp_dir(dir);
	/* a directory with no report.json: the paths tried */
	strbuf_addf(&want, "oomtest compare: %s: no report.json (tried %s/report.json and %s/latest/report.json)\n",
		    dir, dir, dir);
	struct ran r = compare_cmd(RUN_A, dir, NULL);
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, want.buf);
	done(&r);

	/* a malformed report.json: the file and json-c's error */
	strbuf_addf(&a, "%s/broken", dir);
	write_in(a.buf, "report.json", "{\"format\": \"oomtest-report\", \"version\": 1, \"runs\": [}", &path);
	strbuf_reset(&want);
	strbuf_addf(&want, "oomtest compare: %s: invalid JSON at byte 52: ", path.buf);
	expect_error(compare_cmd(a.buf, RUN_A, NULL), want.buf);
	strbuf_reset(&path);

	/* an unreadable one */
	strbuf_addf(&b, "%s/dir-report", dir);
	strbuf_addf(&path, "%s/report.json", b.buf);
	assert_int_equal(fs_mkdirs(path.buf), 0);
	strbuf_reset(&want);
	strbuf_addf(&want, "oomtest compare: %s: Is a directory\n", path.buf);
	r = compare_cmd(RUN_A, b.buf, NULL);
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.err, want.buf);
	done(&r);

	/* no case in common */
	strbuf_reset(&b);
	strbuf_addf(&b, "%s/other", dir);
	write_in(b.buf, "report.json", HEAD RUN("x", "t", "pass", "") "," RUN("y", "u", "pass", "") TAIL, NULL);
	strbuf_reset(&want);
	strbuf_addf(&want,
		    "oomtest compare: no case in common: A (" REPORT_A ") has 8 runs on x86_64 x86_64-6.12, B (%s/report.json) "
		    "has 2 runs on t u\n",
		    b.buf);
	r = compare_cmd(RUN_A, b.buf, NULL);
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.err, want.buf);
	done(&r);

	/* one kernel against another, no case in common by name either */
	strbuf_reset(&b);
	strbuf_addf(&b, "%s/mine", dir);
	write_in(b.buf, "report.json", HEAD RUN("x", "mine", "pass", "") TAIL, NULL);
	expect_error(compare_cmd(b.buf, a.buf, "--targets", "t,u", NULL), "--targets compares two targets of one directory");
	expect_error(compare_cmd(b.buf, "--targets", "mine,x86_64", NULL),
		     "no target 'x86_64' in "); /* the list of what it has follows */
	r = compare_cmd(RUN_A, "--targets", "x86_64,arm64", NULL);
	assert_int_equal(r.rc, 2);
	assert_string_equal(r.err,
			    "oomtest compare: no target 'arm64' in " REPORT_A " (have: x86_64 x86_64-6.12)\n");
	done(&r);

	/* the targets ran no case in common */
	strbuf_reset(&b);
	strbuf_addf(&b, "%s/split", dir);
	write_in(b.buf, "report.json", HEAD RUN("x", "t", "pass", "") "," RUN("y", "u", "pass", "") TAIL, NULL);
	expect_error(compare_cmd(b.buf, "--targets", "t,u", NULL), "targets t and u ran no case in common in ");

	remove_dir(dir);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&want);
	strbuf_release(&path);
}

static void test_usage_errors(void **state)
{
	(void)state;
	expect_error(compare_cmd(NULL), "give two result directories, A and B");
	expect_error(compare_cmd(RUN_A, NULL), "give two result directories, A and B");
	expect_error(compare_cmd(RUN_A, RUN_B, RUN_A, NULL), "give two result directories, A and B");
	expect_error(compare_cmd(RUN_A, RUN_B, "--targets", "x86_64,i386", NULL),
		     "--targets compares two targets of one directory: give one DIR");
	expect_error(compare_cmd(RUN_A, "--targets", "x86_64", NULL),
		     "--targets x86_64: expected two different targets, T1,T2");
	expect_error(compare_cmd(RUN_A, "--targets", "x86_64,", NULL), "expected two different targets");
	expect_error(compare_cmd(RUN_A, "--targets", ",x86_64", NULL), "expected two different targets");
	expect_error(compare_cmd(RUN_A, "--targets", "a,b,c", NULL), "expected two different targets");
	expect_error(compare_cmd(RUN_A, "--targets", "x86_64,x86_64", NULL), "expected two different targets");
	expect_error(compare_cmd(RUN_A, RUN_B, "--bogus", NULL), "oomtest compare: unknown option --bogus\nusage:");
	expect_error(compare_cmd(RUN_A, RUN_B, "--html", NULL), "oomtest compare: --html needs an argument\nusage:");
	expect_error(compare_cmd(RUN_A, RUN_B, "--html=", NULL), "oomtest compare: --html needs a file name");
	/* parsing starts afresh at each call */
	struct ran r = compare_cmd(RUN_A, RUN_A, NULL);
	assert_int_equal(r.rc, 0);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_results_dir),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_usage_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
