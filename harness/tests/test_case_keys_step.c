/* test_case_keys_step: the [step NAME] keys: run, module, write, rmmod,
 * sleep, background, oom_score_adj and their errors. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static void test_step_value_errors(void **state)
{
	(void)state;
	fails_with("[step s]\nsleep = 1h\n" EXPECT,
		   "t.case:2: bad duration '1h' for 'sleep' (" DURATION_HELP ")\n");
	fails_with("[step s]\nrun = hog\nbackground = on\n" EXPECT,
		   "t.case:3: bad bool 'on' for 'background' (allowed: yes no true false 1 0)\n");
}

static void test_step_run_module(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[step s]\nrun = hog --name a\"b c\"d --name \"\" --name \"x\\\"y\\\\z\" \t --hold\n" EXPECT, &c);
	assert_int_equal(c.steps[0].argc, 8);
	assert_string_equal(c.steps[0].argv[2], "ab cd");
	assert_string_equal(c.steps[0].argv[4], "");
	assert_string_equal(c.steps[0].argv[6], "x\"y\\z");
	assert_string_equal(c.steps[0].argv[7], "--hold");
	case_release(&c);

	parses("[step s]\nmodule = oom_trigger\nbackground = 1\n" EXPECT, &c);
	assert_int_equal(c.steps[0].kind, STEP_MODULE);
	assert_int_equal(c.steps[0].argc, 1);
	assert_int_equal(c.steps[0].background, 1);
	case_release(&c);

	parses("[step s]\nrun = hog\nbackground = FALSE\n" EXPECT, &c);
	assert_int_equal(c.steps[0].background, 0);
	case_release(&c);

	fails_with("[step s]\nrun = ls -l\n" EXPECT,
		   "t.case:2: unknown program 'ls' (known: hog)\n");
	fails_with("[step s]\nrun = \"\"\n" EXPECT,
		   "t.case:2: unknown program '' (known: hog)\n");
	fails_with("[step s]\nrun = hog \"x\n" EXPECT,
		   "t.case:2: unterminated \"quote\" in 'run'\n");
	fails_with("[step s]\nmodule = oom_killer order=0\n" EXPECT,
		   "t.case:2: unknown module 'oom_killer' (known: oom_trigger)\n");
	fails_with("[step s]\nmodule = oom_trigger order=0 verbose =1\n" EXPECT,
		   "t.case:2: module parameter 'verbose' is not key=value\n"
		   "t.case:2: module parameter '=1' is not key=value\n");
	fails_with("[step s]\nmodule = oom_trigger\nrun = hog\n" EXPECT,
		   "t.case:3: [step s] has both run and module (allowed: one of them)\n");
	fails_with("[step s]\nmodule = oom_trigger\nrmmod = oom\n" EXPECT,
		   "t.case:3: unknown module 'oom' for 'rmmod' (known: oom_trigger)\n");
	{
		struct oomcase only_rmmod;
		parses("[step s]\nrmmod = oom_trigger\n" EXPECT, &only_rmmod);
		assert_string_equal(only_rmmod.steps[0].rmmod, "oom_trigger");
		case_release(&only_rmmod);
	}
	fails_with("[step s]\nbackground = no\n" EXPECT,
		   "t.case:1: [step s] does nothing (needs run, module, write, sleep, collect or rmmod)\n"
		   "t.case:2: 'background' in [step s] needs run or module\n");
	fails_with("[step s]\nsleep = 1\ncgroup = g\nbackground = yes\n[cgroup g]\nversion = 1\n" EXPECT,
		   "t.case:3: 'cgroup' in [step s] needs run or module\n"
		   "t.case:4: 'background' in [step s] needs run or module\n");
}

#define HOG_BAD(arg, why) "t.case:2: bad hog argument '" arg "': " why " (usage: hog [--chunk SIZE] " \
	"[--interval MS] [--max SIZE] [--hold] [--name COMM])\n"
#define NOT_A_SIZE "not a size (a whole number of bytes with optional K, M or G suffix, e.g. 128K)"

/* The hog's arguments are checked as the hog checks them, here and now. */
static void test_run_hog_arguments(void **state)
{
	struct oomcase c;

	(void)state;
	fails_with("[step s]\nrun = hog --chunk 12Q\n" EXPECT, HOG_BAD("12Q", NOT_A_SIZE));
	fails_with("[step s]\nrun = hog --chunk 1M --max 18446744073709551616\n" EXPECT,
		   HOG_BAD("18446744073709551616", NOT_A_SIZE));
	fails_with("[step s]\nrun = hog --max 17179869184G\n" EXPECT, HOG_BAD("17179869184G", NOT_A_SIZE));
	fails_with("[step s]\nrun = hog --chunk 0\n" EXPECT, HOG_BAD("0", "a chunk of 0 bytes"));
	fails_with("[step s]\nrun = hog --chunk 4G\n" EXPECT,
		   HOG_BAD("4G", "a chunk larger than one malloc can take (on i386: 4G less 1 byte)"));
	fails_with("[step s]\nrun = hog --hold --chunk\n" EXPECT, HOG_BAD("--chunk", "needs a value"));
	fails_with("[step s]\nrun = hog --size 1M\n" EXPECT, HOG_BAD("--size", "unknown option"));
	fails_with("[step s]\nrun = hog --interval 1s\n" EXPECT,
		   HOG_BAD("1s", "not a whole number of milliseconds"));
	/* a parameter's bad value: once, with the run it makes */
	fails_all_with("[params]\nsize = 1M 2X\n[step s]\nrun = hog --chunk ${size}\n" EXPECT,
		   "t.case:4: with size=2X: bad hog argument '2X': " NOT_A_SIZE " (usage: hog [--chunk SIZE] "
		   "[--interval MS] [--max SIZE] [--hold] [--name COMM])\n");

	parses("[step s]\nrun = hog --chunk 128KiB --max 4G --interval 10 --hold --name \"a b\"\n" EXPECT, &c);
	assert_int_equal(c.steps[0].kind, STEP_RUN);
	assert_int_equal(c.steps[0].argc, 10);
	case_release(&c);
}

static void test_write(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[step a]\nwrite = /proc/sysrq-trigger c\n[step b]\nrun = hog\n"
	       "write = /sys/kernel/mm/transparent_hugepage/enabled \"never\"\n" EXPECT, &c);
	assert_int_equal(c.nsteps, 2);
	assert_string_equal(c.steps[0].write_path, "/proc/sysrq-trigger");
	assert_string_equal(c.steps[0].write_value, "c");
	assert_int_equal(c.steps[0].kind, STEP_NONE);
	assert_string_equal(c.steps[1].write_path, "/sys/kernel/mm/transparent_hugepage/enabled");
	assert_string_equal(c.steps[1].write_value, "never");
	case_release(&c);

#define WRITE_BAD(v) "t.case:2: bad write '" v "' (allowed: PATH VALUE, VALUE one word or \"quoted\")\n"
#define WRITE_PATH_BAD(v, why) "t.case:2: bad write path '" v "': " why " (allowed: /proc/sysrq-trigger, " \
	"or a file under /proc/sys/ or /sys/ by a path of letters, digits and _ - . : with no empty, " \
	". or .. component)\n"
#define OUTSIDE "not a kernel knob"
#define COMPONENT "an empty, . or .. component"
#define CHARACTER "a character not allowed"
	fails_with("[step a]\nwrite = /proc/../etc/passwd x\n" EXPECT, WRITE_PATH_BAD("/proc/../etc/passwd", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/sys/../../x 1\n" EXPECT, WRITE_PATH_BAD("/proc/sys/../../x", COMPONENT));
	fails_with("[step a]\nwrite = /sys/./x 1\n" EXPECT, WRITE_PATH_BAD("/sys/./x", COMPONENT));
	fails_with("[step a]\nwrite = /sys/kernel/.. 1\n" EXPECT, WRITE_PATH_BAD("/sys/kernel/..", COMPONENT));
	fails_with("[step a]\nwrite = /proc//x 1\n" EXPECT, WRITE_PATH_BAD("/proc//x", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/sys//vm/x 1\n" EXPECT, WRITE_PATH_BAD("/proc/sys//vm/x", COMPONENT));
	fails_with("[step a]\nwrite = //proc/sys/vm/x 1\n" EXPECT, WRITE_PATH_BAD("//proc/sys/vm/x", OUTSIDE));
	fails_with("[step a]\nwrite = /sys//kernel 1\n" EXPECT, WRITE_PATH_BAD("/sys//kernel", COMPONENT));
	fails_with("[step a]\nwrite = /proc/ 1\n" EXPECT, WRITE_PATH_BAD("/proc/", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/sys/ 1\n" EXPECT, WRITE_PATH_BAD("/proc/sys/", COMPONENT));
	fails_with("[step a]\nwrite = /sys/kernel/ 1\n" EXPECT, WRITE_PATH_BAD("/sys/kernel/", COMPONENT));
	fails_with("[step a]\nwrite = /tmp/x 1\n" EXPECT, WRITE_PATH_BAD("/tmp/x", OUTSIDE));
	fails_with("[step a]\nwrite = proc/sys/x 1\n" EXPECT, WRITE_PATH_BAD("proc/sys/x", OUTSIDE));
	fails_with("[step a]\nwrite = /sys/x$y 1\n" EXPECT, WRITE_PATH_BAD("/sys/x$y", CHARACTER));
	fails_with("[step a]\nwrite = /proc/sys/$x 1\n" EXPECT, WRITE_PATH_BAD("/proc/sys/$x", CHARACTER));
	/* the rest of /proc reaches processes: the agent's channel, every guest file */
	fails_with("[step a]\nwrite = /proc/self/fd/1 done\n" EXPECT, WRITE_PATH_BAD("/proc/self/fd/1", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/thread-self/fd/1 x\n" EXPECT, WRITE_PATH_BAD("/proc/thread-self/fd/1", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/1/root/etc/x 1\n" EXPECT, WRITE_PATH_BAD("/proc/1/root/etc/x", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/1/fd/3 1\n" EXPECT, WRITE_PATH_BAD("/proc/1/fd/3", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/net/x 1\n" EXPECT, WRITE_PATH_BAD("/proc/net/x", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/sysrq-trigger/x 1\n" EXPECT, WRITE_PATH_BAD("/proc/sysrq-trigger/x", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/sysx 1\n" EXPECT, WRITE_PATH_BAD("/proc/sysx", OUTSIDE));
	fails_with("[step a]\nwrite = /sysfs/x 1\n" EXPECT, WRITE_PATH_BAD("/sysfs/x", OUTSIDE));
	fails_with("[step a]\nwrite = /proc/sys/x\n" EXPECT, WRITE_BAD("/proc/sys/x"));
	fails_with("[step a]\nwrite = /proc/sys/x 1 2\n" EXPECT, WRITE_BAD("/proc/sys/x 1 2"));
	fails_with("[step a]\nwrite = /proc/x \"1\n" EXPECT, "t.case:2: unterminated \"quote\" in 'write'\n");

	parses("[step a]\nwrite = /proc/sys/vm/drop_caches 3\n[step b]\nwrite = /sys/kernel/mm/ksm/run 1\n"
	       "[step c]\nwrite = /sys/devices/system/memory/memory0:1/online.x 0\n" EXPECT, &c);
	assert_string_equal(c.steps[0].write_path, "/proc/sys/vm/drop_caches");
	assert_string_equal(c.steps[2].write_path, "/sys/devices/system/memory/memory0:1/online.x");
	case_release(&c);
}

static void test_oom_score_adj(void **state)
{
	static const struct { const char *v; int adj; } ok[] = {
		{ "0", 0 }, { "-1000", -1000 }, { "1000", 1000 }, { "+5", 5 }, { "-0", 0 },
		{ "999", 999 }, { "0300", 300 },
	};
	static const char *const bad[] = {
		"1001", "-1001", "abc", "1.5", "10000", "--1", "- 1", "+", "-", "0x10", "1e3",
		"00000", "99999999999999999999",
	};
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
	struct oomcase c;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		strbuf_reset(&text);
		strbuf_addf(&text, "[step s]\nrun = hog\noom_score_adj = %s\n" EXPECT, ok[i].v);
		parses(text.buf, &c);
		assert_int_equal(c.steps[0].has_oom_score_adj, 1);
		assert_int_equal(c.steps[0].oom_score_adj, ok[i].adj);
		case_release(&c);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf_reset(&text);
		strbuf_reset(&want);
		strbuf_addf(&text, "[step s]\nrun = hog\noom_score_adj = %s\n" EXPECT, bad[i]);
		strbuf_addf(&want, "t.case:3: bad oom_score_adj '%s' (allowed: a whole number "
			    "from -1000 to 1000)\n", bad[i]);
		fails_with(text.buf, want.buf);
	}
	parses("[step s]\nrun = hog\n" EXPECT, &c);
	assert_int_equal(c.steps[0].has_oom_score_adj, 0);
	case_release(&c);
	parses("[step s]\noom_score_adj = -7\nmodule = oom_trigger\n" EXPECT, &c);
	assert_int_equal(c.steps[0].oom_score_adj, -7);
	case_release(&c);
	fails_with("[step s]\nsleep = 1\noom_score_adj = 5\n" EXPECT,
		   "t.case:3: 'oom_score_adj' in [step s] needs run or module\n");
	fails_with("[step s]\noom_score_adj = 5\n" EXPECT,
		   "t.case:1: [step s] does nothing (needs run, module, write, sleep, collect or rmmod)\n"
		   "t.case:2: 'oom_score_adj' in [step s] needs run or module\n");
	fails_with("[step s]\nrun = hog\noom_score_adj = 1\noom_score_adj = 2\n" EXPECT,
		   "t.case:4: duplicate key 'oom_score_adj' in [step s] (first at line 3)\n");
	strbuf_release(&text);
	strbuf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_value_errors),
		cmocka_unit_test(test_step_run_module),
		cmocka_unit_test(test_run_hog_arguments),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_oom_score_adj),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
