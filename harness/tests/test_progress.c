/* Tests for progress.c: the status line's text (done, running, left, not
 * ok, elapsed), its colour and NO_COLOR, and silence off a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/progress.h"
#include "report/tap.h"

static void assert_line(const struct progress_counts *c, double elapsed, int color, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	progress_render(&sb, c, elapsed, color);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_render_plain(void **state)
{
	(void)state;
	struct progress_counts c = { .total = 10, .finished = 3, .running = 2, .not_ok = 1 };

	assert_line(&c, 65.9, 0, "\r\033[K3/10 done, 2 running, 5 left, 1 not ok, 1:05 elapsed");
	c = (struct progress_counts){ .total = 4 };
	assert_line(&c, 0, 0, "\r\033[K0/4 done, 0 running, 4 left, 0 not ok, 0:00 elapsed");
	c = (struct progress_counts){ .total = 4, .finished = 4, .not_ok = 4 };
	assert_line(&c, 3599.99, 0, "\r\033[K4/4 done, 0 running, 0 left, 4 not ok, 59:59 elapsed");
	/* over an hour: minutes keep counting */
	assert_line(&c, 7322, 0, "\r\033[K4/4 done, 0 running, 0 left, 4 not ok, 122:02 elapsed");
	/* more reported running than remain: none left, not a wrapped count */
	c = (struct progress_counts){ .total = 3, .finished = 2, .running = 2 };
	assert_line(&c, 1, 0, "\r\033[K2/3 done, 2 running, 0 left, 0 not ok, 0:01 elapsed");
}

static void test_render_color(void **state)
{
	(void)state;
	struct progress_counts c = { .total = 10, .finished = 3, .running = 2, .not_ok = 1 };

	assert_line(&c, 5, 1, "\r\033[K\033[1m3/10 done\033[0m, 2 running, 5 left, 1 not ok, 0:05 elapsed");
	/* appends */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "x");
	progress_render(&sb, &c, 5, 0);
	assert_true(!strncmp(sb.buf, "x\r\033[K3/10", 9));
	strbuf_release(&sb);
}

static void test_no_color(void **state)
{
	(void)state;
	unsetenv("NO_COLOR");
	assert_true(progress_color_allowed());
	setenv("NO_COLOR", "", 1);
	assert_true(progress_color_allowed());
	setenv("NO_COLOR", "1", 1);
	assert_false(progress_color_allowed());
	unsetenv("NO_COLOR");
}

/* Not a terminal: no line, no colour in TAP, whatever else happens. */
static void test_silent_off_terminal(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	unsetenv("NO_COLOR");
	tap_color = 1;
	progress_begin(f, 3, 1);
	assert_int_equal(tap_color, 0);
	progress_update(2, 0);
	progress_finished(V_FAIL);
	progress_finished(V_PASS);
	progress_clear();
	assert_true(progress_elapsed() >= 0);
	fclose(f);
	assert_int_equal(len, 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_plain),
		cmocka_unit_test(test_render_color),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_silent_off_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
