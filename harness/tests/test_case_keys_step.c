/* test_case_keys_step: the [step NAME] keys: run, module (bare names; host
 * paths are test_case_programs'), write, rmmod, sleep, background,
 * oom_score_adj, tap, wait and wait_max (the references a wait makes are
 * test_case_checks') and their errors. Run from harness/tests. */
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

#define BAD_PROGRAM(name) "t.case:2: bad program '" name "' (allowed: a name of letters, digits and " \
	"_ . + - the guest has: hog, a busybox applet, a program of [case] packages; or a path with '/' " \
	"to a program of yours)\n"
#define KNOWN_MODULES "(known: oom_trigger; or a path with '/' to a .ko file or Kbuild directory of yours)"

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

	/* any other bare name: a busybox applet or a packaged program, found later */
	parses("[step s]\nrun = ls -l\n[step t]\nrun = stress-ng --vm 1\n[step u]\nrun = g++.x_1-2 a\n" EXPECT, &c);
	assert_int_equal(c.steps[0].kind, STEP_RUN);
	assert_string_equal(c.steps[0].argv[0], "ls");
	assert_string_equal(c.steps[0].argv[1], "-l");
	assert_null(c.steps[0].host_path);
	assert_string_equal(c.steps[1].argv[0], "stress-ng");
	assert_string_equal(c.steps[2].argv[0], "g++.x_1-2");
	assert_null(c.steps[2].host_path);
	case_release(&c);
	fails_with("[step s]\nrun = \"\"\n" EXPECT, BAD_PROGRAM(""));
	fails_with("[step s]\nrun = ls;rm\n" EXPECT, BAD_PROGRAM("ls;rm"));
	fails_with("[step s]\nrun = ..\n" EXPECT, BAD_PROGRAM(".."));
	fails_with("[step s]\nrun = .\n" EXPECT, BAD_PROGRAM("."));
	fails_with("[step s]\nrun = \"a b\"\n" EXPECT, BAD_PROGRAM("a b"));
	fails_with("[step s]\nrun = ${arch}\n" EXPECT, BAD_PROGRAM("${arch}"));
	fails_with("[step s]\nrun = hog \"x\n" EXPECT,
		   "t.case:2: unterminated \"quote\" in 'run'\n");
	fails_with("[step s]\nmodule = oom_killer order=0\n" EXPECT,
		   "t.case:2: unknown module 'oom_killer' " KNOWN_MODULES "\n");
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
		   "t.case:1: [step s] does nothing (needs run, module, write, sleep, wait, collect or rmmod)\n"
		   "t.case:2: 'background' in [step s] needs run or module\n");
	fails_with("[step s]\nsleep = 1\ncgroup = g\nbackground = yes\n[cgroup g]\nversion = 1\n" EXPECT,
		   "t.case:3: 'cgroup' in [step s] needs run or module\n"
		   "t.case:4: 'background' in [step s] needs run or module\n");
}

#define HOG_BAD(arg, why) "t.case:2: bad hog argument '" arg "': " why " (usage: hog [--kind anon|shmem|file|mlock|thp] [--chunk SIZE] " \
	"[--interval MS] [--max SIZE|N%] [--dir DIR] [--hold] [--name COMM])\n"
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
	fails_with("[step s]\nrun = hog --kind hugetlb\n" EXPECT,
		   HOG_BAD("hugetlb", "not a kind of memory (anon, shmem, file, mlock or thp)"));
	fails_with("[step s]\nrun = hog --chunk 4095M --kind thp\n" EXPECT,
		   HOG_BAD("4095M", "a thp chunk too large: rounded up to 2M, it and 2M more must fit one mapping "
			   "(on i386: at most 4G less 4M)"));
	fails_with("[step s]\nrun = hog --interval 1s\n" EXPECT,
		   HOG_BAD("1s", "not a whole number of milliseconds"));
	/* a parameter's bad value: once, with the run it makes */
	fails_all_with("[params]\nsize = 1M 2X\n[step s]\nrun = hog --chunk ${size}\n" EXPECT,
		   "t.case:4: with size=2X: bad hog argument '2X': " NOT_A_SIZE " (usage: hog [--kind anon|shmem|file|mlock|thp] [--chunk SIZE] "
		   "[--interval MS] [--max SIZE|N%] [--dir DIR] [--hold] [--name COMM])\n");

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
		   "t.case:1: [step s] does nothing (needs run, module, write, sleep, wait, collect or rmmod)\n"
		   "t.case:2: 'oom_score_adj' in [step s] needs run or module\n");
	fails_with("[step s]\nrun = hog\noom_score_adj = 1\noom_score_adj = 2\n" EXPECT,
		   "t.case:4: duplicate key 'oom_score_adj' in [step s] (first at line 3)\n");
	strbuf_release(&text);
	strbuf_release(&want);
}

static void test_tap(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[step a]\nrun = ./bin/${arch}/selftest\ntap = yes\n[step b]\nrun = hog\ntap = no\n"
	       "[step c]\nrun = hog\n" EXPECT, &c);
	assert_int_equal(c.steps[0].tap, 1);
	assert_int_equal(c.steps[1].tap, 0);
	assert_int_equal(c.steps[2].tap, 0);
	case_release(&c);
	/* the key comes first in the section: still checked at the end */
	parses("[step a]\ntap = 1\nrun = hog\n" EXPECT, &c);
	assert_int_equal(c.steps[0].tap, 1);
	case_release(&c);

	fails_with("[step a]\nrun = hog\ntap = maybe\n" EXPECT,
		   "t.case:3: bad bool 'maybe' for 'tap' (allowed: yes no true false 1 0)\n");
	fails_with("[step a]\nmodule = oom_trigger\ntap = yes\n" EXPECT,
		   "t.case:3: 'tap' in [step a] is for run, not module\n");
	fails_with("[step a]\nsleep = 1\n\ntap = no\n" EXPECT,
		   "t.case:4: 'tap' in [step a] needs run\n");
	fails_with("[step a]\ntap = yes\n" EXPECT,
		   "t.case:1: [step a] does nothing (needs run, module, write, sleep, wait, collect or rmmod)\n"
		   "t.case:2: 'tap' in [step a] needs run\n");
	fails_with("[step a]\nrun = hog\ntap = yes\ntap = yes\n" EXPECT,
		   "t.case:4: duplicate key 'tap' in [step a] (first at line 3)\n");
}

/* rmmod names oom_trigger or a module step's module; checked at the end. */
static void test_rmmod(void **state)
{
	struct oomcase c;

	(void)state;
	fails_with("[step a]\nrmmod = mine\n" EXPECT,
		   "t.case:2: unknown module 'mine' for 'rmmod' (known: oom_trigger)\n");
	fails_with("[step a]\nrmmod = ${x}\n" EXPECT,
		   "t.case:2: unknown parameter '${x}' (known: none)\n");
	fails_with("[step a]\nmodule = oom_trigger\n[step b]\nrmmod = oom_trigger2\n" EXPECT,
		   "t.case:4: unknown module 'oom_trigger2' for 'rmmod' (known: oom_trigger)\n");
	/* a module of the case's, by its name, in a step before or after */
	parses("[step a]\nrmmod = mod\n[step b]\nmodule = ./${arch}/mod.ko\nrmmod = mod\n" EXPECT, &c);
	assert_string_equal(c.steps[0].rmmod, "mod");
	assert_int_equal(c.steps[0].kind, STEP_NONE);
	assert_string_equal(c.steps[1].rmmod, "mod");
	case_release(&c);
	fails_with("[step a]\nmodule = ./${arch}/mod.ko\n[step b]\nmodule = ./${arch}/b-2.ko\n"
		   "rmmod = mod.ko\n" EXPECT,
		   "t.case:5: unknown module 'mod.ko' for 'rmmod' (known: oom_trigger mod b-2)\n");
	/* a module step in error may be the one meant: no second message */
	fails_with("[step a]\nmodule = ./${arch}/bad.name.ko\n[step b]\nrmmod = bad\n" EXPECT,
		   "t.case:2: bad module name 'bad.name' from './${arch}/bad.name.ko' (allowed: letters, "
		   "digits, _ and -)\n");
}

#define BG "[cgroup hog]\nversion = 2\n[step hog]\nrun = hog\ncgroup = hog\nbackground = yes\n"

/* Every form of wait = CONDITION, with the fields each one fills. */
static void test_wait_forms(void **state)
{
	const struct case_wait *w;
	struct oomcase c;

	(void)state;
	parses(BG "wait = exit\n[step look]\nwait = exit hog\nwait_max = 1500ms\n" EXPECT, &c);
	w = c.steps[0].wait;
	assert_non_null(w);
	assert_int_equal(w->kind, WAIT_EXIT);
	assert_string_equal(w->step, "hog");	/* exit alone: this step */
	assert_null(w->group);
	assert_string_equal(w->text_form, "exit");
	assert_int_equal(w->max_ms, CASE_WAIT_MAX_MS);
	assert_int_equal(w->line, 7);
	w = c.steps[1].wait;
	assert_int_equal(w->kind, WAIT_EXIT);
	assert_string_equal(w->step, "hog");
	assert_int_equal(w->max_ms, 1500);
	assert_int_equal(w->line, 9);
	assert_int_equal(c.steps[1].kind, STEP_NONE);	/* a step that only waits */
	assert_int_equal(c.steps[1].sleep_ms, 0);
	case_release(&c);

	/* output: "quoted" text with spaces, or one bare word; wait_max first */
	parses(BG "wait_max = 2m\nwait = output \"chunk 3 total\"\n"
	       "[step two]\nrun = hog\nwait = output hog:\n[case]\ntimeout = 5m\n" EXPECT, &c);
	w = c.steps[0].wait;
	assert_int_equal(w->kind, WAIT_OUTPUT);
	assert_string_equal(w->step, "hog");
	assert_string_equal(w->text, "chunk 3 total");
	assert_string_equal(w->text_form, "output \"chunk 3 total\"");
	assert_int_equal(w->max_ms, 120000);
	w = c.steps[1].wait;
	assert_string_equal(w->step, "two");
	assert_string_equal(w->text, "hog:");
	case_release(&c);

	parses(BG "[step a]\nwait = oom_kill\n[step b]\nwait = oom_kill hog\n" EXPECT, &c);
	assert_int_equal(c.steps[1].wait->kind, WAIT_OOM_KILL);
	assert_null(c.steps[1].wait->group);
	assert_int_equal(c.steps[2].wait->kind, WAIT_OOM_KILL);
	assert_string_equal(c.steps[2].wait->group, "hog");
	case_release(&c);

	parses(BG "[step a]\nwait = cgroup hog memory.events.high > 0\n"
	       "[step b]\nwait = cgroup hog memory.current >= 8M\n"
	       "[step c]\nwait = cgroup hog memory.oom_control.under_oom == 1\n"
	       "[step d]\nwait = cgroup   hog   memory.swap.events.max   !=   4096\n"
	       "[step e]\nwait = cgroup hog memory.swap.current < 1G\n"
	       "[step f]\nwait = cgroup hog cpu.stat.nr_throttled <= 2k\n" EXPECT, &c);
	w = c.steps[1].wait;
	assert_int_equal(w->kind, WAIT_CGROUP);
	assert_string_equal(w->group, "hog");
	assert_string_equal(w->file, "memory.events");
	assert_string_equal(w->key, "high");
	assert_int_equal(w->op, OP_GT);
	assert_int_equal(w->value, 0);
	assert_string_equal(w->text_form, "cgroup hog memory.events.high > 0");
	w = c.steps[2].wait;
	assert_string_equal(w->file, "memory.current");
	assert_null(w->key);
	assert_int_equal(w->op, OP_GE);
	assert_int_equal(w->value, 8 << 20);
	w = c.steps[3].wait;
	assert_string_equal(w->file, "memory.oom_control");
	assert_string_equal(w->key, "under_oom");
	assert_int_equal(w->op, OP_EQ);
	assert_int_equal(w->value, 1);
	w = c.steps[4].wait;
	assert_string_equal(w->file, "memory.swap.events");
	assert_string_equal(w->key, "max");
	assert_int_equal(w->op, OP_NE);
	assert_int_equal(w->value, 4096);
	assert_string_equal(w->text_form, "cgroup   hog   memory.swap.events.max   !=   4096");
	w = c.steps[5].wait;
	assert_string_equal(w->file, "memory.swap.current");
	assert_null(w->key);
	assert_int_equal(w->op, OP_LT);
	assert_int_equal(w->value, 1LL << 30);
	w = c.steps[6].wait;
	assert_string_equal(w->file, "cpu.stat");
	assert_string_equal(w->key, "nr_throttled");
	assert_int_equal(w->op, OP_LE);
	assert_int_equal(w->value, 2048);
	case_release(&c);

	/* ${NAME} in a condition: this run's value */
	parses("[params]\nn = 5\n" BG "wait = output \"chunk ${n}\"\n" EXPECT, &c);
	assert_string_equal(c.steps[0].wait->text, "chunk 5");
	assert_string_equal(c.steps[0].wait->text_form, "output \"chunk 5\"");
	case_release(&c);
}

#define WAIT_KNOWN "(known: exit [STEP], output \"TEXT\", oom_kill [GROUP], cgroup GROUP FILE[.KEY] OP NUMBER)"

/* Conditions that are wrong as written: the message is at the wait line. */
static void test_wait_value_errors(void **state)
{
	(void)state;
	fails_with(BG "[step a]\nwait = flood\n" EXPECT,
		   "t.case:8: unknown wait condition 'flood' " WAIT_KNOWN "\n");
	fails_with(BG "[step a]\nwait = \"exit\" \"\n" EXPECT,
		   "t.case:8: unterminated \"quote\" in 'wait'\n");
	fails_with(BG "[step a]\nwait = exit hog now\n" EXPECT,
		   "t.case:8: bad wait 'exit hog now' (allowed: exit, or exit STEP)\n");
	fails_with(BG "[step a]\nwait = exit h.g\n" EXPECT,
		   "t.case:8: bad step name 'h.g' in wait 'exit h.g' (allowed: letters, digits, _ and -)\n");
	fails_with(BG "wait = output chunk 3\n" EXPECT,
		   "t.case:7: bad wait 'output chunk 3' (allowed: output \"TEXT\": text that is not empty, "
		   "one word or \"quoted\")\n");
	fails_with(BG "wait = output\n" EXPECT,
		   "t.case:7: bad wait 'output' (allowed: output \"TEXT\": text that is not empty, "
		   "one word or \"quoted\")\n");
	fails_with(BG "wait = output \"\"\n" EXPECT,
		   "t.case:7: bad wait 'output \"\"' (allowed: output \"TEXT\": text that is not empty, "
		   "one word or \"quoted\")\n");
	fails_with(BG "[step a]\nwait = oom_kill hog hog\n" EXPECT,
		   "t.case:8: bad wait 'oom_kill hog hog' (allowed: oom_kill, or oom_kill GROUP)\n");
	fails_with(BG "[step a]\nwait = oom_kill h/g\n" EXPECT,
		   "t.case:8: bad cgroup name 'h/g' in wait 'oom_kill h/g' (allowed: letters, digits, _ and -)\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory.current\n" EXPECT,
		   "t.case:8: bad wait 'cgroup hog memory.current' (allowed: cgroup GROUP FILE[.KEY] OP NUMBER, "
		   "e.g. cgroup hog memory.events.high > 0)\n");
	fails_with(BG "[step a]\nwait = cgroup h:g memory.current > 1\n" EXPECT,
		   "t.case:8: bad cgroup name 'h:g' in wait 'cgroup h:g memory.current > 1' "
		   "(allowed: letters, digits, _ and -)\n");
#define FILE_HELP "(allowed: a cgroup file's name, words of letters, digits, _ and - joined by '.', " \
	"then .KEY for a line of a keyed file, e.g. memory.current, memory.events.high)"
	fails_with(BG "[step a]\nwait = cgroup hog memory > 1\n" EXPECT,
		   "t.case:8: bad cgroup file 'memory' in wait 'cgroup hog memory > 1' " FILE_HELP "\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory..events > 1\n" EXPECT,
		   "t.case:8: bad cgroup file 'memory..events' in wait 'cgroup hog memory..events > 1' "
		   FILE_HELP "\n");
	fails_with(BG "[step a]\nwait = cgroup hog ../memory.max > 1\n" EXPECT,
		   "t.case:8: bad cgroup file '../memory.max' in wait 'cgroup hog ../memory.max > 1' "
		   FILE_HELP "\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory.max. > 1\n" EXPECT,
		   "t.case:8: bad cgroup file 'memory.max.' in wait 'cgroup hog memory.max. > 1' "
		   FILE_HELP "\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory.max ~ 1\n" EXPECT,
		   "t.case:8: bad operator '~' in wait 'cgroup hog memory.max ~ 1' (allowed: == != < <= > >=)\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory.max = 1\n" EXPECT,
		   "t.case:8: bad operator '=' in wait 'cgroup hog memory.max = 1' (allowed: == != < <= > >=)\n");
#define NUMBER_HELP "(allowed: a whole number, or a size with K, M or G suffix, e.g. 8M)"
	fails_with(BG "[step a]\nwait = cgroup hog memory.max > max\n" EXPECT,
		   "t.case:8: bad number 'max' in wait 'cgroup hog memory.max > max' " NUMBER_HELP "\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory.max > -1\n" EXPECT,
		   "t.case:8: bad number '-1' in wait 'cgroup hog memory.max > -1' " NUMBER_HELP "\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory.max > 8T\n" EXPECT,
		   "t.case:8: bad number '8T' in wait 'cgroup hog memory.max > 8T' " NUMBER_HELP "\n");
	/* past what a long long holds */
	fails_with(BG "[step a]\nwait = cgroup hog memory.max > 9223372036854775808\n" EXPECT,
		   "t.case:8: bad number '9223372036854775808' in wait 'cgroup hog memory.max > "
		   "9223372036854775808' " NUMBER_HELP "\n");
	fails_with(BG "[step a]\nwait = cgroup hog memory.max > 8G\nwait_max = soon\n" EXPECT,
		   "t.case:9: bad duration 'soon' for 'wait_max' (" DURATION_HELP ")\n");
	fails_with(BG "wait = exit\nwait = exit\n" EXPECT,
		   "t.case:8: duplicate key 'wait' in [step hog] (first at line 7)\n");
	/* an unknown ${NAME}: said once, not again as a bad wait */
	fails_with(BG "wait = output ${nope}\n" EXPECT,
		   "t.case:7: unknown parameter '${nope}' (known: none)\n");
	fails_with("[step a]\nwait = output ${nope}\n" EXPECT,
		   "t.case:2: unknown parameter '${nope}' (known: none)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_value_errors),
		cmocka_unit_test(test_step_run_module),
		cmocka_unit_test(test_run_hog_arguments),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_oom_score_adj),
		cmocka_unit_test(test_tap),
		cmocka_unit_test(test_rmmod),
		cmocka_unit_test(test_wait_forms),
		cmocka_unit_test(test_wait_value_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
