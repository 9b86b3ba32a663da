/* libFuzzer target for the TAP reader and its facts: the input read whole
 * and line by line must give the same facts; the counts must agree with
 * the points; every fact name must be one an [expect] line can write; the
 * facts must make valid JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ktap/ktap_facts.h"
#include "lib/json.h"

static int is_fact_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("_.:/-", *s)))
			return 0;
	return 1;
}

static long num(const struct facts *f, const char *name)
{
	const char *v = facts_get(f, name);
	if (!v)
		abort();
	return strtol(v, NULL, 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ktap_doc whole, lines;
	struct facts a = FACTS_INIT, b = FACTS_INIT;
	struct strbuf json = STRBUF_INIT, err = STRBUF_INIT;

	ktap_parse(&whole, text, size);
	ktap_facts(&whole, "s", &a);
	ktap_init(&lines);
	for (size_t off = 0; off < size;) {
		const char *nl = memchr(text + off, '\n', size - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : size - off;
		ktap_add_line(&lines, text + off, n);
		off += n + 1;
	}
	ktap_finish(&lines);
	ktap_facts(&lines, "s", &b);
	if (a.n != b.n || whole.lines != lines.lines)
		abort();
	for (size_t i = 0; i < a.n; i++) {
		if (strcmp(a.v[i].name, b.v[i].name) || strcmp(a.v[i].value, b.v[i].value))
			abort();
		if (!is_fact_name(a.v[i].name))
			abort();
	}
	if (!strcmp(facts_get(&a, "tap.s.valid"), "1")) {
		long seen = num(&a, "tap.s.seen");
		struct ktap_fact_point *v;
		size_t n = ktap_facts_points(&a, "s", &v);
		long top = 0;

		if (num(&a, "tap.s.pass") + num(&a, "tap.s.fail") + num(&a, "tap.s.skip") != seen)
			abort();
		for (size_t i = 0; i < n; i++)
			top += v[i].depth == 0;
		if (top != seen && !facts_get(&a, "tap.s.points_capped"))
			abort();
		ktap_fact_points_free(v, n);
	}
	facts_to_json(&a, &json);
	json_object *o = json_parse(json.buf, json.len, &err);
	if (!o)
		abort();
	json_object_put(o);
	ktap_release(&whole);
	ktap_release(&lines);
	facts_release(&a);
	facts_release(&b);
	strbuf_release(&json);
	strbuf_release(&err);
	return 0;
}
