/* test_casefile: case file parsing, every error message, the help table,
 * parse_size and parse_duration. Run from harness/tests (fixtures/). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/casefile.h"
#include "lib/units.h"

#define KNOWN_CASE "(known: description targets memory timeout cmdline needs)"
#define KNOWN_STEP "(known: run module write rmmod cgroup background sleep collect oom_score_adj)"
#define SECTIONS_LIST "[case] [params] [sysctl] [cgroup NAME] [step NAME] [expect] [expect SELECTOR]"
#define SECTIONS "(known: " SECTIONS_LIST ")"
#define DURATION_HELP "a positive whole number with ms, s or m suffix, e.g. 60s; bare: seconds"
#define SIZE_HELP "a whole number of bytes with optional K, M or G suffix, e.g. 128M"
#define COLLECT_HELP "(known: buddyinfo meminfo vmstat cgroup:NAME proc:STEP; " \
	"NAME, STEP: letters, digits, _ and -)"
#define OPS "(allowed: == != < <= > >= ~ !~)"
#define EXPECT "\n[expect]\noom.count == 0\n"

static int parse(struct oomcase *c, const char *text, struct strbuf *err)
{
	return case_parse(c, "t.case", text, strlen(text), err);
}

/* The text must fail with exactly `want` as the whole error output. */
static void fails_with(const char *text, const char *want)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	struct oomcase zero;

	memset(&zero, 0, sizeof(zero));
	assert_int_equal(parse(&c, text, &err), -1);
	assert_string_equal(err.buf, want);
	/* a failed parse leaves nothing to release */
	assert_memory_equal(&c, &zero, sizeof(c));
	case_release(&c);
	strbuf_release(&err);
}

static void parses(const char *text, struct oomcase *c)
{
	struct strbuf err = STRBUF_INIT;
	int rc = parse(c, text, &err);

	if (rc)
		fprintf(stderr, "unexpected errors:\n%s", err.buf);
	assert_int_equal(rc, 0);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

static char *regerr(const char *pattern)
{
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	size_t n;
	char *msg;

	assert_int_not_equal(rc, 0);
	n = regerror(rc, &re, NULL, 0);
	msg = malloc(n);
	regerror(rc, &re, msg, n);
	return msg;
}

static void test_good_file(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	const struct case_step *s;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/good.case", &err), 0);
	assert_string_equal(err.buf, "");
	assert_string_equal(c.path, "fixtures/cases/good.case");
	assert_string_equal(c.name, "good");
	assert_string_equal(c.description,
			    "memcg v1 with oom_control=1: the hog waits, nobody is killed");
	assert_int_equal(c.ntargets, 2);
	assert_string_equal(c.targets[0], "x86_64");
	assert_string_equal(c.targets[1], "i386");
	assert_null(c.targets[2]);
	assert_true(c.memory == 256ULL << 20);
	assert_int_equal(c.timeout_ms, 90000);
	assert_string_equal(c.cmdline, "loglevel=7 \"quoted # not a comment\"");

	assert_int_equal(c.ncgroups, 1);
	assert_string_equal(c.cgroups[0].name, "hog");
	assert_int_equal(c.cgroups[0].version, 1);
	assert_int_equal(c.cgroups[0].line, 9);
	assert_int_equal(c.cgroups[0].nsettings, 2);
	assert_string_equal(c.cgroups[0].settings[0].file, "memory.limit_in_bytes");
	assert_string_equal(c.cgroups[0].settings[0].value, "512K");
	assert_int_equal(c.cgroups[0].settings[0].line, 11);
	assert_string_equal(c.cgroups[0].settings[1].file, "memory.oom_control");
	assert_string_equal(c.cgroups[0].settings[1].value, "1");

	assert_int_equal(c.nsteps, 3);
	s = &c.steps[0];
	assert_string_equal(s->name, "hog");
	assert_int_equal(s->kind, STEP_RUN);
	assert_int_equal(s->argc, 5);
	assert_string_equal(s->argv[0], "hog");
	assert_string_equal(s->argv[3], "--name");
	assert_string_equal(s->argv[4], "two words");
	assert_null(s->argv[5]);
	assert_string_equal(s->cgroup, "hog");
	assert_int_equal(s->background, 1);
	assert_int_equal(s->sleep_ms, 0);
	assert_int_equal(s->ncollect, 0);
	assert_null(s->rmmod);
	assert_int_equal(s->line, 14);

	s = &c.steps[1];
	assert_string_equal(s->name, "load");
	assert_int_equal(s->kind, STEP_MODULE);
	assert_int_equal(s->argc, 4);
	assert_string_equal(s->argv[0], "oom_trigger");
	assert_string_equal(s->argv[3], "release=4096");
	assert_string_equal(s->rmmod, "oom_trigger");
	assert_null(s->cgroup);
	assert_int_equal(s->background, 0);

	s = &c.steps[2];
	assert_string_equal(s->name, "look");
	assert_int_equal(s->kind, STEP_NONE);
	assert_int_equal(s->argc, 0);
	assert_int_equal(s->sleep_ms, 2000);
	assert_int_equal(s->ncollect, 4);
	assert_string_equal(s->collect[0], "buddyinfo");
	assert_string_equal(s->collect[2], "cgroup:hog");
	assert_string_equal(s->collect[3], "proc:hog");

	assert_int_equal(c.nexpects, 5);
	assert_string_equal(c.expects[0].text, "oom.count == 0");
	assert_int_equal(c.expects[0].line, 28);
	assert_string_equal(c.expects[2].text, "proc.hog.state == D");
	assert_string_equal(c.expects[2].value, "D");
	assert_string_equal(c.expects[3].fact, "console");
	assert_int_equal(c.expects[3].op, OP_NOMATCH);
	assert_string_equal(c.expects[3].value, "Kernel panic");
	assert_string_equal(c.expects[4].fact, "oom.1.victim.comm");
	assert_int_equal(c.expects[4].line, 34);

	case_release(&c);
	case_release(&c);	/* released twice: harmless */
	strbuf_release(&err);
}

static void test_defaults(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/minimal.case", &err), 0);
	assert_string_equal(c.name, "minimal");
	assert_null(c.description);
	assert_null(c.targets);
	assert_int_equal(c.ntargets, 0);
	assert_true(c.memory == 128ULL << 20);
	assert_int_equal(c.timeout_ms, 60000);
	assert_null(c.cmdline);
	assert_int_equal(c.ncgroups, 0);
	assert_int_equal(c.nsteps, 0);
	assert_int_equal(c.nexpects, 1);
	assert_string_equal(c.expects[0].fact, "oom.count");
	assert_int_equal(c.expects[0].op, OP_GT);
	assert_string_equal(c.expects[0].value, "0");
	case_release(&c);
	strbuf_release(&err);
}

static void test_crlf(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/crlf.case", &err), 0);
	assert_string_equal(c.description, "crlf");
	assert_true(c.memory == 64ULL << 20);
	assert_int_equal(c.steps[0].sleep_ms, 500);
	assert_string_equal(c.expects[0].value, "a|b");
	assert_int_equal(c.expects[0].line, 8);
	case_release(&c);
	strbuf_release(&err);
}

static void test_errors_file(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	const char *p = "fixtures/cases/errors.case";
	char *re = regerr("(unclosed");

	(void)state;
	strbuf_addf(&want,
		"%s:4: unknown key 'memroy' in [case] " KNOWN_CASE "\n"
		"%s:5: memory 12 is out of range (allowed: 32M to 16G)\n"
		"%s:6: bad duration 'soon' for 'timeout' (" DURATION_HELP ")\n"
		"%s:7: duplicate key 'timeout' in [case] (first at line 6)\n"
		"%s:9: [cgroup hog] needs 'version' (1 or 2)\n"
		"%s:13: unknown program 'hug' (known: hog)\n"
		"%s:14: 'cgroup' names no [cgroup nosuch] (defined: hog)\n"
		"%s:15: bad bool 'maybe' for 'background' (allowed: yes no true false 1 0)\n"
		"%s:19: [step both] has both run and module (allowed: one of them)\n"
		"%s:21: [step idle] does nothing (needs run, module, write, sleep, collect or rmmod)\n"
		"%s:22: 'background' in [step idle] needs run or module\n"
		"%s:25: unknown collect item 'slabinfo' " COLLECT_HELP "\n"
		"%s:25: collect item 'proc:later' names a later step (allowed: this step or an earlier one)\n"
		"%s:30: unknown section [bogus] " SECTIONS "\n"
		"%s:32: unknown operator '=' in 'oom.count = 0' " OPS "\n"
		"%s:33: bad regex '(unclosed': %s\n",
		p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, re);
	assert_int_equal(case_load(&c, p, &err), -1);
	assert_string_equal(err.buf, want.buf);
	assert_null(c.path);
	case_release(&c);
	free(re);
	strbuf_release(&err);
	strbuf_release(&want);
}

static void test_load_missing(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/nosuch.case", &err), -1);
	assert_string_equal(err.buf, "fixtures/cases/nosuch.case: cannot read: No such file or directory\n");
	case_release(&c);
	strbuf_release(&err);
}

static void test_name(void **state)
{
	static const struct { const char *path, *name; } t[] = {
		{ "a/b/x.case", "x" }, { "y.case", "y" }, { "noext", "noext" },
		{ "d/z.case.bak", "z.case.bak" }, { ".case", ".case" },
	};
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(case_parse(&c, t[i].path, EXPECT, strlen(EXPECT), &err), 0);
		assert_string_equal(c.name, t[i].name);
		assert_string_equal(c.path, t[i].path);
		case_release(&c);
	}
	strbuf_release(&err);
}

static void test_sections(void **state)
{
	(void)state;
	fails_with("[foo]" EXPECT, "t.case:1: unknown section [foo] " SECTIONS "\n");
	fails_with("[foo bar]\nx = 1" EXPECT,
		   "t.case:1: unknown section [foo bar] " SECTIONS "\n");
	fails_with("[case\n" EXPECT,
		   "t.case:1: bad section header '[case' (expected one of " SECTIONS_LIST ")\n");
	fails_with("[case] x\n" EXPECT,
		   "t.case:1: bad section header '[case] x' (expected one of " SECTIONS_LIST ")\n");
	fails_with("[case]\n[case]\n" EXPECT,
		   "t.case:2: duplicate section [case] (first at line 1)\n");
	fails_with("[case x]\n" EXPECT, "t.case:1: section [case] takes no name (got 'x')\n");
	fails_with("[params x]\n" EXPECT, "t.case:1: section [params] takes no name (got 'x')\n");
	fails_with("[sysctl vm]\n" EXPECT, "t.case:1: section [sysctl] takes no name (got 'vm')\n");
	fails_with("[params]\na = 1\n[params]\nb = 2\n" EXPECT,
		   "t.case:3: duplicate section [params] (first at line 1)\n");
	fails_with("[sysctl]\nvm.a = 1\n[sysctl]\nvm.b = 2\n" EXPECT,
		   "t.case:3: duplicate section [sysctl] (first at line 1)\n");
	fails_with("[cgroup]\nversion = 1\n" EXPECT,
		   "t.case:1: section [cgroup] needs a name, e.g. [cgroup hog]\n");
	fails_with("[step  ]\n" EXPECT, "t.case:1: section [step] needs a name, e.g. [step hog]\n");
	fails_with("[step a.b]\n" EXPECT,
		   "t.case:1: bad name 'a.b' for [step] (allowed: letters, digits, _ and -)\n");
	fails_with("[cgroup a b]\n" EXPECT,
		   "t.case:1: bad name 'a b' for [cgroup] (allowed: letters, digits, _ and -)\n");
	fails_with("[cgroup g]\nversion = 2\n[cgroup g]\nversion = 2\n" EXPECT,
		   "t.case:3: duplicate section [cgroup g] (first at line 1)\n");
	fails_with("[step s]\nsleep = 1s\n[step s]\nsleep = 1s\n" EXPECT,
		   "t.case:3: duplicate section [step s] (first at line 1)\n");
	fails_with("description = x\n" EXPECT,
		   "t.case:1: 'description = x' is outside a section (start one with " SECTIONS_LIST ")\n");
}

static void test_names_per_kind(void **state)
{
	struct oomcase c;

	(void)state;
	/* a cgroup and a step may share a name; spaces inside brackets are fine */
	parses("[ cgroup  hog ]\nversion = 2\nmemory.max = 1M\n[step hog]\nrun = hog\ncgroup = hog\n"
	       "[step Hog_2-x]\nsleep=1\n" EXPECT, &c);
	assert_string_equal(c.cgroups[0].name, "hog");
	assert_int_equal(c.cgroups[0].version, 2);
	assert_string_equal(c.steps[1].name, "Hog_2-x");
	assert_int_equal(c.steps[1].sleep_ms, 1000);
	case_release(&c);
}

static void test_key_errors(void **state)
{
	(void)state;
	/* the message from the format's description */
	fails_with("# x\n\n\n\n\n\n[case]\nmemroy = 128M\n" EXPECT,
		   "t.case:8: unknown key 'memroy' in [case] " KNOWN_CASE "\n");
	fails_with("[step s]\nsleep = 1\nrum = hog\n" EXPECT,
		   "t.case:3: unknown key 'rum' in [step s] " KNOWN_STEP "\n");
	fails_with("[cgroup g]\nversion = 1\nlimit = 1\n" EXPECT,
		   "t.case:3: unknown key 'limit' in [cgroup g] (known: version, or a cgroup file such as memory.max)\n");
	fails_with("[case]\ndescription\n" EXPECT,
		   "t.case:2: missing '=' in 'description' in [case] (expected key = value)\n");
	fails_with("[case]\n = x\n" EXPECT, "t.case:2: missing key before '=' in [case]\n");
	fails_with("[case]\ndescription =   # nothing\n" EXPECT,
		   "t.case:2: empty value for 'description' in [case]\n");
	fails_with("[cgroup g]\nversion = 1\nmemory.max =\n" EXPECT,
		   "t.case:3: empty value for 'memory.max' in [cgroup g]\n");
	fails_with("[case]\ncmdline = a\ncmdline = b\n" EXPECT,
		   "t.case:3: duplicate key 'cmdline' in [case] (first at line 2)\n");
	fails_with("[cgroup g]\nversion = 1\nmemory.max = 1\nmemory.max = 2\n" EXPECT,
		   "t.case:4: duplicate key 'memory.max' in [cgroup g] (first at line 3)\n");
	fails_with("[cgroup g]\nversion = 1\nversion = 2\n" EXPECT,
		   "t.case:3: duplicate key 'version' in [cgroup g] (first at line 2)\n");
	fails_with("[cgroup g]\nversion = 1\nmemory/../x.y = 1\n" EXPECT,
		   "t.case:3: bad cgroup file name 'memory/../x.y' (allowed: letters, digits and _ - ., not starting with '.')\n");
	fails_with("[cgroup g]\nversion = 1\n.x = 1\n" EXPECT,
		   "t.case:3: bad cgroup file name '.x' (allowed: letters, digits and _ - ., not starting with '.')\n");
	/* keys are per section: the same key in two steps is fine */
	{
		struct oomcase c;

		parses("[step a]\nsleep = 1\n[step b]\nsleep = 2\n" EXPECT, &c);
		assert_int_equal(c.steps[1].sleep_ms, 2000);
		case_release(&c);
	}
}

static void test_value_errors(void **state)
{
	(void)state;
	fails_with("[case]\nmemory = lots\n" EXPECT,
		   "t.case:2: bad size 'lots' for 'memory' (" SIZE_HELP ")\n");
	fails_with("[case]\nmemory = -128M\n" EXPECT,
		   "t.case:2: bad size '-128M' for 'memory' (" SIZE_HELP ")\n");
	fails_with("[case]\nmemory = 31M\n" EXPECT,
		   "t.case:2: memory 31M is out of range (allowed: 32M to 16G)\n");
	fails_with("[case]\nmemory = 17G\n" EXPECT,
		   "t.case:2: memory 17G is out of range (allowed: 32M to 16G)\n");
	fails_with("[case]\ntimeout = 0s\n" EXPECT,
		   "t.case:2: bad duration '0s' for 'timeout' (" DURATION_HELP ")\n");
	fails_with("[step s]\nsleep = 1h\n" EXPECT,
		   "t.case:2: bad duration '1h' for 'sleep' (" DURATION_HELP ")\n");
	fails_with("[step s]\nrun = hog\nbackground = on\n" EXPECT,
		   "t.case:3: bad bool 'on' for 'background' (allowed: yes no true false 1 0)\n");
	fails_with("[cgroup g]\nversion = 3\n" EXPECT,
		   "t.case:2: bad version '3' for [cgroup g] (allowed: 1 or 2)\n");
	fails_with("[cgroup g]\nversion = v1\n" EXPECT,
		   "t.case:2: bad version 'v1' for [cgroup g] (allowed: 1 or 2)\n");
	fails_with("[cgroup g]\nmemory.max = 1M\n" EXPECT,
		   "t.case:1: [cgroup g] needs 'version' (1 or 2)\n");
	fails_with("[case]\ntargets = x86_64 \"i386\n" EXPECT,
		   "t.case:2: unterminated \"quote\" in 'targets'\n");
}

static void test_case_values(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[case]\nmemory = 32M\ntimeout = 1500ms\ntargets = a\n" EXPECT, &c);
	assert_true(c.memory == 32ULL << 20);
	assert_int_equal(c.timeout_ms, 1500);
	assert_int_equal(c.ntargets, 1);
	case_release(&c);
	parses("[case]\nmemory = 16GiB\ntimeout = 2m\n" EXPECT, &c);
	assert_true(c.memory == 16ULL << 30);
	assert_int_equal(c.timeout_ms, 120000);
	case_release(&c);
	/* an empty [case] is fine */
	parses("[case]\n" EXPECT, &c);
	assert_true(c.memory == 128ULL << 20);
	case_release(&c);
}

static void test_step_run_module(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[step s]\nrun = hog a\"b c\"d \"\" \"x\\\"y\\\\z\" \t e\n" EXPECT, &c);
	assert_int_equal(c.steps[0].argc, 5);
	assert_string_equal(c.steps[0].argv[1], "ab cd");
	assert_string_equal(c.steps[0].argv[2], "");
	assert_string_equal(c.steps[0].argv[3], "x\"y\\z");
	assert_string_equal(c.steps[0].argv[4], "e");
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

static void test_references(void **state)
{
	struct oomcase c;

	(void)state;
	/* a cgroup may be defined after the step that uses it; proc: may name
	 * the step itself */
	parses("[step s]\nrun = hog\ncgroup = late\nsleep = 1\ncollect = proc:s cgroup:late vmstat\n"
	       "[cgroup late]\nversion = 2\n" EXPECT, &c);
	assert_string_equal(c.steps[0].cgroup, "late");
	assert_int_equal(c.steps[0].ncollect, 3);
	case_release(&c);

	fails_with("[step s]\nrun = hog\ncgroup = nope\n" EXPECT,
		   "t.case:3: 'cgroup' names no [cgroup nope] (defined: none)\n");
	fails_with("[cgroup a]\nversion=1\n[cgroup b]\nversion=1\n[step s]\ncollect = cgroup:c\n" EXPECT,
		   "t.case:6: collect item 'cgroup:c' names no [cgroup c] (defined: a b)\n");
	fails_with("[cgroup c0]\nversion=1\n[cgroup c1]\nversion=1\n[cgroup c2]\nversion=1\n"
		   "[cgroup c3]\nversion=1\n[cgroup c4]\nversion=1\n[cgroup c5]\nversion=1\n"
		   "[cgroup c6]\nversion=1\n[cgroup c7]\nversion=1\n[cgroup c8]\nversion=1\n"
		   "[step s]\nrun = hog\ncgroup = c9\n" EXPECT,
		   "t.case:21: 'cgroup' names no [cgroup c9] (defined: c0 c1 c2 c3 c4 c5 c6 c7 ...)\n");
	fails_with("[step s]\ncollect = proc:nope\n" EXPECT,
		   "t.case:2: collect item 'proc:nope' names no [step nope]\n");
	fails_with("[step s]\ncollect = proc:t\n[step t]\nrun = hog\n" EXPECT,
		   "t.case:2: collect item 'proc:t' names a later step (allowed: this step or an earlier one)\n");
	fails_with("[step t]\nsleep = 1\n[step s]\ncollect = proc:t\n" EXPECT,
		   "t.case:4: collect item 'proc:t' names a step with no run or module\n");
	fails_with("[step s]\ncollect = meminfo cgroup: proc:a.b slabinfo\n" EXPECT,
		   "t.case:2: unknown collect item 'cgroup:' " COLLECT_HELP "\n"
		   "t.case:2: unknown collect item 'proc:a.b' " COLLECT_HELP "\n"
		   "t.case:2: unknown collect item 'slabinfo' " COLLECT_HELP "\n");
}

static void test_expect_sections(void **state)
{
	struct oomcase c;
	char *re = regerr("a(");
	struct strbuf want = STRBUF_INIT;

	(void)state;
	parses("[expect]\na == 1\n[step s]\nsleep = 1\n[expect]\nb != 2\n\n[expect]\nc ~ x\n", &c);
	assert_int_equal(c.nexpects, 3);
	assert_string_equal(c.expects[0].fact, "a");
	assert_int_equal(c.expects[1].line, 6);
	assert_string_equal(c.expects[2].fact, "c");
	assert_int_equal(c.expects[2].has_re, 1);
	case_release(&c);

	fails_with("[case]\n", "t.case: no expectations\n");
	fails_with("", "t.case: no expectations\n");
	fails_with("[expect]\n# nothing\n", "t.case: no expectations\n");
	/* line errors come first, whole-file ones last */
	fails_with("[bad]\n",
		   "t.case:1: unknown section [bad] " SECTIONS "\nt.case: no expectations\n");
	/* an expectation that fails to parse still counts as one */
	fails_with("[expect]\n== 1\n",
		   "t.case:2: expected a fact name (letters, digits and _ . : / -) at the start of '== 1'\n");
	strbuf_addf(&want, "t.case:2: bad regex 'a(': %s\n", re);
	fails_with("[expect]\nconsole ~ a(\n", want.buf);
	fails_with("[expect]\noom.count 0\n",
		   "t.case:2: missing operator after 'oom.count' in 'oom.count 0' " OPS "\n");
	fails_with("[expect]\nx == \"a\n",
		   "t.case:2: unterminated \"quoted\" value in 'x == \"a'\n");
	free(re);
	strbuf_release(&want);
}

static void test_comments(void **state)
{
	struct oomcase c;

	(void)state;
	parses("  # indented comment\n[case] # comment\ndescription = issue#5 is \"# kept\" # gone\n"
	       "cmdline = a\t# tab comment\n[expect]\n#c\nconsole ~ \"# \\\" #\" # x\nx == a#b\n", &c);
	assert_string_equal(c.description, "issue#5 is \"# kept\"");
	assert_string_equal(c.cmdline, "a");
	assert_string_equal(c.expects[0].value, "# \" #");
	assert_string_equal(c.expects[1].value, "a#b");
	case_release(&c);
}

static void test_nul_and_crlf(void **state)
{
	static const char text[] = "[case]\ndescr\0iption = x\n[expect]\na == 1\r\nb == \0\n";
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_parse(&c, "n.case", text, sizeof(text) - 1, &err), -1);
	assert_string_equal(err.buf, "n.case:2: NUL byte\nn.case:5: NUL byte\n");
	strbuf_release(&err);

	/* no newline at the end; a lone CR inside a line is not a line end */
	parses("[case]\r\ndescription = a\rb\r\n[expect]\r\na == 1", &c);
	assert_string_equal(c.description, "a\rb");
	assert_string_equal(c.expects[0].value, "1");
	case_release(&c);
}

static void test_long_lines(void **state)
{
	size_t n = 200000;
	struct strbuf text = STRBUF_INIT;
	struct oomcase c;

	(void)state;
	strbuf_addstr(&text, "[case]\ndescription = ");
	for (size_t i = 0; i < n; i++)
		strbuf_addch(&text, 'a' + (char)(i % 26));
	strbuf_addstr(&text, "\n[step s]\nrun = hog");
	for (size_t i = 0; i < 5000; i++)
		strbuf_addstr(&text, " --arg");
	strbuf_addstr(&text, "\n[expect]\nconsole !~ \"");
	for (size_t i = 0; i < 3000; i++)
		strbuf_addch(&text, 'x');
	strbuf_addstr(&text, "\"\n");
	parses(text.buf, &c);
	assert_int_equal(strlen(c.description), n);
	assert_int_equal(c.steps[0].argc, 5001);
	assert_int_equal(strlen(c.expects[0].value), 3000);
	case_release(&c);
	strbuf_release(&text);
}

static void test_all_errors_collected(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	size_t lines = 0;

	(void)state;
	assert_int_equal(parse(&c, "[case]\nmemory = x\ntimeout = y\nfoo = 1\n[expect]\n= 1\n", &err), -1);
	for (size_t i = 0; i < err.len; i++)
		lines += err.buf[i] == '\n';
	assert_int_equal(lines, 4);
	assert_int_equal(err.buf[err.len - 1], '\n');
	strbuf_release(&err);
}

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
	assert_int_equal(out.buf[out.len - 1], '\n');
	strbuf_release(&out);
}

static void test_parse_size(void **state)
{
	static const struct { const char *s; unsigned long long v; } ok[] = {
		{ "0", 0 }, { "4096", 4096 }, { "512K", 512ULL << 10 }, { "512k", 512ULL << 10 },
		{ "128M", 128ULL << 20 }, { "128m", 128ULL << 20 }, { "1G", 1ULL << 30 },
		{ "2g", 2ULL << 30 }, { "1KiB", 1024 }, { "3MiB", 3ULL << 20 }, { "4GiB", 4ULL << 30 },
		{ "1kib", 1024 }, { "007", 7 },
		{ "18446744073709551615", ULLONG_MAX },
		{ "17179869183G", 17179869183ULL << 30 },
	};
	static const char *const bad[] = {
		"", "K", "-1", "+1", " 1", "1 ", "1.5M", "1KB", "1T", "1Mi", "1MiBx", "0x10",
		"18446744073709551616", "99999999999999999999999", "17179869184G",
		"18014398509481984K", "1e3", "1,000",
	};
	unsigned long long v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 1;
		if (units_parse_size(ok[i].s, &v))
			fail_msg("units_parse_size(\"%s\") failed", ok[i].s);
		assert_true(v == ok[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		if (!units_parse_size(bad[i], &v))
			fail_msg("units_parse_size(\"%s\") took it as %llu", bad[i], v);
		assert_true(v == 12345);
	}
}

static void test_parse_duration(void **state)
{
	static const struct { const char *s; long ms; } ok[] = {
		{ "3", 3000 }, { "2s", 2000 }, { "500ms", 500 }, { "1m", 60000 }, { "1ms", 1 },
		{ "09s", 9000 }, { "9223372036854775807ms", LONG_MAX },
		{ "9223372036854775s", 9223372036854775000L },
		{ "153722867280912m", 9223372036854720000L },
	};
	static const char *const bad[] = {
		"", "s", "0", "0s", "0ms", "-1s", "1.5s", "1h", "1S", "1 s", " 1s", "1sec", "2mss",
		"9223372036854775808ms", "9223372036854776s", "153722867280913m",
		"99999999999999999999999", "1e3",
	};
	long v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = -1;
		if (units_parse_duration(ok[i].s, &v))
			fail_msg("units_parse_duration(\"%s\") failed", ok[i].s);
		assert_int_equal(v, ok[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = -7;
		if (!units_parse_duration(bad[i], &v))
			fail_msg("units_parse_duration(\"%s\") took it as %ld", bad[i], v);
		assert_int_equal(v, -7);
	}
}

static void test_guest_lists(void **state)
{
	(void)state;
	assert_string_equal(case_guest_programs[0], "hog");
	assert_null(case_guest_programs[1]);
	assert_string_equal(case_guest_modules[0], "oom_trigger");
	assert_null(case_guest_modules[1]);
}

/* [expect SELECTOR]: every expectation in it (and each side of an ||) gets
 * the selector; plain [expect] none. */
static void test_expect_selector(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[expect]\na == 1\n[expect i386]\nb == 2\nc == 3 || d == 4\n[expect 6.12]\ne == 5\n"
	       "[expect  custom-x86_64 ]\nf == 6\n[expect x86_64]\ng == 7\n[expect]\nh == 8\n"
	       "[expect 6.1.0-50+x_y]\ni == 9\n", &c);
	assert_int_equal(c.nexpects, 8);
	assert_null(c.expects[0].selector);
	assert_string_equal(c.expects[1].selector, "i386");
	assert_string_equal(c.expects[2].selector, "i386");
	assert_non_null(c.expects[2].or_next);
	assert_string_equal(c.expects[2].or_next->selector, "i386");
	assert_int_equal(c.expects[2].or_next->line, 5);
	assert_string_equal(c.expects[3].selector, "6.12");
	assert_string_equal(c.expects[4].selector, "custom-x86_64");
	assert_string_equal(c.expects[5].selector, "x86_64");
	assert_null(c.expects[6].selector);
	assert_string_equal(c.expects[7].selector, "6.1.0-50+x_y");
	case_release(&c);

	/* expectations only under selectors are enough */
	parses("[expect i386]\na == 1\n", &c);
	assert_int_equal(c.nexpects, 1);
	case_release(&c);

	/* a bad selector: one message; its lines are still checked */
	fails_with("[expect a/b]\na == 1\n",
		   "t.case:1: bad selector 'a/b' for [expect] (allowed: one word of letters, digits "
		   "and _ . + -: a target name, arch or kernel release)\n");
	fails_with("[expect x86_64 i386]\na == 1\nb 2\n",
		   "t.case:1: bad selector 'x86_64 i386' for [expect] (allowed: one word of letters, "
		   "digits and _ . + -: a target name, arch or kernel release)\n"
		   "t.case:3: missing operator after 'b' in 'b 2' " OPS "\n");
	/* the selector ends with its section */
	parses("[expect i386]\na == 1\n[step s]\nsleep = 1\n[expect]\nb == 1\n", &c);
	assert_null(c.expects[1].selector);
	case_release(&c);
}

static void test_expect_or(void **state)
{
	struct oomcase c;
	const struct expectation *e;

	(void)state;
	parses("[expect]\n  step.hog.exit == signal:9 || step.hog.exit == 3   # either\n"
	       "console ~ \"a||b\" || x==\"||\"||y != 1\n", &c);
	assert_int_equal(c.nexpects, 2);
	e = &c.expects[0];
	assert_string_equal(e->text, "step.hog.exit == signal:9 || step.hog.exit == 3");
	assert_string_equal(e->fact, "step.hog.exit");
	assert_string_equal(e->value, "signal:9");
	assert_int_equal(e->line, 2);
	assert_non_null(e->or_next);
	assert_string_equal(e->or_next->text, "step.hog.exit == 3");
	assert_string_equal(e->or_next->value, "3");
	assert_int_equal(e->or_next->line, 2);
	assert_null(e->or_next->or_next);
	e = &c.expects[1];
	assert_string_equal(e->text, "console ~ \"a||b\" || x==\"||\"||y != 1");
	assert_string_equal(e->value, "a||b");
	assert_string_equal(e->or_next->value, "||");
	assert_string_equal(e->or_next->or_next->fact, "y");
	assert_null(e->or_next->or_next->or_next);
	case_release(&c);

	fails_with("[expect]\na == 1 ||\n",
		   "t.case:2: empty side of '||' in 'a == 1 ||' (expected <fact> <op> <value> on each side)\n");
	fails_with("[expect]\na == 1 || b 3\n",
		   "t.case:2: missing operator after 'b' in 'b 3' " OPS "\n");
}

#define NEEDS_KNOWN "(known: cgroup-v1 cgroup-v2 kconfig:CONFIG_NAME min-kernel:X.Y " \
	"max-kernel:X.Y arch:ARCH memory:SIZE)"

static void test_needs(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[case]\nneeds = cgroup-v1 cgroup-v2 kconfig:CONFIG_MEMCG_V1 kconfig:!CONFIG_X "
	       "min-kernel:5.19 max-kernel:6.10 arch:i386 memory:1G min-kernel:6.1.20 arch:x86_64 "
	       "kconfig:CONFIG_9P_FS\n" EXPECT, &c);
	assert_int_equal(c.nneeds, 11);
	assert_string_equal(c.needs[0], "cgroup-v1");
	assert_string_equal(c.needs[3], "kconfig:!CONFIG_X");
	assert_string_equal(c.needs[4], "min-kernel:5.19");
	assert_string_equal(c.needs[7], "memory:1G");
	assert_string_equal(c.needs[8], "min-kernel:6.1.20");
	assert_string_equal(c.needs[10], "kconfig:CONFIG_9P_FS");
	assert_null(c.needs[11]);
	case_release(&c);
	parses("[case]\n" EXPECT, &c);
	assert_null(c.needs);
	assert_int_equal(c.nneeds, 0);
	case_release(&c);

	fails_with("[case]\nneeds = cgroup-v3\n" EXPECT,
		   "t.case:2: unknown requirement 'cgroup-v3' " NEEDS_KNOWN "\n");
	fails_with("[case]\nneeds = cgroup-v1 kernel:6.1 CONFIG_X\n" EXPECT,
		   "t.case:2: unknown requirement 'kernel:6.1' " NEEDS_KNOWN "\n"
		   "t.case:2: unknown requirement 'CONFIG_X' " NEEDS_KNOWN "\n");
	fails_with("[case]\nneeds = kconfig:MEMCG kconfig:CONFIG_ kconfig:CONFIG_memcg kconfig:!!CONFIG_X\n"
		   EXPECT,
		   "t.case:2: bad requirement 'kconfig:MEMCG' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n"
		   "t.case:2: bad requirement 'kconfig:CONFIG_' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n"
		   "t.case:2: bad requirement 'kconfig:CONFIG_memcg' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n"
		   "t.case:2: bad requirement 'kconfig:!!CONFIG_X' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n");
	fails_with("[case]\nneeds = min-kernel:6 max-kernel:6.1.2.3 min-kernel:6. max-kernel:v6.1 "
		   "min-kernel:6.x\n" EXPECT,
		   "t.case:2: bad requirement 'min-kernel:6' (expected min-kernel:X.Y or min-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'max-kernel:6.1.2.3' (expected max-kernel:X.Y or max-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'min-kernel:6.' (expected min-kernel:X.Y or min-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'max-kernel:v6.1' (expected max-kernel:X.Y or max-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'min-kernel:6.x' (expected min-kernel:X.Y or min-kernel:X.Y.Z)\n");
	fails_with("[case]\nneeds = arch:arm64 arch:\n" EXPECT,
		   "t.case:2: bad requirement 'arch:arm64' (known arches: x86_64 i386)\n"
		   "t.case:2: bad requirement 'arch:' (known arches: x86_64 i386)\n");
	fails_with("[case]\nneeds = memory:lots\n" EXPECT,
		   "t.case:2: bad requirement 'memory:lots' (memory:SIZE, SIZE " SIZE_HELP ")\n");
	fails_with("[case]\nneeds = arch:i386 cgroup-v2 arch:i386\n" EXPECT,
		   "t.case:2: duplicate requirement 'arch:i386'\n");
	fails_with("[case]\nneeds = \"arch:i386\n" EXPECT,
		   "t.case:2: unterminated \"quote\" in 'needs'\n");
	fails_with("[case]\nneeds =\n" EXPECT, "t.case:2: empty value for 'needs' in [case]\n");
}

static void test_sysctl(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[sysctl]\nvm.panic_on_oom = 1\nkernel.panic=10 # s\nvm.overcommit_memory = 2\n"
	       "net.ipv4.tcp_mem = 4096,8192\nvm.x = \"\"\n" EXPECT, &c);
	assert_int_equal(c.nsysctls, 5);
	assert_string_equal(c.sysctls[0].file, "vm.panic_on_oom");
	assert_string_equal(c.sysctls[0].value, "1");
	assert_int_equal(c.sysctls[0].line, 2);
	assert_string_equal(c.sysctls[1].file, "kernel.panic");
	assert_string_equal(c.sysctls[1].value, "10");
	assert_string_equal(c.sysctls[2].file, "vm.overcommit_memory");
	assert_string_equal(c.sysctls[3].file, "net.ipv4.tcp_mem");
	assert_string_equal(c.sysctls[3].value, "4096,8192");
	assert_string_equal(c.sysctls[4].value, "\"\"");
	case_release(&c);
	parses(EXPECT, &c);
	assert_null(c.sysctls);
	assert_int_equal(c.nsysctls, 0);
	case_release(&c);

#define SYSCTL_BAD(k) "t.case:2: bad sysctl name '" k "' (allowed: lower-case words of " \
	"letters, digits and _ joined by '.', e.g. vm.panic_on_oom)\n"
	fails_with("[sysctl]\nvm = 1\n" EXPECT, SYSCTL_BAD("vm"));
	fails_with("[sysctl]\nvm..panic = 1\n" EXPECT, SYSCTL_BAD("vm..panic"));
	fails_with("[sysctl]\nvm/panic_on_oom = 1\n" EXPECT, SYSCTL_BAD("vm/panic_on_oom"));
	fails_with("[sysctl]\nvm.../x = 1\n" EXPECT, SYSCTL_BAD("vm.../x"));
	fails_with("[sysctl]\n.vm.x = 1\n" EXPECT, SYSCTL_BAD(".vm.x"));
	fails_with("[sysctl]\nvm.x. = 1\n" EXPECT, SYSCTL_BAD("vm.x."));
	fails_with("[sysctl]\nVM.Panic = 1\n" EXPECT, SYSCTL_BAD("VM.Panic"));
	fails_with("[sysctl]\nvm.a-b = 1\n" EXPECT, SYSCTL_BAD("vm.a-b"));
	fails_with("[sysctl]\nvm.x = 1 2\n" EXPECT,
		   "t.case:2: bad value '1 2' for sysctl vm.x (allowed: one word, no spaces)\n");
	fails_with("[sysctl]\nvm.x =\n" EXPECT, "t.case:2: empty value for 'vm.x' in [sysctl]\n");
	fails_with("[sysctl]\nvm.x = 1\nvm.y = 1\nvm.x = 2\n" EXPECT,
		   "t.case:4: duplicate key 'vm.x' in [sysctl] (first at line 2)\n");
	fails_with("[sysctl]\nvm.x\n" EXPECT,
		   "t.case:2: missing '=' in 'vm.x' in [sysctl] (expected key = value)\n");
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

#define WRITE_BAD(v) "t.case:2: bad write '" v "' (allowed: PATH VALUE, PATH a file under " \
	"/proc/ or /sys/ with no . or .. component, VALUE one word or \"quoted\")\n"
	fails_with("[step a]\nwrite = /proc/../etc/passwd x\n" EXPECT, WRITE_BAD("/proc/../etc/passwd x"));
	fails_with("[step a]\nwrite = /proc/sys/../../x 1\n" EXPECT, WRITE_BAD("/proc/sys/../../x 1"));
	fails_with("[step a]\nwrite = /sys/./x 1\n" EXPECT, WRITE_BAD("/sys/./x 1"));
	fails_with("[step a]\nwrite = /proc//x 1\n" EXPECT, WRITE_BAD("/proc//x 1"));
	fails_with("[step a]\nwrite = /proc/ 1\n" EXPECT, WRITE_BAD("/proc/ 1"));
	fails_with("[step a]\nwrite = /proc/x/ 1\n" EXPECT, WRITE_BAD("/proc/x/ 1"));
	fails_with("[step a]\nwrite = /tmp/x 1\n" EXPECT, WRITE_BAD("/tmp/x 1"));
	fails_with("[step a]\nwrite = proc/x 1\n" EXPECT, WRITE_BAD("proc/x 1"));
	fails_with("[step a]\nwrite = /proc/x\n" EXPECT, WRITE_BAD("/proc/x"));
	fails_with("[step a]\nwrite = /proc/x 1 2\n" EXPECT, WRITE_BAD("/proc/x 1 2"));
	fails_with("[step a]\nwrite = /proc/x$y 1\n" EXPECT, WRITE_BAD("/proc/x$y 1"));
	fails_with("[step a]\nwrite = /proc/x \"1\n" EXPECT, "t.case:2: unterminated \"quote\" in 'write'\n");
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

static int parse_all(const char *text, struct oomcase **cases, size_t *n, struct strbuf *err)
{
	return case_parse_all("t.case", text, strlen(text), cases, n, err);
}

static void parses_all(const char *text, struct oomcase **cases, size_t *n)
{
	struct strbuf err = STRBUF_INIT;
	int rc = parse_all(text, cases, n, &err);

	if (rc)
		fprintf(stderr, "unexpected errors:\n%s", err.buf);
	assert_int_equal(rc, 0);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

static void release_all(struct oomcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		case_release(&cases[i]);
	free(cases);
}

static void fails_all_with(const char *text, const char *want)
{
	struct oomcase *cases = (struct oomcase *)1;
	struct strbuf err = STRBUF_INIT;
	size_t n = 99;

	assert_int_equal(parse_all(text, &cases, &n, &err), -1);
	assert_string_equal(err.buf, want);
	assert_null(cases);
	assert_int_equal(n, 0);
	strbuf_release(&err);
}

static void test_params_expand(void **state)
{
	static const char *const variants[] = {
		"memory=64M,order=0,mode=backup", "memory=64M,order=0,mode=nobackup",
		"memory=64M,order=3,mode=backup", "memory=64M,order=3,mode=nobackup",
		"memory=128M,order=0,mode=backup", "memory=128M,order=0,mode=nobackup",
		"memory=128M,order=3,mode=backup", "memory=128M,order=3,mode=nobackup",
	};
	struct oomcase *cases;
	size_t n;

	(void)state;
	/* memory is varied first, wherever [params] is */
	parses_all("[params]\norder = 0 3\nmode = backup nobackup\n"
		   "[case]\nmemory = 64M 128M\ndescription = ${mode} at order ${order} in ${memory}\n"
		   "cmdline = x=${order}${order}\nneeds = min-kernel:6.${order}\n"
		   "[sysctl]\nvm.overcommit_memory = ${order}\n"
		   "[cgroup g]\nversion = 2\nmemory.max = ${memory}\n"
		   "[step s]\nmodule = oom_trigger order=${order} \"mode=${mode}\"\ncgroup = g\n"
		   "oom_score_adj = -${order}00\n"
		   "[step h]\nrun = hog --name \"${mode} x\" --max ${memory}\n"
		   "[expect]\nkmod.oom_trigger.order == ${order}\n"
		   "kmod.oom_trigger.${mode} == \"${memory} x\" || a.${order} ~ ^${order}$\n", &cases, &n);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++) {
		const struct oomcase *c = &cases[i];
		const char *order = i & 2 ? "3" : "0", *mode = i & 1 ? "nobackup" : "backup";
		const char *mem = i & 4 ? "128M" : "64M";
		char buf[256];

		assert_string_equal(c->variant, variants[i]);
		assert_string_equal(c->name, "t");
		assert_true(c->memory == (i & 4 ? 128ULL : 64ULL) << 20);
		snprintf(buf, sizeof(buf), "%s at order %s in %s", mode, order, mem);
		assert_string_equal(c->description, buf);
		snprintf(buf, sizeof(buf), "x=%s%s", order, order);
		assert_string_equal(c->cmdline, buf);
		snprintf(buf, sizeof(buf), "min-kernel:6.%s", order);
		assert_string_equal(c->needs[0], buf);
		assert_string_equal(c->sysctls[0].value, order);
		assert_string_equal(c->cgroups[0].settings[0].value, mem);
		assert_int_equal(c->steps[0].argc, 3);
		snprintf(buf, sizeof(buf), "order=%s", order);
		assert_string_equal(c->steps[0].argv[1], buf);
		snprintf(buf, sizeof(buf), "mode=%s", mode);
		assert_string_equal(c->steps[0].argv[2], buf);
		assert_int_equal(c->steps[0].oom_score_adj, i & 2 ? -300 : 0);
		assert_int_equal(c->steps[1].argc, 5);
		snprintf(buf, sizeof(buf), "%s x", mode);
		assert_string_equal(c->steps[1].argv[2], buf);
		assert_string_equal(c->steps[1].argv[4], mem);
		assert_int_equal(c->nexpects, 2);
		assert_string_equal(c->expects[0].value, order);
		snprintf(buf, sizeof(buf), "kmod.oom_trigger.order == %s", order);
		assert_string_equal(c->expects[0].text, buf);
		snprintf(buf, sizeof(buf), "kmod.oom_trigger.%s", mode);
		assert_string_equal(c->expects[1].fact, buf);
		snprintf(buf, sizeof(buf), "%s x", mem);
		assert_string_equal(c->expects[1].value, buf);
		snprintf(buf, sizeof(buf), "^%s$", order);
		assert_string_equal(c->expects[1].or_next->value, buf);
		assert_int_equal(c->expects[1].or_next->has_re, 1);
	}
	release_all(cases, n);

	/* no parameters, one memory: one case, as case_parse gives it */
	parses_all("[case]\nmemory = 64M\ndescription = ${memory}\n" EXPECT, &cases, &n);
	assert_int_equal(n, 1);
	assert_null(cases[0].variant);
	assert_string_equal(cases[0].description, "64M");
	assert_true(cases[0].memory == 64ULL << 20);
	release_all(cases, n);
	parses_all(EXPECT, &cases, &n);
	assert_int_equal(n, 1);
	assert_null(cases[0].variant);
	release_all(cases, n);

	/* a parameter of one value still names the run; memory of one does not */
	parses_all("[case]\nmemory=64M\n[params]\nx = 5\n[expect]\na == ${x}\n", &cases, &n);
	assert_int_equal(n, 1);
	assert_string_equal(cases[0].variant, "x=5");
	assert_string_equal(cases[0].expects[0].value, "5");
	release_all(cases, n);

	/* params in file order; the last varies fastest; values taken as written */
	parses_all("[params]\nb = 1 2\na = \"x y\" z\n" EXPECT, &cases, &n);
	assert_int_equal(n, 6);
	assert_string_equal(cases[0].variant, "b=1,a=\"x");
	assert_string_equal(cases[1].variant, "b=1,a=y\"");
	assert_string_equal(cases[2].variant, "b=1,a=z");
	assert_string_equal(cases[3].variant, "b=2,a=\"x");
	assert_string_equal(cases[5].variant, "b=2,a=z");
	release_all(cases, n);

	/* memory from a parameter; no recursion: a value's ${...} stays */
	parses_all("[case]\nmemory = ${m}\n[params]\nm = 32M 16G\nn = ${m}\n"
		   "[expect]\na == ${n}\n", &cases, &n);
	assert_int_equal(n, 2);
	assert_string_equal(cases[0].variant, "m=32M,n=${m}");
	assert_true(cases[0].memory == 32ULL << 20);
	assert_true(cases[1].memory == 16ULL << 30);
	assert_string_equal(cases[1].expects[0].value, "${m}");
	release_all(cases, n);

	/* 256 combinations is the limit */
	parses_all("[case]\nmemory = 32M 64M 128M 256M\n[params]\na = 1 2 3 4\nb = 1 2 3 4 5 6 7 8\n"
		   "c = 1 2\n" EXPECT, &cases, &n);
	assert_int_equal(n, 256);
	assert_string_equal(cases[255].variant, "memory=256M,a=4,b=8,c=2");
	assert_string_equal(cases[100].variant, "memory=64M,a=3,b=3,c=1");
	release_all(cases, n);
}

#define KNOWN_PARAM_HELP "a lower-case letter, then lower-case letters, digits and _"

static void test_params_errors(void **state)
{
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;

	(void)state;
	fails_all_with("[params]\norder = 0 1\n[step s]\nrun = hog ${ordre}\n" EXPECT,
		       "t.case:4: unknown parameter '${ordre}' (known: order)\n");
	fails_all_with("[case]\nmemory = 64M 128M\n[params]\na = 1\nb = 2\n[expect]\nx == ${c}\n",
		       "t.case:7: unknown parameter '${c}' (known: memory a b)\n");
	fails_all_with("[case]\ndescription = ${x} and ${y}\n" EXPECT,
		       "t.case:2: unknown parameter '${x}' (known: none)\n"
		       "t.case:2: unknown parameter '${y}' (known: none)\n");
	/* ${memory} exists only when [case] sets it */
	fails_all_with("[case]\ndescription = ${memory}\n" EXPECT,
		       "t.case:2: unknown parameter '${memory}' (known: none)\n");
	fails_all_with("[params]\np = 1\n[case]\ndescription = ${p\n" EXPECT,
		       "t.case:4: unterminated '${' in '${p' (expected ${NAME})\n");
	fails_all_with("[params]\np = 1\n[case]\ndescription = ${}\n" EXPECT,
		       "t.case:4: unknown parameter '${}' (known: p)\n");
	/* what follows from an unknown parameter is not reported too */
	fails_all_with("[step s]\nmodule = ${mod}\ncgroup = ${g}\n[case]\nmemory = ${m}\n[expect]\n"
		       "a ${op} 1\n",
		       "t.case:2: unknown parameter '${mod}' (known: none)\n"
		       "t.case:3: unknown parameter '${g}' (known: none)\n"
		       "t.case:5: unknown parameter '${m}' (known: none)\n"
		       "t.case:7: unknown parameter '${op}' (known: none)\n");
	/* [params] itself */
	fails_all_with("[params]\nOrder = 1\n2x = 1\na-b = 1\n" EXPECT,
		       "t.case:2: bad parameter name 'Order' (allowed: " KNOWN_PARAM_HELP ")\n"
		       "t.case:3: bad parameter name '2x' (allowed: " KNOWN_PARAM_HELP ")\n"
		       "t.case:4: bad parameter name 'a-b' (allowed: " KNOWN_PARAM_HELP ")\n");
	fails_all_with("[params]\nmemory = 64M 128M\n" EXPECT,
		       "t.case:2: parameter 'memory' is [case] memory (list the sizes there: "
		       "memory = 64M 128M)\n");
	fails_all_with("[params]\na = 1 2 1\n" EXPECT,
		       "t.case:2: duplicate value '1' for parameter 'a'\n");
	fails_all_with("[params]\na = 1\nb = 2\na = 3\n" EXPECT,
		       "t.case:4: duplicate key 'a' in [params] (first at line 2)\n");
	fails_all_with("[params]\na =\n" EXPECT, "t.case:2: empty value for 'a' in [params]\n");
	fails_all_with("[case]\nmemory = 64M 64M\n" EXPECT,
		       "t.case:2: duplicate value '64M' for 'memory'\n");
	fails_all_with("[case]\nmemory = 64M 12 lots\n" EXPECT,
		       "t.case:2: memory 12 is out of range (allowed: 32M to 16G)\n"
		       "t.case:2: bad size 'lots' for 'memory' (" SIZE_HELP ")\n");
	/* too many combinations: the first is still checked, reported once */
	fails_all_with("[case]\nmemory = 32M 64M\n[params]\na = 1 2 3 4 5 6 7 8 9 10 11 12 13\n"
		       "b = 1 2 3 4 5 6 7 8 9 10\n[case]\n" EXPECT,
		       "t.case:6: duplicate section [case] (first at line 1)\n"
		       "t.case: the parameters make 260 combinations (at most 256)\n");
	strbuf_addstr(&text, "[params]\n");
	for (int i = 0; i < 70; i++)
		strbuf_addf(&text, "p%d = a b\n", i);
	strbuf_addstr(&text, EXPECT);
	fails_all_with(text.buf, "t.case: the parameters make too many combinations (at most 256)\n");
	/* expectations in all runs together: bounded */
	strbuf_reset(&text);
	strbuf_addstr(&text, "[params]\na = 1 2 3 4 5 6 7 8\nb = 1 2 3 4 5 6 7 8\n[expect]\n");
	for (int i = 0; i < 128; i++)	/* 2 each: 256 in each of 64 runs, 16384 */
		strbuf_addstr(&text, "console ~ a${a} || x == 1\n");
	{
		struct oomcase *cases;
		size_t n;

		parses_all(text.buf, &cases, &n);
		assert_int_equal(n, 64);
		release_all(cases, n);
	}
	strbuf_addstr(&text, "y == 1\n");
	fails_all_with(text.buf,
		       "t.case: the parameters make more than 16384 expectations in all 64 runs\n");
	/* ...counting what each run has */
	strbuf_reset(&text);
	strbuf_addstr(&text, "[params]\na = 1 2 3 4 5 6 7 8\nb = 1 2 3 4 5 6 7 8\n"
		      "c = 1 1");
	for (int i = 0; i < 39; i++)
		strbuf_addstr(&text, "||b==1");
	strbuf_addstr(&text, "\n[expect]\n");
	for (int i = 0; i < 16; i++)	/* 16 or 640 each, by turns: 64 x 656 in all */
		strbuf_addstr(&text, "a == ${c}\n");
	fails_all_with(text.buf,
		       "t.case: the parameters make more than 16384 expectations in all 128 runs\n");
	/* case text in all runs together: bounded, written and substituted */
	strbuf_reset(&text);
	strbuf_addstr(&text, "[params]\na = 1 2 3 4 5 6 7 8\nb = 1 2 3 4 5 6 7 8\n"
		      "c = 1 2 3 4\n" EXPECT "#");
	while (text.len < (4 << 20) / 256)
		strbuf_addch(&text, 'x');
	{
		struct oomcase *cases;
		size_t n;

		parses_all(text.buf, &cases, &n);
		assert_int_equal(n, 256);
		release_all(cases, n);
	}
	strbuf_addch(&text, 'x');
	fails_all_with(text.buf, "t.case: the parameters make 256 runs of this 16385-byte file "
		       "(at most 4194304 bytes in all)\n");
	strbuf_reset(&text);
	strbuf_addstr(&text, "[params]\na = 1 2 3 4 5 6 7 8\nb = 1 2 3 4 5 6 7 8\nc = 1 2 3 4\n"
		      "v = 12345678901234567890123456789012345678901234567890\n[case]\ndescription = ");
	for (int i = 0; i < 400; i++)	/* 18400 more in each of 256 runs */
		strbuf_addstr(&text, "${v}");
	strbuf_addstr(&text, "\n" EXPECT);
	strbuf_reset(&want);
	strbuf_addf(&want, "t.case:7: parameters make the file too long (at most %zu bytes more "
		    "than as written)\n", (size_t)(4 << 20) / 256 - text.len);
	fails_all_with(text.buf, want.buf);
	strbuf_reset(&want);
	/* an error in every combination is reported once, without a variant */
	fails_all_with("[params]\na = 1 2 3\n[case]\ntimeout = soon\n" EXPECT,
		       "t.case:4: bad duration 'soon' for 'timeout' (" DURATION_HELP ")\n");
	/* an error some combinations have: once, with the first that has it */
	fails_all_with("[params]\nm = 64M lots 12\nx = 1 maybe\n[case]\nmemory = ${m}\n"
		       "timeout = ${x}s\n[step s]\nrun = hog\nbackground = ${x}\n" EXPECT,
		       "t.case:6: with m=64M,x=maybe: bad duration 'maybes' for 'timeout' (" DURATION_HELP ")\n"
		       "t.case:9: with m=64M,x=maybe: bad bool 'maybe' for 'background' (allowed: yes no true false 1 0)\n"
		       "t.case:5: with m=lots,x=1: bad size 'lots' for 'memory' (" SIZE_HELP ")\n"
		       "t.case:5: with m=12,x=1: memory 12 is out of range (allowed: 32M to 16G)\n");
	/* too much text once substituted */
	strbuf_reset(&text);
	strbuf_addstr(&text, "[params]\nv = ");
	for (int i = 0; i < 15000; i++)
		strbuf_addch(&text, 'v');
	strbuf_addstr(&text, "\n[case]\ndescription = ");
	for (int i = 0; i < 17; i++)	/* just under the limit: the next line passes it */
		strbuf_addstr(&text, "${v}");
	strbuf_addstr(&text, "\ncmdline = ${v}\n[expect]\nconsole ~ ${v}\n");
	strbuf_addf(&want, "t.case:5: parameters make the file too long (at most %d bytes more "
		    "than as written)\n", 256 << 10);
	fails_all_with(text.buf, want.buf);
	strbuf_release(&text);
	strbuf_release(&want);
}

static void test_load_all(void **state)
{
	struct oomcase *cases, c;
	struct strbuf err = STRBUF_INIT;
	size_t n;

	(void)state;
	assert_int_equal(case_load_all("fixtures/cases/params.case", &cases, &n, &err), 0);
	assert_string_equal(err.buf, "");
	assert_int_equal(n, 8);
	assert_string_equal(cases[0].variant, "memory=64M,order=0,mode=backup");
	assert_string_equal(cases[7].variant, "memory=128M,order=3,mode=nobackup");
	assert_string_equal(cases[5].description, "order 0 in 128M, mode nobackup");
	assert_string_equal(cases[5].path, "fixtures/cases/params.case");
	assert_string_equal(cases[5].name, "params");
	assert_int_equal(cases[5].nneeds, 3);
	assert_string_equal(cases[5].needs[2], "arch:x86_64");
	assert_int_equal(cases[6].nsysctls, 2);
	assert_string_equal(cases[6].sysctls[1].file, "vm.overcommit_memory");
	assert_string_equal(cases[6].sysctls[1].value, "3");
	assert_int_equal(cases[6].sysctls[1].line, 13);
	assert_string_equal(cases[6].cgroups[0].settings[0].value, "128M");
	assert_string_equal(cases[6].steps[0].argv[1], "order=3");
	assert_int_equal(cases[6].steps[0].oom_score_adj, -3);
	assert_int_equal(cases[6].nexpects, 3);
	assert_string_equal(cases[6].expects[1].value, "backup");
	assert_string_equal(cases[6].expects[2].selector, "i386");
	assert_string_equal(cases[6].expects[2].text, "oom.count == 0 || oom.1.order == 3");
	assert_int_equal(cases[6].expects[2].line, 29);
	release_all(cases, n);

	/* case_load: the first combination */
	assert_int_equal(case_load(&c, "fixtures/cases/params.case", &err), 0);
	assert_string_equal(c.variant, "memory=64M,order=0,mode=backup");
	assert_true(c.memory == 64ULL << 20);
	case_release(&c);

	/* a file without parameters: one case */
	assert_int_equal(case_load_all("fixtures/cases/good.case", &cases, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_null(cases[0].variant);
	assert_string_equal(cases[0].name, "good");
	release_all(cases, n);

	assert_int_equal(case_load_all("fixtures/cases/nosuch.case", &cases, &n, &err), -1);
	assert_string_equal(err.buf, "fixtures/cases/nosuch.case: cannot read: No such file or directory\n");
	assert_null(cases);
	assert_int_equal(n, 0);
	strbuf_reset(&err);

	/* errors come as case_load gives them */
	assert_int_equal(case_load_all("fixtures/cases/errors.case", &cases, &n, &err), -1);
	assert_non_null(strstr(err.buf, "fixtures/cases/errors.case:4: unknown key 'memroy'"));
	assert_null(cases);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_errors_file),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_names_per_kind),
		cmocka_unit_test(test_key_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_case_values),
		cmocka_unit_test(test_step_run_module),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_expect_sections),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_nul_and_crlf),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_all_errors_collected),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_guest_lists),
		cmocka_unit_test(test_expect_selector),
		cmocka_unit_test(test_expect_or),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_sysctl),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_oom_score_adj),
		cmocka_unit_test(test_params_expand),
		cmocka_unit_test(test_params_errors),
		cmocka_unit_test(test_load_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
