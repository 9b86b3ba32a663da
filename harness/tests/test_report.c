/* Tests for report.c and its three formats (report_json.c, report_junit.c,
 * report_html.c), and show.c. One report is built in the group setup from
 * run directories written into a temp dir: a passing run (a real serial
 * console and the events.json `oomtest parse --json` made of it, both in
 * fixtures/report/), a failing one with hostile bytes in its name, facts
 * and console, an error and a skip. Run from harness/tests (fixtures/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "case/casefile.h"
#include "klog/klog.h"
#include "report/report.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "run/results.h"
#include "cmd/show.h"
#include "lib/utf8.h"

#define R "\xef\xbf\xbd" /* U+FFFD */
#define X(s) ((const xmlChar *)(s))

#define CONSOLE_FIXTURE "fixtures/report/console.log"
#define EVENTS_FIXTURE "fixtures/report/events.json"
#define JUNIT_XSD "fixtures/junit/junit.xsd"

/* ---- the cases ---- */

static const char pass_case[] =
	"[case]\n"                                                  /* 1 */
	"description = order 0 with a backup: insmod is the victim\n"
	"memory = 128M\n"
	"timeout = 60s\n"
	"\n"                                                        /* 5 */
	"[step load]\n"
	"module = oom_trigger order=0 mode=backup release=4096\n"
	"rmmod = oom_trigger\n"
	"\n"
	"[step look]\n"                                             /* 10 */
	"sleep = 100ms\n"
	"collect = buddyinfo\n"
	"\n"
	"[expect]\n"
	"oom.count == 1\n"                                          /* 15 */
	"oom.1.victim.comm == insmod\n"
	"console ~ \"invoked oom-killer\"\n"
	"\n"
	"[expect i386]\n"
	"oom.count == 5\n";                                         /* 20 */

static const char fail_case[] =
	"[step hog]\n"                                              /* 1 */
	"run = hog --chunk 128K\n"
	"\n"
	"[expect]\n"
	"oom.count == 2\n"                                          /* 5 */
	"oom.1.victim.comm == hog\n"
	"oom.1.victim.comm != init\n";

static const char error_case[] =
	"[expect]\n"
	"oom.count == 1\n";

static const char skip_case[] =
	"[case]\n"
	"memory = 64M\n"
	"[expect]\n"
	"oom.count == 0\n";

#define HOSTILE_NAME "a<b&c]]>\x1b\xff"
#define HOSTILE_COMM "bad\x01<&]]>\xff"
#define FAIL_CONSOLE "boot\r\n\x1b[31m<b>bold</b> & ]]> \xff\xfe\r\nno newline at the end"
#define ERROR_REASON "guest did not boot within 60 s: <no login> & \x1b\xff"
#define PANIC_REASON "Out of memory <and> \x1b no killable"

enum { PASS, FAIL, ERROR, SKIP, NENTRIES };

static struct {
	char root[64];              /* the run directory */
	struct oomcase cases[NENTRIES];
	struct target t;
	struct run_result res[NENTRIES];
	struct report r;
	struct strbuf console;      /* the real console fixture (\r\n) */
	struct strbuf pass_console; /* what the passing run's console.log holds */
	struct strbuf json, junit, html;
} fx;

/* ---- helpers ---- */

static void write_in(const char *dir, const char *name, const char *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", dir, name);
	assert_int_equal(fs_write_atomic(path.buf, data, len), 0);
	strbuf_release(&path);
}

static void write_str(const char *dir, const char *name, const char *data)
{
	write_in(dir, name, data, strlen(data));
}

static char *run_dir_for(const char *case_name)
{
	struct strbuf d = STRBUF_INIT;
	strbuf_addf(&d, "%s/%s/x86_64", fx.root, case_name);
	assert_int_equal(fs_mkdirs(d.buf), 0);
	return strbuf_detach(&d);
}

static void parse_case(struct oomcase *c, const char *path, const char *text)
{
	struct strbuf err = STRBUF_INIT;
	int rc = case_parse(c, path, text, strlen(text), &err);
	if (rc)
		fprintf(stderr, "%s", err.buf);
	assert_int_equal(rc, 0);
	strbuf_release(&err);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The lines first..last (1-based) of a \r\n text, joined with \n, each ended by \n. */
static void lines_of(const char *text, long first, long last, struct strbuf *out)
{
	long line = 1;
	const char *p = text;
	while (*p && line <= last) {
		const char *nl = strstr(p, "\r\n");
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (line >= first) {
			strbuf_add(out, p, len);
			strbuf_addch(out, '\n');
		}
		p += len + (nl ? 2 : 0);
		line++;
	}
}

static void assert_valid_utf8(const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, s, len, 0);
	assert_int_equal(clean.len, len);
	assert_memory_equal(clean.buf, s, len);
	strbuf_release(&clean);
}

/* No byte XML 1.0 forbids (C0 controls but tab, LF, CR) and no DEL. */
static void assert_no_control_bytes(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			fail_msg("control byte 0x%02x at offset %zu: ...%.40s", c, i, s + (i > 20 ? i - 20 : 0));
	}
}

/* ---- setup: the run directories and the report ---- */

static int setup(void **state)
{
	(void)state;
	struct strbuf err = STRBUF_INIT, sb = STRBUF_INIT;

	memset(&fx, 0, sizeof(fx));
	strbuf_init(&fx.console);
	strbuf_init(&fx.pass_console);
	strbuf_init(&fx.json);
	strbuf_init(&fx.junit);
	strbuf_init(&fx.html);
	strcpy(fx.root, "/tmp/oomtest-report.XXXXXX");
	assert_non_null(mkdtemp(fx.root));
	fx.t = (struct target){ .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };
	for (int i = 0; i < NENTRIES; i++)
		run_result_init(&fx.res[i]);
	report_init(&fx.r, fx.root, 1700000000, NENTRIES);

	/* passing: facts only in facts.json, the real console and its events.json */
	parse_case(&fx.cases[PASS], "cases/kmod-order0.case", pass_case);
	char *dir = run_dir_for("kmod-order0");
	struct facts f = FACTS_INIT;
	static const char *const zones[] = { "DMA", "DMA32" };
	for (int z = 0; z < 2; z++)
		for (int k = 0; k <= 10; k++) {
			struct strbuf name = STRBUF_INIT;
			strbuf_addf(&name, "buddyinfo.before.%s.order%d", zones[z], k);
			facts_setf(&f, name.buf, "%d", (z + 1) * (1000 >> k));
			strbuf_reset(&name);
			strbuf_addf(&name, "buddyinfo.after.%s.order%d", zones[z], k);
			facts_setf(&f, name.buf, "%d", k < 3 ? 12 * (z + 1) : 0);
			strbuf_release(&name);
		}
	/* neither a zone nor a node's zone: no chart of their own */
	facts_set(&f, "buddyinfo.after.order0", "36");
	facts_set(&f, "buddyinfo.after.node1.Normal.order0", "4");
	facts_set(&f, "oom.count", "1");
	facts_set(&f, "oom.1.victim.comm", "insmod");
	facts_set(&f, "boot.path", "snapshot");
	facts_to_json(&f, &sb);
	facts_release(&f);
	write_in(dir, "facts.json", sb.buf, sb.len);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_read_file(&fx.console, CONSOLE_FIXTURE), 0);
	strbuf_addbuf(&fx.pass_console, &fx.console);
	strbuf_addstr(&fx.pass_console, "\x1b[0mtrailer \xff\r\n");
	write_in(dir, "console.log", fx.pass_console.buf, fx.pass_console.len);
	assert_int_equal(strbuf_read_file(&sb, EVENTS_FIXTURE), 0);
	write_in(dir, "events.json", sb.buf, sb.len);
	strbuf_reset(&sb);
	static const char tsv[] = "step\tms\trss_kb\n"
				  "load\t0\t1024\n"
				  "load\t25\t40960\n"
				  "hog\t10\t2048\n"
				  "garbage line\n"
				  "short\t5\n"
				  "\n"
				  "load\t50\t81920\n"
				  "hog\t35\t4096\n"
				  "load\t75\t120000";
	write_in(dir, "memory.tsv", tsv, sizeof(tsv) - 1);
	fx.res[PASS].verdict = V_PASS;
	fx.res[PASS].seconds = 12.3456;
	report_add(&fx.r, &fx.cases[PASS], &fx.t, NULL, &fx.res[PASS], dir);
	free(dir);

	/* failing, judged by the runner; its facts come with the result (a
	 * different facts.json is ignored); hostile name, facts and console */
	parse_case(&fx.cases[FAIL], "cases/" HOSTILE_NAME ".case", fail_case);
	dir = run_dir_for(fx.cases[FAIL].name);
	write_str(dir, "facts.json", "{\"oom.count\": \"7\"}\n");
	write_in(dir, "console.log", FAIL_CONSOLE, sizeof(FAIL_CONSOLE) - 1);
	facts_set(&fx.res[FAIL].facts, "oom.count", "1");
	facts_set(&fx.res[FAIL].facts, "oom.1.victim.comm", HOSTILE_COMM);
	facts_set(&fx.res[FAIL].facts, "panic", "1");
	facts_set(&fx.res[FAIL].facts, "panic.reason", PANIC_REASON);
	facts_set(&fx.res[FAIL].facts, "oops.count", "0");
	run_judge(&fx.cases[FAIL], &fx.t, FAIL_CONSOLE, sizeof(FAIL_CONSOLE) - 1, &fx.res[FAIL]);
	assert_int_equal(fx.res[FAIL].verdict, V_FAIL);
	assert_int_equal(fx.res[FAIL].nfailed, 3);
	fx.res[FAIL].seconds = 3.0;
	report_add(&fx.r, &fx.cases[FAIL], &fx.t, "qemu+ssh://h<1>/system", &fx.res[FAIL], dir);
	free(dir);

	/* error: no events, a facts.json (raw invalid UTF-8 in it), a console */
	parse_case(&fx.cases[ERROR], "cases/javascript:alert(1).case", error_case);
	dir = run_dir_for(fx.cases[ERROR].name);
	write_str(dir, "facts.json", "{\"boot.path\": \"cold \xff\", \"n\": 3}\n");
	write_str(dir, "console.log", "SeaBIOS\r\nBooting from ROM..\r\n\x1b[2J");
	fx.res[ERROR].verdict = V_ERROR;
	strbuf_addstr(&fx.res[ERROR].reason, ERROR_REASON);
	fx.res[ERROR].seconds = 60.0004;
	report_add(&fx.r, &fx.cases[ERROR], &fx.t, NULL, &fx.res[ERROR], dir);
	free(dir);

	/* skipped: nothing ran; the dir given is not used */
	parse_case(&fx.cases[SKIP], "cases/big-memory.case", skip_case);
	fx.cases[SKIP].variant = xstrdup("memory=64M");
	fx.res[SKIP].verdict = V_SKIP;
	strbuf_addstr(&fx.res[SKIP].reason, "the target needs 128M");
	report_add(&fx.r, &fx.cases[SKIP], &fx.t, NULL, &fx.res[SKIP], fx.root);

	fx.r.seconds = 75.12345;
	report_json_build(&fx.r, &fx.json);
	assert_int_equal(report_junit_build(&fx.r, &fx.junit, &err), 0);
	assert_int_equal(report_html_build(&fx.r, &fx.html, &err), 0);
	assert_int_equal(err.len, 0);
	if (getenv("TEST_REPORT_KEEP")) {
		write_in(fx.root, "report.json", fx.json.buf, fx.json.len);
		write_in(fx.root, "junit.xml", fx.junit.buf, fx.junit.len);
		write_in(fx.root, "index.html", fx.html.buf, fx.html.len);
		fprintf(stderr, "reports kept in %s\n", fx.root);
	}
	strbuf_release(&sb);
	strbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	report_release(&fx.r);
	for (int i = 0; i < NENTRIES; i++) {
		case_release(&fx.cases[i]);
		run_result_release(&fx.res[i]);
	}
	strbuf_release(&fx.console);
	strbuf_release(&fx.pass_console);
	strbuf_release(&fx.json);
	strbuf_release(&fx.junit);
	strbuf_release(&fx.html);
	if (!getenv("TEST_REPORT_KEEP"))
		nftw(fx.root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	xmlCleanupParser();
	return 0;
}

/* ---- the model ---- */

static void assert_expect(const struct report_expect *x, const char *text, int line, const char *expected,
			  const char *seen, int ok)
{
	assert_string_equal(x->text, text);
	assert_int_equal(x->line, line);
	assert_string_equal(x->expected, expected);
	if (seen)
		assert_string_equal(x->seen, seen);
	else
		assert_null(x->seen);
	assert_int_equal(x->ok, ok);
}

static void test_add_entries(void **state)
{
	(void)state;
	assert_int_equal(fx.r.n, NENTRIES);
	assert_string_equal(fx.r.run_dir, fx.root);
	assert_string_equal(fx.r.run_id, strrchr(fx.root, '/') + 1);
	assert_int_equal(report_count(&fx.r, V_PASS), 1);
	assert_int_equal(report_count(&fx.r, V_FAIL), 1);
	assert_int_equal(report_count(&fx.r, V_ERROR), 1);
	assert_int_equal(report_count(&fx.r, V_TIMEOUT), 0);
	assert_int_equal(report_count(&fx.r, V_SKIP), 1);

	/* passing: every expectation listed, judged against facts.json and the
	 * console; the [expect i386] one is not judged on x86_64 */
	const struct report_entry *e = &fx.r.v[PASS];
	assert_string_equal(e->name, "kmod-order0");
	assert_string_equal(e->case_name, "kmod-order0");
	assert_null(e->variant);
	assert_string_equal(e->case_path, "cases/kmod-order0.case");
	assert_string_equal(e->description, "order 0 with a backup: insmod is the victim");
	assert_string_equal(e->target, "x86_64");
	assert_string_equal(e->release, "6.1.0-50-amd64");
	assert_null(e->host);
	assert_string_equal(e->reason, "");
	assert_true(e->seconds == 12.3456);
	assert_int_equal(e->nexpects, 3);
	assert_expect(&e->expects[0], "oom.count == 1", 15, "== 1", "1", 1);
	assert_expect(&e->expects[1], "oom.1.victim.comm == insmod", 16, "== insmod", "insmod", 1);
	assert_string_equal(e->expects[2].text, "console ~ \"invoked oom-killer\"");
	assert_int_equal(e->expects[2].line, 17);
	assert_string_equal(e->expects[2].expected, "~ invoked oom-killer");
	assert_non_null(strstr(e->expects[2].seen, "invoked oom-killer"));
	assert_true(e->expects[2].ok);
	/* facts from facts.json */
	assert_string_equal(facts_get(&e->facts, "buddyinfo.before.DMA32.order0"), "2000");
	assert_string_equal(facts_get(&e->facts, "buddyinfo.after.DMA.order2"), "12");
	assert_string_equal(facts_get(&e->facts, "oom.1.victim.comm"), "insmod");
	assert_non_null(e->dir);
	assert_non_null(e->events_json);
	assert_non_null(strstr(e->events_json, "\"oom_events\""));
	/* samples: the malformed lines skipped, the last one without \n kept */
	assert_int_equal(e->nsamples, 6);
	assert_string_equal(e->samples[0].step, "load");
	assert_int_equal(e->samples[0].ms, 0);
	assert_int_equal(e->samples[0].rss_kb, 1024);
	assert_string_equal(e->samples[2].step, "hog");
	assert_int_equal(e->samples[2].ms, 10);
	assert_int_equal(e->samples[2].rss_kb, 2048);
	assert_string_equal(e->samples[5].step, "load");
	assert_int_equal(e->samples[5].ms, 75);
	assert_int_equal(e->samples[5].rss_kb, 120000);

	/* failing: passes listed too, the implied failure (line 0) kept; the
	 * facts the result carries win over facts.json */
	e = &fx.r.v[FAIL];
	assert_string_equal(e->name, HOSTILE_NAME);
	assert_string_equal(e->host, "qemu+ssh://h<1>/system");
	assert_string_equal(facts_get(&e->facts, "oom.count"), "1");
	assert_int_equal(e->nexpects, 4);
	assert_expect(&e->expects[0], "oom.count == 2", 5, "== 2", "1", 0);
	assert_expect(&e->expects[1], "oom.1.victim.comm == hog", 6, "== hog", HOSTILE_COMM, 0);
	assert_expect(&e->expects[2], "oom.1.victim.comm != init", 7, "!= init", HOSTILE_COMM, 1);
	assert_expect(&e->expects[3], "no unexpected kernel panic (implied; expect panic to decide)", 0, "panic == 0",
		      "panic 1: " PANIC_REASON, 0);
	assert_null(e->events_json);
	assert_int_equal(e->nsamples, 0);

	/* error: not judged (seen NULL), facts.json read */
	e = &fx.r.v[ERROR];
	assert_string_equal(e->name, "javascript:alert(1)");
	assert_string_equal(e->reason, ERROR_REASON);
	assert_int_equal(e->nexpects, 1);
	assert_expect(&e->expects[0], "oom.count == 1", 2, "== 1", NULL, 0);
	assert_string_equal(facts_get(&e->facts, "boot.path"), "cold \xff");
	assert_null(facts_get(&e->facts, "n")); /* not a string */

	/* skipped: nothing read */
	e = &fx.r.v[SKIP];
	assert_string_equal(e->name, "big-memory[memory=64M]");
	assert_string_equal(e->variant, "memory=64M");
	assert_null(e->dir);
	assert_int_equal(e->nexpects, 0);
	assert_int_equal(e->facts.n, 0);
}

/* A run dir with no file at all, and with dir NULL. */
static void test_add_empty_dir(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	char *dir = run_dir_for("empty");

	parse_case(&c, "cases/empty.case", fail_case);
	run_result_init(&res);
	report_init(&r, "plain-name", 0, 2);
	assert_string_equal(r.run_id, "plain-name");
	res.verdict = V_PASS;
	report_add(&r, &c, &fx.t, NULL, &res, dir);
	res.verdict = V_TIMEOUT;
	report_add(&r, &c, &fx.t, NULL, &res, NULL);
	assert_int_equal(r.n, 2);
	/* whether it held is the worker's word (a pass, nothing failed); what
	 * was seen is looked up in facts there are none of */
	assert_int_equal(r.v[0].nexpects, 3);
	assert_expect(&r.v[0].expects[0], "oom.count == 2", 5, "== 2", "(no such fact)", 1);
	assert_null(r.v[0].events_json);
	assert_int_equal(r.v[0].nsamples, 0);
	assert_int_equal(r.v[0].facts.n, 0);
	assert_null(r.v[1].dir);
	assert_int_equal(r.v[1].nexpects, 0);
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	report_json_build(&r, &out);
	assert_int_equal(report_junit_build(&r, &out, &err), 0);
	assert_int_equal(report_html_build(&r, &out, &err), 0);
	strbuf_release(&out);
	strbuf_release(&err);
	report_release(&r);
	run_result_release(&res);
	case_release(&c);
	free(dir);
}

static void test_read_log(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	const struct report_entry *e = &fx.r.v[PASS];

	/* \r\n shown as \n, everything else as it is */
	assert_int_equal(report_read_log(e, "console.log", (size_t)-1, &out), 0);
	for (size_t i = 0; i < fx.pass_console.len; i++)
		if (!(fx.pass_console.buf[i] == '\r' && fx.pass_console.buf[i + 1] == '\n'))
			strbuf_addch(&want, fx.pass_console.buf[i]);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	assert_null(memchr(out.buf, '\r', out.len));
	assert_non_null(strstr(out.buf, "\x1b[0mtrailer \xff\n"));

	/* a file missing, or no directory: empty, not cut */
	strbuf_reset(&out);
	assert_int_equal(report_read_log(e, "agent.log", 100, &out), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(report_read_log(&fx.r.v[SKIP], "console.log", 100, &out), 0);
	assert_int_equal(out.len, 0);

	/* the limit keeps the end of the file and says it cut */
	char *dir = run_dir_for("logs");
	struct report_entry le = { .dir = dir };
	write_str(dir, "l", "0123456789\r\nabcdef\r\n");
	static const struct {
		size_t limit;
		int cut;
		const char *want;
	} lim[] = {
		{ 9, 1, "\nabcdef\n" },      /* cut inside \r\n: the \n stays */
		{ 8, 1, "abcdef\n" },
		{ 10, 1, "\nabcdef\n" },
		{ 13, 1, "789\nabcdef\n" },
		{ 19, 1, "123456789\nabcdef\n" },
		{ 20, 0, "0123456789\nabcdef\n" },
		{ 1 << 20, 0, "0123456789\nabcdef\n" },
		{ 0, 1, "" },
	};
	for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		strbuf_reset(&out);
		assert_int_equal(report_read_log(&le, "l", lim[i].limit, &out), lim[i].cut);
		assert_string_equal(out.buf, lim[i].want);
	}

	/* a lone \r is kept, also at the end of the file and where a read
	 * ends; a \r\n split between two reads is still one \n */
	strbuf_reset(&want);
	for (int i = 0; i < 65535; i++)
		strbuf_addch(&want, 'a');
	strbuf_addstr(&want, "\rb\r");
	write_in(dir, "cr", want.buf, want.len);
	strbuf_reset(&out);
	assert_int_equal(report_read_log(&le, "cr", (size_t)-1, &out), 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	want.len = 65535;
	strbuf_addstr(&want, "\r\nz\r\n");
	write_in(dir, "crlf", want.buf, want.len);
	strbuf_reset(&out);
	assert_int_equal(report_read_log(&le, "crlf", (size_t)-1, &out), 0);
	assert_int_equal(out.len, 65535 + 3);
	assert_string_equal(out.buf + 65535, "\nz\n");

	free(dir);
	strbuf_release(&out);
	strbuf_release(&want);
}

/* ---- JSON ---- */

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no key \"%s\" in %s", key, json_object_to_json_string(o));
	return v;
}

static void assert_jstr(json_object *o, const char *key, const char *want)
{
	json_object *v = get(o, key);
	assert_true(json_object_is_type(v, json_type_string));
	assert_string_equal(json_object_get_string(v), want);
}

static void assert_jint(json_object *o, const char *key, int64_t want)
{
	json_object *v = get(o, key);
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), want);
}

static void assert_jnull(json_object *o, const char *key)
{
	assert_null(get(o, key));
}

/* Parsed strictly (and valid UTF-8 required, unless utf8_too is 0), the whole text one document. */
static json_object *parse_json(const char *s, size_t len, int utf8_too)
{
	json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | (utf8_too ? JSON_TOKENER_VALIDATE_UTF8 : 0));
	json_object *o = json_tokener_parse_ex(tok, s, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (!o || jerr != json_tokener_success)
		fail_msg("JSON does not parse: %s at offset %zu", json_tokener_error_desc(jerr),
			 json_tokener_get_parse_end(tok));
	/* only white space after it */
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		assert_true(s[i] == '\n' || s[i] == ' ');
	json_tokener_free(tok);
	return o;
}

static void test_json(void **state)
{
	(void)state;
	assert_valid_utf8(fx.json.buf, fx.json.len);
	json_object *doc = parse_json(fx.json.buf, fx.json.len, 1);

	assert_jstr(doc, "format", "oomtest-report");
	assert_jint(doc, "version", 1);
	assert_jstr(doc, "run_id", fx.r.run_id);
	assert_jstr(doc, "results_dir", fx.root);
	assert_jstr(doc, "started", "2023-11-14T22:13:20Z");
	assert_true(json_object_get_double(get(doc, "seconds")) == 75.12345);
	assert_false(json_object_get_boolean(get(doc, "interrupted")));
	json_object *tot = get(doc, "totals");
	assert_jint(tot, "planned", 4);
	assert_jint(tot, "reported", 4);
	assert_jint(tot, "pass", 1);
	assert_jint(tot, "fail", 1);
	assert_jint(tot, "error", 1);
	assert_jint(tot, "timeout", 0);
	assert_jint(tot, "skip", 1);

	json_object *runs = get(doc, "runs");
	assert_true(json_object_is_type(runs, json_type_array));
	assert_int_equal(json_object_array_length(runs), NENTRIES);
	static const char *const keys[] = { "name",	   "case",	 "variant", "target",	      "verdict",
					    "reason",	   "seconds",	 "expectations", "facts",     "oom_events",
					    "memory_samples", "logs" };
	static const char *const xkeys[] = { "text", "line", "implied", "expected", "seen", "ok" };
	static const char *const verdicts[] = { "pass", "fail", "error", "skip" };
	for (size_t i = 0; i < NENTRIES; i++) {
		json_object *run = json_object_array_get_idx(runs, i);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			assert_true(json_object_object_get_ex(run, keys[k], NULL));
		assert_jstr(run, "verdict", verdicts[i]);
		assert_jstr(run, "target", "x86_64");
		assert_true(json_object_is_type(get(run, "seconds"), json_type_double));
		json_object *ex = get(run, "expectations");
		assert_int_equal(json_object_array_length(ex), fx.r.v[i].nexpects);
		for (size_t j = 0; j < json_object_array_length(ex); j++)
			for (size_t k = 0; k < sizeof(xkeys) / sizeof(xkeys[0]); k++)
				assert_true(json_object_object_get_ex(json_object_array_get_idx(ex, j), xkeys[k], NULL));
		assert_true(json_object_is_type(get(run, "facts"), json_type_object));
		assert_true(json_object_is_type(get(run, "oom_events"), json_type_array));
		assert_true(json_object_is_type(get(run, "memory_samples"), json_type_array));
		assert_true(json_object_is_type(get(run, "logs"), json_type_object));
	}

	/* the passing run */
	json_object *run = json_object_array_get_idx(runs, PASS);
	assert_jstr(run, "name", "kmod-order0");
	assert_jstr(run, "case", "kmod-order0");
	assert_jnull(run, "variant");
	assert_jstr(run, "reason", "");
	assert_true(json_object_get_double(get(run, "seconds")) == 12.3456);
	json_object *x = json_object_array_get_idx(get(run, "expectations"), 1);
	assert_jstr(x, "text", "oom.1.victim.comm == insmod");
	assert_jint(x, "line", 16);
	assert_false(json_object_get_boolean(get(x, "implied")));
	assert_jstr(x, "expected", "== insmod");
	assert_jstr(x, "seen", "insmod");
	assert_true(json_object_is_type(get(x, "ok"), json_type_boolean));
	assert_true(json_object_get_boolean(get(x, "ok")));
	assert_jstr(get(run, "facts"), "buddyinfo.after.DMA32.order1", "24");
	json_object *evs = get(run, "oom_events");
	assert_int_equal(json_object_array_length(evs), 1);
	assert_jint(json_object_array_get_idx(evs, 0), "line", 340);
	assert_jint(get(run, "kernel_log"), "oom_count", 1);
	json_object *ms = get(run, "memory_samples");
	assert_int_equal(json_object_array_length(ms), 6);
	json_object *s = json_object_array_get_idx(ms, 1);
	assert_jstr(s, "step", "load");
	assert_jint(s, "ms", 25);
	assert_jint(s, "rss_kb", 40960);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/kmod-order0/x86_64/console.log", fx.root);
	assert_jstr(get(run, "logs"), "console.log", path.buf);
	strbuf_release(&path);

	/* the failing one: hostile bytes made valid, the implied check */
	run = json_object_array_get_idx(runs, FAIL);
	assert_jstr(run, "name", "a<b&c]]>\x1b" R);
	assert_jstr(run, "host", "qemu+ssh://h<1>/system");
	x = json_object_array_get_idx(get(run, "expectations"), 0);
	assert_false(json_object_get_boolean(get(x, "ok")));
	assert_jstr(x, "seen", "1");
	x = json_object_array_get_idx(get(run, "expectations"), 1);
	assert_jstr(x, "seen", "bad\x01<&]]>" R);
	x = json_object_array_get_idx(get(run, "expectations"), 3);
	assert_jnull(x, "line");
	assert_true(json_object_get_boolean(get(x, "implied")));
	assert_jstr(x, "expected", "panic == 0");
	assert_false(json_object_get_boolean(get(x, "ok")));
	assert_jstr(get(run, "facts"), "oom.1.victim.comm", "bad\x01<&]]>" R);
	assert_int_equal(json_object_array_length(get(run, "oom_events")), 0);
	assert_jnull(run, "kernel_log");

	/* error: not judged, so seen and ok are null; invalid UTF-8 from facts.json */
	run = json_object_array_get_idx(runs, ERROR);
	assert_jstr(run, "reason", "guest did not boot within 60 s: <no login> & \x1b" R);
	x = json_object_array_get_idx(get(run, "expectations"), 0);
	assert_jnull(x, "seen");
	assert_jnull(x, "ok");
	assert_jstr(get(run, "facts"), "boot.path", "cold " R);

	/* skipped: no directory, no logs */
	run = json_object_array_get_idx(runs, SKIP);
	assert_jstr(run, "name", "big-memory[memory=64M]");
	assert_jstr(run, "variant", "memory=64M");
	assert_jnull(run, "dir");
	assert_int_equal(json_object_object_length(get(run, "logs")), 0);
	assert_int_equal(json_object_array_length(get(run, "expectations")), 0);

	json_object_put(doc);
}

/* A fact name and value that are not UTF-8, and an events.json that is
 * not JSON or holds bytes that are not UTF-8: the document stays valid. */
static void test_json_bad_input(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	struct strbuf out = STRBUF_INIT;
	static const char *const events[] = {
		"not json {",
		"[1, 2]",
		"{\"oom_events\": 5}",
		"{\"oom_events\": [{\"line\": \"x\"}], \"raw\": \"\xff\xfe\", \"k\xc0\": 1}",
		"{\"oom_events\": [null, {\"line\": 2, \"kills\": [null, 3, {\"line\": 1e300}]}], \"s\": \"\\ud800\\u0000\"}",
	};

	parse_case(&c, "cases/x.case", error_case);
	run_result_init(&res);
	res.verdict = V_PASS;
	facts_set(&res.facts, "name.\xff\xc3", "value \xed\xa0\x80 \x01");
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char *dir = run_dir_for("bad-json");
		write_in(dir, "events.json", events[i], strlen(events[i]));
		write_str(dir, "console.log", "a\nb\nc\n");
		report_init(&r, fx.root, 0, 1);
		report_add(&r, &c, &fx.t, NULL, &res, dir);
		strbuf_reset(&out);
		report_json_build(&r, &out);
		/* an events.json that is not UTF-8 is kept as it is, in "kernel_log"
		 * (the harness writes it with every byte past ASCII escaped) */
		int raw = i == 3;
		if (!raw)
			assert_valid_utf8(out.buf, out.len);
		json_object *doc = parse_json(out.buf, out.len, !raw);
		json_object *run = json_object_array_get_idx(get(doc, "runs"), 0);
		assert_jstr(get(run, "facts"), "name." R R, "value " R R R " \x01");
		/* (an events.json whose oom_events is not an array is passed on as it is) */
		if (i != 2)
			assert_true(json_object_is_type(get(run, "oom_events"), json_type_array));
		json_object_put(doc);
		/* and the other formats take it */
		struct strbuf err = STRBUF_INIT;
		strbuf_reset(&out);
		assert_int_equal(report_junit_build(&r, &out, &err), 0);
		assert_int_equal(report_html_build(&r, &out, &err), 0);
		strbuf_release(&err);
		report_release(&r);
		free(dir);
	}
	strbuf_release(&out);
	run_result_release(&res);
	case_release(&c);
}

/* ---- JUnit ---- */

/* Elements named tag (and of class cls, when not NULL) in the subtree of n
 * (n included), in document order: the first max of them into out. */
static int has_class(xmlNodePtr n, const char *cls);

static void walk(xmlNodePtr n, const char *tag, const char *cls, xmlNodePtr *out, size_t max, size_t *k)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (!xmlStrcasecmp(n->name, X(tag)) && (!cls || has_class(n, cls))) {
		if (*k < max)
			out[*k] = n;
		(*k)++;
	}
	for (xmlNodePtr c = n->children; c; c = c->next)
		walk(c, tag, cls, out, max, k);
}

static size_t collect(xmlNodePtr n, const char *tag, const char *cls, xmlNodePtr *out, size_t max)
{
	size_t k = 0;
	walk(n, tag, cls, out, max, &k);
	return k;
}

static size_t count(xmlNodePtr n, const char *tag, const char *cls)
{
	return collect(n, tag, cls, NULL, 0);
}

/* The nth (0-based) such element, or NULL. */
static xmlNodePtr nth(xmlNodePtr n, const char *tag, const char *cls, size_t i)
{
	xmlNodePtr v[64] = { NULL };
	assert_true(i < 64);
	collect(n, tag, cls, v, i + 1);
	return v[i];
}

static xmlNodePtr first(xmlNodePtr n, const char *tag, const char *cls)
{
	xmlNodePtr one = nth(n, tag, cls, 0);
	assert_non_null(one);
	return one;
}

#define count_elements(n, name) count(n, name, NULL)
#define find_element(n, name, i) nth(n, name, NULL, i)

static char *prop(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, X(name));
}

/* Every text and attribute value of the tree: no control character. */
static void assert_tree_clean(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->content)
			assert_no_control_bytes((const char *)n->content, strlen((const char *)n->content));
		if (n->type == XML_ELEMENT_NODE)
			for (xmlAttrPtr a = n->properties; a; a = a->next) {
				xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
				if (v)
					assert_no_control_bytes((const char *)v, strlen((const char *)v));
				xmlFree(v);
			}
		assert_tree_clean(n->children);
	}
}

static void schema_error(void *ctx, xmlErrorPtr e)
{
	strbuf_addstr(ctx, e->message ? e->message : "?");
}

static void test_junit_schema(void **state)
{
	(void)state;
	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(JUNIT_XSD);
	assert_non_null(pctx);
	xmlSchemaPtr schema = xmlSchemaParse(pctx);
	assert_non_null(schema);
	xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
	assert_non_null(vctx);
	xmlDocPtr doc = xmlReadMemory(fx.junit.buf, (int)fx.junit.len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_int_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	/* the schema has teeth: a testcase without its name does not validate */
	xmlNodePtr tc = find_element(xmlDocGetRootElement(doc), "testcase", 0);
	assert_non_null(tc);
	xmlUnsetProp(tc, X("name"));
	struct strbuf errors = STRBUF_INIT;
	xmlSchemaSetValidStructuredErrors(vctx, schema_error, &errors);
	assert_int_not_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	assert_non_null(strstr(errors.buf, "'name' is required"));
	strbuf_release(&errors);
	xmlFreeDoc(doc);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
}

static void test_junit_content(void **state)
{
	(void)state;
	/* well-formed XML with nothing XML forbids, in the bytes and in what they say */
	assert_valid_utf8(fx.junit.buf, fx.junit.len);
	assert_no_control_bytes(fx.junit.buf, fx.junit.len);
	xmlDocPtr doc = xmlReadMemory(fx.junit.buf, (int)fx.junit.len, "junit.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR);
	assert_non_null(doc);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "testsuites");
	assert_tree_clean(root);

	assert_int_equal(count_elements(root, "testsuite"), 1);
	assert_int_equal(count_elements(root, "testcase"), NENTRIES);
	assert_int_equal(count_elements(root, "failure"), 1);
	assert_int_equal(count_elements(root, "error"), 1);
	assert_int_equal(count_elements(root, "skipped"), 1);
	assert_int_equal(count_elements(root, "system-out"), 3);

	xmlNodePtr suite = find_element(root, "testsuite", 0);
	static const char *const counts[][2] = {
		{ "tests", "4" }, { "failures", "1" }, { "errors", "1" }, { "skipped", "1" },
		{ "time", "75.123" }, { "timestamp", "2023-11-14T22:13:20" },
	};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		char *v = prop(suite, counts[i][0]);
		assert_non_null(v);
		assert_string_equal(v, counts[i][1]);
		xmlFree(v);
	}

	/* every time attribute: at most 3 decimals */
	regex_t re;
	assert_int_equal(regcomp(&re, "^[0-9]+(\\.[0-9]{1,3})?$", REG_EXTENDED | REG_NOSUB), 0);
	static const char *const times[] = { "12.346", "3.000", "60.000", "0.000" };
	for (size_t i = 0; i < NENTRIES; i++) {
		xmlNodePtr tc = find_element(root, "testcase", i);
		char *t = prop(tc, "time");
		assert_int_equal(regexec(&re, t, 0, NULL, 0), 0);
		assert_string_equal(t, times[i]);
		xmlFree(t);
	}
	char *t = prop(suite, "time");
	assert_int_equal(regexec(&re, t, 0, NULL, 0), 0);
	xmlFree(t);
	regfree(&re);

	/* classname: the case (and variant), name: the target (and host) */
	xmlNodePtr tc = find_element(root, "testcase", PASS);
	char *v = prop(tc, "classname");
	assert_string_equal(v, "kmod-order0");
	xmlFree(v);
	v = prop(tc, "name");
	assert_string_equal(v, "x86_64");
	xmlFree(v);
	/* the console as system-out, \r\n as \n, ESC replaced */
	xmlChar *out = xmlNodeGetContent(find_element(tc, "system-out", 0));
	assert_non_null(strstr((char *)out, "] insmod invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
					    "oom_score_adj=0\n[    2.846669] CPU: 0 PID: 78"));
	assert_non_null(strstr((char *)out, R "[0mtrailer " R "\n"));
	xmlFree(out);

	tc = find_element(root, "testcase", FAIL);
	v = prop(tc, "classname");
	assert_string_equal(v, "a<b&c]]>" R R);
	xmlFree(v);
	v = prop(tc, "name");
	assert_string_equal(v, "x86_64 on qemu+ssh://h<1>/system");
	xmlFree(v);
	/* the failure names what was expected and what was seen, for each failed one */
	xmlNodePtr fl = find_element(tc, "failure", 0);
	v = prop(fl, "message");
	assert_string_equal(v, "oom.count == 2: expected == 2, seen 1 (and 2 more)");
	xmlFree(v);
	v = prop(fl, "type");
	assert_string_equal(v, "expectation");
	xmlFree(v);
	out = xmlNodeGetContent(fl);
	assert_string_equal((char *)out, "cases/a<b&c]]>" R R ".case:5: oom.count == 2\n"
					 "  expected: == 2\n"
					 "  seen:     1\n"
					 "cases/a<b&c]]>" R R ".case:6: oom.1.victim.comm == hog\n"
					 "  expected: == hog\n"
					 "  seen:     bad" R "<&]]>" R "\n"
					 "no unexpected kernel panic (implied; expect panic to decide)\n"
					 "  expected: panic == 0\n"
					 "  seen:     panic 1: Out of memory <and> " R " no killable\n");
	/* the one that holds is not a failure */
	assert_null(strstr((char *)out, "!= init"));
	xmlFree(out);
	out = xmlNodeGetContent(find_element(tc, "system-out", 0));
	assert_string_equal((char *)out, "boot\n" R "[31m<b>bold</b> & ]]> " R R "\nno newline at the end");
	xmlFree(out);

	tc = find_element(root, "testcase", ERROR);
	xmlNodePtr er = find_element(tc, "error", 0);
	v = prop(er, "type");
	assert_string_equal(v, "error");
	xmlFree(v);
	v = prop(er, "message");
	assert_string_equal(v, "guest did not boot within 60 s: <no login> & " R R);
	xmlFree(v);

	tc = find_element(root, "testcase", SKIP);
	v = prop(tc, "classname");
	assert_string_equal(v, "big-memory[memory=64M]");
	xmlFree(v);
	v = prop(find_element(tc, "skipped", 0), "message");
	assert_string_equal(v, "the target needs 128M");
	xmlFree(v);
	assert_null(find_element(tc, "system-out", 0));

	xmlFreeDoc(doc);
}

/* A console past REPORT_JUNIT_CONSOLE_MAX: its end is kept, and the cut said. */
static void test_junit_long_console(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	struct strbuf log = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	char *dir = run_dir_for("long");

	parse_case(&c, "cases/long.case", error_case);
	run_result_init(&res);
	res.verdict = V_TIMEOUT;
	strbuf_addstr(&res.reason, "no byte for 30 s");
	strbuf_addstr(&log, "FIRST LINE\r\n");
	while (log.len < REPORT_JUNIT_CONSOLE_MAX + 4096)
		strbuf_addstr(&log, "[    1.000000] filler line\r\n");
	strbuf_addstr(&log, "LAST LINE\r\n");
	write_in(dir, "console.log", log.buf, log.len);
	report_init(&r, fx.root, 0, 1);
	report_add(&r, &c, &fx.t, NULL, &res, dir);
	assert_int_equal(report_junit_build(&r, &out, &err), 0);
	assert_null(strstr(out.buf, "FIRST LINE"));
	assert_non_null(strstr(out.buf, "LAST LINE\n\n[oomtest: only the last 1048576 bytes of "));
	assert_non_null(strstr(out.buf, "<error message=\"no byte for 30 s\" type=\"timeout\">"));
	xmlDocPtr doc = xmlReadMemory(out.buf, (int)out.len, "junit.xml", NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	report_release(&r);
	run_result_release(&res);
	case_release(&c);
	strbuf_release(&log);
	strbuf_release(&out);
	strbuf_release(&err);
	free(dir);
}

/* ---- HTML ---- */

static int has_class(xmlNodePtr n, const char *cls)
{
	char *v = prop(n, "class");
	int found = 0;
	if (v) {
		size_t len = strlen(cls);
		for (char *p = v; (p = strstr(p, cls)); p += len)
			if ((p == v || p[-1] == ' ') && (!p[len] || p[len] == ' '))
				found = 1;
	}
	xmlFree(v);
	return found;
}

/* No script, no event handler, no link to anything but this page and the files beside it. */
static void assert_self_contained(xmlNodePtr n)
{
	static const char *const banned[] = { "script", "iframe", "img", "link", "object", "embed", "frame",
					      "base", "form", "style-src" };
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
			if (!xmlStrcasecmp(n->name, X(banned[i])))
				fail_msg("a <%s> element", banned[i]);
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			const char *name = (const char *)a->name;
			if (!strncasecmp(name, "on", 2))
				fail_msg("an event handler attribute %s", name);
			if (!strcasecmp(name, "src") || !strcasecmp(name, "srcset") || !strcasecmp(name, "action") ||
			    !strcasecmp(name, "formaction") || !strcasecmp(name, "xlink:href"))
				fail_msg("a %s attribute", name);
			if (strcasecmp(name, "href"))
				continue;
			char *v = prop(n, "href");
			/* "#anchor", or a relative path: no scheme (a ':' before any
			 * '/', '?' or '#'), not absolute, not protocol-relative */
			if (v[0] != '#') {
				size_t seg = strcspn(v, "/?#");
				if (memchr(v, ':', seg) || v[0] == '/' || v[0] == '\\' || !v[0])
					fail_msg("href \"%s\" is not a relative link", v);
			}
			xmlFree(v);
		}
		assert_self_contained(n->children);
	}
}

static xmlDocPtr parse_html(const struct strbuf *html)
{
	htmlDocPtr doc = htmlReadMemory(html->buf, (int)html->len, "index.html", "UTF-8",
					HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	assert_non_null(xmlDocGetRootElement(doc));
	return doc;
}

static void test_html_structure(void **state)
{
	(void)state;
	assert_valid_utf8(fx.html.buf, fx.html.len);
	assert_no_control_bytes(fx.html.buf, fx.html.len);
	assert_null(strcasestr(fx.html.buf, "<script"));
	xmlDocPtr doc = parse_html(&fx.html);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_self_contained(root);

	/* one section.run per entry, a summary row per entry */
	xmlNodePtr secs[NENTRIES + 1];
	assert_int_equal(collect(root, "section", "run", secs, NENTRIES + 1), NENTRIES);
	xmlNodePtr summary = first(root, "table", "summary");
	assert_int_equal(count(summary, "tr", NULL), NENTRIES + 1);
	xmlNodePtr rows[NENTRIES + 1];
	collect(summary, "tr", NULL, rows, NENTRIES + 1);
	for (size_t i = 0; i < NENTRIES; i++) {
		char want[32];
		snprintf(want, sizeof(want), "#run-%zu", i + 1);
		char *href = prop(first(rows[i + 1], "a", NULL), "href");
		assert_string_equal(href, want);
		xmlFree(href);
		char *id = prop(secs[i], "id");
		assert_string_equal(id, want + 1);
		xmlFree(id);
	}
	xmlNodePtr cells[8];
	assert_int_equal(collect(rows[1], "td", NULL, cells, 8), 7);
	xmlChar *txt = xmlNodeGetContent(cells[4]);
	assert_string_equal((char *)txt, "1");
	xmlFree(txt);
	txt = xmlNodeGetContent(cells[5]);
	assert_string_equal((char *)txt, "insmod");
	xmlFree(txt);
	/* the failing row says why: its first failed expectation */
	collect(rows[2], "td", NULL, cells, 8);
	txt = xmlNodeGetContent(cells[6]);
	assert_string_equal((char *)txt, "oom.count == 2");
	xmlFree(txt);
	assert_true(has_class(secs[FAIL], "verdict-fail"));
	assert_int_equal(count(secs[SKIP], "span", "v-skip"), 1);

	/* buddyinfo: one chart per zone (not for the sums, not for node1),
	 * a bar per order per snapshot */
	xmlNodePtr figs[4];
	assert_int_equal(collect(secs[PASS], "figure", "buddy", figs, 4), 2);
	for (int z = 0; z < 2; z++) {
		assert_int_equal(count(figs[z], "svg", NULL), 1);
		assert_int_equal(count(figs[z], "rect", "bar"), 11 * 2);
	}
	txt = xmlNodeGetContent(first(figs[1], "b", NULL));
	assert_string_equal((char *)txt, "zone DMA32");
	xmlFree(txt);
	xmlNodePtr bars[22];
	collect(figs[1], "rect", "bar", bars, 22);
	txt = xmlNodeGetContent(first(bars[2 * 3 + 1], "title", NULL));
	assert_string_equal((char *)txt, "after, order 3: 0 free blocks");
	xmlFree(txt);
	txt = xmlNodeGetContent(first(bars[0], "title", NULL));
	assert_string_equal((char *)txt, "before, order 0: 2000 free blocks");
	xmlFree(txt);
	assert_int_equal(count(secs[FAIL], "figure", "buddy"), 0);

	/* memory: one polyline per step, a point per sample */
	xmlNodePtr mem = first(secs[PASS], "figure", "memory");
	assert_int_equal(count(mem, "polyline", NULL), 2);
	assert_int_equal(count(mem, "circle", "point"), 6);
	char *pts = prop(first(mem, "polyline", NULL), "points");
	size_t npts = 1;
	for (char *p = pts; *p; p++)
		npts += *p == ' ';
	assert_int_equal(npts, 4);
	xmlFree(pts);
	assert_int_equal(count(secs[FAIL], "figure", "memory"), 0);

	/* expectations, passes too; the implied one says so */
	xmlNodePtr ex = first(secs[FAIL], "table", "expectations");
	assert_int_equal(count(ex, "tr", NULL), 1 + 4);
	assert_int_equal(count(ex, "td", "no"), 3);
	assert_int_equal(count(ex, "td", "yes"), 1);
	xmlNodePtr erows[5];
	collect(ex, "tr", NULL, erows, 5);
	txt = xmlNodeGetContent(first(erows[4], "td", NULL));
	assert_string_equal((char *)txt, "implied");
	xmlFree(txt);
	ex = first(secs[ERROR], "table", "expectations");
	txt = xmlNodeGetContent(ex);
	assert_non_null(strstr((char *)txt, "(not judged: the run did not finish)"));
	xmlFree(txt);

	/* the parser's account of the OOM event */
	assert_true(count(secs[PASS], "div", "oom") >= 1);

	xmlFreeDoc(doc);
}

static void test_html_console_marks(void **state)
{
	(void)state;
	xmlDocPtr doc = parse_html(&fx.html);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr secs[NENTRIES];
	collect(root, "section", "run", secs, NENTRIES);

	/* the OOM report (console lines 340 to the kill on 478) is one mark */
	xmlNodePtr pre = first(secs[PASS], "pre", "console");
	xmlNodePtr marks[2];
	assert_int_equal(collect(pre, "mark", "oom", marks, 2), 1);
	char *id = prop(marks[0], "id");
	assert_string_equal(id, "run-1-oom-1");
	xmlFree(id);
	struct strbuf want = STRBUF_INIT;
	lines_of(fx.console.buf, 340, 478, &want);
	xmlChar *txt = xmlNodeGetContent(marks[0]);
	assert_string_equal((char *)txt, want.buf);
	assert_int_equal(strncmp((char *)txt, "[    2.844819] insmod invoked oom-killer", 40), 0);
	xmlFree(txt);
	/* line 339 before it, 479 after it, unmarked; the whole console there */
	strbuf_reset(&want);
	lines_of(fx.console.buf, 1, 339, &want);
	assert_true(marks[0]->prev && marks[0]->prev->type == XML_TEXT_NODE);
	assert_string_equal((char *)marks[0]->prev->content, want.buf);
	strbuf_reset(&want);
	lines_of(fx.console.buf, 479, 481, &want);
	strbuf_addstr(&want, R "[0mtrailer " R "\n");
	assert_true(marks[0]->next && marks[0]->next->type == XML_TEXT_NODE);
	assert_string_equal((char *)marks[0]->next->content, want.buf);
	assert_null(marks[0]->next->next);
	/* a link jumps to it */
	int linked = 0;
	xmlNodePtr as[64];
	size_t na = collect(secs[PASS], "a", NULL, as, 64);
	for (size_t i = 0; i < na && i < 64; i++) {
		char *href = prop(as[i], "href");
		linked |= !strcmp(href, "#run-1-oom-1");
		xmlFree(href);
	}
	assert_true(linked);
	/* and the run's files, relative to the report */
	int console_link = 0;
	for (size_t i = 0; i < na && i < 64; i++) {
		char *href = prop(as[i], "href");
		console_link |= !strcmp(href, "kmod-order0/x86_64/console.log");
		xmlFree(href);
	}
	assert_true(console_link);

	/* no OOM report: no mark */
	assert_int_equal(count(secs[FAIL], "mark", NULL), 0);
	strbuf_release(&want);
	xmlFreeDoc(doc);
}

static void test_html_hostile(void **state)
{
	(void)state;
	xmlDocPtr doc = parse_html(&fx.html);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr secs[NENTRIES];
	collect(root, "section", "run", secs, NENTRIES);

	/* the '<' of the name is text: the heading holds no <b>, it reads as the name */
	xmlNodePtr h2 = first(secs[FAIL], "h2", NULL);
	assert_int_equal(count(h2, "b", NULL), 0);
	assert_true(h2->children && h2->children->type == XML_TEXT_NODE);
	assert_string_equal((char *)h2->children->content, "a<b&c]]>" R R);
	xmlChar *txt = xmlNodeGetContent(first(first(root, "table", "summary"), "a", NULL));
	assert_string_equal((char *)txt, "kmod-order0");
	xmlFree(txt);
	/* the console's markup is text too */
	xmlNodePtr pre = first(secs[FAIL], "pre", "console");
	assert_int_equal(count(pre, "b", NULL), 0);
	txt = xmlNodeGetContent(pre);
	assert_string_equal((char *)txt, "boot\n" R "[31m<b>bold</b> & ]]> " R R "\nno newline at the end");
	xmlFree(txt);
	/* in the raw page, escaped (libxml2 writes what is not ASCII as references) */
	assert_non_null(strstr(fx.html.buf, "<h2>a&lt;b&amp;c]]&gt;&#65533;&#65533;<span>"));
	assert_non_null(strstr(fx.html.buf, "&#65533;[31m&lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt; &#65533;&#65533;\n"));
	/* its files are linked to with the name percent-encoded */
	char *href = prop(first(secs[FAIL], "a", NULL), "href");
	assert_string_equal(href, "a%3Cb%26c%5D%5D%3E%1B%FF/x86_64/console.log");
	xmlFree(href);
	/* the reason, the host */
	txt = xmlNodeGetContent(first(secs[ERROR], "strong", NULL));
	assert_string_equal((char *)txt, "guest did not boot within 60 s: <no login> & " R R);
	xmlFree(txt);
	txt = xmlNodeGetContent(first(secs[FAIL], "p", "note"));
	assert_non_null(strstr((char *)txt, " on qemu+ssh://h<1>/system; 3.00 s"));
	xmlFree(txt);
	/* a case named "javascript:alert(1)" links to its files, not to a script */
	xmlNodePtr as[32];
	size_t na = collect(secs[ERROR], "a", NULL, as, 32);
	assert_true(na >= 7);
	for (size_t i = 0; i < na && i < 32; i++) {
		char *href = prop(as[i], "href");
		assert_true(strncasecmp(href, "javascript:", 11) != 0);
		xmlFree(href);
	}
	char *href0 = prop(as[0], "href");
	assert_string_equal(href0, "javascript%3Aalert%281%29/x86_64/console.log");
	xmlFree(href0);
	xmlFreeDoc(doc);
}

/* Every "#anchor" has its target, once, for the consoles of fixtures/klog/
 * (events.json made by the parser, as the runner does). */
static void check_anchors(xmlNodePtr root, const char *log)
{
	xmlNodePtr as[512], marks[512];
	size_t na = collect(root, "a", NULL, as, 512), nm = collect(root, "mark", "oom", marks, 512);
	assert_true(na <= 512 && nm <= 512);
	for (size_t i = 0; i < na; i++) {
		char *href = prop(as[i], "href");
		if (href[0] == '#' && strncmp(href, "#run-", 5) == 0 && strstr(href, "-oom-")) {
			int found = 0;
			for (size_t j = 0; j < nm; j++) {
				char *id = prop(marks[j], "id");
				found += !strcmp(id, href + 1);
				xmlFree(id);
			}
			if (found != 1)
				fail_msg("%s: link %s has %d targets", log, href, found);
		}
		xmlFree(href);
	}
}

/* One console: its HTML has a working link per OOM report; returns the marks. */
static size_t html_of_console(const char *name, const struct strbuf *text)
{
	struct strbuf events = STRBUF_INIT, html = STRBUF_INIT, err = STRBUF_INIT;
	struct klog *k = klog_new();
	klog_feed(k, text->buf, text->len);
	klog_end(k);
	klog_to_json(k, &events);
	size_t noom = klog_oom_count(k);
	klog_free(k);
	char *dir = run_dir_for("klog");
	write_in(dir, "console.log", text->buf, text->len);
	write_in(dir, "events.json", events.buf, events.len);
	struct report r;
	struct oomcase c;
	struct run_result res;
	parse_case(&c, "cases/klog.case", error_case);
	run_result_init(&res);
	res.verdict = V_PASS;
	report_init(&r, fx.root, 0, 1);
	report_add(&r, &c, &fx.t, NULL, &res, dir);
	assert_int_equal(report_html_build(&r, &html, &err), 0);
	xmlDocPtr doc = parse_html(&html);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	check_anchors(root, name);
	size_t nmarks = count(root, "mark", "oom");
	/* a mark per OOM report, at most */
	assert_true(nmarks <= noom);
	if (noom)
		assert_true(nmarks >= 1);
	xmlFreeDoc(doc);
	report_release(&r);
	run_result_release(&res);
	case_release(&c);
	free(dir);
	strbuf_release(&events);
	strbuf_release(&html);
	strbuf_release(&err);
	return nmarks;
}

static void test_html_real_logs(void **state)
{
	(void)state;
	DIR *d = opendir("fixtures/klog");
	struct dirent *de;
	size_t logs = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".log"))
			continue;
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		strbuf_addf(&path, "fixtures/klog/%s", de->d_name);
		assert_int_equal(strbuf_read_file(&text, path.buf), 0);
		html_of_console(de->d_name, &text);
		strbuf_release(&path);
		strbuf_release(&text);
		logs++;
	}
	closedir(d);
	assert_true(logs >= 10);

	/* two OOM reports back to back: the second "invoked oom-killer" right
	 * after the first kill line (no oom_reaper line between) */
	struct strbuf two = STRBUF_INIT, one = STRBUF_INIT;
	lines_of(fx.console.buf, 1, 339, &two);
	lines_of(fx.console.buf, 340, 478, &one);
	strbuf_addbuf(&two, &one);
	strbuf_addbuf(&two, &one);
	lines_of(fx.console.buf, 479, 481, &two);
	assert_int_equal(html_of_console("two adjacent reports", &two), 2);
	strbuf_release(&one);
	strbuf_release(&two);
}

/* The _write functions: the built document, written whole; a place that
 * cannot be written is an error that names it. */
static void test_write_files(void **state)
{
	(void)state;
	struct strbuf path = STRBUF_INIT, got = STRBUF_INIT, err = STRBUF_INIT;
	static const char *const names[] = { "written.json", "written.xml", "written.html" };
	const struct strbuf *want[] = { &fx.json, &fx.junit, &fx.html };

	for (int i = 0; i < 3; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", fx.root, names[i]);
		int rc = i == 0 ? report_json_write(&fx.r, path.buf, &err)
			 : i == 1 ? report_junit_write(&fx.r, path.buf, &err)
				  : report_html_write(&fx.r, path.buf, &err);
		assert_int_equal(rc, 0);
		assert_int_equal(err.len, 0);
		strbuf_reset(&got);
		assert_int_equal(strbuf_read_file(&got, path.buf), 0);
		assert_int_equal(got.len, want[i]->len);
		assert_memory_equal(got.buf, want[i]->buf, got.len);
		unlink(path.buf);
	}
	assert_true(report_json_write(&fx.r, "/proc/nonexistent/r.json", &err) < 0);
	assert_non_null(strstr(err.buf, "writing the JSON report /proc/nonexistent/r.json: "));
	strbuf_reset(&err);
	assert_int_equal(report_junit_write(&fx.r, "/proc/nonexistent/j.xml", &err), -1);
	assert_non_null(strstr(err.buf, "writing the JUnit report /proc/nonexistent/j.xml: "));
	strbuf_reset(&err);
	assert_int_equal(report_html_write(&fx.r, "/proc/nonexistent/i.html", &err), -1);
	assert_non_null(strstr(err.buf, "writing the HTML report /proc/nonexistent/i.html: "));
	strbuf_release(&path);
	strbuf_release(&got);
	strbuf_release(&err);
}

/* ---- show ---- */

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" not in:\n%s", needle, haystack);
}

static void test_show_case(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;

	show_case(&fx.cases[PASS], NULL, &out);
	assert_contains(out.buf, "case kmod-order0  (cases/kmod-order0.case)\n"
				 "  order 0 with a backup: insmod is the victim\n"
				 "  memory:   128M\n"
				 "  timeout:  60 s\n"
				 "  targets:  every default target\n");
	assert_contains(out.buf, "  steps, in order:\n"
				 "    1. load (line 6): insmod oom_trigger order=0 mode=backup release=4096; rmmod oom_trigger\n"
				 "    2. look (line 10); then sleep 100 ms; collect buddyinfo\n");
	assert_contains(out.buf, "  expectations:\n"
				 "    line 15: oom.count == 1\n"
				 "    line 16: oom.1.victim.comm == insmod\n"
				 "    line 17: console ~ \"invoked oom-killer\"\n"
				 "    line 20: oom.count == 5   [only on i386]\n");
	assert_contains(out.buf, "  plus, unless an expectation speaks of them: no kernel panic, no oops or BUG\n");
	assert_contains(out.buf, "  plan (what the guest agent is sent):\n"
				 "    module load 0 - - oom_trigger order=0 mode=backup release=4096\n"
				 "    rmmod oom_trigger\n"
				 "    sleep 100\n"
				 "    collect look buddyinfo\n"
				 "    end\n");

	/* with targets: where it runs, and where it is skipped */
	struct target tv[] = {
		{ .name = "x86_64", .arch = "x86_64", .release = "6.1" },
		{ .name = "big", .arch = "i386", .release = "6.1", .min_memory = 256ull << 20 },
	};
	struct target_list tl = { .v = tv, .n = 2 };
	strbuf_reset(&out);
	show_case(&fx.cases[PASS], &tl, &out);
	assert_contains(out.buf, "  targets:  x86_64, big (skipped: needs 256M)\n");

	/* a variant, a cgroup, a background step with words to quote in the plan */
	strbuf_reset(&out);
	show_case(&fx.cases[SKIP], NULL, &out);
	assert_contains(out.buf, "case big-memory[memory=64M]  (cases/big-memory.case)\n  memory:   64M\n");
	assert_contains(out.buf, "  expectations:\n    line 4: oom.count == 0\n");
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(case_load(&c, "fixtures/cases/good.case", &err), 0);
	strbuf_reset(&out);
	show_case(&c, NULL, &out);
	assert_contains(out.buf, "  targets:  x86_64, i386\n");
	assert_contains(out.buf, "  cgroup hog (v1, line 9)\n    memory.limit_in_bytes = 512K\n");
	assert_contains(out.buf, "    1. hog (line 14): run hog --chunk 128K --name two words, in the background, "
				 "in cgroup hog\n");
	assert_contains(out.buf, "    3. look (line 23); then sleep 2000 ms; collect buddyinfo meminfo cgroup:hog proc:hog\n");
	assert_contains(out.buf, "    line 28: oom.count == 0\n    line 29: cgroup.hog.memory.oom_control.under_oom == 1\n");
	assert_contains(out.buf, "    line 34: oom.1.victim.comm == hog\n");
	assert_contains(out.buf, "    mount cgroup1\n");
	assert_contains(out.buf, "    run hog 1 hog - hog --chunk 128K --name \"two words\"\n");
	case_release(&c);

	/* a case whose plan cannot be built says so */
	struct oomcase bad;
	parse_case(&bad, "cases/mixed.case",
		   "[cgroup a]\nversion = 1\nmemory.limit_in_bytes = 1M\n[cgroup b]\nversion = 2\nmemory.max = 1M\n"
		   "[step s]\nrun = hog\ncgroup = a\n[expect]\noom.count == 0\n");
	strbuf_reset(&out);
	show_case(&bad, NULL, &out);
	assert_contains(out.buf, "  plan: cannot be built: cases/mixed.case: cgroup v1 and v2 groups in one case");
	case_release(&bad);
	strbuf_release(&err);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_entries),
		cmocka_unit_test(test_add_empty_dir),
		cmocka_unit_test(test_read_log),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_bad_input),
		cmocka_unit_test(test_junit_schema),
		cmocka_unit_test(test_junit_content),
		cmocka_unit_test(test_junit_long_console),
		cmocka_unit_test(test_html_structure),
		cmocka_unit_test(test_html_console_marks),
		cmocka_unit_test(test_html_hostile),
		cmocka_unit_test(test_html_real_logs),
		cmocka_unit_test(test_write_files),
		cmocka_unit_test(test_show_case),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
