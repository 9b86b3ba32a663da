/* lava_yaml: writing YAML documents through libyaml's emitter into a
 * strbuf, for the LAVA job, device and dispatcher files. Strings are always
 * quoted (so "123", "yes" or "null" stay strings for LAVA's loader); keys
 * are the callers' own words and stay plain. Errors are sticky: after the
 * first one every call does nothing and lava_yaml_finish reports it. */
#ifndef OOMTEST_LAVA_YAML_H
#define OOMTEST_LAVA_YAML_H

#include <stdbool.h>
#include <yaml.h>

#include "lib/strbuf.h"

struct lava_yaml {
	yaml_emitter_t emitter;
	struct strbuf *out;
	const char *error;   /* first failure (libyaml's words), or NULL */
};

/* Starts a stream and a document written to out (appended). */
void lava_yaml_begin(struct lava_yaml *y, struct strbuf *out);
/* Ends the document and the stream. 0, or -1 with *error (static text)
 * saying why; the emitter is released either way. */
int lava_yaml_finish(struct lava_yaml *y, const char **error);

void lava_yaml_map_begin(struct lava_yaml *y);
/* A mapping on one line: {seconds: 30} */
void lava_yaml_flow_map_begin(struct lava_yaml *y);
void lava_yaml_map_end(struct lava_yaml *y);
void lava_yaml_seq_begin(struct lava_yaml *y);
void lava_yaml_seq_end(struct lava_yaml *y);
/* A mapping key: plain, for the fixed words of LAVA's schemas. */
void lava_yaml_key(struct lava_yaml *y, const char *key);
/* A string value, quoted. */
void lava_yaml_str(struct lava_yaml *y, const char *value);
void lava_yaml_uint(struct lava_yaml *y, unsigned long long value);
void lava_yaml_bool(struct lava_yaml *y, bool value);
/* An empty value (YAML null): `serial:` in a device's connections. */
void lava_yaml_null(struct lava_yaml *y);

/* key: "value" and key: number, the common pairs. */
void lava_yaml_pair_str(struct lava_yaml *y, const char *key, const char *value);
void lava_yaml_pair_uint(struct lava_yaml *y, const char *key, unsigned long long value);
/* key: {seconds: N}, LAVA's timeout form. */
void lava_yaml_pair_seconds(struct lava_yaml *y, const char *key, unsigned seconds);

#endif
