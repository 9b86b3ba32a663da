/* lava_yaml: YAML documents through libyaml's emitter (see lava_yaml.h). */
#include "lava/lava_yaml.h"

#include <stdio.h>
#include <string.h>

static int write_to_strbuf(void *data, unsigned char *buffer, size_t size)
{
	strbuf_add(data, buffer, size);
	return 1;
}

static void emit(struct lava_yaml *y, yaml_event_t *event, int initialized)
{
	if (!initialized) {
		/* libyaml refuses to build an event from text that is not UTF-8 */
		if (!y->error)
			y->error = "not valid UTF-8";
		return;
	}
	if (y->error) {
		yaml_event_delete(event);
		return;
	}
	if (!yaml_emitter_emit(&y->emitter, event))
		y->error = y->emitter.problem ? y->emitter.problem : "libyaml emitter failed";
}

void lava_yaml_begin(struct lava_yaml *y, struct strbuf *out)
{
	yaml_event_t ev;

	y->out = out;
	y->error = NULL;
	if (!yaml_emitter_initialize(&y->emitter)) {
		y->error = "libyaml emitter could not start";
		return;
	}
	yaml_emitter_set_output(&y->emitter, write_to_strbuf, out);
	yaml_emitter_set_unicode(&y->emitter, 1);
	/* long command lines and patterns stay on one line */
	yaml_emitter_set_width(&y->emitter, -1);
	emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	emit(y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
}

int lava_yaml_finish(struct lava_yaml *y, const char **error)
{
	yaml_event_t ev;
	int ok;

	emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
	emit(y, &ev, yaml_stream_end_event_initialize(&ev));
	if (!y->error && !yaml_emitter_flush(&y->emitter))
		y->error = "libyaml emitter could not flush";
	ok = !y->error;
	if (error)
		*error = y->error;
	yaml_emitter_delete(&y->emitter);
	return ok ? 0 : -1;
}

static void map_begin(struct lava_yaml *y, yaml_mapping_style_t style)
{
	yaml_event_t ev;

	emit(y, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, style));
}

void lava_yaml_map_begin(struct lava_yaml *y)
{
	map_begin(y, YAML_BLOCK_MAPPING_STYLE);
}

void lava_yaml_flow_map_begin(struct lava_yaml *y)
{
	map_begin(y, YAML_FLOW_MAPPING_STYLE);
}

void lava_yaml_map_end(struct lava_yaml *y)
{
	yaml_event_t ev;

	emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

void lava_yaml_seq_begin(struct lava_yaml *y)
{
	yaml_event_t ev;

	emit(y, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  YAML_BLOCK_SEQUENCE_STYLE));
}

void lava_yaml_seq_end(struct lava_yaml *y)
{
	yaml_event_t ev;

	emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

/* plain_ok: the scalar resolves to what it says without quotes (keys,
 * numbers, booleans); otherwise the emitter must quote it. */
static void scalar(struct lava_yaml *y, const char *value, int plain_ok)
{
	yaml_event_t ev;
	int ok;

	ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)value, (int)strlen(value),
					  plain_ok, !plain_ok,
					  plain_ok ? YAML_PLAIN_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
	emit(y, &ev, ok);
}

void lava_yaml_key(struct lava_yaml *y, const char *key)
{
	scalar(y, key, 1);
}

void lava_yaml_str(struct lava_yaml *y, const char *value)
{
	scalar(y, value, 0);
}

void lava_yaml_uint(struct lava_yaml *y, unsigned long long value)
{
	char digits[24];

	snprintf(digits, sizeof(digits), "%llu", value);
	scalar(y, digits, 1);
}

void lava_yaml_bool(struct lava_yaml *y, bool value)
{
	scalar(y, value ? "true" : "false", 1);
}

void lava_yaml_null(struct lava_yaml *y)
{
	scalar(y, "", 1);
}

void lava_yaml_pair_str(struct lava_yaml *y, const char *key, const char *value)
{
	lava_yaml_key(y, key);
	lava_yaml_str(y, value);
}

void lava_yaml_pair_uint(struct lava_yaml *y, const char *key, unsigned long long value)
{
	lava_yaml_key(y, key);
	lava_yaml_uint(y, value);
}

void lava_yaml_pair_seconds(struct lava_yaml *y, const char *key, unsigned seconds)
{
	lava_yaml_key(y, key);
	lava_yaml_flow_map_begin(y);
	lava_yaml_pair_uint(y, "seconds", seconds);
	lava_yaml_map_end(y);
}
