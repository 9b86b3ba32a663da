/* report_junit: the report model as JUnit XML, through xmlTextWriter. */
#include "report/junit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "ktap/ktap_facts.h"
#include "run/results.h"
#include "lib/utf8.h"

#define X(s) ((const xmlChar *)(s))

/* Every string goes through here: libxml2 writes bytes it is given as they
 * are, and XML 1.0 allows neither invalid UTF-8 nor most control bytes. */
static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *clean = utf8_dup(value, UTF8_XML);
	int rc = xmlTextWriterWriteAttribute(w, X(name), X(clean));
	free(clean);
	return rc;
}

static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, double v)
{
	char buf[64];
	snprintf(buf, sizeof(buf), fmt, v);
	return attr(w, name, buf);
}

static int text(xmlTextWriterPtr w, const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, s, len, UTF8_XML);
	int rc = xmlTextWriterWriteString(w, X(clean.buf));
	strbuf_release(&clean);
	return rc;
}

static void failure_body(const struct report_entry *e, struct strbuf *msg, struct strbuf *body)
{
	size_t nfailed = 0;
	for (size_t i = 0; i < e->nexpects; i++) {
		const struct report_expect *x = &e->expects[i];
		if (!x->seen || x->ok)
			continue;
		if (!nfailed++)
			strbuf_addf(msg, "%s: expected %s, seen %s", x->text, x->expected, x->seen);
		if (x->line)
			strbuf_addf(body, "%s:%d: %s\n", e->case_path, x->line, x->text);
		else
			strbuf_addf(body, "%s\n", x->text);
		strbuf_addf(body, "  expected: %s\n  seen:     %s\n", x->expected, x->seen);
	}
	if (nfailed > 1)
		strbuf_addf(msg, " (and %zu more)", nfailed - 1);
}

static int testcase(xmlTextWriterPtr w, const struct report_entry *e)
{
	int rc = 0;
	struct strbuf name = STRBUF_INIT;

	strbuf_addstr(&name, e->target);
	if (e->host)
		strbuf_addf(&name, " on %s", e->host);
	rc |= xmlTextWriterStartElement(w, X("testcase")) < 0;
	rc |= attr(w, "name", name.buf) < 0;
	rc |= attr(w, "classname", e->name) < 0;
	rc |= attrf(w, "time", "%.3f", e->seconds) < 0;
	strbuf_release(&name);

	if (e->verdict == V_SKIP) {
		rc |= xmlTextWriterStartElement(w, X("skipped")) < 0;
		rc |= attr(w, "message", e->reason) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	} else if (e->verdict == V_FAIL) {
		struct strbuf msg = STRBUF_INIT, body = STRBUF_INIT;
		failure_body(e, &msg, &body);
		rc |= xmlTextWriterStartElement(w, X("failure")) < 0;
		rc |= attr(w, "message", msg.buf) < 0;
		rc |= attr(w, "type", "expectation") < 0;
		rc |= text(w, body.buf, body.len) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
		strbuf_release(&msg);
		strbuf_release(&body);
	} else if (e->verdict == V_ERROR || e->verdict == V_TIMEOUT) {
		rc |= xmlTextWriterStartElement(w, X("error")) < 0;
		rc |= attr(w, "message", e->reason) < 0;
		rc |= attr(w, "type", verdict_name(e->verdict)) < 0;
		rc |= text(w, e->reason, strlen(e->reason)) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	if (e->dir) {
		struct strbuf console = STRBUF_INIT;
		if (report_read_log(e, "console.log", REPORT_JUNIT_CONSOLE_MAX, &console))
			strbuf_addf(&console, "\n[oomtest: only the last %u bytes of %s/console.log are shown]\n",
				    REPORT_JUNIT_CONSOLE_MAX, e->dir);
		rc |= xmlTextWriterStartElement(w, X("system-out")) < 0;
		rc |= text(w, console.buf, console.len) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
		strbuf_release(&console);
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc;
}

/* A TAP point: failed unless ok, skip, or a TODO. */
static int tap_failed(const struct ktap_fact_point *p)
{
	return strcmp(p->result, "ok") && strcmp(p->result, "skip") && strncmp(p->directive, "TODO", 4);
}

/* One testcase per top-level point of each TAP step of the run
 * (classname: the case and its target; name: "STEP: N description"). */
static int tap_testcases(xmlTextWriterPtr w, const struct report_entry *e, size_t *tests, size_t *failures,
			 size_t *skipped)
{
	char **steps;
	size_t nsteps = ktap_facts_steps(&e->facts, &steps);
	struct strbuf classname = STRBUF_INIT, name = STRBUF_INIT, msg = STRBUF_INIT;
	int rc = 0;

	strbuf_addf(&classname, "%s.%s", e->name, e->target);
	for (size_t s = 0; s < nsteps; s++) {
		struct ktap_fact_point *v;
		size_t n = ktap_facts_points(&e->facts, steps[s], &v);

		for (size_t i = 0; i < n; i++) {
			const struct ktap_fact_point *p = &v[i];
			if (p->depth)
				continue;
			(*tests)++;
			if (!w) {
				*failures += tap_failed(p);
				*skipped += !strcmp(p->result, "skip");
				continue;
			}
			strbuf_reset(&name);
			strbuf_addf(&name, "%s: %s%s%s", steps[s], p->path, *p->description ? " " : "", p->description);
			rc |= xmlTextWriterStartElement(w, X("testcase")) < 0;
			rc |= attr(w, "name", name.buf) < 0;
			rc |= attr(w, "classname", classname.buf) < 0;
			if (!strcmp(p->result, "skip")) {
				rc |= xmlTextWriterStartElement(w, X("skipped")) < 0;
				rc |= attr(w, "message", p->directive) < 0;
				rc |= xmlTextWriterEndElement(w) < 0;
			} else if (tap_failed(p)) {
				strbuf_reset(&msg);
				strbuf_addf(&msg, "not ok %s%s%s", p->path, *p->directive ? " # " : "", p->directive);
				rc |= xmlTextWriterStartElement(w, X("failure")) < 0;
				rc |= attr(w, "message", msg.buf) < 0;
				rc |= attr(w, "type", "tap") < 0;
				rc |= text(w, p->diagnostic, strlen(p->diagnostic)) < 0;
				rc |= xmlTextWriterEndElement(w) < 0;
			}
			rc |= xmlTextWriterEndElement(w) < 0;
		}
		ktap_fact_points_free(v, n);
		free(steps[s]);
	}
	free(steps);
	strbuf_release(&classname);
	strbuf_release(&name);
	strbuf_release(&msg);
	return rc;
}

int report_junit_build(const struct report *r, struct strbuf *out, struct strbuf *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char when[32], count[32];
	size_t tap_tests = 0, tap_failures = 0, tap_skipped = 0;
	int rc = 0;

	if (!w) {
		strbuf_addstr(err, "JUnit report: libxml2 could not start a document");
		if (buf)
			xmlBufferFree(buf);
		return -1;
	}
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", gmtime(&r->started));
	xmlTextWriterSetIndent(w, 1);
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, X("testsuites")) < 0;
	rc |= xmlTextWriterStartElement(w, X("testsuite")) < 0;
	rc |= attr(w, "name", "oomtest") < 0;
	for (size_t i = 0; i < r->n; i++)
		tap_testcases(NULL, &r->v[i], &tap_tests, &tap_failures, &tap_skipped);
	snprintf(count, sizeof(count), "%zu", r->n + tap_tests);
	rc |= attr(w, "tests", count) < 0;
	snprintf(count, sizeof(count), "%zu", report_count(r, V_FAIL) + tap_failures);
	rc |= attr(w, "failures", count) < 0;
	snprintf(count, sizeof(count), "%zu", report_count(r, V_ERROR) + report_count(r, V_TIMEOUT));
	rc |= attr(w, "errors", count) < 0;
	snprintf(count, sizeof(count), "%zu", report_count(r, V_SKIP) + tap_skipped);
	rc |= attr(w, "skipped", count) < 0;
	rc |= attrf(w, "time", "%.3f", r->seconds) < 0;
	rc |= attr(w, "timestamp", when) < 0;
	rc |= attr(w, "id", r->run_id) < 0;
	for (size_t i = 0; i < r->n; i++) {
		size_t unused = 0;
		rc |= testcase(w, &r->v[i]);
		rc |= tap_testcases(w, &r->v[i], &unused, &unused, &unused);
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	rc |= xmlTextWriterEndElement(w) < 0;
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (rc)
		strbuf_addstr(err, "JUnit report: libxml2 failed while writing it");
	else
		strbuf_add(out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	return rc ? -1 : 0;
}

int report_junit_write(const struct report *r, const char *path, struct strbuf *err)
{
	return report_build_and_write(r, report_junit_build, "JUnit", path, err);
}
