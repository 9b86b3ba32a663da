/* Tests for cmd/common.c: case arguments expanded to files, the "no
 * target" message, the target KVM is probed with, and for cmd/help.c: the
 * overview made of the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/common.h"
#include "cmd/help.h"
#include "lib/child.h"
#include "lib/fs.h"

static void touch(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	assert_int_equal(fs_write_atomic(p.buf, "", 0), 0);
	strbuf_release(&p);
}

static void test_collect_case_paths(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-cases.XXXXXX";
	struct strbuf slash = STRBUF_INIT, file = STRBUF_INIT;
	char **paths = NULL;
	size_t n = 0;

	assert_non_null(mkdtemp(dir));
	touch(dir, "b.case");
	touch(dir, "a.case");
	touch(dir, ".hidden.case");
	touch(dir, "notes.txt");
	strbuf_addf(&slash, "%s/", dir);
	strbuf_addf(&file, "%s/notes.txt", dir);
	/* a directory: its *.case files, sorted; a file: itself, whatever its name */
	char *args[] = { dir, file.buf, slash.buf };
	assert_int_equal(collect_case_paths(args, 3, &paths, &n), 0);
	assert_int_equal(n, 5);
	assert_true(strstr(paths[0], "/a.case") && !strstr(paths[0], "//"));
	assert_non_null(strstr(paths[1], "/b.case"));
	assert_string_equal(paths[2], file.buf);
	assert_true(strstr(paths[3], "/a.case") && !strstr(paths[3], "//"));
	assert_non_null(strstr(paths[4], "/b.case"));

	/* a path that is not there stops it */
	char *missing[] = { "/nonexistent/x.case" };
	assert_int_equal(collect_case_paths(missing, 1, &paths, &n), -1);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	char *argv[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(argv, -1), 0);
	strbuf_release(&slash);
	strbuf_release(&file);
}

/* KVM is probed only with a target that was built: one never prepared
 * (-1) or failed (0) would fail the probe and say nothing of KVM. */
static void test_probe_choice(void **state)
{
	struct prepared prep[3] = { { .ok = -1 }, { .ok = 0 }, { .ok = 1 } };

	(void)state;
	assert_int_equal(probe_choice(prep, 3), 2);
	assert_int_equal(probe_choice(prep, 2), 2);
	assert_int_equal(probe_choice(prep, 1), 1);
	assert_int_equal(probe_choice(prep, 0), 0);
	prep[0].ok = 1;
	assert_int_equal(probe_choice(prep, 3), 0);
}

static int fake_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void test_overview_from_table(void **state)
{
	(void)state;
	static const struct command table[] = {
		{ "one", fake_cmd, "  one                         the first\n" },
		{ "two", fake_cmd, "  two ARG\n                              the second\n" },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	help_set_commands(table, 2);
	help_print_usage(f);
	fclose(f);
	assert_true(!strncmp(buf, "usage: oomtest COMMAND [ARGS]\n", 30));
	const char *cmds = strstr(buf, "\ncommands:\n");
	assert_non_null(cmds);
	const char *want = "  one                         the first\n"
			   "  two ARG\n                              the second\n\n";
	assert_true(!strncmp(cmds + strlen("\ncommands:\n"), want, strlen(want)));
	assert_non_null(strstr(buf, "Exit status of run: 0 every run ok, 1 something not ok, 2 usage or case errors.\n"));
	assert_int_equal(buf[len - 1], '\n');
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect_case_paths),
		cmocka_unit_test(test_overview_from_table),
		cmocka_unit_test(test_probe_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
