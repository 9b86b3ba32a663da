/* Tests for report/html_console.c: each OOM report's console lines in a
 * <mark> its link jumps to, over the shared fixture and real logs. */
#include "fixtures/report/report_fixture.h"

static void test_html_console_marks(void **state)
{
	(void)state;
	xmlDocPtr doc;
	xmlNodePtr secs[NENTRIES];
	fixture_sections(&doc, secs);

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_console_marks),
		cmocka_unit_test(test_html_real_logs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
