/* Tests for cmd/parse (`oomtest parse`): exit codes, stdin, JSON. */
#include "klog_test_util.h"
#include <fcntl.h>
#include <unistd.h>

#include "cmd/parse.h"

/* ---- oomtest parse: exit codes, stdin, JSON ---- */

/* Runs cmd_parse with stdout (and stderr) sent to a file, returns status. */
static int run_parse(const char *out_path, int argc, const char **argv)
{
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int saved_out = dup(1), saved_err = dup(2), rc;

	assert_true(fd >= 0 && saved_out >= 0 && saved_err >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(fd, 1);
	dup2(fd, 2);
	rc = cmd_parse(argc, (char **)argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(fd);
	return rc;
}

static void test_cmd_parse(void **state)
{
	char out[] = "/tmp/test_klog_outXXXXXX", empty[] = "/tmp/test_klog_emptyXXXXXX";
	int fd = mkstemp(out), efd = mkstemp(empty), saved_in;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_true(fd >= 0 && efd >= 0);
	close(fd);
	assert_int_equal(write(efd, "[ 1.0] hello\n", 13), 13);
	close(efd);

	const char *a1[] = { "parse", FIX "01-archlinux-6.1-global-doxygen.log" };
	assert_int_equal(run_parse(out, 2, a1), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "doxygen (pid 473206)"));
	strbuf_reset(&sb);

	const char *a2[] = { "parse", empty };
	assert_int_equal(run_parse(out, 2, a2), 1);

	const char *a3[] = { "parse", "/nonexistent/log" };
	assert_int_equal(run_parse(out, 2, a3), 2);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "oomtest parse: /nonexistent/log: No such file or directory"));
	strbuf_reset(&sb);

	const char *a4[] = { "parse", "--help" };
	assert_int_equal(run_parse(out, 2, a4), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "usage: oomtest parse"));
	strbuf_reset(&sb);

	const char *a5[] = { "parse", "--bogus", empty };
	assert_int_equal(run_parse(out, 3, a5), 2);
	const char *a6[] = { "parse" };
	assert_int_equal(run_parse(out, 1, a6), 2);

	const char *a7[] = { "parse", "--json", FIX "08-aks-5.15-memcg-v2-kubepods-oomgroup.log" };
	assert_int_equal(run_parse(out, 3, a7), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	expect_valid_json(&sb);
	assert_non_null(strstr(sb.buf, "\"kill_count\":6"));
	strbuf_reset(&sb);

	const char *a8[] = { "parse", "--json", empty, FIX "guest-6.1-serial.log", "/nonexistent" };
	assert_int_equal(run_parse(out, 5, a8), 2);

	const char *a9[] = { "parse", "--json", empty, FIX "guest-6.1-serial.log" };
	assert_int_equal(run_parse(out, 4, a9), 0);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	expect_valid_json(&sb);
	strbuf_reset(&sb);

	/* "-" is stdin */
	saved_in = dup(0);
	fd = open(FIX "14-sle15-5.14-iso8601-printk-caller-fragment-2events.log", O_RDONLY);
	assert_true(fd >= 0 && saved_in >= 0);
	dup2(fd, 0);
	close(fd);
	const char *a10[] = { "parse", "--facts", "-" };
	assert_int_equal(run_parse(out, 3, a10), 0);
	dup2(saved_in, 0);
	close(saved_in);
	assert_int_equal(strbuf_read_file(&sb, out), 0);
	assert_non_null(strstr(sb.buf, "oom.count = 2\n"));
	assert_non_null(strstr(sb.buf, "oom.2.victim.comm = memeater-10522\n"));

	strbuf_release(&sb);
	unlink(out);
	unlink(empty);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
