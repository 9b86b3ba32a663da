/* test_case_wait: case/wait on its own: the condition grammar without a
 * case file around it, how a cgroup FILE[.KEY] splits (as the facts
 * cgroup.GROUP.FILE.KEY do), the plan's kind words and durations as a case
 * writes them. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "case/wait.h"

/* s splits into want_file and want_key (NULL: none). */
static void splits(const char *s, const char *want_file, const char *want_key)
{
	char *file = NULL, *key = NULL;

	assert_int_equal(case_wait_split_file(s, &file, &key), 0);
	assert_string_equal(file, want_file);
	if (want_key)
		assert_string_equal(key, want_key);
	else
		assert_null(key);
	free(file);
	free(key);
}

static void test_split_file(void **state)
{
	char *file = (char *)"untouched", *key = (char *)"untouched";

	(void)state;
	/* two words: the file; what follows: the key */
	splits("memory.current", "memory.current", NULL);
	splits("memory.events.high", "memory.events", "high");
	splits("memory.events.oom_kill", "memory.events", "oom_kill");
	splits("memory.oom_control.under_oom", "memory.oom_control", "under_oom");
	splits("memory.stat.pgscan", "memory.stat", "pgscan");
	splits("memory.failcnt", "memory.failcnt", NULL);
	splits("cpu.stat.nr_throttled", "cpu.stat", "nr_throttled");
	splits("pids.current", "pids.current", NULL);
	splits("cgroup.events.populated", "cgroup.events", "populated");
	/* the files with longer names */
	splits("memory.swap.current", "memory.swap.current", NULL);
	splits("memory.swap.events.max", "memory.swap.events", "max");
	splits("memory.zswap.current", "memory.zswap.current", NULL);
	splits("memory.memsw.usage_in_bytes", "memory.memsw.usage_in_bytes", NULL);
	splits("memory.kmem.usage_in_bytes", "memory.kmem.usage_in_bytes", NULL);
	splits("memory.kmem.tcp.failcnt", "memory.kmem.tcp.failcnt", NULL);
	splits("memory.events.local.oom_kill", "memory.events.local", "oom_kill");
	splits("memory.oom.group", "memory.oom.group", NULL);
	splits("hugetlb.2MB.current", "hugetlb.2MB.current", NULL);
	splits("hugetlb.2MB.events.max", "hugetlb.2MB.events", "max");
	splits("hugetlb.2MB.events.local.max", "hugetlb.2MB.events.local", "max");
	splits("hugetlb.2MB.rsvd.current", "hugetlb.2MB.rsvd.current", NULL);
	splits("cgroup.max.depth", "cgroup.max.depth", NULL);
	/* a key of more than one word is the rest, as written */
	splits("memory.stat.a.b", "memory.stat", "a.b");
	/* a "*" of the table is one word, never part of one */
	splits("memory.swapx.current", "memory.swapx", "current");

	static const char *const bad[] = { "memory", "", ".", "memory.", ".memory.max", "memory..max",
					   "memory.max.", "memory/max", "../memory.max", "memory.m ax",
					   "memory.max%", NULL };
	for (size_t i = 0; bad[i]; i++) {
		assert_int_equal(case_wait_split_file(bad[i], &file, &key), -1);
		assert_string_equal(file, "untouched");
		assert_string_equal(key, "untouched");
	}
}

static void test_parse_alone(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct case_wait w;

	(void)state;
	assert_int_equal(case_wait_parse(&w, "exit", "me", &err), 0);
	assert_int_equal(w.kind, WAIT_EXIT);
	assert_string_equal(w.step, "me");
	assert_string_equal(w.text_form, "exit");
	assert_int_equal(w.max_ms, CASE_WAIT_MAX_MS);
	assert_int_equal(w.line, 0);
	assert_int_equal(err.len, 0);
	free(w.step);
	free(w.text_form);

	assert_int_equal(case_wait_parse(&w, "output \"a \\\"b\\\"\"", "me", &err), 0);
	assert_int_equal(w.kind, WAIT_OUTPUT);
	assert_string_equal(w.text, "a \"b\"");
	assert_string_equal(w.step, "me");
	free(w.step);
	free(w.text);
	free(w.text_form);

	assert_int_equal(case_wait_parse(&w, "cgroup g memory.max >= 0x10", "me", &err), -1);
	assert_string_equal(err.buf, "bad number '0x10' in wait 'cgroup g memory.max >= 0x10' (allowed: a "
			    "whole number, or a size with K, M or G suffix, e.g. 8M)");
	/* left empty on an error: nothing to free */
	assert_null(w.group);
	assert_null(w.file);
	assert_null(w.text_form);
	strbuf_reset(&err);
	assert_int_equal(case_wait_parse(&w, "Exit", "me", &err), -1);
	assert_string_equal(err.buf, "unknown wait condition 'Exit' (known: " WAIT_FORMS ")");
	strbuf_reset(&err);
	assert_int_equal(case_wait_parse(&w, "\"\"", "me", &err), -1);
	assert_string_equal(err.buf, "unknown wait condition '' (known: " WAIT_FORMS ")");

	/* case_wait_free takes the struct and every field */
	struct case_wait *h = malloc(sizeof(*h));
	assert_int_equal(case_wait_parse(h, "cgroup g memory.events.max > 9223372036854775807", "me", &err), 0);
	assert_int_equal(h->value, 9223372036854775807LL);
	assert_string_equal(h->key, "max");
	case_wait_free(h);
	case_wait_free(NULL);
	strbuf_release(&err);
}

static void test_words(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_string_equal(case_wait_kind_name(WAIT_EXIT), "exit");
	assert_string_equal(case_wait_kind_name(WAIT_OUTPUT), "output");
	assert_string_equal(case_wait_kind_name(WAIT_OOM_KILL), "oom_kill");
	assert_string_equal(case_wait_kind_name(WAIT_CGROUP), "cgroup");
	case_add_duration(&sb, 30000);
	strbuf_addch(&sb, ' ');
	case_add_duration(&sb, 1500);
	strbuf_addch(&sb, ' ');
	case_add_duration(&sb, 120000);
	strbuf_addch(&sb, ' ');
	case_add_duration(&sb, 1);
	assert_string_equal(sb.buf, "30s 1500ms 120s 1ms");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_file),
		cmocka_unit_test(test_parse_alone),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
