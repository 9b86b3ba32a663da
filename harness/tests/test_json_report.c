/* Tests for report/json.c: report.json over the shared report fixture, and
 * events.json documents that are not what the parser writes. */
#include "fixtures/report/report_fixture.h"

/* ---- JSON ---- */

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no key \"%s\" in %s", key, json_object_to_json_string(o));
	return v;
}

static void assert_jstr(json_object *o, const char *key, const char *want)
{
	json_object *v = get(o, key);
	assert_true(json_object_is_type(v, json_type_string));
	assert_string_equal(json_object_get_string(v), want);
}

static void assert_jint(json_object *o, const char *key, int64_t want)
{
	json_object *v = get(o, key);
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), want);
}

static void assert_jnull(json_object *o, const char *key)
{
	assert_null(get(o, key));
}

/* Parsed strictly (and valid UTF-8 required, unless utf8_too is 0), the whole text one document. */
static json_object *parse_json(const char *s, size_t len, int utf8_too)
{
	json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | (utf8_too ? JSON_TOKENER_VALIDATE_UTF8 : 0));
	json_object *o = json_tokener_parse_ex(tok, s, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (!o || jerr != json_tokener_success)
		fail_msg("JSON does not parse: %s at offset %zu", json_tokener_error_desc(jerr),
			 json_tokener_get_parse_end(tok));
	/* only white space after it */
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		assert_true(s[i] == '\n' || s[i] == ' ');
	json_tokener_free(tok);
	return o;
}

static void test_json(void **state)
{
	(void)state;
	assert_valid_utf8(fx.json.buf, fx.json.len);
	json_object *doc = parse_json(fx.json.buf, fx.json.len, 1);

	assert_jstr(doc, "format", "oomtest-report");
	assert_jint(doc, "version", 1);
	assert_jstr(doc, "run_id", fx.r.run_id);
	assert_jstr(doc, "results_dir", fx.root);
	assert_jstr(doc, "started", "2023-11-14T22:13:20Z");
	assert_true(json_object_get_double(get(doc, "seconds")) == 75.12345);
	assert_false(json_object_get_boolean(get(doc, "interrupted")));
	json_object *tot = get(doc, "totals");
	assert_jint(tot, "planned", 4);
	assert_jint(tot, "reported", 4);
	assert_jint(tot, "pass", 1);
	assert_jint(tot, "fail", 1);
	assert_jint(tot, "error", 1);
	assert_jint(tot, "timeout", 0);
	assert_jint(tot, "skip", 1);

	json_object *runs = get(doc, "runs");
	assert_true(json_object_is_type(runs, json_type_array));
	assert_int_equal(json_object_array_length(runs), NENTRIES);
	static const char *const keys[] = { "name",	   "case",	 "variant", "target",	      "verdict",
					    "reason",	   "seconds",	 "expectations", "facts",     "oom_events",
					    "memory_samples", "logs" };
	static const char *const xkeys[] = { "text", "line", "implied", "expected", "seen", "ok" };
	static const char *const verdicts[] = { "pass", "fail", "error", "skip" };
	for (size_t i = 0; i < NENTRIES; i++) {
		json_object *run = json_object_array_get_idx(runs, i);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			assert_true(json_object_object_get_ex(run, keys[k], NULL));
		assert_jstr(run, "verdict", verdicts[i]);
		assert_jstr(run, "target", "x86_64");
		assert_true(json_object_is_type(get(run, "seconds"), json_type_double));
		json_object *ex = get(run, "expectations");
		assert_int_equal(json_object_array_length(ex), fx.r.v[i].nexpects);
		for (size_t j = 0; j < json_object_array_length(ex); j++)
			for (size_t k = 0; k < sizeof(xkeys) / sizeof(xkeys[0]); k++)
				assert_true(json_object_object_get_ex(json_object_array_get_idx(ex, j), xkeys[k], NULL));
		assert_true(json_object_is_type(get(run, "facts"), json_type_object));
		assert_true(json_object_is_type(get(run, "oom_events"), json_type_array));
		assert_true(json_object_is_type(get(run, "memory_samples"), json_type_array));
		assert_true(json_object_is_type(get(run, "logs"), json_type_object));
	}

	/* the passing run */
	json_object *run = json_object_array_get_idx(runs, PASS);
	assert_jstr(run, "name", "kmod-order0");
	assert_jstr(run, "case", "kmod-order0");
	assert_jnull(run, "variant");
	assert_jstr(run, "reason", "");
	assert_true(json_object_get_double(get(run, "seconds")) == 12.3456);
	json_object *x = json_object_array_get_idx(get(run, "expectations"), 1);
	assert_jstr(x, "text", "oom.1.victim.comm == insmod");
	assert_jint(x, "line", 16);
	assert_false(json_object_get_boolean(get(x, "implied")));
	assert_jstr(x, "expected", "== insmod");
	assert_jstr(x, "seen", "insmod");
	assert_true(json_object_is_type(get(x, "ok"), json_type_boolean));
	assert_true(json_object_get_boolean(get(x, "ok")));
	assert_jstr(get(run, "facts"), "buddyinfo.after.DMA32.order1", "24");
	json_object *evs = get(run, "oom_events");
	assert_int_equal(json_object_array_length(evs), 1);
	assert_jint(json_object_array_get_idx(evs, 0), "line", 340);
	assert_jint(get(run, "kernel_log"), "oom_count", 1);
	json_object *ms = get(run, "memory_samples");
	assert_int_equal(json_object_array_length(ms), 6);
	json_object *s = json_object_array_get_idx(ms, 1);
	assert_jstr(s, "step", "load");
	assert_jint(s, "ms", 25);
	assert_jint(s, "rss_kb", 40960);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/kmod-order0/x86_64/console.log", fx.root);
	assert_jstr(get(run, "logs"), "console.log", path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/kmod-order0/x86_64/timeline.tsv", fx.root);
	assert_jstr(get(run, "logs"), "timeline.tsv", path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/kmod-order0/x86_64/timeline-events.tsv", fx.root);
	assert_jstr(get(run, "logs"), "timeline-events.tsv", path.buf);
	strbuf_release(&path);

	/* the failing one: hostile bytes made valid, the implied check */
	run = json_object_array_get_idx(runs, FAIL);
	assert_jstr(run, "name", "a<b&c]]>\x1b" R);
	assert_jstr(run, "host", "qemu+ssh://h<1>/system");
	x = json_object_array_get_idx(get(run, "expectations"), 0);
	assert_false(json_object_get_boolean(get(x, "ok")));
	assert_jstr(x, "seen", "1");
	x = json_object_array_get_idx(get(run, "expectations"), 1);
	assert_jstr(x, "seen", "bad\x01<&]]>" R);
	x = json_object_array_get_idx(get(run, "expectations"), 3);
	assert_jnull(x, "line");
	assert_true(json_object_get_boolean(get(x, "implied")));
	assert_jstr(x, "expected", "panic == 0");
	assert_false(json_object_get_boolean(get(x, "ok")));
	assert_jstr(get(run, "facts"), "oom.1.victim.comm", "bad\x01<&]]>" R);
	assert_int_equal(json_object_array_length(get(run, "oom_events")), 0);
	assert_jnull(run, "kernel_log");

	/* error: not judged, so seen and ok are null; invalid UTF-8 from facts.json */
	run = json_object_array_get_idx(runs, ERROR);
	assert_jstr(run, "reason", "guest did not boot within 60 s: <no login> & \x1b" R);
	x = json_object_array_get_idx(get(run, "expectations"), 0);
	assert_jnull(x, "seen");
	assert_jnull(x, "ok");
	assert_jstr(get(run, "facts"), "boot.path", "cold " R);

	/* skipped: no directory, no logs */
	run = json_object_array_get_idx(runs, SKIP);
	assert_jstr(run, "name", "big-memory[memory=64M]");
	assert_jstr(run, "variant", "memory=64M");
	assert_jnull(run, "dir");
	assert_int_equal(json_object_object_length(get(run, "logs")), 0);
	assert_int_equal(json_object_array_length(get(run, "expectations")), 0);

	json_object_put(doc);
}

/* A fact name and value that are not UTF-8, and an events.json that is
 * not JSON or holds bytes that are not UTF-8: the document stays valid. */
static void test_json_bad_input(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	struct strbuf out = STRBUF_INIT;
	static const char *const events[] = {
		"not json {",
		"[1, 2]",
		"{\"oom_events\": 5}",
		"{\"oom_events\": [{\"line\": \"x\"}], \"raw\": \"\xff\xfe\", \"k\xc0\": 1}",
		"{\"oom_events\": [null, {\"line\": 2, \"kills\": [null, 3, {\"line\": 1e300}]}], \"s\": \"\\ud800\\u0000\"}",
	};

	parse_case(&c, "cases/x.case", error_case);
	run_result_init(&res);
	res.verdict = V_PASS;
	facts_set(&res.facts, "name.\xff\xc3", "value \xed\xa0\x80 \x01");
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char *dir = run_dir_for("bad-json");
		write_in(dir, "events.json", events[i], strlen(events[i]));
		write_str(dir, "console.log", "a\nb\nc\n");
		report_init(&r, fx.root, 0, 1);
		report_add(&r, &c, &fx.t, NULL, &res, dir);
		strbuf_reset(&out);
		report_json_build(&r, &out);
		/* an events.json that is not UTF-8 is kept as it is, in "kernel_log"
		 * (the harness writes it with every byte past ASCII escaped) */
		int raw = i == 3;
		if (!raw)
			assert_valid_utf8(out.buf, out.len);
		json_object *doc = parse_json(out.buf, out.len, !raw);
		json_object *run = json_object_array_get_idx(get(doc, "runs"), 0);
		assert_jstr(get(run, "facts"), "name." R R, "value " R R R " \x01");
		/* (an events.json whose oom_events is not an array is passed on as it is) */
		if (i != 2)
			assert_true(json_object_is_type(get(run, "oom_events"), json_type_array));
		json_object_put(doc);
		/* and the other formats take it */
		struct strbuf err = STRBUF_INIT;
		strbuf_reset(&out);
		assert_int_equal(report_junit_build(&r, &out, &err), 0);
		assert_int_equal(report_html_build(&r, &out, &err), 0);
		strbuf_release(&err);
		report_release(&r);
		free(dir);
	}
	strbuf_release(&out);
	run_result_release(&res);
	case_release(&c);
}

static void test_json_write(void **state)
{
	(void)state;
	assert_written(report_json_write, "written.json", &fx.json);
	assert_write_fails(report_json_write, "/proc/nonexistent/r.json", 0,
			   "writing the JSON report /proc/nonexistent/r.json: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_bad_input),
		cmocka_unit_test(test_json_write),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
