/* report_json: the report model as one JSON document (json-c). The shape
 * is documented in the README ("JSON report"); "version" changes when a
 * field changes meaning or goes away. */
#include "report/json.h"

#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/utf8.h"
#include "run/results.h"

static json_object *entry_json(const struct report_entry *e)
{
	json_object *o = json_object_new_object();

	json_put(o, "name", json_str(e->name));
	json_put(o, "case", json_str(e->case_name));
	json_put(o, "variant", json_str(e->variant));
	json_put(o, "case_file", json_str(e->case_path));
	json_put(o, "description", json_str(e->description));
	json_put(o, "target", json_str(e->target));
	json_put(o, "arch", json_str(e->arch));
	json_put(o, "release", json_str(e->release));
	json_put(o, "host", json_str(e->host));
	json_put(o, "verdict", json_str(verdict_name(e->verdict)));
	json_put(o, "reason", json_str(e->reason));
	json_put(o, "seconds", json_object_new_double(e->seconds));

	json_object *ex = json_object_new_array();
	for (size_t i = 0; i < e->nexpects; i++) {
		const struct report_expect *x = &e->expects[i];
		json_object *xo = json_object_new_object();
		json_put(xo, "text", json_str(x->text));
		json_put(xo, "line", x->line ? json_object_new_int(x->line) : NULL);
		json_put(xo, "implied", json_object_new_boolean(!x->line));
		json_put(xo, "expected", json_str(x->expected));
		json_put(xo, "seen", json_str(x->seen));
		json_put(xo, "ok", x->seen ? json_object_new_boolean(x->ok) : NULL);
		json_object_array_add(ex, xo);
	}
	json_put(o, "expectations", ex);

	json_object *facts = json_object_new_object();
	for (size_t i = 0; i < e->facts.n; i++)
		json_put(facts, e->facts.v[i].name, json_str(e->facts.v[i].value));
	json_put(o, "facts", facts);

	/* the parser's own document, kept whole: its "oom_events" array and counters */
	char *events = e->events_json ? utf8_dup(e->events_json, 0) : NULL;
	struct strbuf err = STRBUF_INIT;
	json_object *ev = events ? json_parse(events, strlen(events), &err) : NULL;
	strbuf_release(&err);
	free(events);
	if (ev && !json_object_is_type(ev, json_type_object)) {
		json_object_put(ev);
		ev = NULL;
	}
	json_object *list = NULL;
	if (ev && json_object_object_get_ex(ev, "oom_events", &list) && json_object_is_type(list, json_type_array))
		json_put(o, "oom_events", json_object_get(list));
	else
		json_put(o, "oom_events", json_object_new_array());
	json_put(o, "kernel_log", ev ? ev : NULL);

	json_object *samples = json_object_new_array();
	for (size_t i = 0; i < e->nsamples; i++) {
		json_object *so = json_object_new_object();
		json_put(so, "step", json_str(e->samples[i].step));
		json_put(so, "ms", json_object_new_int64((int64_t)e->samples[i].ms));
		json_put(so, "rss_kb", json_object_new_int64((int64_t)e->samples[i].rss_kb));
		json_object_array_add(samples, so);
	}
	json_put(o, "memory_samples", samples);

	json_object *logs = json_object_new_object();
	if (e->dir) {
		static const char *const names[] = { "console.log", "agent.log", "facts.json", "result.json",
						     "events.json", "memory.tsv", "timeline.tsv",
						     "timeline-events.tsv", "plan.txt" };
		json_put(o, "dir", json_str(e->dir));
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			struct strbuf p = STRBUF_INIT;
			strbuf_addf(&p, "%s/%s", e->dir, names[i]);
			json_put(logs, names[i], json_str(p.buf));
			strbuf_release(&p);
		}
	} else {
		json_put(o, "dir", NULL);
	}
	json_put(o, "logs", logs);
	return o;
}

void report_json_build(const struct report *r, struct strbuf *out)
{
	json_object *o = json_object_new_object();
	char when[32];

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&r->started));
	json_put(o, "format", json_str("oomtest-report"));
	json_put(o, "version", json_object_new_int(REPORT_FORMAT_VERSION));
	json_put(o, "run_id", json_str(r->run_id));
	json_put(o, "results_dir", json_str(r->run_dir));
	json_put(o, "started", json_str(when));
	json_put(o, "seconds", json_object_new_double(r->seconds));
	json_put(o, "interrupted", json_object_new_boolean(r->interrupted));
	json_object *tot = json_object_new_object();
	json_put(tot, "planned", json_object_new_int64((int64_t)r->planned));
	json_put(tot, "reported", json_object_new_int64((int64_t)r->n));
	for (enum verdict v = V_PASS; v <= V_SKIP; v++)
		json_put(tot, verdict_name(v), json_object_new_int64((int64_t)report_count(r, v)));
	json_put(o, "totals", tot);
	json_object *runs = json_object_new_array();
	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(runs, entry_json(&r->v[i]));
	json_put(o, "runs", runs);

	json_dump(o, 1, out);
	json_object_put(o);
}

int report_json_write(const struct report *r, const char *path, struct strbuf *err)
{
	struct strbuf doc = STRBUF_INIT;

	report_json_build(r, &doc);
	int ret = report_write_doc("JSON", path, &doc, err);
	strbuf_release(&doc);
	return ret;
}
