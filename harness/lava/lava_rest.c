/* lava_rest: a LAVA server's REST API, v0.2 (see lava_rest.h). */
#include "lava/lava_rest.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

/* How much of an unexpected answer an error message quotes. */
#define QUOTE_MAX 300

struct lava_rest {
	char *base;          /* ends in '/' */
	char *token;         /* NULL: anonymous */
	unsigned timeout_s;
	CURL *curl;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
}

struct lava_rest *lava_rest_new(const char *url, const char *token)
{
	struct lava_rest *rest = xcalloc(1, sizeof(*rest));
	size_t n = strlen(url);
	struct strbuf base = STRBUF_INIT;

	pthread_once(&curl_once, curl_init_once);
	strbuf_addstr(&base, url);
	if (!n || url[n - 1] != '/')
		strbuf_addch(&base, '/');
	rest->base = strbuf_detach(&base);
	rest->token = token ? xstrdup(token) : NULL;
	rest->timeout_s = 60;
	rest->curl = curl_easy_init();
	if (!rest->curl)
		abort();
	return rest;
}

void lava_rest_free(struct lava_rest *rest)
{
	if (!rest)
		return;
	curl_easy_cleanup(rest->curl);
	free(rest->base);
	free(rest->token);
	free(rest);
}

void lava_rest_set_timeout(struct lava_rest *rest, unsigned seconds)
{
	rest->timeout_s = seconds;
}

static size_t take_body(char *data, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, data, size * n);
	return size * n;
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return -EHOSTUNREACH;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/* One request to base + path; *status is the HTTP status, body the answer.
 * 0, or -errno when no answer came. */
static int request(struct lava_rest *rest, const char *path, const char *post_json, long *status,
		   struct strbuf *body, struct strbuf *err)
{
	struct strbuf url = STRBUF_INIT, auth = STRBUF_INIT;
	struct curl_slist *headers = NULL;
	char curl_err[CURL_ERROR_SIZE] = "";
	CURL *c = rest->curl;
	CURLcode rc;

	strbuf_addf(&url, "%s%s", rest->base, path);
	headers = curl_slist_append(headers, "Accept: application/json, application/yaml");
	if (rest->token) {
		strbuf_addf(&auth, "Authorization: Token %s", rest->token);
		headers = curl_slist_append(headers, auth.buf);
	}
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url.buf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)rest->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	if (post_json) {
		headers = curl_slist_append(headers, "Content-Type: application/json");
		/* the whole body at once: no wait for a 100 Continue */
		headers = curl_slist_append(headers, "Expect:");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_json);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(post_json));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	rc = curl_easy_perform(c);
	curl_slist_free_all(headers);
	strbuf_release(&auth);
	if (rc != CURLE_OK) {
		strbuf_addf(err, "LAVA server %s: %s", url.buf, *curl_err ? curl_err : curl_easy_strerror(rc));
		strbuf_release(&url);
		return curl_errno(rc);
	}
	strbuf_release(&url);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

/* What the server said: its JSON answer's "message" or "detail", else the
 * start of the body. */
static void server_words(const struct strbuf *body, struct strbuf *out)
{
	struct strbuf ignored = STRBUF_INIT;
	json_object *doc = json_parse(body->buf, body->len, &ignored), *v;

	strbuf_release(&ignored);
	if (doc && json_object_is_type(doc, json_type_object) &&
	    ((json_object_object_get_ex(doc, "message", &v) && json_object_is_type(v, json_type_string)) ||
	     (json_object_object_get_ex(doc, "detail", &v) && json_object_is_type(v, json_type_string)))) {
		strbuf_addstr(out, json_object_get_string(v));
	} else {
		size_t n = body->len < QUOTE_MAX ? body->len : QUOTE_MAX;

		strbuf_add(out, body->buf, strcspn(body->buf, "\n") < n ? strcspn(body->buf, "\n") : n);
		if (!n)
			strbuf_addstr(out, "(no text)");
	}
	json_object_put(doc);
}

/* An answer that is not a success: its -errno, and why in err. */
static int answer_error(const struct lava_rest *rest, long status, const struct strbuf *body,
			const char *what, struct strbuf *err)
{
	struct strbuf words = STRBUF_INIT;
	int r;

	server_words(body, &words);
	if (status == 401 || status == 403) {
		strbuf_addf(err, "LAVA server %s refused %s (HTTP %ld): %s", rest->base,
			    rest->token ? "the token" : "an anonymous request", status, words.buf);
		r = -EACCES;
	} else if (status == 400) {
		strbuf_addf(err, "LAVA server %s refused %s: %s", rest->base, what, words.buf);
		r = -EINVAL;
	} else if (status == 404) {
		strbuf_addf(err, "LAVA server %s: %s: not found", rest->base, what);
		r = -ENOENT;
	} else {
		strbuf_addf(err, "LAVA server %s: %s: unexpected HTTP status %ld: %s", rest->base, what,
			    status, words.buf);
		r = -EPROTO;
	}
	strbuf_release(&words);
	return r;
}

static json_object *parse_answer(const struct lava_rest *rest, const struct strbuf *body, const char *what,
				 struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	json_object *doc = json_parse(body->buf, body->len, &why);

	if (doc && !json_object_is_type(doc, json_type_object)) {
		json_object_put(doc);
		doc = NULL;
		strbuf_addstr(&why, "not a JSON object");
	}
	if (!doc)
		strbuf_addf(err, "LAVA server %s: %s: an answer that is not the API's: %s", rest->base, what,
			    why.buf);
	strbuf_release(&why);
	return doc;
}

int lava_rest_submit(struct lava_rest *rest, const char *yaml, unsigned long long *id, struct strbuf *err)
{
	json_object *req = json_object_new_object(), *doc, *ids, *first;
	struct strbuf body = STRBUF_INIT;
	const char *what = "the job";
	long status = 0;
	int r;

	json_put(req, "definition", json_str(yaml));
	r = request(rest, "api/v0.2/jobs/", json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN),
		    &status, &body, err);
	json_object_put(req);
	if (!r && status != 201 && status != 200)
		r = answer_error(rest, status, &body, what, err);
	if (r) {
		strbuf_release(&body);
		return r;
	}
	doc = parse_answer(rest, &body, what, err);
	strbuf_release(&body);
	if (!doc)
		return -EPROTO;
	if (!json_object_object_get_ex(doc, "job_ids", &ids) || !json_object_is_type(ids, json_type_array) ||
	    json_object_array_length(ids) < 1 || !(first = json_object_array_get_idx(ids, 0)) ||
	    !json_object_is_type(first, json_type_int) || json_object_get_int64(first) <= 0) {
		strbuf_addf(err, "LAVA server %s: the job was submitted but the answer names no job id", rest->base);
		json_object_put(doc);
		return -EPROTO;
	}
	*id = (unsigned long long)json_object_get_int64(first);
	json_object_put(doc);
	return 0;
}

static char *string_field(json_object *doc, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(doc, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return xstrdup(json_object_get_string(v));
}

int lava_rest_status(struct lava_rest *rest, unsigned long long id, struct lava_rest_job *job,
		     struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT, what = STRBUF_INIT;
	json_object *doc = NULL;
	long status = 0;
	int r;

	memset(job, 0, sizeof(*job));
	strbuf_addf(&path, "api/v0.2/jobs/%llu/", id);
	strbuf_addf(&what, "job %llu", id);
	r = request(rest, path.buf, NULL, &status, &body, err);
	if (!r && status != 200)
		r = answer_error(rest, status, &body, what.buf, err);
	if (!r && !(doc = parse_answer(rest, &body, what.buf, err)))
		r = -EPROTO;
	if (!r) {
		job->state = string_field(doc, "state");
		job->health = string_field(doc, "health");
		job->device = string_field(doc, "actual_device");
		if (!job->state || !job->health) {
			strbuf_addf(err, "LAVA server %s: %s: the answer has no state or health", rest->base,
				    what.buf);
			lava_rest_job_release(job);
			r = -EPROTO;
		}
	}
	json_object_put(doc);
	strbuf_release(&path);
	strbuf_release(&body);
	strbuf_release(&what);
	return r;
}

void lava_rest_job_release(struct lava_rest_job *job)
{
	free(job->state);
	free(job->health);
	free(job->device);
	memset(job, 0, sizeof(*job));
}

bool lava_rest_job_queued(const struct lava_rest_job *job)
{
	return job->state && (!strcmp(job->state, "Submitted") || !strcmp(job->state, "Scheduling") ||
			      !strcmp(job->state, "Scheduled"));
}

bool lava_rest_job_finished(const struct lava_rest_job *job)
{
	return job->state && !strcmp(job->state, "Finished");
}

/* The log's lines as lava-run writes them: each without the "- " of
 * LAVA's YAML list. */
static size_t take_lines(const struct strbuf *body, struct strbuf *out)
{
	const char *p = body->buf, *end = body->buf + body->len;
	size_t n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;

		if (stop - p >= 2 && p[0] == '-' && p[1] == ' ')
			p += 2;
		strbuf_add(out, p, (size_t)(stop - p));
		strbuf_addch(out, '\n');
		n++;
		p = nl ? nl + 1 : end;
	}
	return n;
}

int lava_rest_logs(struct lava_rest *rest, unsigned long long id, size_t from, struct strbuf *out,
		   size_t *lines, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT, what = STRBUF_INIT;
	long status = 0;
	int r;

	strbuf_addf(&path, "api/v0.2/jobs/%llu/logs/?start=%zu", id, from);
	strbuf_addf(&what, "job %llu's log", id);
	r = request(rest, path.buf, NULL, &status, &body, err);
	if (!r && status == 200)
		*lines += take_lines(&body, out);
	else if (!r && status != 404)
		r = answer_error(rest, status, &body, what.buf, err);
	strbuf_release(&path);
	strbuf_release(&body);
	strbuf_release(&what);
	return r;
}

int lava_rest_cancel(struct lava_rest *rest, unsigned long long id, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT, what = STRBUF_INIT;
	long status = 0;
	int r;

	strbuf_addf(&path, "api/v0.2/jobs/%llu/cancel/", id);
	strbuf_addf(&what, "canceling job %llu", id);
	r = request(rest, path.buf, NULL, &status, &body, err);
	if (!r && status != 200)
		r = answer_error(rest, status, &body, what.buf, err);
	strbuf_release(&path);
	strbuf_release(&body);
	strbuf_release(&what);
	return r;
}

void lava_rest_job_url(const struct lava_rest *rest, unsigned long long id, struct strbuf *out)
{
	strbuf_addf(out, "%sscheduler/job/%llu", rest->base, id);
}
