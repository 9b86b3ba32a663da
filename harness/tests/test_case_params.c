/* test_case_params: [params], ${NAME} and the runs a file stands for. Run
 * from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

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

/* ${arch} is no parameter: it is kept for each target to replace. */
static void test_arch(void **state)
{
	struct oomcase *cases;
	size_t n;

	(void)state;
	parses_all("[params]\nv = 1 2\n[case]\ndescription = ${v} on ${arch}, ${arch}\n"
		   "[step s]\nrun = ./bin/${arch}/prog-${v}\n[expect]\nx == ${arch}-${v}\n", &cases, &n);
	assert_int_equal(n, 2);
	assert_string_equal(cases[0].description, "1 on ${arch}, ${arch}");
	assert_string_equal(cases[1].description, "2 on ${arch}, ${arch}");
	assert_string_equal(cases[1].steps[0].argv[0], CASE_USER_BIN "/prog-2");
	assert_non_null(strstr(cases[1].steps[0].host_path, "/bin/${arch}/prog-2"));
	assert_string_equal(cases[0].expects[0].value, "${arch}-1");
	assert_string_equal(cases[1].variant, "v=2");
	release_all(cases, n);

	/* with no [params] at all */
	parses_all("[case]\ndescription = ${arch}\n" EXPECT, &cases, &n);
	assert_int_equal(n, 1);
	assert_string_equal(cases[0].description, "${arch}");
	release_all(cases, n);

	/* a value holding ${arch} keeps it */
	parses_all("[params]\np = ${arch}/x\n[case]\ndescription = ${p}\n" EXPECT, &cases, &n);
	assert_string_equal(cases[0].description, "${arch}/x");
	release_all(cases, n);

	fails_all_with("[params]\narch = x86_64 i386\n" EXPECT,
		       "t.case:2: parameter 'arch' is reserved: ${arch} is each target's arch, filled in "
		       "for each target\n");
	/* only that exact name */
	fails_all_with("[case]\ndescription = ${arch2} ${ARCH} ${arch\n" EXPECT,
		       "t.case:2: unknown parameter '${arch2}' (known: none)\n"
		       "t.case:2: unknown parameter '${ARCH}' (known: none)\n"
		       "t.case:2: unterminated '${' in '${arch2} ${ARCH} ${arch' (expected ${NAME})\n");
	/* keys that take no path fail their own checks */
	fails_all_with("[case]\nmemory = ${arch}\n" EXPECT,
		       "t.case:2: bad size '${arch}' for 'memory' (" SIZE_HELP ")\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_expand),
		cmocka_unit_test(test_params_errors),
		cmocka_unit_test(test_arch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
