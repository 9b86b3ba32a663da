/* backend_lava_server: each guest is a job on a LAVA server, through its
 * REST API (lava/lava_rest.h). start() writes the run's job (lava/lava_job.h:
 * the target's kernel and the run's baked initramfs, as file:// URLs that
 * a worker on this host reads, or copied into the directory the user
 * serves over HTTP and named under its base URL), keeps it in the run
 * directory (lava-job.yaml, and the job's page in lava-job.url), submits
 * it, and a thread polls the job: its log from the last line read on,
 * through lava/lava_log.h, whose console lines go to the runner through a
 * socketpair, until the log holds the job's result (the last line LAVA
 * writes) or the job is Finished, whichever the poller sees first: the
 * server can mark a job Finished a minute after its log ended. LAVA gives
 * a guest one serial line, so runs are single-console ones: agent_fd is
 * -1. kill cancels the job (LAVA stops QEMU) and waits for LAVA to say it
 * ended, handing on meanwhile only the console lines that fit into the
 * runner's stream (the runner reads it after kill).
 * backend_lava_server_set() takes --lava-url, --lava-token,
 * --lava-artifacts-url and --lava-artifacts-dir. */
#include "backend/backend.h"
#include "lava/lava_feed.h"
#include "lava/lava_job.h"
#include "lava/lava_log.h"
#include "lava/lava_rest.h"
#include "lava/lava_spec.h"
#include "lib/clock.h"
#include "lib/fs.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Between two looks at the job. */
#define POLL_MS 1000
/* REST failures in a row after which the server counts as gone. */
#define MAX_FAILURES 30
/* After a cancel, how long LAVA may take to end the job. */
#define CANCEL_WAIT_MS 60000
/* The job's timeouts: the runner keeps its own clock and cancels sooner. */
#define DEPLOY_S 300
#define BOOT_S 600
#define TEST_S 3600

static const char *server_url, *server_token, *artifacts_url, *artifacts_dir;

void backend_lava_server_set(const char *url, const char *token, const char *art_url, const char *art_dir)
{
	server_url = url;
	server_token = token;
	artifacts_url = art_url;
	artifacts_dir = art_dir;
}

struct vm {
	struct lava_rest *rest;     /* the poller's */
	struct lava_rest *ctl;      /* kill's */
	unsigned long long id;
	struct strbuf page;         /* the job's URL for people */
	int con[2];                 /* [0]: the runner's console stream; [1]: the poller's (feed.fd) */
	pthread_t poller;
	int poller_started;
	atomic_int stop, finished, lost;
	atomic_int killing;         /* kill waits for the job's end: the runner reads no console meanwhile */
	atomic_int running;         /* the server said Running (or later) once */
	pthread_mutex_t mu;         /* guards health, state_err and log after the poller's end */
	char *health;
	struct strbuf state_err;    /* the last REST error */
	struct lava_log *log;
	struct lava_feed feed;      /* the console lines on to con[1], LAVA's first error */
	char *copies[2];            /* files put in artifacts_dir */
};

/* The feed drops what it has not handed on once the vm is stopped, and
 * while kill waits for the job's end what does not fit into the runner's
 * stream: the runner reads it again only after kill, and the poller must
 * go on to see the job end. */
static bool stopped(void *arg)
{
	struct vm *vm = arg;
	struct pollfd room = { vm->con[1], POLLOUT, 0 };

	if (atomic_load(&vm->stop))
		return true;
	return atomic_load(&vm->killing) && poll(&room, 1, 0) == 0;
}

static void sleep_unless_stopped(struct vm *vm, int ms)
{
	for (; ms > 0 && !atomic_load(&vm->stop); ms -= 50)
		usleep(50 * 1000);
}

static void *poller_main(void *arg)
{
	struct vm *vm = arg;
	struct strbuf chunk = STRBUF_INIT, err = STRBUF_INIT;
	size_t lines = 0;
	int failures = 0, last_round = 0;

	while (!atomic_load(&vm->stop)) {
		struct lava_rest_job job;
		int r;

		strbuf_reset(&err);
		strbuf_reset(&chunk);
		r = lava_rest_logs(vm->rest, vm->id, lines, &chunk, &lines, &err);
		if (!r && chunk.len) {
			lava_log_feed(vm->log, chunk.buf, chunk.len);
			lava_feed_take(&vm->feed, vm->log);
		}
		if (last_round || lava_log_job_end(vm->log) != LAVA_JOB_UNFINISHED)
			break;
		if (!r)
			r = lava_rest_status(vm->rest, vm->id, &job, &err);
		if (r) {
			pthread_mutex_lock(&vm->mu);
			strbuf_reset(&vm->state_err);
			strbuf_addbuf(&vm->state_err, &err);
			pthread_mutex_unlock(&vm->mu);
			if (++failures >= MAX_FAILURES) {
				atomic_store(&vm->lost, 1);
				break;
			}
		} else {
			failures = 0;
			pthread_mutex_lock(&vm->mu);
			free(vm->health);
			vm->health = xstrdup(job.health);
			pthread_mutex_unlock(&vm->mu);
			if (!lava_rest_job_queued(&job))
				atomic_store(&vm->running, 1);
			/* the log is complete once the job is Finished: one more read */
			last_round = lava_rest_job_finished(&job);
			lava_rest_job_release(&job);
			if (last_round)
				continue;
		}
		sleep_unless_stopped(vm, POLL_MS);
	}
	lava_feed_end(&vm->feed, vm->log);
	strbuf_release(&chunk);
	strbuf_release(&err);
	atomic_store(&vm->finished, 1);
	return NULL;
}

/* path put into artifacts_dir (a hard link, else a copy) under a name of
 * its own; its URL under artifacts_url into url. */
static int publish(struct vm *vm, int slot, const char *path, const char *what, struct strbuf *url,
		   struct strbuf *err)
{
	struct strbuf name = STRBUF_INIT, dest = STRBUF_INIT, data = STRBUF_INIT;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int r = 0;

	if (!artifacts_url)
		return lava_job_file_url(path, url, err);
	if (!artifacts_dir) {
		strbuf_addstr(err, "--lava-artifacts-url needs --lava-artifacts-dir: the directory served there");
		return -1;
	}
	strbuf_addf(&name, "oomtest-%d-%llu-%s-%s", (int)getpid(), (unsigned long long)clock_now_ms(), what, base);
	strbuf_addf(&dest, "%s/%s", artifacts_dir, name.buf);
	if (link(path, dest.buf)) {
		if (strbuf_read_file(&data, path) || fs_write_atomic(dest.buf, data.buf, data.len)) {
			strbuf_addf(err, "cannot put %s into %s: %s", path, artifacts_dir, strerror(errno));
			r = -1;
		}
	}
	if (!r) {
		vm->copies[slot] = strbuf_detach(&dest);
		strbuf_addf(url, "%s%s%s", artifacts_url,
			    artifacts_url[strlen(artifacts_url) - 1] == '/' ? "" : "/", name.buf);
	}
	strbuf_release(&name);
	strbuf_release(&dest);
	strbuf_release(&data);
	return r;
}

/* The job of lava/lava_spec.h, with the server's own timeouts (the
 * runner's clock ends the run sooner; a job may wait for its download).
 * Disks are attached by path, so only for a worker on this host: one that
 * reads the kernel from a file:// URL. */
static int write_job(struct vm *vm, const struct vm_config *cfg, struct strbuf *yaml, struct strbuf *err)
{
	struct strbuf kernel = STRBUF_INIT, initrd = STRBUF_INIT, name = STRBUF_INIT;
	struct lava_spec spec;
	int r = -1;

	if (artifacts_url && (cfg->payload || cfg->swap_disk || cfg->data_disk)) {
		strbuf_addstr(err, "the run needs a disk (payload, swap or data), which only a worker on this host can "
				   "attach (without --lava-artifacts-url)");
		goto out;
	}
	if (publish(vm, 0, cfg->target->kernel, "kernel", &kernel, err) ||
	    publish(vm, 1, cfg->initrd, "initrd", &initrd, err))
		goto out;
	lava_spec_job_name(cfg->run_dir, &name);
	if (lava_spec_init(&spec, cfg, name.buf, kernel.buf, initrd.buf, false, !artifacts_url, err))
		goto out;
	spec.job.deploy_timeout_s = DEPLOY_S;
	spec.job.boot_timeout_s = BOOT_S;
	spec.job.test_timeout_s = TEST_S;
	spec.job.job_timeout_s = DEPLOY_S + BOOT_S + TEST_S + 60;
	r = lava_job_write(&spec.job, yaml, err);
	lava_spec_release(&spec);
out:
	strbuf_release(&kernel);
	strbuf_release(&initrd);
	strbuf_release(&name);
	return r;
}

static void lava_destroy(struct vm *vm);

static int lava_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	struct vm *vm = xcalloc(1, sizeof(*vm));
	struct strbuf yaml = STRBUF_INIT, path = STRBUF_INIT;
	int r;

	vm->con[0] = vm->con[1] = -1;
	pthread_mutex_init(&vm->mu, NULL);
	strbuf_init(&vm->page);
	strbuf_init(&vm->state_err);
	lava_feed_init(&vm->feed, stopped, vm);
	*out = NULL;
	if (!server_url) {
		strbuf_addstr(err, "--backend lava needs --lava-url");
		goto fail;
	}
	if (!cfg->single_console) {
		strbuf_addstr(err, "--backend lava runs single-console runs only: LAVA gives a guest one serial line");
		goto fail;
	}
	if (write_job(vm, cfg, &yaml, err))
		goto fail;
	strbuf_addf(&path, "%s/lava-job.yaml", cfg->run_dir);
	fs_write_atomic(path.buf, yaml.buf, yaml.len);
	vm->rest = lava_rest_new(server_url, server_token);
	vm->ctl = lava_rest_new(server_url, server_token);
	r = lava_rest_submit(vm->rest, yaml.buf, &vm->id, err);
	if (r)
		goto fail;
	lava_rest_job_url(vm->rest, vm->id, &vm->page);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/lava-job.url", cfg->run_dir);
	strbuf_addch(&vm->page, '\n');
	fs_write_atomic(path.buf, vm->page.buf, vm->page.len);
	strbuf_rtrim(&vm->page);
	vm->log = lava_log_new();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, vm->con)) {
		strbuf_addf(err, "socketpair: %s", strerror(errno));
		lava_rest_cancel(vm->ctl, vm->id, err);
		goto fail;
	}
	vm->feed.fd = vm->con[1];
	if (pthread_create(&vm->poller, NULL, poller_main, vm)) {
		strbuf_addstr(err, "cannot start the thread that follows the LAVA job");
		lava_rest_cancel(vm->ctl, vm->id, err);
		goto fail;
	}
	vm->poller_started = 1;
	strbuf_release(&yaml);
	strbuf_release(&path);
	*out = vm;
	return 0;
fail:
	strbuf_release(&yaml);
	strbuf_release(&path);
	lava_destroy(vm);
	return -1;
}

static int lava_console_fd(struct vm *vm)
{
	return vm->con[0];
}

static int lava_agent_fd(struct vm *vm)
{
	(void)vm;
	return -1;
}

static int lava_wait(struct vm *vm, int timeout_ms)
{
	unsigned long long until = clock_now_ms() + (unsigned long long)(timeout_ms > 0 ? timeout_ms : 0);

	while (!atomic_load(&vm->finished)) {
		if (clock_now_ms() >= until)
			return 0;
		usleep(20 * 1000);
	}
	return 1;
}

static void lava_kill(struct vm *vm)
{
	struct strbuf err = STRBUF_INIT;

	atomic_store(&vm->killing, 1);
	if (!atomic_load(&vm->finished) && lava_rest_cancel(vm->ctl, vm->id, &err) == 0)
		lava_wait(vm, CANCEL_WAIT_MS);
	atomic_store(&vm->stop, 1);
	strbuf_release(&err);
}

static void join_poller(struct vm *vm)
{
	if (vm->poller_started) {
		pthread_join(vm->poller, NULL);
		vm->poller_started = 0;
	}
}

/* The server's word on the job's health, unless it has not given one yet
 * (Unknown while the job runs) and the log already holds the result. */
static const char *health_name(const char *health, enum lava_job_end end)
{
	if (end != LAVA_JOB_UNFINISHED && (!health || !strcmp(health, "Unknown")))
		return end == LAVA_JOB_COMPLETE ? "Complete" : end == LAVA_JOB_CANCELED ? "Canceled" : "Incomplete";
	return health ? health : "state unknown";
}

static void lava_describe_exit(struct vm *vm, struct strbuf *out)
{
	enum lava_job_end end;

	join_poller(vm);
	end = lava_log_job_end(vm->log);
	strbuf_addf(out, "LAVA job %s: %s", vm->page.buf, health_name(vm->health, end));
	if (atomic_load(&vm->lost))
		strbuf_addf(out, " (the server stopped answering: %s)", vm->state_err.buf);
	if (end == LAVA_JOB_INCOMPLETE || end == LAVA_JOB_CANCELED)
		strbuf_addf(out, ": %s: %s", lava_log_error_type(vm->log), lava_log_error_msg(vm->log));
	else if (vm->feed.first_error.len)
		strbuf_addf(out, ": %s", vm->feed.first_error.buf);
}

static double lava_cpu_seconds(struct vm *vm)
{
	(void)vm;
	return 0;
}

static int lava_host_lost(struct vm *vm)
{
	return atomic_load(&vm->lost);
}

static int lava_guest_panicked(struct vm *vm)
{
	(void)vm;
	return 0;
}

static void lava_destroy(struct vm *vm)
{
	if (!vm)
		return;
	atomic_store(&vm->stop, 1);
	join_poller(vm);
	for (int i = 0; i < 2; i++) {
		if (vm->con[i] >= 0)
			close(vm->con[i]);
		if (vm->copies[i])
			unlink(vm->copies[i]);
		free(vm->copies[i]);
	}
	lava_rest_free(vm->rest);
	lava_rest_free(vm->ctl);
	lava_log_free(vm->log);
	free(vm->health);
	strbuf_release(&vm->page);
	strbuf_release(&vm->state_err);
	lava_feed_release(&vm->feed);
	pthread_mutex_destroy(&vm->mu);
	free(vm);
}

static void lava_setup(const struct vm_config *probe, const char *state_dir)
{
	(void)probe;
	(void)state_dir;
}

static const char *lava_accel(void)
{
	return "lava";
}

/* Queued jobs wait for a device: the case's time starts when LAVA runs it. */
static int lava_not_started(struct vm *vm)
{
	return !atomic_load(&vm->running) && !atomic_load(&vm->finished);
}

const struct backend_ops backend_lava_server = {
	.name = "lava",
	.setup = lava_setup,
	.accel = lava_accel,
	.start = lava_start,
	.console_fd = lava_console_fd,
	.agent_fd = lava_agent_fd,
	.wait = lava_wait,
	.kill = lava_kill,
	.describe_exit = lava_describe_exit,
	.save = NULL,
	.cpu_seconds = lava_cpu_seconds,
	.host_lost = lava_host_lost,
	.guest_panicked = lava_guest_panicked,
	.destroy = lava_destroy,
	.not_started = lava_not_started,
};
