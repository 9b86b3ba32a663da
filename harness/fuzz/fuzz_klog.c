/* libFuzzer target for klog: the input is fed whole, in small pieces and
 * byte by byte; every way must give the same facts, and the JSON must be
 * valid. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/facts.h"
#include "klog/klog.h"
#include "lib/strbuf.h"

/* Minimal JSON grammar check; aborts (a finding) on invalid output. */
static const char *json_value(const char *p, const char *end, int depth);

static const char *json_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

static const char *json_string(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			if (++p >= end || !strchr("\"\\/bfnrtu", *p))
				return NULL;
			if (*p == 'u')
				for (int i = 0; i < 4; i++)
					if (++p >= end || !strchr("0123456789abcdefABCDEF", *p))
						return NULL;
		}
	}
	return NULL;
}

static const char *json_seq(const char *p, const char *end, char close, bool object, int depth)
{
	p = json_ws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		p = json_ws(p, end);
		if (object) {
			if (!(p = json_string(p, end)))
				return NULL;
			p = json_ws(p, end);
			if (p >= end || *p++ != ':')
				return NULL;
		}
		if (!(p = json_value(p, end, depth)))
			return NULL;
		p = json_ws(p, end);
		if (p >= end)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, const char *end, int depth)
{
	p = json_ws(p, end);
	if (p >= end || depth > 64)
		return NULL;
	switch (*p) {
	case '{': return json_seq(p, end, '}', true, depth + 1);
	case '[': return json_seq(p, end, ']', false, depth + 1);
	case '"': return json_string(p, end);
	case 't': return end - p >= 4 && !memcmp(p, "true", 4) ? p + 4 : NULL;
	case 'f': return end - p >= 5 && !memcmp(p, "false", 5) ? p + 5 : NULL;
	case 'n': return end - p >= 4 && !memcmp(p, "null", 4) ? p + 4 : NULL;
	default:
		if (*p == '-')
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return NULL;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		return p;
	}
}

static void run(const uint8_t *data, size_t size, size_t chunk, struct facts *f,
		struct strbuf *json, struct strbuf *text)
{
	struct klog *k = klog_new();

	for (size_t off = 0; off < size; off += chunk)
		klog_feed(k, (const char *)data + off, size - off < chunk ? size - off : chunk);
	klog_end(k);
	klog_add_facts(k, f);
	klog_to_json(k, json);
	klog_to_text(k, text);
	klog_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 0, 1, 7, 256 };
	struct facts first = FACTS_INIT;
	struct strbuf json = STRBUF_INIT, text = STRBUF_INIT;

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct facts f = FACTS_INIT;
		size_t chunk = chunks[c] ? chunks[c] : (size ? size : 1);
		const char *end;

		/* byte by byte is slow on big inputs; small ones cover it */
		if (chunks[c] == 1 && size > 4096)
			continue;
		strbuf_reset(&json);
		strbuf_reset(&text);
		run(data, size, chunk, c ? &f : &first, &json, &text);
		if (!c) {
			end = json_value(json.buf, json.buf + json.len, 0);
			if (!end || json_ws(end, json.buf + json.len) != json.buf + json.len)
				abort();
			continue;
		}
		if (f.n != first.n)
			abort();
		for (size_t i = 0; i < f.n; i++)
			if (strcmp(f.v[i].name, first.v[i].name) || strcmp(f.v[i].value, first.v[i].value))
				abort();
		facts_release(&f);
	}
	facts_release(&first);
	strbuf_release(&json);
	strbuf_release(&text);
	return 0;
}
