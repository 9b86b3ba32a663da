/* test_case_help: `oomtest help case`. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static void test_help(void **state)
{
	static const char *const want[] = {
		"[case]", "[cgroup NAME]", "[step NAME]", "[expect]",
		"description", "targets", "memory ", "128M", "timeout", "60s", "cmdline",
		"version", "(required)", "<file>",
		"run ", "module", "rmmod", "cgroup ", "background", "sleep", "collect",
		"size", "duration", "bool", "argv",
		"buddyinfo", "meminfo", "vmstat", "cgroup:NAME", "proc:STEP",
		"hog", "oom_trigger",
		"<fact> <op> <value>", "== != < <= > >=", "~ !~", "regex", "0x", "console",
		"needs", "cgroup-v1", "cgroup-v2", "kconfig:CONFIG_NAME", "kconfig:!CONFIG_NAME",
		"min-kernel:X.Y", "max-kernel:X.Y", "arch:ARCH", "memory:SIZE",
		"[params]", "${NAME}", "${memory}", "at most 256", "memory=64M,order=1",
		"[sysctl]", "vm.panic_on_oom", "[expect SELECTOR]", "6.12", "||", "either outcome",
		"oom_score_adj", "-1000 to 1000",
		"packages", "no :ARCH", "stress-ng", "[files]", "GUEST_PATH = HOST_PATH",
		"/proc, /sys, /dev or /lib/modules", "/init or /bin/hog", "/usr/local/bin/NAME",
		"a directory is not copied", "${arch}", "x86_64 i386",
		"tap ", "TAP or KTAP", "a busybox applet", "a path with '/'", "a .ko file",
		"a Kbuild source directory", "obj-m += NAME.o", "Kbuild (else its Makefile)",
		"not oom_trigger", "a module step of the case", "case file's directory",
	};
	struct strbuf out = STRBUF_INIT;

	(void)state;
	case_print_help(&out);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(out.buf, want[i]))
			fail_msg("help lacks '%s':\n%s", want[i], out.buf);
	}
	/* one row per key: name, type, default, help */
	assert_non_null(strstr(out.buf, "  memory        size      128M        "));
	assert_non_null(strstr(out.buf, "  background    bool      no          "));
	assert_non_null(strstr(out.buf, "  oom_score_adj integer   (none)      -1000 to 1000"));
	assert_non_null(strstr(out.buf, "  tap           bool      no          with run: "));
	assert_non_null(strstr(out.buf, "  packages      words     (none)      Debian packages"));
	assert_int_equal(out.buf[out.len - 1], '\n');
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
