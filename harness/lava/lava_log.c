/* lava_log: streaming reader of lava-run's YAML log (see lava_log.h). */
#include "lava/lava_log.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lib/strbuf.h"

struct lava_log {
	struct strbuf line;       /* the line being gathered */
	bool skipping;            /* the current line went over the limit */
	struct lava_event *queue;
	size_t head, n, alloc;
	enum lava_job_end end;
	char *error_type, *error_msg;
	size_t bad_lines;
};

struct lava_log *lava_log_new(void)
{
	struct lava_log *log = xcalloc(1, sizeof(*log));

	strbuf_init(&log->line);
	return log;
}

static void result_release(struct lava_result *r)
{
	free(r->definition);
	free(r->case_name);
	free(r->result);
	free(r->level);
	free(r->error_type);
	free(r->error_msg);
}

void lava_event_release(struct lava_event *ev)
{
	free(ev->dt);
	free(ev->text);
	result_release(&ev->result);
	memset(ev, 0, sizeof(*ev));
}

void lava_log_free(struct lava_log *log)
{
	if (!log)
		return;
	for (size_t i = log->head; i < log->n; i++)
		lava_event_release(&log->queue[i]);
	free(log->queue);
	free(log->error_type);
	free(log->error_msg);
	strbuf_release(&log->line);
	free(log);
}

static struct lava_event *push(struct lava_log *log)
{
	if (log->head == log->n)
		log->head = log->n = 0;
	if (log->n == log->alloc) {
		log->alloc = log->alloc ? 2 * log->alloc : 16;
		log->queue = xrealloc(log->queue, log->alloc * sizeof(*log->queue));
	}
	memset(&log->queue[log->n], 0, sizeof(log->queue[0]));
	return &log->queue[log->n++];
}

int lava_log_next(struct lava_log *log, struct lava_event *ev)
{
	if (log->head == log->n)
		return 0;
	*ev = log->queue[log->head++];
	return 1;
}

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static bool is_scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

/* The scalar's text as a C string (NULs inside cut it short), or NULL. */
static char *scalar_dup(yaml_node_t *n)
{
	return is_scalar(n) ? xstrndup((const char *)n->data.scalar.value, n->data.scalar.length) : NULL;
}

static bool scalar_is(yaml_node_t *n, const char *s)
{
	return is_scalar(n) && n->data.scalar.length == strlen(s) &&
	       !memcmp(n->data.scalar.value, s, n->data.scalar.length);
}

/* LAVA's ShellLogger writes every " of the guest as \" (and drops \r and
 * ESC): each " in the message has a backslash of LAVA's before it. */
static void console_text(struct lava_event *ev, yaml_node_t *msg)
{
	const char *s = (const char *)msg->data.scalar.value;
	size_t len = msg->data.scalar.length;
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '"')
			continue;
		strbuf_addch(&out, s[i]);
	}
	ev->text_len = out.len;
	ev->text = strbuf_detach(&out);
}

static void add_result(struct lava_log *log, yaml_document_t *doc, yaml_node_t *msg, char *dt)
{
	struct lava_event *ev = push(log);
	struct lava_result *r = &ev->result;

	ev->kind = LAVA_EVENT_RESULT;
	ev->dt = dt;
	r->definition = scalar_dup(map_get(doc, msg, "definition"));
	r->case_name = scalar_dup(map_get(doc, msg, "case"));
	r->result = scalar_dup(map_get(doc, msg, "result"));
	r->level = scalar_dup(map_get(doc, msg, "level"));
	r->error_type = scalar_dup(map_get(doc, msg, "error_type"));
	r->error_msg = scalar_dup(map_get(doc, msg, "error_msg"));

	/* lava-run's last words: the job's own result */
	if (r->definition && r->case_name && r->result &&
	    !strcmp(r->definition, "lava") && !strcmp(r->case_name, "job")) {
		free(log->error_type);
		free(log->error_msg);
		log->error_type = log->error_msg = NULL;
		if (!strcmp(r->result, "pass")) {
			log->end = LAVA_JOB_COMPLETE;
			return;
		}
		log->end = r->error_type && !strcmp(r->error_type, "Canceled") ?
			   LAVA_JOB_CANCELED : LAVA_JOB_INCOMPLETE;
		log->error_type = xstrdup(r->error_type ? r->error_type : "");
		log->error_msg = xstrdup(r->error_msg ? r->error_msg : "");
	}
}

/* Returns false when the document is not a LAVA log line. */
static bool take_document(struct lava_log *log, yaml_document_t *doc)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_t *lvl = map_get(doc, root, "lvl");
	yaml_node_t *msg = map_get(doc, root, "msg");
	bool console, error;
	struct lava_event *ev;

	if (!is_scalar(lvl) || !msg)
		return false;
	if (scalar_is(lvl, "results")) {
		if (msg->type != YAML_MAPPING_NODE)
			return false;
		add_result(log, doc, msg, scalar_dup(map_get(doc, root, "dt")));
		return true;
	}
	console = scalar_is(lvl, "target") || scalar_is(lvl, "feedback");
	error = scalar_is(lvl, "error") || scalar_is(lvl, "exception");
	if (!console && !error)
		return true;       /* info, debug, input, event: LAVA's chatter */
	if (!is_scalar(msg))
		return false;
	ev = push(log);
	ev->dt = scalar_dup(map_get(doc, root, "dt"));
	if (console) {
		ev->kind = LAVA_EVENT_CONSOLE;
		ev->feedback = scalar_is(lvl, "feedback");
		console_text(ev, msg);
	} else {
		ev->kind = LAVA_EVENT_ERROR;
		ev->exception = scalar_is(lvl, "exception");
		ev->text_len = msg->data.scalar.length;
		ev->text = xmalloc(ev->text_len + 1);
		memcpy(ev->text, msg->data.scalar.value, ev->text_len);
		ev->text[ev->text_len] = '\0';
	}
	return true;
}

static void take_line(struct lava_log *log, const char *line, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	bool ok = false;

	if (len && line[len - 1] == '\r')
		len--;
	if (!len)
		return;
	if (line[0] != '{') {
		log->bad_lines++;
		return;
	}
	if (!yaml_parser_initialize(&parser)) {
		log->bad_lines++;
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)line, len);
	if (yaml_parser_load(&parser, &doc)) {
		ok = take_document(log, &doc);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	if (!ok)
		log->bad_lines++;
}

void lava_log_feed(struct lava_log *log, const char *data, size_t len)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;

		if (!log->skipping) {
			if (log->line.len + take > LAVA_LOG_MAX_LINE) {
				log->skipping = true;
				log->bad_lines++;
				strbuf_reset(&log->line);
			} else {
				strbuf_add(&log->line, data, take);
			}
		}
		if (!nl)
			return;
		if (!log->skipping)
			take_line(log, log->line.buf, log->line.len);
		log->skipping = false;
		strbuf_reset(&log->line);
		data += take + 1;
		len -= take + 1;
	}
}

void lava_log_end(struct lava_log *log)
{
	if (!log->skipping)
		take_line(log, log->line.buf, log->line.len);
	log->skipping = false;
	strbuf_reset(&log->line);
}

enum lava_job_end lava_log_job_end(const struct lava_log *log)
{
	return log->end;
}

const char *lava_log_error_type(const struct lava_log *log)
{
	return log->error_type;
}

const char *lava_log_error_msg(const struct lava_log *log)
{
	return log->error_msg;
}

size_t lava_log_bad_lines(const struct lava_log *log)
{
	return log->bad_lines;
}

const char *lava_job_end_name(enum lava_job_end end)
{
	switch (end) {
	case LAVA_JOB_COMPLETE: return "complete";
	case LAVA_JOB_INCOMPLETE: return "incomplete";
	case LAVA_JOB_CANCELED: return "canceled";
	case LAVA_JOB_UNFINISHED: break;
	}
	return "unfinished";
}
