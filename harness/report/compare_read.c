/* compare_read: report.json read back for `oomtest compare`. */
#include "report/compare_read.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "report/report.h"

int compare_find_report(const char *dir, struct strbuf *path, struct strbuf *err)
{
	struct strbuf run = STRBUF_INIT, latest = STRBUF_INIT;
	const char *sep = *dir && dir[strlen(dir) - 1] == '/' ? "" : "/";
	struct stat st;
	int ret = 0;

	strbuf_addf(&run, "%s%sreport.json", dir, sep);
	strbuf_addf(&latest, "%s%slatest/report.json", dir, sep);
	int e = stat(dir, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (e) {
		strbuf_addf(err, "%s: %s", dir, strerror(e));
		ret = -1;
	} else if (!access(run.buf, F_OK)) {
		strbuf_addbuf(path, &run);
	} else if (!access(latest.buf, F_OK)) {
		strbuf_addbuf(path, &latest);
	} else {
		strbuf_addf(err, "%s: no report.json (tried %s and %s)", dir, run.buf, latest.buf);
		ret = -1;
	}
	strbuf_release(&run);
	strbuf_release(&latest);
	return ret;
}

static void run_release(struct compare_run *c)
{
	free(c->name);
	free(c->target);
	free(c->arch);
	free(c->release);
	free(c->verdict);
	free(c->reason);
	for (size_t i = 0; i < c->nfailed; i++)
		free(c->failed[i]);
	free(c->failed);
	facts_release(&c->facts);
}

void compare_report_release(struct compare_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		run_release(&r->v[i]);
	free(r->v);
	free(r->path);
	free(r->run_id);
	memset(r, 0, sizeof(*r));
}

/* Member key of o as a string: 0 with *out set (NULL when absent or null
 * and optional), -1 with a message when it has another type. */
static int get_string(json_object *o, const char *key, int required, const char **out, const char *where,
		      struct strbuf *err)
{
	json_object *v = NULL;

	*out = NULL;
	if (json_object_object_get_ex(o, key, &v) && v) {
		if (!json_object_is_type(v, json_type_string)) {
			strbuf_addf(err, "%s: \"%s\" is not a string", where, key);
			return -1;
		}
		*out = json_object_get_string(v);
	}
	if (!*out && required) {
		strbuf_addf(err, "%s: no \"%s\"", where, key);
		return -1;
	}
	return 0;
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

/* "TEXT (seen VALUE)" for each judged expectation that does not hold. */
static int read_failed(struct compare_run *c, json_object *run, const char *where, struct strbuf *err)
{
	json_object *list = NULL;

	if (!json_object_object_get_ex(run, "expectations", &list) || !list)
		return 0;
	if (!json_object_is_type(list, json_type_array)) {
		strbuf_addf(err, "%s: \"expectations\" is not an array", where);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *x = json_object_array_get_idx(list, i), *ok = NULL;
		const char *text, *seen;

		if (!json_object_is_type(x, json_type_object))
			continue;
		if (get_string(x, "text", 0, &text, where, err) || get_string(x, "seen", 0, &seen, where, err))
			return -1;
		if (!text || !seen || !json_object_object_get_ex(x, "ok", &ok) ||
		    !json_object_is_type(ok, json_type_boolean) || json_object_get_boolean(ok))
			continue;
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "%s (seen %s)", text, seen);
		c->failed = xrealloc(c->failed, (c->nfailed + 1) * sizeof(*c->failed));
		c->failed[c->nfailed++] = strbuf_detach(&line);
	}
	return 0;
}

static int read_facts(struct compare_run *c, json_object *run, const char *where, struct strbuf *err)
{
	json_object *facts = NULL;

	if (!json_object_object_get_ex(run, "facts", &facts) || !facts)
		return 0;
	if (!json_object_is_type(facts, json_type_object)) {
		strbuf_addf(err, "%s: \"facts\" is not an object", where);
		return -1;
	}
	json_object_object_foreach(facts, name, value) {
		if (!json_object_is_type(value, json_type_string)) {
			strbuf_addf(err, "%s: fact \"%s\" is not a string", where, name);
			return -1;
		}
		facts_set(&c->facts, name, json_object_get_string(value));
	}
	return 0;
}

static int read_run(struct compare_run *c, json_object *run, const char *where, struct strbuf *err)
{
	const char *name, *target, *arch, *release, *verdict, *reason;

	memset(c, 0, sizeof(*c));
	if (!json_object_is_type(run, json_type_object)) {
		strbuf_addf(err, "%s: not an object", where);
		return -1;
	}
	if (get_string(run, "name", 1, &name, where, err) || get_string(run, "target", 1, &target, where, err) ||
	    get_string(run, "verdict", 1, &verdict, where, err) || get_string(run, "arch", 0, &arch, where, err) ||
	    get_string(run, "release", 0, &release, where, err) || get_string(run, "reason", 0, &reason, where, err))
		return -1;
	c->name = xstrdup(name);
	c->target = xstrdup(target);
	c->verdict = xstrdup(verdict);
	c->arch = dup_or_empty(arch);
	c->release = dup_or_empty(release);
	c->reason = dup_or_empty(reason);
	return read_failed(c, run, where, err) || read_facts(c, run, where, err) ? -1 : 0;
}

/* The document's "format", "version" and "run_id". */
static int read_head(struct compare_report *r, json_object *doc, struct strbuf *err)
{
	json_object *v = NULL;
	const char *format, *run_id;

	if (get_string(doc, "format", 0, &format, "the document", err))
		return -1;
	if (!format || strcmp(format, "oomtest-report")) {
		strbuf_addstr(err, "not an oomtest report (no \"format\": \"oomtest-report\")");
		return -1;
	}
	if (!json_object_object_get_ex(doc, "version", &v) || !json_object_is_type(v, json_type_int)) {
		strbuf_addstr(err, "no \"version\" number");
		return -1;
	}
	if (json_object_get_int64(v) != REPORT_FORMAT_VERSION) {
		strbuf_addf(err, "report format version %lld; this oomtest reads version %d",
			    (long long)json_object_get_int64(v), REPORT_FORMAT_VERSION);
		return -1;
	}
	if (get_string(doc, "run_id", 0, &run_id, "the document", err))
		return -1;
	r->run_id = dup_or_empty(run_id);
	return 0;
}

static int read_document(struct compare_report *r, json_object *doc, struct strbuf *err)
{
	json_object *runs = NULL;

	if (!json_object_is_type(doc, json_type_object)) {
		strbuf_addstr(err, "not an oomtest report (not a JSON object)");
		return -1;
	}
	if (read_head(r, doc, err))
		return -1;
	if (!json_object_object_get_ex(doc, "runs", &runs) || !json_object_is_type(runs, json_type_array)) {
		strbuf_addstr(err, "no \"runs\" array");
		return -1;
	}
	size_t n = json_object_array_length(runs);
	r->v = xcalloc(n ? n : 1, sizeof(*r->v));
	for (size_t i = 0; i < n; i++) {
		char where[48];
		snprintf(where, sizeof(where), "runs[%zu]", i);
		r->n++;
		if (read_run(&r->v[i], json_object_array_get_idx(runs, i), where, err))
			return -1;
	}
	return 0;
}

/* Only white space may follow the document: the offset of the first byte
 * that is not, or len. */
static size_t skip_space(const char *p, size_t from, size_t len)
{
	while (from < len && p[from] && strchr(" \t\r\n", p[from]))
		from++;
	return from;
}

int compare_parse_report(struct compare_report *r, const char *path, const char *text, size_t len,
			 struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	json_object *doc = NULL;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	r->path = xstrdup(path);
	if (len > INT_MAX) {
		strbuf_addf(err, "%s: too large (%zu bytes)", path, len);
		goto out;
	}
	json_tokener *tok = json_tokener_new();
	doc = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!doc || e != json_tokener_success) {
		/* a document cut short reads as "continue": say what it is */
		strbuf_addf(err, "%s: invalid JSON at byte %zu: %s", path, end,
			    e == json_tokener_continue || e == json_tokener_success ? "unexpected end of file"
										    : json_tokener_error_desc(e));
		goto out;
	}
	size_t rest = skip_space(text, end, len);
	if (rest < len) {
		strbuf_addf(err, "%s: invalid JSON at byte %zu: text after the document", path, rest);
		goto out;
	}
	if (read_document(r, doc, &why)) {
		strbuf_addf(err, "%s: %s", path, why.buf);
		goto out;
	}
	ret = 0;
out:
	json_object_put(doc);
	strbuf_release(&why);
	if (ret)
		compare_report_release(r);
	return ret;
}

int compare_load_report(struct compare_report *r, const char *path, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int e = strbuf_read_file(&text, path);

	if (e) {
		memset(r, 0, sizeof(*r));
		strbuf_addf(err, "%s: %s", path, strerror(-e));
		strbuf_release(&text);
		return -1;
	}
	int ret = compare_parse_report(r, path, text.buf, text.len, err);
	strbuf_release(&text);
	return ret;
}

size_t compare_report_targets(const struct compare_report *r, const char ***out)
{
	size_t n = 0;

	*out = xcalloc(r->n ? r->n : 1, sizeof(**out));
	for (size_t i = 0; i < r->n; i++) {
		size_t k = 0;
		while (k < n && strcmp((*out)[k], r->v[i].target))
			k++;
		if (k == n)
			(*out)[n++] = r->v[i].target;
	}
	return n;
}
