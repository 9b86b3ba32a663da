/* Tests for run_files.c: result.json's shape, facts.json, plan.txt,
 * events.json, memory.tsv, timeline.tsv and timeline-events.tsv in a run
 * directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/json.h"
#include "run/run_files.h"
#include "tests/run_test_util.h"

static void add_failure(struct run_result *r, const char *text, int line, const char *expected, const char *seen)
{
	r->failed = xrealloc(r->failed, (r->nfailed + 1) * sizeof(*r->failed));
	r->failed[r->nfailed++] = (struct judged_expect){ .text = xstrdup(text), .line = line,
							   .expected = xstrdup(expected), .seen = xstrdup(seen) };
}

static json_object *key(json_object *o, const char *name, json_type type)
{
	json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, name, &v));
	assert_int_equal(json_object_get_type(v), type);
	return v;
}

static json_object *parse_back(const struct strbuf *text)
{
	struct strbuf err = STRBUF_INIT;
	json_object *o = json_parse(text->buf, text->len, &err);
	assert_non_null(o);
	strbuf_release(&err);
	return o;
}

static void test_result_json_keys(void **state)
{
	(void)state;
	struct run_result r;
	struct strbuf out = STRBUF_INIT;

	run_result_init(&r);
	r.verdict = V_FAIL;
	r.seconds = 12.3456;
	strbuf_addstr(&r.reason, "a \"quoted\"\nreason");
	add_failure(&r, "oom.1.victim.comm == init", 3, "== init", "hog");
	add_failure(&r, "no unexpected kernel panic (implied; expect panic to decide)", 0, "panic == 0",
		    "panic 1: bad\x01");
	run_result_to_json("oom-basic", "x86_64", &r, &out);

	json_object *o = parse_back(&out);
	assert_int_equal(json_object_object_length(o), 6);
	assert_string_equal(json_object_get_string(key(o, "case", json_type_string)), "oom-basic");
	assert_string_equal(json_object_get_string(key(o, "target", json_type_string)), "x86_64");
	assert_string_equal(json_object_get_string(key(o, "verdict", json_type_string)), "fail");
	assert_string_equal(json_object_get_string(key(o, "reason", json_type_string)), "a \"quoted\"\nreason");
	/* two decimals, written as such */
	json_object *secs = key(o, "seconds", json_type_double);
	assert_true(json_object_get_double(secs) == 12.35);
	assert_non_null(strstr(out.buf, "\"seconds\": 12.35"));
	json_object *failed = key(o, "failed", json_type_array);
	assert_int_equal(json_object_array_length(failed), 2);
	json_object *f = json_object_array_get_idx(failed, 0);
	assert_int_equal(json_object_object_length(f), 4);
	assert_string_equal(json_object_get_string(key(f, "expectation", json_type_string)), "oom.1.victim.comm == init");
	assert_int_equal(json_object_get_int(key(f, "line", json_type_int)), 3);
	assert_string_equal(json_object_get_string(key(f, "expected", json_type_string)), "== init");
	assert_string_equal(json_object_get_string(key(f, "seen", json_type_string)), "hog");
	f = json_object_array_get_idx(failed, 1);
	assert_int_equal(json_object_get_int(key(f, "line", json_type_int)), 0);
	assert_string_equal(json_object_get_string(key(f, "seen", json_type_string)), "panic 1: bad\x01");
	json_object_put(o);
	run_result_release(&r);

	/* a pass: an empty reason and no failures */
	run_result_init(&r);
	r.verdict = V_PASS;
	r.seconds = 3;
	strbuf_reset(&out);
	run_result_to_json("c", "i386", &r, &out);
	o = parse_back(&out);
	assert_string_equal(json_object_get_string(key(o, "verdict", json_type_string)), "pass");
	assert_string_equal(json_object_get_string(key(o, "reason", json_type_string)), "");
	assert_non_null(strstr(out.buf, "\"seconds\": 3.00"));
	assert_int_equal(json_object_array_length(key(o, "failed", json_type_array)), 0);
	json_object_put(o);
	run_result_release(&r);
	strbuf_release(&out);
}

static void test_run_files_written(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-run-files.XXXXXX";
	struct run_result r;
	struct strbuf text = STRBUF_INIT, plan = STRBUF_INIT;
	struct record_state rec;
	struct klog *k = klog_new();

	assert_non_null(mkdtemp(dir));
	run_result_init(&r);
	r.verdict = V_ERROR;
	strbuf_addstr(&r.reason, "boot failure");
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "agent.done", "0");
	run_files_write_result(dir, "c1", "x86_64", &r);
	read_run_file(dir, "facts.json", &text);
	json_object *o = parse_back(&text);
	assert_int_equal(json_object_object_length(o), 2);
	assert_string_equal(json_object_get_string(key(o, "oom.count", json_type_string)), "0");
	json_object_put(o);
	read_run_file(dir, "result.json", &text);
	o = parse_back(&text);
	assert_string_equal(json_object_get_string(key(o, "case", json_type_string)), "c1");
	assert_string_equal(json_object_get_string(key(o, "verdict", json_type_string)), "error");
	json_object_put(o);

	strbuf_addstr(&plan, "sleep 10\nend\n");
	run_files_write_plan(dir, &plan);
	read_run_file(dir, "plan.txt", &text);
	assert_string_equal(text.buf, "sleep 10\nend\n");

	record_init(&rec);
	record_apply(&rec, &r.facts, "mem hog 100 2048", 16);
	klog_end(k);
	run_files_write_details(dir, k, &rec);
	read_run_file(dir, "memory.tsv", &text);
	assert_string_equal(text.buf, "step\tms\trss_kb\nhog\t100\t2048\n");
	read_run_file(dir, "events.json", &text);
	json_object_put(parse_back(&text));
	assert_int_equal(text.buf[text.len - 1], '\n');
	/* no timeline records: the two files hold their headers */
	read_run_file(dir, "timeline.tsv", &text);
	assert_string_equal(text.buf, "ms\tseries\tkb\n");
	read_run_file(dir, "timeline-events.tsv", &text);
	assert_string_equal(text.buf, "ms\tkind\twhat\n");
	/* with them: a row per series, a row per event, memory.tsv as it was */
	static const char *const lines[] = { "sys 50 204800 213000 30120 18404 131068", "cgmem hog 50 4",
					     "event 5600 oom_kill 231%20hog", "event 5650 exit hog" };
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		record_apply(&rec, &r.facts, lines[i], strlen(lines[i]));
	run_files_write_details(dir, k, &rec);
	read_run_file(dir, "timeline.tsv", &text);
	assert_string_equal(text.buf, "ms\tseries\tkb\n50\tMemFree\t204800\n50\tMemAvailable\t213000\n"
				      "50\tCached\t30120\n50\tShmem\t18404\n50\tSwapFree\t131068\n"
				      "50\tcgroup:hog\t4\n");
	read_run_file(dir, "timeline-events.tsv", &text);
	assert_string_equal(text.buf, "ms\tkind\twhat\n5600\toom_kill\t231 hog\n5650\texit\thog\n");
	read_run_file(dir, "memory.tsv", &text);
	assert_string_equal(text.buf, "step\tms\trss_kb\nhog\t100\t2048\n");

	/* a log that opens, and a place that cannot be written */
	int fd = run_files_open_log(dir, "console.log");
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(run_files_open_log("/proc/nonexistent", "console.log"), -1);

	record_release(&rec);
	klog_free(k);
	run_result_release(&r);
	strbuf_release(&text);
	strbuf_release(&plan);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_json_keys),
		cmocka_unit_test(test_run_files_written),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
