/* report_json: the report model as one JSON document (json-c). The shape
 * is documented in the README ("JSON report"); "version" changes when a
 * field changes meaning or goes away. */
#include "report/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "run/results.h"
#include "lib/utf8.h"

/* json-c copies bytes as they are: every string is made valid UTF-8 first */
static json_object *jstr(const char *s)
{
	char *clean = utf8_dup(s, 0);
	json_object *o = json_object_new_string(clean);
	free(clean);
	return o;
}

static json_object *str_or_null(const char *s)
{
	return s ? jstr(s) : NULL;
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static void add_clean_key(json_object *o, const char *key, json_object *v)
{
	char *clean = utf8_dup(key, 0);
	json_object_object_add(o, clean, v);
	free(clean);
}

static json_object *entry_json(const struct report_entry *e)
{
	json_object *o = json_object_new_object();

	add(o, "name", jstr(e->name));
	add(o, "case", jstr(e->case_name));
	add(o, "variant", str_or_null(e->variant));
	add(o, "case_file", jstr(e->case_path));
	add(o, "description", str_or_null(e->description));
	add(o, "target", jstr(e->target));
	add(o, "arch", jstr(e->arch));
	add(o, "release", jstr(e->release));
	add(o, "host", str_or_null(e->host));
	add(o, "verdict", jstr(verdict_name(e->verdict)));
	add(o, "reason", jstr(e->reason));
	add(o, "seconds", json_object_new_double(e->seconds));

	json_object *ex = json_object_new_array();
	for (size_t i = 0; i < e->nexpects; i++) {
		const struct report_expect *x = &e->expects[i];
		json_object *xo = json_object_new_object();
		add(xo, "text", jstr(x->text));
		add(xo, "line", x->line ? json_object_new_int(x->line) : NULL);
		add(xo, "implied", json_object_new_boolean(!x->line));
		add(xo, "expected", jstr(x->expected));
		add(xo, "seen", str_or_null(x->seen));
		add(xo, "ok", x->seen ? json_object_new_boolean(x->ok) : NULL);
		json_object_array_add(ex, xo);
	}
	add(o, "expectations", ex);

	json_object *facts = json_object_new_object();
	for (size_t i = 0; i < e->facts.n; i++)
		add_clean_key(facts, e->facts.v[i].name, jstr(e->facts.v[i].value));
	add(o, "facts", facts);

	/* the parser's own document, kept whole: its "oom_events" array and counters */
	char *events = e->events_json ? utf8_dup(e->events_json, 0) : NULL;
	json_object *ev = events ? json_tokener_parse(events) : NULL;
	free(events);
	if (ev && !json_object_is_type(ev, json_type_object)) {
		json_object_put(ev);
		ev = NULL;
	}
	json_object *list = NULL;
	if (ev && json_object_object_get_ex(ev, "oom_events", &list) && json_object_is_type(list, json_type_array))
		add(o, "oom_events", json_object_get(list));
	else
		add(o, "oom_events", json_object_new_array());
	add(o, "kernel_log", ev ? ev : NULL);

	json_object *samples = json_object_new_array();
	for (size_t i = 0; i < e->nsamples; i++) {
		json_object *so = json_object_new_object();
		add(so, "step", jstr(e->samples[i].step));
		add(so, "ms", json_object_new_int64((int64_t)e->samples[i].ms));
		add(so, "rss_kb", json_object_new_int64((int64_t)e->samples[i].rss_kb));
		json_object_array_add(samples, so);
	}
	add(o, "memory_samples", samples);

	json_object *logs = json_object_new_object();
	if (e->dir) {
		static const char *const names[] = { "console.log", "agent.log", "facts.json", "result.json",
						     "events.json", "memory.tsv", "plan.txt" };
		add(o, "dir", jstr(e->dir));
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			struct strbuf p = STRBUF_INIT;
			strbuf_addf(&p, "%s/%s", e->dir, names[i]);
			add(logs, names[i], jstr(p.buf));
			strbuf_release(&p);
		}
	} else {
		add(o, "dir", NULL);
	}
	add(o, "logs", logs);
	return o;
}

void report_json_build(const struct report *r, struct strbuf *out)
{
	json_object *o = json_object_new_object();
	char when[32];

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&r->started));
	add(o, "format", jstr("oomtest-report"));
	add(o, "version", json_object_new_int(REPORT_FORMAT_VERSION));
	add(o, "run_id", jstr(r->run_id));
	add(o, "results_dir", jstr(r->run_dir));
	add(o, "started", jstr(when));
	add(o, "seconds", json_object_new_double(r->seconds));
	add(o, "interrupted", json_object_new_boolean(r->interrupted));
	json_object *tot = json_object_new_object();
	add(tot, "planned", json_object_new_int64((int64_t)r->planned));
	add(tot, "reported", json_object_new_int64((int64_t)r->n));
	for (enum verdict v = V_PASS; v <= V_SKIP; v++)
		add(tot, verdict_name(v), json_object_new_int64((int64_t)report_count(r, v)));
	add(o, "totals", tot);
	json_object *runs = json_object_new_array();
	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(runs, entry_json(&r->v[i]));
	add(o, "runs", runs);

	size_t len;
	const char *s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE,
							  &len);
	strbuf_add(out, s, len);
	strbuf_addch(out, '\n');
	json_object_put(o);
}

int report_json_write(const struct report *r, const char *path, struct strbuf *err)
{
	struct strbuf doc = STRBUF_INIT;

	report_json_build(r, &doc);
	int ret = fs_write_atomic(path, doc.buf, doc.len);
	if (ret)
		strbuf_addf(err, "writing the JSON report %s: %s", path, strerror(-ret));
	strbuf_release(&doc);
	return ret;
}
