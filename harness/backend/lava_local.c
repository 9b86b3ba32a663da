/* backend_lava_local: each guest is a LAVA job that this host's dispatcher,
 * lava-run, runs (lava/lava_run.h): the job for the run's vm_config
 * (lava/lava_spec.h) and its device and dispatcher files are written to
 * the run directory, lava-run's log goes there too (lava.log, and its
 * output/result.yaml), and a thread reads that log as it grows
 * (lava/lava_log.h) and hands the guest's console lines, as LAVA saw
 * them, to the runner through a socketpair. LAVA gives a guest one serial
 * line, so runs are single-console ones (run/runner.h): agent_fd is -1.
 * The guest has ended when lava-run has; kill is a SIGTERM that LAVA turns
 * into a canceled job (stopping QEMU), and how it ended is LAVA's job
 * result with its error type and message verbatim. */
#include "backend/backend.h"
#include "lava/lava_feed.h"
#include "lava/lava_log.h"
#include "lava/lava_run.h"
#include "lava/lava_spec.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/fs.h"
#include "target/arch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* After kill, how long the reader may still take to bring the rest of
 * LAVA's log through (lava-run has ended by then). */
#define DRAIN_MS 3000

struct vm {
	struct lava_run run;
	int con[2];                /* [0]: the runner's console stream; [1]: the reader's (feed.fd) */
	int out_rd;                /* lava-run's stdout and stderr */
	int log_fd;                /* lava.log */
	pthread_t reader;
	int reader_started;
	atomic_ullong give_up_at;  /* clock_now_ms() after which the reader stops: 0 none */
	struct lava_log *log;      /* the reader's until it was joined */
	struct lava_feed feed;     /* the console lines on to con[1], LAVA's first error (likewise) */
	int ended;                 /* lava-run reaped, the reader joined */
	int exit_status;           /* lava_run_finish's */
	struct strbuf finish_err;
};

static const char *program = "lava-run";

void backend_lava_local_set_program(const char *p)
{
	program = p;
}

int backend_lava_local_usable(unsigned euid, struct strbuf *err)
{
	char *found = strchr(program, '/') ? (access(program, X_OK) ? NULL : xstrdup(program))
					   : child_find_program(program);
	int r = 0;

	if (!found) {
		strbuf_addf(err, "--backend lava-local runs LAVA's dispatcher, %s, which is not installed "
				 "(apt-get install lava-dispatcher)", program);
		r = -1;
	} else if (euid != 0) {
		strbuf_addf(err, "--backend lava-local runs LAVA's dispatcher, %s, which needs root: "
				 "run oomtest as root", program);
		r = -1;
	}
	free(found);
	return r;
}

static int past(unsigned long long at)
{
	return at && clock_now_ms() > at;
}

/* The feed drops what it has not handed on once kill's deadline passed. */
static bool reader_gives_up(void *arg)
{
	struct vm *vm = arg;

	return past(atomic_load(&vm->give_up_at));
}

/* Reads lava-run's output to its end: into lava.log, through the log
 * reader, the console lines on to the runner. Then the runner's stream
 * ends. */
static void *reader_main(void *arg)
{
	struct vm *vm = arg;
	char buf[65536];

	for (;;) {
		struct pollfd pfd = { vm->out_rd, POLLIN, 0 };
		ssize_t n;

		if (past(atomic_load(&vm->give_up_at)))
			break;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(vm->out_rd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		if (vm->log_fd >= 0 && fs_write_all(vm->log_fd, buf, (size_t)n)) {
			close(vm->log_fd);
			vm->log_fd = -1;
		}
		lava_log_feed(vm->log, buf, (size_t)n);
		lava_feed_take(&vm->feed, vm->log);
	}
	lava_feed_end(&vm->feed, vm->log);
	return NULL;
}

static int file_url(const char *path, struct strbuf *url, struct strbuf *err)
{
	char *abs = realpath(path, NULL);
	int r;

	if (!abs) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = lava_job_file_url(abs, url, err);
	free(abs);
	return r;
}

static int use_kvm(const struct vm_config *cfg)
{
	return !strcmp(backend_qemu.accel(), "kvm") &&
	       arch_is_native(arch_of(cfg->target->arch), arch_host_machine());
}

/* The job's files in the run directory. */
static int prepare_job(struct vm *vm, const struct vm_config *cfg, struct strbuf *err)
{
	struct strbuf name = STRBUF_INIT, kernel = STRBUF_INIT, initrd = STRBUF_INIT;
	struct lava_spec spec;
	int r = -1;

	lava_spec_job_name(cfg->run_dir, &name);
	if (file_url(cfg->target->kernel, &kernel, err) || file_url(cfg->initrd, &initrd, err))
		goto out;
	if (lava_spec_init(&spec, cfg, name.buf, kernel.buf, initrd.buf, use_kvm(cfg), true, err))
		goto out;
	r = lava_run_prepare(&vm->run, cfg->run_dir, &spec.job, NULL, err);
	vm->run.program = program;
	lava_spec_release(&spec);
out:
	strbuf_release(&name);
	strbuf_release(&kernel);
	strbuf_release(&initrd);
	return r;
}

static void lava_destroy(struct vm *vm);

static int lava_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	struct vm *vm = xcalloc(1, sizeof(*vm));
	int out_pipe[2] = { -1, -1 }, sndbuf = 4 << 20;

	vm->con[0] = vm->con[1] = vm->out_rd = vm->log_fd = -1;
	lava_feed_init(&vm->feed, reader_gives_up, vm);
	strbuf_init(&vm->finish_err);
	if (!cfg->single_console) {
		strbuf_addstr(err, "lava-local runs single-console guests only");
		goto fail;
	}
	if (prepare_job(vm, cfg, err))
		goto fail;
	if (pipe2(out_pipe, O_CLOEXEC) || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, vm->con)) {
		strbuf_addf(err, "lava-local: %s", strerror(errno));
		goto fail;
	}
	vm->out_rd = out_pipe[0];
	vm->feed.fd = vm->con[1];
	fcntl(vm->con[0], F_SETFL, O_NONBLOCK);
	/* room for what LAVA still logs while the runner is busy ending the run */
	if (setsockopt(vm->con[1], SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(vm->con[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	vm->log_fd = open(vm->run.log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (vm->log_fd < 0) {
		strbuf_addf(err, "%s: %s", vm->run.log, strerror(errno));
		goto fail;
	}
	vm->log = lava_log_new();
	if (lava_run_start(&vm->run, false, out_pipe[1], err))
		goto fail;
	close(out_pipe[1]);
	out_pipe[1] = -1;
	if (pthread_create(&vm->reader, NULL, reader_main, vm)) {
		strbuf_addstr(err, "lava-local: cannot start the log reader");
		lava_run_cancel(&vm->run, LAVA_RUN_CANCEL_GRACE_MS);
		lava_run_clean_scratch(&vm->run);
		goto fail;
	}
	vm->reader_started = 1;
	*out = vm;
	return 0;
fail:
	if (out_pipe[1] >= 0)
		close(out_pipe[1]);
	lava_destroy(vm);
	return -1;
}

static int lava_console_fd(struct vm *vm) { return vm->con[0]; }
static int lava_agent_fd(struct vm *vm) { (void)vm; return -1; }

static int lava_wait(struct vm *vm, int timeout_ms)
{
	return vm->ended || child_wait(&vm->run.child, timeout_ms);
}

/* lava-run ended (or is made to): the reader brings the rest of the log
 * through, the scratch dir goes. */
static void lava_kill(struct vm *vm)
{
	if (vm->ended)
		return;
	if (!child_wait(&vm->run.child, 0))
		lava_run_cancel(&vm->run, LAVA_RUN_CANCEL_GRACE_MS);
	if (vm->reader_started) {
		atomic_store(&vm->give_up_at, clock_now_ms() + DRAIN_MS);
		pthread_join(vm->reader, NULL);
		vm->reader_started = 0;
	}
	vm->exit_status = lava_run_finish(&vm->run, &vm->finish_err);
	vm->ended = 1;
}

/* LAVA's words as one line (a run's reason is one): its newlines are
 * spaces, the last one gone. */
static void add_one_line(struct strbuf *out, const char *s)
{
	size_t len = strlen(s);

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i < len; i++)
		strbuf_addch(out, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
}

static void lava_describe_exit(struct vm *vm, struct strbuf *out)
{
	enum lava_job_end end;

	if (!vm->ended || !vm->log) {
		strbuf_addstr(out, "running");
		return;
	}
	if (vm->exit_status < 0)
		strbuf_addstr(out, vm->finish_err.buf);
	else
		strbuf_addf(out, "lava-run exit %d", vm->exit_status);
	end = lava_log_job_end(vm->log);
	strbuf_addf(out, ": LAVA job %s", lava_job_end_name(end));
	if (lava_log_error_type(vm->log)) {
		strbuf_addf(out, ", %s error: ", lava_log_error_type(vm->log));
		add_one_line(out, lava_log_error_msg(vm->log) ? lava_log_error_msg(vm->log) : "");
	} else if (end == LAVA_JOB_UNFINISHED && vm->feed.first_error.len)
		strbuf_addf(out, ", %s", vm->feed.first_error.buf);
	strbuf_addf(out, " (see %s)", vm->run.log);
}

static double lava_cpu_seconds(struct vm *vm)
{
	return vm->run.child.cpu_seconds;
}

static void lava_destroy(struct vm *vm)
{
	if (!vm)
		return;
	if (vm->run.child.pid || vm->reader_started) {
		/* the runner stops reading first: the reader must not wait on it */
		if (vm->con[0] >= 0)
			shutdown(vm->con[0], SHUT_RD);
		lava_feed_runner_gone(&vm->feed);
		lava_kill(vm);
	}
	if (vm->con[0] >= 0)
		close(vm->con[0]);
	if (vm->con[1] >= 0)
		close(vm->con[1]);
	if (vm->out_rd >= 0)
		close(vm->out_rd);
	if (vm->log_fd >= 0)
		close(vm->log_fd);
	if (vm->log)
		lava_log_free(vm->log);
	lava_run_release(&vm->run);
	lava_feed_release(&vm->feed);
	strbuf_release(&vm->finish_err);
	free(vm);
}

static void lava_setup(const struct vm_config *probe, const char *state_dir)
{
	/* KVM or not is decided as for QEMU run directly */
	backend_qemu.setup(probe, state_dir);
}

static const char *lava_accel(void)
{
	return backend_qemu.accel();
}

const struct backend_ops backend_lava_local = {
	.name = "lava-local",
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
	.destroy = lava_destroy,
};
