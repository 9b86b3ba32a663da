/* json: json-c with one UTF-8 policy. */
#include "lib/json.h"
#include "lib/utf8.h"

#include <stdlib.h>
#include <string.h>

json_object *json_str_len(const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;

	utf8_sanitize(&clean, s, len, 0);
	json_object *o = json_object_new_string_len(clean.buf, (int)clean.len);
	strbuf_release(&clean);
	return o;
}

json_object *json_str(const char *s)
{
	return s ? json_str_len(s, strlen(s)) : NULL;
}

void json_put(json_object *obj, const char *key, json_object *val)
{
	char *clean = utf8_dup(key, 0);

	json_object_object_add(obj, clean, val);
	free(clean);
}

void json_dump(json_object *obj, int pretty, struct strbuf *out)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE | (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : 0);
	size_t len;
	const char *s = json_object_to_json_string_length(obj, flags, &len);

	strbuf_add(out, s, len);
	strbuf_addch(out, '\n');
}

void json_quote(struct strbuf *out, const char *s, size_t len)
{
	json_object *o = json_str_len(s, len);
	const char *q = json_object_to_json_string_ext(o, JSON_C_TO_STRING_NOSLASHESCAPE);

	for (; *q; q++) {
		unsigned char c = (unsigned char)*q;

		if (c == 0x7f) {
			strbuf_addstr(out, "\\u007f");
		} else if (c == 0xc2 && (unsigned char)q[1] >= 0x80 && (unsigned char)q[1] <= 0x9f) {
			strbuf_addf(out, "\\u%04x", (unsigned char)q[1]);
			q++;
		} else {
			strbuf_addch(out, (char)c);
		}
	}
	json_object_put(o);
}

json_object *json_parse(const char *text, size_t len, struct strbuf *err)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);

	if (!o || e != json_tokener_success) {
		strbuf_addf(err, "invalid JSON: %s", json_tokener_error_desc(e == json_tokener_success ? json_tokener_continue : e));
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}
