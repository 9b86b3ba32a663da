/* Tests for lava_log.c: real lava-run logs (fixtures/lava/NAME.log: a job that
 * completed, one whose test timed out, one whose guest panicked and ended
 * QEMU, one rejected at validation, one whose job file was not YAML) read
 * whole, in 7-byte pieces and byte by byte, against golden dumps
 * (*.log.expected); what LAVA changes in console lines undone; the job's
 * end and error; lines that are not LAVA's. LAVA_LOG_WRITE_GOLDEN=1
 * rewrites the dumps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lava/lava_log.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "lava_test_util.h"


static void add_opt(struct strbuf *out, const char *name, const char *value)
{
	if (!value)
		return;
	strbuf_addf(out, " %s=", name);
	lava_golden_escape(out, value, strlen(value));
}

static void dump_events(struct lava_log *log, struct strbuf *out)
{
	struct lava_event ev;

	while (lava_log_next(log, &ev)) {
		switch (ev.kind) {
		case LAVA_EVENT_CONSOLE:
			strbuf_addstr(out, ev.feedback ? "feedback: " : "console: ");
			lava_golden_escape(out, ev.text, ev.text_len);
			break;
		case LAVA_EVENT_RESULT:
			strbuf_addf(out, "result: %s/%s %s", ev.result.definition ? ev.result.definition : "-",
				    ev.result.case_name ? ev.result.case_name : "-",
				    ev.result.result ? ev.result.result : "-");
			add_opt(out, "level", ev.result.level);
			add_opt(out, "error_type", ev.result.error_type);
			add_opt(out, "error_msg", ev.result.error_msg);
			break;
		case LAVA_EVENT_ERROR:
			strbuf_addstr(out, ev.exception ? "exception: " : "error: ");
			lava_golden_escape(out, ev.text, ev.text_len);
			break;
		}
		strbuf_addch(out, '\n');
		lava_event_release(&ev);
	}
}

/* The whole log read in pieces of chunk bytes (0: at once), dumped. */
static void read_log(const struct strbuf *in, size_t chunk, struct strbuf *out)
{
	struct lava_log *log = lava_log_new();

	if (!chunk)
		chunk = in->len ? in->len : 1;
	for (size_t off = 0; off < in->len; off += chunk) {
		lava_log_feed(log, in->buf + off, in->len - off < chunk ? in->len - off : chunk);
		dump_events(log, out);
	}
	lava_log_end(log);
	dump_events(log, out);
	strbuf_addf(out, "end: %s", lava_job_end_name(lava_log_job_end(log)));
	add_opt(out, "error_type", lava_log_error_type(log));
	add_opt(out, "error_msg", lava_log_error_msg(log));
	strbuf_addf(out, "\nbad lines: %zu\n", lava_log_bad_lines(log));
	lava_log_free(log);
}

static void golden(const char *name)
{
	struct strbuf path = STRBUF_INIT, in = STRBUF_INIT, expected = STRBUF_INIT;
	static const size_t chunks[] = { 0, 7, 1 };

	strbuf_addf(&path, "fixtures/lava/%s", name);
	assert_int_equal(strbuf_read_file(&in, path.buf), 0);
	strbuf_addstr(&path, ".expected");
	if (getenv("LAVA_LOG_WRITE_GOLDEN")) {
		struct strbuf out = STRBUF_INIT;

		read_log(&in, 0, &out);
		assert_int_equal(fs_write_atomic(path.buf, out.buf, out.len), 0);
		strbuf_release(&out);
	}
	assert_int_equal(strbuf_read_file(&expected, path.buf), 0);
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct strbuf out = STRBUF_INIT;

		read_log(&in, chunks[c], &out);
		assert_string_equal(out.buf, expected.buf);
		strbuf_release(&out);
	}
	strbuf_release(&path);
	strbuf_release(&in);
	strbuf_release(&expected);
}

static void test_golden_complete(void **state) { (void)state; golden("complete.log"); }
static void test_golden_test_timeout(void **state) { (void)state; golden("test-timeout.log"); }
static void test_golden_panic_eof(void **state) { (void)state; golden("panic-eof.log"); }
static void test_golden_invalid_file(void **state) { (void)state; golden("invalid-file.log"); }
static void test_golden_yaml_error(void **state) { (void)state; golden("yaml-error.log"); }

static struct lava_log *read_fixture(const char *name)
{
	struct strbuf path = STRBUF_INIT, in = STRBUF_INIT;
	struct lava_log *log = lava_log_new();

	strbuf_addf(&path, "fixtures/lava/%s", name);
	assert_int_equal(strbuf_read_file(&in, path.buf), 0);
	lava_log_feed(log, in.buf, in.len);
	lava_log_end(log);
	strbuf_release(&path);
	strbuf_release(&in);
	return log;
}

/* The busybox init printed these; LAVA logged " as \", dropped \r and ESC. */
static void test_console_as_printed(void **state)
{
	struct lava_log *log = read_fixture("complete.log");
	struct lava_event ev;
	bool quotes = false, utf8 = false, kmsg = false, started = false, cr = false;
	int oomtest_results = 0;

	(void)state;
	while (lava_log_next(log, &ev)) {
		if (ev.kind == LAVA_EVENT_CONSOLE) {
			started |= !strcmp(ev.text, "oomtest: agent started");
			quotes |= !strcmp(ev.text, "a line with \"double quotes\", a \\backslash\\ and a tab\there");
			utf8 |= !strcmp(ev.text, "non-ASCII: gr\xc3\xbc\xc3\x9f" "e \xe2\x9c\x93");
			kmsg |= !strcmp(ev.text, "[    1.942453] oomtest:REC 2 F via kmsg");
			cr |= !strcmp(ev.text, "carriagereturn and an [1mescape[0m");
		}
		if (ev.kind == LAVA_EVENT_RESULT && !strcmp(ev.result.definition, "oomtest")) {
			oomtest_results++;
			assert_string_equal(ev.result.result, oomtest_results == 1 ? "pass" : "fail");
		}
		lava_event_release(&ev);
	}
	assert_true(started && quotes && utf8 && kmsg && cr);
	assert_int_equal(oomtest_results, 2);
	assert_int_equal(lava_log_job_end(log), LAVA_JOB_COMPLETE);
	assert_null(lava_log_error_type(log));
	assert_int_equal(lava_log_bad_lines(log), 0);
	lava_log_free(log);
}

static void expect_end(const char *name, enum lava_job_end end, const char *type, const char *msg)
{
	struct lava_log *log = read_fixture(name);

	assert_int_equal(lava_log_job_end(log), end);
	assert_string_equal(lava_log_error_type(log), type);
	assert_string_equal(lava_log_error_msg(log), msg);
	assert_int_equal(lava_log_bad_lines(log), 0);
	lava_log_free(log);
}

static void test_job_errors(void **state)
{
	(void)state;
	expect_end("test-timeout.log", LAVA_JOB_INCOMPLETE, "Test", "lava-test-monitor timed out after 10 seconds");
	expect_end("panic-eof.log", LAVA_JOB_INCOMPLETE, "Infrastructure", "Connection closed");
	expect_end("invalid-file.log", LAVA_JOB_INCOMPLETE, "Job",
		   "Invalid job data: [\"Image file '/tmp/oomtest-lava/no-such-initramfs.cpio.gz' "
		   "does not exist or is not readable\"]\n");
	expect_end("yaml-error.log", LAVA_JOB_INCOMPLETE, "Bug",
		   "while parsing a block mapping\n  in \"<unicode string>\", line 1, column 1\n"
		   "did not find expected key\n  in \"<unicode string>\", line 1, column 21");
}

/* The panic the kernel printed reaches the caller; LAVA itself only saw
 * the connection close. */
static void test_panic_on_console(void **state)
{
	struct lava_log *log = read_fixture("panic-eof.log");
	struct lava_event ev;
	bool panic = false;

	(void)state;
	while (lava_log_next(log, &ev)) {
		if (ev.kind == LAVA_EVENT_CONSOLE && strstr(ev.text, "Kernel panic - not syncing: Attempted to kill init!"))
			panic = true;
		lava_event_release(&ev);
	}
	assert_true(panic);
	lava_log_free(log);
}

static const char *feed_str(struct lava_log *log, const char *s)
{
	lava_log_feed(log, s, strlen(s));
	return s;
}

static void test_canceled_and_odd_lines(void **state)
{
	struct lava_log *log = lava_log_new();
	struct lava_event ev;

	(void)state;
	feed_str(log, "Command exited with non-zero status 1\n");      /* not LAVA's */
	feed_str(log, "{\"dt\": \"x\", \"msg\": \"no lvl\"}\n");          /* no lvl */
	feed_str(log, "{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": [1]}\n"); /* msg not text */
	feed_str(log, "{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"unclosed}\n");
	feed_str(log, "\n\r\n");                                        /* empty: ignored */
	assert_int_equal(lava_log_bad_lines(log), 4);
	assert_int_equal(lava_log_next(log, &ev), 0);

	/* a NUL the guest printed, and a last line without its newline */
	feed_str(log, "{\"dt\": \"t\", \"lvl\": \"target\", \"msg\": \"a\\0b\"}\n");
	feed_str(log, "{\"dt\": \"t\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", \"definition\": \"lava\", "
		      "\"error_msg\": \"The job was canceled\", \"error_type\": \"Canceled\", \"result\": \"fail\"}}");
	assert_int_equal(lava_log_next(log, &ev), 1);
	assert_int_equal(ev.kind, LAVA_EVENT_CONSOLE);
	assert_int_equal(ev.text_len, 3);
	assert_memory_equal(ev.text, "a\0b", 3);
	lava_event_release(&ev);
	assert_int_equal(lava_log_job_end(log), LAVA_JOB_UNFINISHED);
	lava_log_end(log);
	assert_int_equal(lava_log_next(log, &ev), 1);
	assert_int_equal(ev.kind, LAVA_EVENT_RESULT);
	assert_string_equal(ev.result.error_type, "Canceled");
	lava_event_release(&ev);
	assert_int_equal(lava_log_job_end(log), LAVA_JOB_CANCELED);
	assert_string_equal(lava_log_error_msg(log), "The job was canceled");
	assert_string_equal(lava_job_end_name(LAVA_JOB_CANCELED), "canceled");
	lava_log_free(log);
}

/* A line over the limit is skipped whole, and the next one is read. */
static void test_long_line_skipped(void **state)
{
	struct lava_log *log = lava_log_new();
	struct lava_event ev;
	char *big = malloc(LAVA_LOG_MAX_LINE + 10);

	(void)state;
	memset(big, 'x', LAVA_LOG_MAX_LINE + 10);
	big[0] = '{';
	lava_log_feed(log, big, LAVA_LOG_MAX_LINE / 2);
	lava_log_feed(log, big, LAVA_LOG_MAX_LINE + 10);
	feed_str(log, "\n{\"dt\": \"t\", \"lvl\": \"feedback\", \"msg\": \"after\", \"ns\": \"common\"}\n");
	assert_int_equal(lava_log_bad_lines(log), 1);
	assert_int_equal(lava_log_next(log, &ev), 1);
	assert_true(ev.feedback);
	assert_string_equal(ev.text, "after");
	lava_event_release(&ev);
	free(big);
	lava_log_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_complete),
		cmocka_unit_test(test_golden_test_timeout),
		cmocka_unit_test(test_golden_panic_eof),
		cmocka_unit_test(test_golden_invalid_file),
		cmocka_unit_test(test_golden_yaml_error),
		cmocka_unit_test(test_console_as_printed),
		cmocka_unit_test(test_job_errors),
		cmocka_unit_test(test_panic_on_console),
		cmocka_unit_test(test_canceled_and_odd_lines),
		cmocka_unit_test(test_long_line_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
