/* json: the few helpers every JSON document of the harness shares, over
 * json-c. Strings from outside (console text, comm names, case text) pass
 * utf8.c's policy first: an invalid byte becomes U+FFFD, everywhere. */
#ifndef OOMTEST_JSON_H
#define OOMTEST_JSON_H

#include <json-c/json.h>
#include <stddef.h>

#include "lib/strbuf.h"

/* A JSON string from len bytes of s, made valid UTF-8. */
json_object *json_str_len(const char *s, size_t len);
/* The same for a C string; NULL gives JSON null. */
json_object *json_str(const char *s);
/* Adds val under key (made valid UTF-8) to obj; takes val's reference. */
void json_put(json_object *obj, const char *key, json_object *val);
/* Appends obj as text (pretty: two-space indent, else one line; '/' never
 * escaped) and a newline. */
void json_dump(json_object *obj, int pretty, struct strbuf *out);
/* Appends len bytes of s as one JSON string literal, quotes included, on
 * one line. DEL and the C1 controls are escaped too, so the literal is also
 * a YAML double-quoted scalar (TAP diagnostics). */
void json_quote(struct strbuf *out, const char *s, size_t len);
/* Parses a whole document; NULL with a message in err. */
json_object *json_parse(const char *text, size_t len, struct strbuf *err);

#endif
