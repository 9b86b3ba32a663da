/* Tests for report/compare_read.c: report.json read back (the real fixture
 * and each way a file can be wrong), and where a result directory keeps it. */
#include "fixtures/compare/compare_fixture.h"

#include <sys/stat.h>

/* ---- the real report.json ---- */

static const struct compare_run *run_of(const struct compare_report *r, const char *name, const char *target)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name) && !strcmp(r->v[i].target, target))
			return &r->v[i];
	return NULL;
}

static void test_read_fixture(void **state)
{
	struct compare_report r;
	(void)state;

	load_fixture(&r, REPORT_A);
	assert_string_equal(r.path, REPORT_A);
	assert_string_equal(r.run_id, "20261206-084734");
	assert_int_equal(r.n, 8);
	const struct compare_run *k = run_of(&r, "kmod-order0-backup", "x86_64");
	assert_non_null(k);
	assert_string_equal(k->verdict, "pass");
	assert_string_equal(k->arch, "x86_64");
	assert_string_equal(k->release, "6.1.0-50-amd64");
	assert_string_equal(k->reason, "");
	assert_int_equal(k->nfailed, 0);
	assert_int_equal(k->facts.n, 340);
	assert_string_equal(facts_get(&k->facts, "oom.1.victim.comm"), "insmod");
	/* facts keep the report's order: the first is the first facts.json has */
	assert_string_equal(k->facts.v[0].name, "vm.accel");

	const struct compare_run *s = run_of(&r, "memcg-v1-kill", "x86_64-6.12");
	assert_non_null(s);
	assert_string_equal(s->verdict, "skip");
	assert_string_equal(s->reason, "needs cgroup-v1: CONFIG_MEMCG_V1 is not set");
	assert_int_equal(s->facts.n, 0);

	const char **targets;
	assert_int_equal(compare_report_targets(&r, &targets), 2);
	assert_string_equal(targets[0], "x86_64");
	assert_string_equal(targets[1], "x86_64-6.12");
	free(targets);
	compare_report_release(&r);

	/* the edited copy: a failed expectation, as "TEXT (seen VALUE)" */
	load_fixture(&r, REPORT_B);
	k = run_of(&r, "kmod-order0-backup", "x86_64");
	assert_string_equal(k->verdict, "fail");
	assert_int_equal(k->nfailed, 1);
	assert_string_equal(k->failed[0], "oom.1.victim.comm == insmod (seen hog)");
	assert_null(facts_get(&k->facts, "oom.1.partial"));
	assert_non_null(run_of(&r, "memcg-v2-oom-group", "x86_64"));
	assert_null(run_of(&r, "memcg-v1-kill", "x86_64-6.12"));
	compare_report_release(&r);
}

static void test_read_optional_fields(void **state)
{
	struct compare_report r;
	(void)state;

	/* no arch, release, reason, expectations or facts; nulls as absent;
	 * an expectation not judged (seen null) is not a failure */
	report_from(&r, "t.json",
		    "{\"format\": \"oomtest-report\", \"version\": 1, \"runs\": [{\"name\": \"a\", \"target\": \"t\", "
		    "\"verdict\": \"timeout\", \"reason\": null, \"arch\": null, \"facts\": null, \"expectations\": "
		    "[{\"text\": \"oom.count == 1\", \"seen\": null, \"ok\": null}, 7, "
		    "{\"text\": \"panic == 0\", \"seen\": \"0\", \"ok\": true}]}]}\n\n");
	assert_string_equal(r.run_id, "");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].verdict, "timeout");
	assert_string_equal(r.v[0].arch, "");
	assert_string_equal(r.v[0].release, "");
	assert_string_equal(r.v[0].reason, "");
	assert_int_equal(r.v[0].nfailed, 0);
	assert_int_equal(r.v[0].facts.n, 0);
	compare_report_release(&r);

	report_from(&r, "t.json", HEAD TAIL);
	assert_int_equal(r.n, 0);
	compare_report_release(&r);
}

/* ---- each bad input, with a message naming the file ---- */

static void expect_bad(const char *text, size_t len, const char *message)
{
	struct compare_report r;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(compare_parse_report(&r, "dir/report.json", text, len, &err), -1);
	if (strncmp(err.buf, "dir/report.json: ", 17) || !strstr(err.buf, message))
		fail_msg("for %.60s: got \"%s\", want \"%s\"", text, err.buf, message);
	/* nothing is left to release */
	assert_null(r.v);
	assert_null(r.path);
	assert_int_equal(r.n, 0);
	compare_report_release(&r);
	strbuf_release(&err);
}

static void test_read_bad_input(void **state)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "", "invalid JSON at byte 0: unexpected end of file" },
		{ "{\"format\": \"oomtest-rep", "invalid JSON at byte 23: unexpected end of file" },
		{ "{\"format\" \"x\"}", "invalid JSON at byte 10: " },
		{ "{} {}", "invalid JSON at byte 3: text after the document" },
		{ "[1, 2]", "not an oomtest report (not a JSON object)" },
		{ "{\"runs\": []}", "not an oomtest report (no \"format\": \"oomtest-report\")" },
		{ "{\"format\": 3}", "the document: \"format\" is not a string" },
		{ "{\"format\": \"junit\"}", "not an oomtest report" },
		{ "{\"format\": \"oomtest-report\"}", "no \"version\" number" },
		{ "{\"format\": \"oomtest-report\", \"version\": \"1\"}", "no \"version\" number" },
		{ "{\"format\": \"oomtest-report\", \"version\": 2, \"runs\": []}",
		  "report format version 2; this oomtest reads version 1" },
		{ "{\"format\": \"oomtest-report\", \"version\": 1}", "no \"runs\" array" },
		{ "{\"format\": \"oomtest-report\", \"version\": 1, \"runs\": {}}", "no \"runs\" array" },
		{ HEAD "3" TAIL, "runs[0]: not an object" },
		{ HEAD RUN("a", "t", "pass", "") ", {\"target\": \"t\", \"verdict\": \"pass\"}" TAIL,
		  "runs[1]: no \"name\"" },
		{ HEAD "{\"name\": 1, \"target\": \"t\", \"verdict\": \"pass\"}" TAIL, "runs[0]: \"name\" is not a string" },
		{ HEAD "{\"name\": \"a\", \"verdict\": \"pass\"}" TAIL, "runs[0]: no \"target\"" },
		{ HEAD "{\"name\": \"a\", \"target\": \"t\"}" TAIL, "runs[0]: no \"verdict\"" },
		{ HEAD "{\"name\": \"a\", \"target\": \"t\", \"verdict\": \"pass\", \"reason\": []}" TAIL,
		  "runs[0]: \"reason\" is not a string" },
		{ HEAD RUN("a", "t", "pass", "\"oom.count\": 1") TAIL, "runs[0]: fact \"oom.count\" is not a string" },
		{ HEAD "{\"name\": \"a\", \"target\": \"t\", \"verdict\": \"pass\", \"facts\": []}" TAIL,
		  "runs[0]: \"facts\" is not an object" },
		{ HEAD "{\"name\": \"a\", \"target\": \"t\", \"verdict\": \"pass\", \"expectations\": {}}" TAIL,
		  "runs[0]: \"expectations\" is not an array" },
		{ HEAD "{\"name\": \"a\", \"target\": \"t\", \"verdict\": \"fail\", \"expectations\": [{\"text\": 1}]}" TAIL,
		  "runs[0]: \"text\" is not a string" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i].text, strlen(bad[i].text), bad[i].message);
	/* a NUL byte is not white space after the document */
	expect_bad("{}\n\0", 4, "invalid JSON at byte 3: text after the document");
	/* nesting deeper than json-c takes */
	struct strbuf deep = STRBUF_INIT;
	for (int i = 0; i < 200; i++)
		strbuf_addch(&deep, '[');
	expect_bad(deep.buf, deep.len, "invalid JSON at byte");
	strbuf_release(&deep);
}

static void test_load_errors(void **state)
{
	struct compare_report r;
	struct strbuf err = STRBUF_INIT;
	char dir[64];
	(void)state;

	assert_int_equal(compare_load_report(&r, "/nonexistent/report.json", &err), -1);
	assert_string_equal(err.buf, "/nonexistent/report.json: No such file or directory");
	assert_null(r.v);
	strbuf_reset(&err);

	temp_dir(dir);
	struct strbuf path = STRBUF_INIT;
	write_in(dir, "report.json", "{\"format\": \"oomtest-report\", \"version\": 1, \"runs\": [", &path);
	assert_int_equal(compare_load_report(&r, path.buf, &err), -1);
	assert_true(!strncmp(err.buf, path.buf, path.len));
	assert_non_null(strstr(err.buf, ": invalid JSON at byte 52: unexpected end of file"));
	strbuf_release(&path);
	strbuf_reset(&err);
	remove_dir(dir);
	strbuf_release(&err);
}

/* ---- a result directory's report.json ---- */

static void test_find_report(void **state)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, results = STRBUF_INIT, run = STRBUF_INIT,
		      link = STRBUF_INIT;
	char dir[64];
	(void)state;

	/* a run directory, with or without a trailing slash */
	assert_int_equal(compare_find_report(RUN_A, &path, &err), 0);
	assert_string_equal(path.buf, REPORT_A);
	strbuf_reset(&path);
	assert_int_equal(compare_find_report(RUN_A "/", &path, &err), 0);
	assert_string_equal(path.buf, REPORT_A);
	strbuf_reset(&path);

	/* a results directory: its latest link */
	temp_dir(dir);
	strbuf_addf(&results, "%s/results", dir);
	strbuf_addf(&run, "%s/20261206-084734", results.buf);
	write_in(run.buf, "report.json", HEAD TAIL, NULL);
	strbuf_addf(&link, "%s/latest", results.buf);
	assert_int_equal(symlink("20261206-084734", link.buf), 0);
	assert_int_equal(compare_find_report(results.buf, &path, &err), 0);
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "%s/latest/report.json", results.buf);
	assert_string_equal(path.buf, want.buf);
	strbuf_reset(&path);
	strbuf_reset(&want);
	assert_int_equal(err.len, 0);

	/* neither: both paths tried are named */
	assert_int_equal(compare_find_report(dir, &path, &err), -1);
	strbuf_addf(&want, "%s: no report.json (tried %s/report.json and %s/latest/report.json)", dir, dir, dir);
	assert_string_equal(err.buf, want.buf);
	assert_int_equal(path.len, 0);
	strbuf_reset(&err);
	/* no directory */
	strbuf_reset(&err);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s/none", dir);
	assert_int_equal(compare_find_report(want.buf, &path, &err), -1);
	assert_string_equal(err.buf + want.len, ": No such file or directory");
	strbuf_reset(&err);
	assert_int_equal(compare_find_report(REPORT_A, &path, &err), -1);
	assert_string_equal(err.buf, REPORT_A ": Not a directory");
	assert_int_equal(path.len, 0);
	strbuf_reset(&err);
	/* a dangling latest link is no report */
	assert_int_equal(unlink(link.buf), 0);
	assert_int_equal(symlink("gone", link.buf), 0);
	assert_int_equal(compare_find_report(results.buf, &path, &err), -1);
	assert_non_null(strstr(err.buf, "no report.json"));

	remove_dir(dir);
	strbuf_release(&want);
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&results);
	strbuf_release(&run);
	strbuf_release(&link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fixture),
		cmocka_unit_test(test_read_optional_fields),
		cmocka_unit_test(test_read_bad_input),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_find_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
