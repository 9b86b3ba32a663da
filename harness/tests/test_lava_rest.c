/* Tests for lava_rest.c against a fake HTTP server in this file (a socket
 * and a forked child) that gives every request one recorded answer of a
 * real LAVA 2023.01 server (fixtures/lava-rest/) and writes down what it
 * was asked: submit, status, logs (whole, from a line, past the end),
 * cancel, a bad token, refused jobs (LAVA's message verbatim), no such
 * job, a server that is down, answers that are not the API's, and one
 * larger than any buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lava/lava_log.h"
#include "lava/lava_rest.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/strbuf.h"
#include "lava_rest_test_util.h"

#define TOKEN "WVVJkHKmBJQhgjtnnWtLJcy8o8PsCMxVXnr7rzRlDU"

static char tmp[] = "/tmp/oomtest-lava-rest.XXXXXX";
static struct strbuf seen_path = STRBUF_INIT;
static pid_t server_pid = -1;
static struct strbuf url = STRBUF_INIT;

/* Serves answer to every connection until killed; each request is
 * appended to seen_path. */
static void serve(int lfd, const struct strbuf *answer)
{
	for (;;) {
		struct strbuf req = STRBUF_INIT;
		int fd = accept(lfd, NULL, NULL);
		FILE *f;

		if (fd < 0)
			continue;
		lava_rest_read_request(fd, &req);
		f = fopen(seen_path.buf, "a");
		if (f) {
			fwrite(req.buf, 1, req.len, f);
			fputs("\n--end--\n", f);
			fclose(f);
		}
		if (fs_write_all(fd, answer->buf, answer->len))
			_exit(1);
		shutdown(fd, SHUT_WR);
		close(fd);
		strbuf_release(&req);
	}
}

static void start_server(const struct strbuf *answer)
{
	int lfd = lava_rest_listen(&url);

	unlink(seen_path.buf);
	server_pid = fork();
	assert_true(server_pid >= 0);
	if (server_pid == 0)
		serve(lfd, answer);
	close(lfd);
}

static void start_with_file(const char *name)
{
	struct strbuf answer = STRBUF_INIT;

	lava_rest_fixture(name, 0, &answer);
	start_server(&answer);
	strbuf_release(&answer);
}

static void start_with_body(int status, const char *type, const char *body, size_t len)
{
	struct strbuf answer = STRBUF_INIT;

	lava_rest_answer(&answer, status, type, body, len);
	start_server(&answer);
	strbuf_release(&answer);
}

static void stop_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
	server_pid = -1;
}

/* What the fake server was asked, all requests in order. */
static void seen(struct strbuf *out)
{
	strbuf_reset(out);
	assert_int_equal(strbuf_read_file(out, seen_path.buf), 0);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmp))
		return -1;
	strbuf_addf(&seen_path, "%s/seen", tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_server();
	fs_remove_tree(tmp);
	strbuf_release(&seen_path);
	strbuf_release(&url);
	return 0;
}

static int after_each(void **state)
{
	(void)state;
	stop_server();
	return 0;
}

static void test_submit_sends_the_definition_and_returns_the_id(void **state)
{
	struct strbuf job = STRBUF_INIT, err = STRBUF_INIT, req = STRBUF_INIT, ignored = STRBUF_INIT;
	unsigned long long id = 0;
	struct lava_rest *rest;
	json_object *doc, *def;
	const char *body;

	(void)state;
	assert_int_equal(strbuf_read_file(&job, "fixtures/lava-rest/job.yaml"), 0);
	start_with_file("submit.http");
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_submit(rest, job.buf, &id, &err), 0);
	assert_int_equal(id, 1);
	seen(&req);
	assert_true(!strncmp(req.buf, "POST /api/v0.2/jobs/ HTTP/1.1\r\n", 31));
	assert_non_null(strstr(req.buf, "\r\nAuthorization: Token " TOKEN "\r\n"));
	assert_non_null(strstr(req.buf, "\r\nContent-Type: application/json\r\n"));
	body = strstr(req.buf, "\r\n\r\n") + 4;
	doc = json_parse(body, strstr(body, "\n--end--") - body, &ignored);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "definition", &def));
	assert_string_equal(json_object_get_string(def), job.buf);
	json_object_put(doc);
	lava_rest_free(rest);
	strbuf_release(&job);
	strbuf_release(&err);
	strbuf_release(&req);
	strbuf_release(&ignored);
}

static void test_a_bad_token_is_eacces_with_the_servers_word(void **state)
{
	struct strbuf err = STRBUF_INIT;
	unsigned long long id = 0;
	struct lava_rest *rest;

	(void)state;
	start_with_file("badtoken.http");
	rest = lava_rest_new(url.buf, "nosuchtoken");
	assert_int_equal(lava_rest_submit(rest, "job_name: x\n", &id, &err), -EACCES);
	assert_non_null(strstr(err.buf, "refused the token (HTTP 403): Invalid token."));
	assert_non_null(strstr(err.buf, url.buf));
	assert_int_equal(id, 0);
	lava_rest_free(rest);
	strbuf_release(&err);
}

static void check_refused(const char *fixture, const char *message)
{
	struct strbuf err = STRBUF_INIT;
	unsigned long long id = 0;
	struct lava_rest *rest;

	start_with_file(fixture);
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_submit(rest, "job_name: x\n", &id, &err), -EINVAL);
	assert_non_null(strstr(err.buf, "refused the job: "));
	assert_non_null(strstr(err.buf, message));
	lava_rest_free(rest);
	strbuf_release(&err);
	stop_server();
}

static void test_a_refused_job_gives_lavas_message_verbatim(void **state)
{
	(void)state;
	check_refused("refused.http", "Devices unavailable: Device type 'nosuch' is unavailable.");
	check_refused("refused2.http",
		      "Problem with submitted job data: required key not provided @ data['visibility']");
}

static void test_status_reads_state_health_and_device(void **state)
{
	struct strbuf err = STRBUF_INIT, req = STRBUF_INIT;
	struct lava_rest_job job;
	struct lava_rest *rest;

	(void)state;
	start_with_file("detail.http");
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_status(rest, 1, &job, &err), 0);
	assert_string_equal(job.state, "Finished");
	assert_string_equal(job.health, "Canceled");
	assert_string_equal(job.device, "qemu01");
	assert_true(lava_rest_job_finished(&job));
	assert_false(lava_rest_job_queued(&job));
	lava_rest_job_release(&job);
	/* a job waiting for a device has not started: its run's time waits too */
	static const char *const queued[] = { "Submitted", "Scheduling", "Scheduled" };
	static const char *const started[] = { "Running", "Canceling", "Finished" };
	for (size_t i = 0; i < 3; i++) {
		struct lava_rest_job q = { .state = (char *)queued[i] }, r = { .state = (char *)started[i] };
		assert_true(lava_rest_job_queued(&q));
		assert_false(lava_rest_job_queued(&r));
	}
	seen(&req);
	assert_true(!strncmp(req.buf, "GET /api/v0.2/jobs/1/ HTTP/1.1\r\n", 32));
	lava_rest_free(rest);
	strbuf_release(&err);
	strbuf_release(&req);
}

static void test_no_such_job_is_enoent(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct lava_rest_job job;
	struct lava_rest *rest;

	(void)state;
	start_with_file("nojob.http");
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_status(rest, 999, &job, &err), -ENOENT);
	assert_non_null(strstr(err.buf, "job 999: not found"));
	assert_null(job.state);
	lava_rest_free(rest);
	strbuf_release(&err);
}

/* The whole log of a real job, as the server answers it: every line
 * comes out as lava-run writes it, and lava_log reads them all. */
static void test_the_whole_log_reads_as_lava_runs(void **state)
{
	struct strbuf log = STRBUF_INIT, err = STRBUF_INIT, out = STRBUF_INIT;
	struct lava_log *reader = lava_log_new();
	struct lava_rest *rest;
	struct lava_event ev;
	size_t lines = 0, console = 0;
	int started = 0, done = 0, results = 0;

	(void)state;
	assert_int_equal(strbuf_read_file(&log, "fixtures/lava-rest/job-logs.yaml"), 0);
	start_with_body(200, "application/yaml", log.buf, log.len);
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_logs(rest, 1, 0, &out, &lines, &err), 0);
	assert_int_equal(lines, 478);
	assert_int_equal(out.len, log.len - 2 * 478);
	assert_true(out.buf[0] == '{');
	assert_null(strstr(out.buf, "\n- {"));
	lava_log_feed(reader, out.buf, out.len);
	lava_log_end(reader);
	while (lava_log_next(reader, &ev)) {
		if (ev.kind == LAVA_EVENT_CONSOLE) {
			console++;
			started |= !strcmp(ev.text, "trivial: started");
			done |= !strcmp(ev.text, "trivial: done");
		} else if (ev.kind == LAVA_EVENT_RESULT && !strcmp(ev.result.definition, "oomtest")) {
			/* the monitor makes the name a case name: - becomes _ */
			assert_string_equal(ev.result.case_name, "trivial_init");
			assert_string_equal(ev.result.result, "pass");
			results++;
		}
		lava_event_release(&ev);
	}
	assert_true(console > 100);
	assert_true(started && done);
	assert_int_equal(results, 1);
	assert_int_equal(lava_log_bad_lines(reader), 0);
	assert_int_equal(lava_log_job_end(reader), LAVA_JOB_COMPLETE);
	lava_log_free(reader);
	lava_rest_free(rest);
	strbuf_release(&log);
	strbuf_release(&err);
	strbuf_release(&out);
}

static void test_logs_from_a_line_on_and_past_the_end(void **state)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT, req = STRBUF_INIT;
	struct lava_rest *rest;
	size_t lines = 470;

	(void)state;
	start_with_file("logs-tail.http");
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_logs(rest, 1, 470, &out, &lines, &err), 0);
	assert_int_equal(lines, 478);
	assert_true(!strncmp(out.buf, "{\"dt\": \"2026-12-06T12:17:44.501955\"", 35));
	assert_non_null(strstr(out.buf, "\"case\": \"job\", \"definition\": \"lava\", \"result\": \"pass\"}}\n"));
	seen(&req);
	assert_true(!strncmp(req.buf, "GET /api/v0.2/jobs/1/logs/?start=470 HTTP/1.1\r\n", 47));
	lava_rest_free(rest);
	stop_server();

	/* nothing past line 478: the server says 404, which is no news */
	strbuf_reset(&out);
	start_with_file("logs-end.http");
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_logs(rest, 1, 478, &out, &lines, &err), 0);
	assert_int_equal(lines, 478);
	assert_int_equal(out.len, 0);
	assert_int_equal(err.len, 0);
	lava_rest_free(rest);
	strbuf_release(&err);
	strbuf_release(&out);
	strbuf_release(&req);
}

static void test_cancel_asks_the_jobs_cancel_url(void **state)
{
	struct strbuf err = STRBUF_INIT, req = STRBUF_INIT;
	struct lava_rest *rest;

	(void)state;
	start_with_file("cancel.http");
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_cancel(rest, 1, &err), 0);
	seen(&req);
	assert_true(!strncmp(req.buf, "GET /api/v0.2/jobs/1/cancel/ HTTP/1.1\r\n", 39));
	lava_rest_free(rest);
	strbuf_release(&err);
	strbuf_release(&req);
}

static void test_a_server_that_is_down_is_econnrefused(void **state)
{
	struct strbuf err = STRBUF_INIT, down = STRBUF_INIT;
	struct lava_rest_job job;
	struct lava_rest *rest;
	unsigned long long id = 0;

	(void)state;
	/* a port that was free a moment ago: nothing listens there */
	start_with_body(200, "application/json", "{}", 2);
	strbuf_addbuf(&down, &url);
	stop_server();
	rest = lava_rest_new(down.buf, TOKEN);
	assert_int_equal(lava_rest_submit(rest, "job_name: x\n", &id, &err), -ECONNREFUSED);
	assert_non_null(strstr(err.buf, down.buf));
	strbuf_reset(&err);
	assert_int_equal(lava_rest_status(rest, 1, &job, &err), -ECONNREFUSED);
	assert_int_equal(lava_rest_cancel(rest, 1, &err), -ECONNREFUSED);
	lava_rest_free(rest);
	strbuf_release(&err);
	strbuf_release(&down);
}

static void test_answers_that_are_not_the_apis_are_eproto(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct lava_rest_job job;
	struct lava_rest *rest;
	unsigned long long id = 0;

	(void)state;
	start_with_body(200, "text/html", "<html>a proxy's page</html>", 27);
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_status(rest, 1, &job, &err), -EPROTO);
	assert_non_null(strstr(err.buf, "job 1: an answer that is not the API's"));
	lava_rest_free(rest);
	stop_server();

	strbuf_reset(&err);
	start_with_body(201, "application/json", "{\"job_ids\": []}", 15);
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_submit(rest, "job_name: x\n", &id, &err), -EPROTO);
	assert_non_null(strstr(err.buf, "names no job id"));
	lava_rest_free(rest);
	stop_server();

	strbuf_reset(&err);
	start_with_body(502, "text/html", "Bad Gateway\nmore", 16);
	rest = lava_rest_new(url.buf, TOKEN);
	assert_int_equal(lava_rest_cancel(rest, 3, &err), -EPROTO);
	assert_non_null(strstr(err.buf, "unexpected HTTP status 502: Bad Gateway"));
	assert_null(strstr(err.buf, "more"));
	lava_rest_free(rest);
	strbuf_release(&err);
}

/* 40000 lines of 100 bytes: no buffer bounds the log. */
static void test_a_large_log_comes_whole(void **state)
{
	struct strbuf body = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	struct lava_rest *rest;
	size_t lines = 0, i;

	(void)state;
	for (i = 0; i < 40000; i++)
		strbuf_addf(&body, "- {\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"line %06zu%*s\"}\n", i, 50, "");
	start_with_body(200, "application/yaml", body.buf, body.len);
	rest = lava_rest_new(url.buf, NULL);
	assert_int_equal(lava_rest_logs(rest, 9, 0, &out, &lines, &err), 0);
	assert_int_equal(lines, 40000);
	assert_int_equal(out.len, body.len - 2 * 40000);
	assert_non_null(strstr(out.buf, "line 039999"));
	lava_rest_free(rest);
	strbuf_release(&body);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_job_url_is_the_servers_page(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct lava_rest *a = lava_rest_new("https://lava.example.org", "t");
	struct lava_rest *b = lava_rest_new("http://127.0.0.1:8000/lava/", NULL);

	(void)state;
	lava_rest_job_url(a, 7, &out);
	assert_string_equal(out.buf, "https://lava.example.org/scheduler/job/7");
	strbuf_reset(&out);
	lava_rest_job_url(b, 12345, &out);
	assert_string_equal(out.buf, "http://127.0.0.1:8000/lava/scheduler/job/12345");
	lava_rest_free(a);
	lava_rest_free(b);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_submit_sends_the_definition_and_returns_the_id, after_each),
		cmocka_unit_test_teardown(test_a_bad_token_is_eacces_with_the_servers_word, after_each),
		cmocka_unit_test_teardown(test_a_refused_job_gives_lavas_message_verbatim, after_each),
		cmocka_unit_test_teardown(test_status_reads_state_health_and_device, after_each),
		cmocka_unit_test_teardown(test_no_such_job_is_enoent, after_each),
		cmocka_unit_test_teardown(test_the_whole_log_reads_as_lava_runs, after_each),
		cmocka_unit_test_teardown(test_logs_from_a_line_on_and_past_the_end, after_each),
		cmocka_unit_test_teardown(test_cancel_asks_the_jobs_cancel_url, after_each),
		cmocka_unit_test_teardown(test_a_server_that_is_down_is_econnrefused, after_each),
		cmocka_unit_test_teardown(test_answers_that_are_not_the_apis_are_eproto, after_each),
		cmocka_unit_test_teardown(test_a_large_log_comes_whole, after_each),
		cmocka_unit_test(test_job_url_is_the_servers_page),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
