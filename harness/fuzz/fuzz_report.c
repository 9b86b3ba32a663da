/* libFuzzer target for report.c and the three report formats. The input
 * is split at each 0x1e byte (ASCII record separator) into facts.json,
 * events.json, memory.tsv and console.log (a part left out: no such file),
 * then an optional fifth part: its first byte picks the verdict, the rest
 * is the case name and the reason; a pass or a fail is judged as a worker
 * judges it, on the console and facts.json. An empty events.json part (with a
 * console after it) is replaced by what the parser makes of the console,
 * as the runner writes it. The files go to a run directory with hostile
 * bytes in its name; a report with that one entry is built in every
 * format, and each must be well-formed: the JSON parses (and is valid
 * UTF-8 when the inputs are), the JUnit XML parses without an error (and
 * validates against junit.xsd when run from the top of the tree), the HTML
 * builds and parses, with no script, no event handler and no link that is
 * not relative; with the parser's own events.json, each OOM report's link
 * leads to one <mark> that begins with the report's first console line.
 * Anything else aborts. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "klog/klog.h"
#include "report/report.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "run/results.h"
#include "lib/utf8.h"

#define SEP 0x1e
#define JUNIT_XSD "harness/tests/fixtures/junit/junit.xsd"
#define X(s) ((const xmlChar *)(s))

static const char *const files[] = { "facts.json", "events.json", "memory.tsv", "console.log" };

static char root[64];          /* the run directory */
static struct strbuf dir;      /* the entry's directory in it */
static struct oomcase the_case;
static struct target the_target = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };
static xmlSchemaPtr schema;
static int xml_errors;

static void cleanup(void)
{
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", dir.buf, files[i]);
		unlink(p.buf);
		strbuf_release(&p);
	}
	rmdir(dir.buf);
	*strrchr(dir.buf, '/') = '\0';
	rmdir(dir.buf);
	rmdir(root);
}

static void count_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (e && e->level >= XML_ERR_ERROR)
		xml_errors++;
}

static void init(void)
{
	struct strbuf err = STRBUF_INIT;
	/* expectations of every kind: facts, console regexes, either-or, a selector */
	static const char text[] = "[case]\n"
				   "description = fuzzed <run> & \"its\" files\n"
				   "[step hog]\n"
				   "run = hog --chunk 128K\n"
				   "[expect]\n"
				   "oom.count == 1\n"
				   "oom.1.victim.comm == hog || oom.1.victim.comm ~ \"^ins\"\n"
				   "console ~ \"invoked oom-killer\"\n"
				   "console !~ \"Kernel panic\"\n"
				   "buddyinfo.after.Normal.order0 >= 0x10\n"
				   "[expect x86_64]\n"
				   "step.hog.exit != 0\n"
				   "[expect i386]\n"
				   "oom.count == 5\n";

	strcpy(root, "/tmp/oomtest-fuzz-report.XXXXXX");
	if (!mkdtemp(root))
		abort();
	strbuf_init(&dir);
	strbuf_addf(&dir, "%s/c<&:%%#?\x1b\xff]]>/x86_64", root);
	if (fs_mkdirs(dir.buf))
		abort();
	atexit(cleanup);
	if (case_parse(&the_case, "cases/fuzz.case", text, strlen(text), &err))
		abort();
	strbuf_release(&err);
	xmlSetStructuredErrorFunc(NULL, count_error);
	if (!access(JUNIT_XSD, R_OK)) {
		xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(JUNIT_XSD);
		schema = xmlSchemaParse(pctx);
		xmlSchemaFreeParserCtxt(pctx);
		if (!schema)
			abort();
	}
}

/* A plain write (results_write_atomic's fsync buys nothing here). */
static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		abort();
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n <= 0)
			abort();
		data += n;
		len -= (size_t)n;
	}
	close(fd);
}

static int valid_utf8(const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, s, len, 0);
	int ok = clean.len == len && !memcmp(clean.buf, s, len);
	strbuf_release(&clean);
	return ok;
}

static void check_json(const struct strbuf *doc, int utf8_in)
{
	json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | (utf8_in ? JSON_TOKENER_VALIDATE_UTF8 : 0));
	json_object *o = json_tokener_parse_ex(tok, doc->buf, (int)doc->len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success)
		abort();
	json_object *runs, *v;
	if (!json_object_object_get_ex(o, "format", &v) || strcmp(json_object_get_string(v), "oomtest-report") ||
	    !json_object_object_get_ex(o, "runs", &runs) || json_object_array_length(runs) != 1)
		abort();
	if (utf8_in && !valid_utf8(doc->buf, doc->len))
		abort();
	json_object_put(o);
	json_tokener_free(tok);
}

static void check_junit(const struct strbuf *doc)
{
	xml_errors = 0;
	xmlDocPtr x = xmlReadMemory(doc->buf, (int)doc->len, "junit.xml", NULL, XML_PARSE_NONET);
	if (!x || xml_errors)
		abort();
	if (schema) {
		xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
		xmlSchemaSetValidStructuredErrors(v, count_error, NULL);
		if (xmlSchemaValidateDoc(v, x))
			abort();
		xmlSchemaFreeValidCtxt(v);
	}
	xmlFreeDoc(x);
}

static void check_html_tree(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcasecmp(n->name, X("script")) || !xmlStrcasecmp(n->name, X("iframe")) ||
		    !xmlStrcasecmp(n->name, X("img")) || !xmlStrcasecmp(n->name, X("object")) ||
		    !xmlStrcasecmp(n->name, X("embed")) || !xmlStrcasecmp(n->name, X("link")))
			abort();
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			const char *name = (const char *)a->name;
			if (!strncasecmp(name, "on", 2) || !strcasecmp(name, "src"))
				abort();
			if (!strcasecmp(name, "href")) {
				xmlChar *v = xmlGetProp(n, a->name);
				const char *h = (const char *)v;
				size_t seg = strcspn(h, "/?#");
				if (h[0] != '#' && (!h[0] || h[0] == '/' || memchr(h, ':', seg)))
					abort();
				xmlFree(v);
			}
		}
		check_html_tree(n->children);
	}
}

/* The element with this id, and how many there are. */
static xmlNodePtr find_id(xmlNodePtr n, const char *id, int *count)
{
	xmlNodePtr found = NULL;
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *v = xmlGetProp(n, X("id"));
		if (v && !strcmp((const char *)v, id)) {
			found = n;
			(*count)++;
		}
		xmlFree(v);
		xmlNodePtr c = find_id(n->children, id, count);
		if (c)
			found = c;
	}
	return found;
}

/* Event i's link leads to one <mark> beginning with console line `line`
 * (as report_read_log shows the console, made XML-safe). */
static void check_oom_anchor(xmlNodePtr root, const struct report_entry *e, size_t i, long line)
{
	char id[64];
	int n = 0;
	snprintf(id, sizeof(id), "run-1-oom-%zu", i + 1);
	xmlNodePtr m = find_id(root, id, &n);
	if (n != 1 || xmlStrcmp(m->name, X("mark")))
		abort();
	struct strbuf log = STRBUF_INIT;
	report_read_log(e, "console.log", (size_t)-1, &log);
	const char *p = log.buf, *end = log.buf + log.len;
	for (long k = 1; k < line && p < end; k++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	struct strbuf want = STRBUF_INIT;
	utf8_sanitize(&want, p, nl ? (size_t)(nl + 1 - p) : (size_t)(end - p), UTF8_XML);
	xmlChar *text = xmlNodeGetContent(m);
	if (strncmp((const char *)text, want.buf, want.len))
		abort();
	xmlFree(text);
	strbuf_release(&want);
	strbuf_release(&log);
}

static void check_html(const struct strbuf *doc, const struct report_entry *e, const char *events)
{
	if (!valid_utf8(doc->buf, doc->len))
		abort();
	htmlDocPtr h = htmlReadMemory(doc->buf, (int)doc->len, "index.html", "UTF-8",
				      HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	if (!h || !xmlDocGetRootElement(h))
		abort();
	check_html_tree(xmlDocGetRootElement(h));
	json_object *ev = events ? json_tokener_parse(events) : NULL, *list;
	if (ev && e->dir && json_object_object_get_ex(ev, "oom_events", &list))
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			json_object *line;
			if (!json_object_object_get_ex(json_object_array_get_idx(list, i), "line", &line))
				abort();
			check_oom_anchor(xmlDocGetRootElement(h), e, i, (long)json_object_get_int64(line));
		}
	json_object_put(ev);
	xmlFreeDoc(h);
}

/* What a worker sends with a finished run: every expectation judged on the
 * console and the facts (those of facts.json, which it wrote), the facts
 * themselves not sent. The verdict stays the one the input picked. */
static void judge_as_worker(struct run_result *res, const struct oomcase *c, const char *facts_json,
			    size_t flen, const char *console, size_t clen)
{
	enum verdict v = res->verdict;
	char *text = xstrndup(facts_json, flen);
	json_object *o = json_tokener_parse(text);

	if (o && json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, name, value)
			if (json_object_is_type(value, json_type_string))
				facts_set(&res->facts, name, json_object_get_string(value));
	}
	json_object_put(o);
	free(text);
	run_judge(c, &the_target, console, clen, res);
	facts_release(&res->facts);
	res->verdict = v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const char *p = (const char *)data, *end = p + size;
	const char *part[5] = { NULL };
	size_t len[5] = { 0 }, n = 0;

	if (!ready) {
		init();
		ready = 1;
	}
	while (n < 5) {
		const char *sep = n < 4 ? memchr(p, SEP, (size_t)(end - p)) : NULL;
		part[n] = p;
		len[n] = sep ? (size_t)(sep - p) : (size_t)(end - p);
		n++;
		if (!sep)
			break;
		p = sep + 1;
	}
	int utf8_in = 1;
	struct strbuf events = STRBUF_INIT;
	int parsed = n >= 4 && !len[1];
	if (parsed) {
		struct klog *k = klog_new();
		klog_feed(k, part[3], len[3]);
		klog_end(k);
		klog_to_json(k, &events);
		strbuf_addch(&events, '\n');
		klog_free(k);
	}
	for (size_t i = 0; i < 4; i++) {
		struct strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "%s/%s", dir.buf, files[i]);
		if (i == 1 && parsed)
			write_file(path.buf, events.buf, events.len);
		else if (i < n)
			write_file(path.buf, part[i], len[i]);
		else if (unlink(path.buf) && errno != ENOENT)
			abort();
		strbuf_release(&path);
	}
	/* json-c keeps the bytes of the events.json it re-emits */
	if (n > 1 && !valid_utf8(part[1], len[1]))
		utf8_in = 0;

	struct run_result res;
	struct oomcase c = the_case;
	run_result_init(&res);
	res.verdict = V_PASS;
	res.seconds = 1.5;
	char *name = NULL;
	if (n == 5 && len[4]) {
		res.verdict = (enum verdict)((unsigned char)part[4][0] % 5);
		name = xstrndup(part[4] + 1, len[4] - 1);
		if (*name)
			c.name = name;
		strbuf_addstr(&res.reason, name);
		if (res.verdict == V_FAIL) {
			/* an implied failure, as the runner adds one */
			res.failed = xcalloc(1, sizeof(*res.failed));
			res.failed[0] = (struct judged_expect){ .text = xstrdup("no unexpected kernel panic (implied)"),
								.expected = xstrdup("panic == 0"),
								.seen = xstrdup(name) };
			res.nfailed = 1;
		}
	}
	if (res.verdict == V_PASS || res.verdict == V_FAIL)
		judge_as_worker(&res, &c, part[0], len[0], n >= 4 ? part[3] : "", n >= 4 ? len[3] : 0);

	struct report r;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	report_init(&r, root, 1700000000, 1);
	report_add(&r, &c, &the_target, NULL, &res, dir.buf);
	r.seconds = 2.25;

	report_json_build(&r, &out);
	check_json(&out, utf8_in);
	strbuf_reset(&out);
	if (report_junit_build(&r, &out, &err))
		abort();
	check_junit(&out);
	strbuf_reset(&out);
	if (report_html_build(&r, &out, &err))
		abort();
	check_html(&out, &r.v[0], parsed && (res.verdict != V_SKIP) ? events.buf : NULL);

	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&events);
	report_release(&r);
	run_result_release(&res);
	free(name);
	return 0;
}
