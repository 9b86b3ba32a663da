/* record: agent records into facts. */
#include "run/record.h"
#include "case/casefile.h"
#include "ktap/ktap_facts.h"
#include "proto/codec.h"
#include "proto/proto.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void record_init(struct record_state *st)
{
	memset(st, 0, sizeof(*st));
	strbuf_init(&st->errors);
	strbuf_init(&st->samples);
	timeline_init(&st->timeline);
}

void record_release(struct record_state *st)
{
	strbuf_release(&st->errors);
	strbuf_release(&st->samples);
	timeline_release(&st->timeline);
	free(st->release);
	free(st->machine);
	for (size_t i = 0; i < st->nleft; i++)
		free(st->left[i]);
	free(st->left);
	for (size_t i = 0; i < st->ntaps; i++) {
		free(st->taps[i].step);
		strbuf_release(&st->taps[i].out);
	}
	free(st->taps);
	memset(st, 0, sizeof(*st));
}

void record_want_tap(struct record_state *st, const struct oomcase *c)
{
	for (size_t i = 0; i < c->nsteps; i++) {
		if (!c->steps[i].tap)
			continue;
		st->taps = xrealloc(st->taps, (st->ntaps + 1) * sizeof(*st->taps));
		st->taps[st->ntaps].step = xstrdup(c->steps[i].name);
		strbuf_init(&st->taps[st->ntaps].out);
		st->taps[st->ntaps++].capped = 0;
	}
}

/* One more line of a step's output, kept whole or not at all. */
static void keep_tap_line(struct record_state *st, const char *step, const char *line)
{
	for (size_t i = 0; i < st->ntaps; i++) {
		struct record_tap *t = &st->taps[i];
		size_t len = strlen(line);

		if (strcmp(t->step, step))
			continue;
		if (t->capped || t->out.len + len + 1 > RECORD_TAP_MAX) {
			t->capped = 1;
			return;
		}
		strbuf_add(&t->out, line, len);
		strbuf_addch(&t->out, '\n');
		return;
	}
}

void record_tap_facts(const struct record_state *st, struct facts *f)
{
	struct strbuf name = STRBUF_INIT;

	for (size_t i = 0; i < st->ntaps; i++) {
		const struct record_tap *t = &st->taps[i];
		struct ktap_doc doc;

		ktap_parse(&doc, t->out.buf, t->out.len);
		ktap_facts(&doc, t->step, f);
		ktap_release(&doc);
		strbuf_reset(&name);
		strbuf_addf(&name, "tap.%s.capped", t->step);
		facts_set(f, name.buf, t->capped ? "1" : "0");
	}
	strbuf_release(&name);
}

void record_encode(struct strbuf *out, const char *s, size_t len)
{
	strbuf_grow(out, PROTO_ENCODED_MAX(len));
	out->len += proto_encode(out->buf + out->len, s, len);
	out->buf[out->len] = '\0';
}

void record_add_field(struct strbuf *out, const char *s)
{
	strbuf_addch(out, ' ');
	record_encode(out, s, strlen(s));
}

size_t record_split(const char *line, size_t len, char ***fields)
{
	size_t n = 0, i = 0;
	char **v = NULL;

	while (i < len) {
		struct strbuf f = STRBUF_INIT;
		size_t start;

		while (i < len && line[i] == ' ')
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && line[i] != ' ')
			i++;
		strbuf_grow(&f, i - start);
		f.len = proto_decode(f.buf, line + start, i - start);
		f.buf[f.len] = '\0';
		v = xrealloc(v, (n + 1) * sizeof(char *));
		v[n++] = strbuf_detach(&f);
	}
	*fields = v;
	return n;
}

void record_fields_free(char **fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
	free(fields);
}

/* "Node 0, zone   Normal  1 2 3 ..." -> buddyinfo.SNAP.Normal.orderK, plus
 * buddyinfo.SNAP.orderK summed over zones (zone names differ per arch). */
void record_buddyinfo(struct facts *f, const char *snap, const char *text)
{
	unsigned long long total[16] = { 0 };
	int maxorder = -1;
	struct strbuf name = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = xstrndup(p, len);
		int node, consumed = 0;
		char zone[64];

		if (sscanf(line, "Node %d, zone %63s%n", &node, zone, &consumed) == 2) {
			char *q = line + consumed, *end;
			for (int k = 0; k < 16; k++) {
				unsigned long long v = strtoull(q, &end, 10);
				if (end == q)
					break;
				q = end;
				strbuf_reset(&name);
				if (node)
					strbuf_addf(&name, "buddyinfo.%s.node%d.%s.order%d", snap, node, zone, k);
				else
					strbuf_addf(&name, "buddyinfo.%s.%s.order%d", snap, zone, k);
				facts_setf(f, name.buf, "%llu", v);
				total[k] += v;
				if (k > maxorder)
					maxorder = k;
			}
		}
		free(line);
		p += len + (eol ? 1 : 0);
	}
	for (int k = 0; k <= maxorder; k++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "buddyinfo.%s.order%d", snap, k);
		facts_setf(f, name.buf, "%llu", total[k]);
	}
	strbuf_release(&name);
}

/* "Key: value kB" or "key value" lines -> PREFIX.Key = value (the unit
 * dropped: /proc values are kB). A one-line file without a key becomes
 * PREFIX = value. */
void record_keyed(struct facts *f, const char *prefix, const char *text)
{
	struct strbuf name = STRBUF_INIT, val = STRBUF_INIT;
	const char *p = text;
	int lines = 0;

	for (const char *q = text; *q; q++)
		if (*q == '\n')
			lines++;
	if (!strchr(text, ' ') && !strchr(text, '\t') && !strchr(text, ':') && lines <= 1) {
		strbuf_addstr(&val, text);
		strbuf_rtrim(&val);
		facts_set(f, prefix, val.buf);
		strbuf_release(&val);
		return;
	}
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		size_t k = 0;

		while (k < len && p[k] != ' ' && p[k] != '\t' && p[k] != ':')
			k++;
		if (k > 0 && k < len) {
			size_t v = k;
			if (p[v] == ':')
				v++;
			while (v < len && (p[v] == ' ' || p[v] == '\t'))
				v++;
			strbuf_reset(&name);
			strbuf_addf(&name, "%s.", prefix);
			strbuf_add(&name, p, k);
			strbuf_reset(&val);
			strbuf_add(&val, p + v, len - v);
			strbuf_rtrim(&val);
			if (val.len > 3 && !strcmp(val.buf + val.len - 3, " kB")) {
				val.len -= 3;
				val.buf[val.len] = '\0';
			}
			facts_set(f, name.buf, val.buf);
		}
		p += len + (eol ? 1 : 0);
	}
	strbuf_release(&name);
	strbuf_release(&val);
}

static void record_proc_status(struct facts *f, const char *step, const char *text)
{
	struct strbuf prefix = STRBUF_INIT;
	const char *st = strstr(text, "State:");

	strbuf_addf(&prefix, "proc.%s", step);
	record_keyed(f, prefix.buf, text);
	if (st) {
		st += 6;
		while (*st == ' ' || *st == '\t')
			st++;
		strbuf_addstr(&prefix, ".state");
		facts_setf(f, prefix.buf, "%c", *st ? *st : '?');
	}
	strbuf_release(&prefix);
}

static void snap(struct facts *f, char **v)
{
	const char *snapname = v[1], *kind = v[2], *key = v[3], *text = v[4];
	struct strbuf prefix = STRBUF_INIT;

	if (!strcmp(kind, "buddyinfo")) {
		record_buddyinfo(f, snapname, text);
	} else if (!strcmp(kind, "meminfo") || !strcmp(kind, "vmstat")) {
		strbuf_addf(&prefix, "%s.%s", kind, snapname);
		record_keyed(f, prefix.buf, text);
	} else if (!strcmp(kind, "cgroup")) {
		/* key is "NAME/FILE" */
		const char *slash = strchr(key, '/');
		if (slash) {
			strbuf_addstr(&prefix, "cgroup.");
			strbuf_add(&prefix, key, (size_t)(slash - key));
			strbuf_addf(&prefix, ".%s", slash + 1);
			record_keyed(f, prefix.buf, text);
		}
	} else if (!strcmp(kind, "proc")) {
		record_proc_status(f, key, text);
	}
	strbuf_release(&prefix);
}

static int is_uint(const char *s)
{
	return *s && strlen(s) <= 19 && strspn(s, "0123456789") == strlen(s);
}

/* The module's result (its kmod record), "k=v k=v ... zone.Z=n0/n1/..." ->
 * kmod.MODULE.k, and kmod.MODULE.zone.Z.orderK per order. */
static void kmod_result(struct facts *f, const char *module, const char *text)
{
	struct strbuf name = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		p += strspn(p, " \t\r\n");
		size_t toklen = strcspn(p, " \t\r\n");
		const char *eq = memchr(p, '=', toklen);

		if (eq && eq != p) {
			char *key = xstrndup(p, (size_t)(eq - p));
			char *val = xstrndup(eq + 1, toklen - (size_t)(eq - p) - 1);
			if (!strncmp(key, "zone.", 5)) {
				/* free blocks per order when allocation stopped */
				char *save = NULL, *t;
				int k = 0;
				for (t = strtok_r(val, "/", &save); t; t = strtok_r(NULL, "/", &save), k++) {
					strbuf_reset(&name);
					strbuf_addf(&name, "kmod.%s.%s.order%d", module, key, k);
					facts_set(f, name.buf, t);
				}
			} else {
				strbuf_reset(&name);
				strbuf_addf(&name, "kmod.%s.%s", module, key);
				facts_set(f, name.buf, val);
			}
			free(key);
			free(val);
		}
		p += toklen;
	}
	strbuf_release(&name);
}

static int is_module_name(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	return *s && strspn(s, ok) == strlen(s);
}

/* "waited STEP MS met|timeout" -> wait.STEP.ms, wait.STEP.met (1 or 0);
 * 0 for a malformed one. */
static int waited(struct facts *f, char **v)
{
	struct strbuf name = STRBUF_INIT;
	int met = !strcmp(v[3], "met");

	if (!is_module_name(v[1]) || !is_uint(v[2]) || (!met && strcmp(v[3], "timeout")))
		return 0;
	strbuf_addf(&name, "wait.%s.ms", v[1]);
	facts_set(f, name.buf, v[2]);
	strbuf_reset(&name);
	strbuf_addf(&name, "wait.%s.met", v[1]);
	facts_set(f, name.buf, met ? "1" : "0");
	strbuf_release(&name);
	return 1;
}

void record_apply(struct record_state *st, struct facts *f, const char *line, size_t len)
{
	char **v;
	size_t n = record_split(line, len, &v);
	struct strbuf name = STRBUF_INIT;

	if (!n)
		goto out;
	if (!strcmp(v[0], "ready") && n >= 4) {
		st->ready = 1;
		free(st->release);
		free(st->machine);
		st->release = xstrdup(v[2]);
		st->machine = xstrdup(v[3]);
		facts_set(f, "guest.release", v[2]);
		facts_set(f, "guest.machine", v[3]);
		facts_set(f, "guest.pvpanic", n >= 5 && !strcmp(v[4], "1") ? "1" : "0");
	} else if (!strcmp(v[0], "start") && n == 3) {
		strbuf_addf(&name, "step.%s.pid", v[1]);
		facts_set(f, name.buf, v[2]);
	} else if (!strcmp(v[0], "exit") && n == 3) {
		int was_left = 0;
		for (size_t i = 0; i < st->nleft; i++)
			was_left |= !strcmp(st->left[i], v[1]);
		strbuf_addf(&name, "step.%s.exit", v[1]);
		/* A step the agent had to kill at the end was still running. */
		facts_set(f, name.buf, was_left ? "running" : v[2]);
	} else if (!strcmp(v[0], "left") && n == 2) {
		st->left = xrealloc(st->left, (st->nleft + 1) * sizeof(char *));
		st->left[st->nleft++] = xstrdup(v[1]);
		strbuf_addf(&name, "step.%s.exit", v[1]);
		facts_set(f, name.buf, "running");
	} else if (!strcmp(v[0], "out") && n == 3) {
		strbuf_addf(&name, "step.%s.output", v[1]);
		facts_set(f, name.buf, v[2]); /* the last line */
		keep_tap_line(st, v[1], v[2]);
	} else if (!strcmp(v[0], "mem") && n == 4 && *v[1] && !strpbrk(v[1], "\t\n") && is_uint(v[2]) && is_uint(v[3])) {
		strbuf_addf(&st->samples, "%s\t%s\t%s\n", v[1], v[2], v[3]);
		strbuf_addf(&name, "step.%s.rss_peak_kb", v[1]);
		const char *old = facts_get(f, name.buf);
		if (!old || strtoull(v[3], NULL, 10) > strtoull(old, NULL, 10))
			facts_set(f, name.buf, v[3]);
		strbuf_reset(&name);
		strbuf_addf(&name, "step.%s.samples", v[1]);
		old = facts_get(f, name.buf);
		facts_setf(f, name.buf, "%llu", (old ? strtoull(old, NULL, 10) : 0) + 1);
	} else if (!strcmp(v[0], "snap") && n == 5) {
		snap(f, v);
	} else if (!strcmp(v[0], "kmod") && n == 3 && is_module_name(v[1])) {
		kmod_result(f, v[1], v[2]);
	} else if (!strcmp(v[0], "payload") && n == 2 && is_uint(v[1])) {
		facts_set(f, "payload.unpack_ms", v[1]);
	} else if (!strcmp(v[0], "waited") && n == 4 && waited(f, v)) {
		/* facts set */
	} else if (!strcmp(v[0], "err") && n == 2) {
		strbuf_addf(&st->errors, "%s\n", v[1]);
	} else if (!strcmp(v[0], "done") && n == 1) {
		st->done = 1;
	} else if (timeline_apply(&st->timeline, f, v, n)) {
		/* a sys, cgmem or event record, taken */
	} else {
		strbuf_addstr(&st->errors, "malformed agent record: ");
		for (size_t i = 0; i < len && i < 80; i++)
			strbuf_addch(&st->errors, isprint((unsigned char)line[i]) ? line[i] : '?');
		strbuf_addch(&st->errors, '\n');
	}
out:
	strbuf_release(&name);
	record_fields_free(v, n);
}
