/* lava_rest: a client of a LAVA server's REST API, v0.2 (libcurl, json-c):
 * submit a job definition, read a job's state and health, fetch its log
 * (from a line on), cancel it. One struct lava_rest is one server and
 * token, used by one thread at a time (each has its own curl handle).
 *
 * Each call returns 0, or a negative errno with the reason in err:
 *   -EACCES        the server refused the token (401/403; its word verbatim)
 *   -EINVAL        it refused the job (400; LAVA's message verbatim)
 *   -ENOENT        no such job (404)
 *   -ECONNREFUSED  nothing answers at the URL (also: host unknown, timeout:
 *                  -EHOSTUNREACH, -ETIMEDOUT)
 *   -EPROTO        an answer that is not what the API gives (status, JSON)
 * No answer's size is bounded but by memory. */
#ifndef OOMTEST_LAVA_REST_H
#define OOMTEST_LAVA_REST_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

struct lava_rest;

/* A job's state and health as LAVA names them (state: Submitted,
 * Scheduling, Scheduled, Running, Canceling, Finished; health: Unknown,
 * Complete, Incomplete, Canceled). */
struct lava_rest_job {
	char *state;
	char *health;
	char *device;        /* actual_device, or NULL before it was scheduled */
};

/* url: the server's base (http://host:port/ or with a mount point);
 * token: an API token, or NULL to ask anonymously. Both are copied. */
struct lava_rest *lava_rest_new(const char *url, const char *token);
void lava_rest_free(struct lava_rest *rest);
/* Each request's limit, whole seconds (default 60); 0: none. */
void lava_rest_set_timeout(struct lava_rest *rest, unsigned seconds);

/* POST api/v0.2/jobs/ {"definition": yaml}: the new job's id. */
int lava_rest_submit(struct lava_rest *rest, const char *yaml, unsigned long long *id, struct strbuf *err);
/* GET api/v0.2/jobs/ID/: fills job (release with lava_rest_job_release). */
int lava_rest_status(struct lava_rest *rest, unsigned long long id, struct lava_rest_job *job,
		     struct strbuf *err);
void lava_rest_job_release(struct lava_rest_job *job);
/* Whether a job still waits for a device (Submitted, Scheduling,
 * Scheduled): its guest has not started. */
bool lava_rest_job_queued(const struct lava_rest_job *job);
/* Whether a job in this state will change no more. */
bool lava_rest_job_finished(const struct lava_rest_job *job);
/* GET api/v0.2/jobs/ID/logs/?start=FROM: appends the log's lines from
 * line `from` (0: the first) to out, each as lava_log reads them (the
 * YAML list's "- " taken off), and adds their number to *lines. A log
 * that does not exist yet or has no line past `from` appends nothing
 * (the server says 404 for both). */
int lava_rest_logs(struct lava_rest *rest, unsigned long long id, size_t from, struct strbuf *out,
		   size_t *lines, struct strbuf *err);
/* GET api/v0.2/jobs/ID/cancel/: LAVA then ends the job (Canceling, then
 * Finished with health Canceled). */
int lava_rest_cancel(struct lava_rest *rest, unsigned long long id, struct strbuf *err);
/* The job's page for people: BASE scheduler/job/ID. */
void lava_rest_job_url(const struct lava_rest *rest, unsigned long long id, struct strbuf *out);

#endif
