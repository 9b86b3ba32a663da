/* runner: drives one guest from plan to verdict. */
#include "run/runner.h"
#include "klog/klog.h"
#include "case/plan.h"
#include "run/bake.h"
#include "run/deframe.h"
#include "run/record.h"
#include "run/run_files.h"
#include "lib/clock.h"
#include "lib/fs.h"
#include "run/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What is kept of the console in memory for `console ~ re`. */
/* What a log file on disk may take per run unless --log-limit says: a
 * guest printing without end must not fill the disk. Past this the stream
 * is still read and parsed. */
#define LOG_FILE_MAX (64ull << 20)
/* A line longer than this is dropped whole and counted: an endless line must
 * not grow without bound, and a record cut short is no record. */
#define LINE_MAX_BYTES (1u << 20)

volatile sig_atomic_t runner_interrupted;

static double cpu_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

struct stream {
	int fd;
	int eof;
	int log_fd;
	unsigned long long logged; /* bytes written to log_fd */
	unsigned long long limit;  /* what log_fd may take */
	int capped;
	struct strbuf line;        /* the agent's partial line (the console goes to klog whole) */
	int dropping;              /* inside a line past LINE_MAX_BYTES: skip to its newline */
	unsigned long long dropped; /* bytes of such lines, newlines included */
};

struct run_ctx {
	const struct run_request *rq;
	struct run_result *res;
	struct vm *vm;
	struct klog *klog;
	struct record_state rec;
	struct strbuf console;     /* first RUN_CONSOLE_KEEP bytes */
	struct strbuf plan;
	int plan_sent;
	int plan_error;            /* errno of a failed plan write; 0: none */
	int agent_spoke;            /* a record other than a sample since the last look */
	double t0, t_ready;
	struct stream con, agent;
	int single;                /* one console: the records come framed in it */
	struct deframe deframe;
	int console_spoke;         /* kernel console text since the last look */
};

static void log_write(struct run_ctx *x, struct stream *s, const char *p, size_t n)
{
	if (s->log_fd < 0)
		return;
	int r = fs_write_all(s->log_fd, p, n);

	if (r) {
		run_files_write_failed(x->rq->run_dir, s == &x->con ? "console.log" : "agent.log", r);
		close(s->log_fd);
		s->log_fd = -1;
	}
}

/* The agent's periodic samples (a step's VmRSS, the system's memory, a
 * cgroup's usage) say that it lives, not that the guest does anything. */
int runner_is_sample(const char *l, size_t len)
{
	static const char *const kinds[] = { "mem ", "sys ", "cgmem " };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i]);
		if (len >= n && !memcmp(l, kinds[i], n))
			return 1;
	}
	return 0;
}

static void agent_line(struct run_ctx *x, const char *l, size_t len)
{
	int was_ready = x->rec.ready;

	if (!runner_is_sample(l, len))
		x->agent_spoke = 1;
	record_apply(&x->rec, &x->res->facts, l, len);
	if (!was_ready && x->rec.ready) {
		x->t_ready = clock_now_s();
		facts_setf(&x->res->facts, "boot.seconds", "%.2f", x->t_ready - x->t0);
		if (!x->plan_sent && !x->single) {
			x->plan_error = -fs_write_all(x->agent.fd, x->plan.buf, x->plan.len);
			x->plan_sent = 1;
		}
	}
}

/* Hands on each complete line in s->line, keeping the rest. */
static void each_line(struct run_ctx *x, struct stream *s)
{
	size_t start = 0;
	char *nl;

	while ((nl = memchr(s->line.buf + start, '\n', s->line.len - start))) {
		size_t len = (size_t)(nl - (s->line.buf + start));
		const char *l = s->line.buf + start;
		if (len > LINE_MAX_BYTES) {
			s->dropped += len + 1;
		} else {
			if (len && l[len - 1] == '\r')
				len--;
			agent_line(x, l, len);
		}
		start += (size_t)(nl - (s->line.buf + start)) + 1;
	}
	memmove(s->line.buf, s->line.buf + start, s->line.len - start);
	s->line.len -= start;
	if (s->line.len > LINE_MAX_BYTES) {
		s->dropped += s->line.len;
		s->line.len = 0;
		s->dropping = 1;
	}
	s->line.buf[s->line.len] = '\0';
}

/* Adds what came to the partial line and hands on the complete lines; the
 * rest of a line already dropped is skipped up to its newline. */
static void add_lines(struct run_ctx *x, struct stream *s, const char *buf, size_t n)
{
	if (s->dropping) {
		const char *nl = memchr(buf, '\n', n);
		size_t skip = nl ? (size_t)(nl - buf) + 1 : n;

		s->dropped += skip;
		s->dropping = !nl;
		buf += skip;
		n -= skip;
	}
	strbuf_add(&s->line, buf, n);
	each_line(x, s);
}

/* What a stream said: logged (up to its limit); the console parsed, the
 * agent's records read line by line. */
static void feed(struct run_ctx *x, struct stream *s, int is_console, const char *buf, size_t n)
{
	if (s->logged < s->limit) {
		size_t keep = (unsigned long long)n < s->limit - s->logged
				      ? (size_t)n : (size_t)(s->limit - s->logged);
		log_write(x, s, buf, keep);
		s->logged += keep;
	}
	if (s->logged >= s->limit && !s->capped) {
		char mark[128];
		int len = snprintf(mark, sizeof(mark),
				   "\n[oomtest: log capped at %llu bytes (--log-limit); the rest was read, not kept]\n",
				   s->limit);
		log_write(x, s, mark, (size_t)len);
		s->capped = 1;
	}
	if (is_console) {
		klog_feed(x->klog, buf, (size_t)n);
		if (x->console.len < RUN_CONSOLE_KEEP)
			strbuf_add(&x->console, buf,
				   (size_t)n < RUN_CONSOLE_KEEP - x->console.len ? (size_t)n
									      : RUN_CONSOLE_KEEP - x->console.len);
	}
	else
		add_lines(x, s, buf, n);
}

/* The console with the agent's frames taken out (single console). */
static void console_from_deframe(void *ctx, const char *p, size_t n)
{
	struct run_ctx *x = ctx;

	x->console_spoke = 1;
	feed(x, &x->con, 1, p, n);
}

static void record_from_deframe(void *ctx, const char *line, size_t n)
{
	struct run_ctx *x = ctx;

	feed(x, &x->agent, 0, line, n);
	feed(x, &x->agent, 0, "\n", 1);
}

/* Reads what is there; returns 1 if anything was read. */
static int pump(struct run_ctx *x, struct stream *s, int is_console)
{
	char buf[65536];
	int any = 0;

	while (!s->eof) {
		ssize_t n = read(s->fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				s->eof = 1;
			break;
		}
		if (n == 0) {
			s->eof = 1;
			break;
		}
		any = 1;
		if (is_console && x->single)
			deframe_feed(&x->deframe, buf, (size_t)n);
		else
			feed(x, s, is_console, buf, (size_t)n);
	}
	return any;
}

/* The guest has ended, but what it wrote last may still be on its way: a
 * libvirt console stream reaches its socket through a thread, after the
 * domain's stop event. Both streams are read to their end (the backend
 * closes them once the guest's output is through), for at most
 * DRAIN_SECONDS. */
#define DRAIN_SECONDS 3.0
static void drain_after_end(struct run_ctx *x)
{
	double until = clock_now_s() + DRAIN_SECONDS;

	while ((!x->con.eof || !x->agent.eof) && clock_now_s() < until) {
		struct pollfd pfd[2];
		int n = 0;

		if (!x->con.eof)
			pfd[n++] = (struct pollfd){ x->con.fd, POLLIN, 0 };
		if (!x->agent.eof)
			pfd[n++] = (struct pollfd){ x->agent.fd, POLLIN, 0 };
		poll(pfd, (nfds_t)n, 50);
		pump(x, &x->con, 1);
		pump(x, &x->agent, 0);
	}
}

/* Whether the guest said anything since the last look that shows it
 * does something: console text, or an agent record that is no sample. */
static int spoke(struct run_ctx *x)
{
	int con_read = pump(x, &x->con, 1), agent_read = pump(x, &x->agent, 0);
	int r = x->single ? x->console_spoke || x->agent_spoke : con_read || (agent_read && x->agent_spoke);

	if (r)
		x->agent_spoke = x->console_spoke = 0;
	return r;
}

int runner_plan(const struct oomcase *c, int payload, int swap, int disk, struct strbuf *plan,
		struct strbuf *err)
{
	/* the payload is unpacked before anything else the plan does */
	if (payload)
		strbuf_addstr(plan, "payload\n");
	/* swap on and the filesystem mounted before the case's own lines */
	if (swap)
		strbuf_addstr(plan, "swap\n");
	if (disk)
		strbuf_addstr(plan, "disk\n");
	return plan_build(c, plan, err);
}

int runner_bake(const char *dir, const char *base_initrd, struct strbuf *plan,
		unsigned char key[SIPHASH_KEY_BYTES], const char *initrd, struct strbuf *err)
{
	struct strbuf keyed = STRBUF_INIT, plan_path = STRBUF_INIT;
	int r = -1, w;

	if (bake_new_key(key, err))
		goto out;
	bake_key_line(&keyed, key);
	strbuf_addbuf(&keyed, plan);
	strbuf_reset(plan);
	strbuf_addbuf(plan, &keyed);
	strbuf_addf(&plan_path, "%s/plan.txt", dir);
	if ((w = fs_write_atomic(plan_path.buf, plan->buf, plan->len))) {
		strbuf_addf(err, "%s: %s", plan_path.buf, strerror(-w));
		goto out;
	}
	if (bake_initrd(base_initrd, plan_path.buf, initrd, err))
		goto out;
	r = 0;
out:
	strbuf_release(&keyed);
	strbuf_release(&plan_path);
	return r;
}

/* A single-console run's plan baked into a copy of the target's initrd
 * (path in initrd), its frames read with the plan's key. 0, or -1 with err. */
static int bake_plan(struct run_ctx *x, struct strbuf *initrd, struct strbuf *err)
{
	unsigned char key[SIPHASH_KEY_BYTES];
	const struct deframe_sink sink = { console_from_deframe, record_from_deframe, x };

	strbuf_addf(initrd, "%s/initrd.cpio", x->rq->run_dir);
	if (runner_bake(x->rq->run_dir, x->rq->initrd, &x->plan, key, initrd->buf, err))
		return -1;
	deframe_init(&x->deframe, key, &sink);
	x->plan_sent = 1;
	return 0;
}

/* What went wrong with the frames is an agent error: the records cannot be
 * trusted whole. */
static void deframe_done(struct run_ctx *x)
{
	deframe_end(&x->deframe);
	for (const char *l = x->deframe.errors.buf; *l; l += strcspn(l, "\n") + 1)
		strbuf_addf(&x->rec.errors, "single console: %.*s\n", (int)strcspn(l, "\n"), l);
	if (x->deframe.problems > DEFRAME_ERRORS_KEPT)
		strbuf_addf(&x->rec.errors, "single console: %llu more problems with the agent's frames\n",
			    x->deframe.problems - DEFRAME_ERRORS_KEPT);
	x->agent.dropped += x->deframe.dropped;
}

void run_one(const struct run_request *rq, struct run_result *res)
{
	struct run_ctx x = { .rq = rq, .res = res, .single = rq->single_console };
	struct strbuf baked_initrd = STRBUF_INIT;
	struct vm_config cfg = {
		.target = rq->t,
		.initrd = rq->initrd,
		.memory = rq->c->memory,
		.extra_cmdline = rq->c->cmdline,
		.run_dir = rq->run_dir,
		.payload = rq->payload,
		.swap_disk = rq->swap_disk,
		.data_disk = rq->data_disk,
		.single_console = rq->single_console,
		.timeout_ms = rq->timeout_ms,
	};
	struct strbuf err = STRBUF_INIT;
	struct snapshot snap = { 0 };
	int timed_out = 0, restored = 0;

	/* A case with its own kernel command line boots: the saved guests
	 * booted with none. Making a snapshot is not part of the run's time. */
	if (rq->snapshot_dir && !(rq->c->cmdline && *rq->c->cmdline) && !x.single) {
		if (snapshot_get(rq->backend, &cfg, rq->snapshot_dir, &snap, &err)) {
			facts_set(&res->facts, "boot.snapshot_error", err.buf);
			strbuf_reset(&err);
		} else {
			cfg.restore = snap.state;
			if (snap.made_seconds > 0)
				facts_setf(&res->facts, "snapshot.made_seconds", "%.2f", snap.made_seconds);
		}
	}
	x.t0 = clock_now_s();
	double cpu0 = cpu_now();
	x.klog = klog_new();
	record_init(&x.rec);
	record_want_tap(&x.rec, rq->c);
	strbuf_init(&x.console);
	strbuf_init(&x.plan);
	strbuf_init(&x.agent.line);
	x.con.limit = x.agent.limit = rq->log_limit ? rq->log_limit : LOG_FILE_MAX;
	x.con.log_fd = run_files_open_log(rq->run_dir, "console.log");
	x.agent.log_fd = run_files_open_log(rq->run_dir, "agent.log");

	if (runner_plan(rq->c, !!rq->payload, !!rq->swap_disk, !!rq->data_disk, &x.plan, &err)) {
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, err.buf);
		goto out;
	}
	if (x.single) {
		if (bake_plan(&x, &baked_initrd, &err)) {
			x.single = 0;
			res->verdict = V_ERROR;
			strbuf_addstr(&res->reason, err.buf);
			goto out;
		}
		cfg.initrd = baked_initrd.buf;
	} else {
		run_files_write_plan(rq->run_dir, &x.plan);
	}
	if (cfg.restore && rq->backend->start(&cfg, &x.vm, &err)) {
		/* a state that does not load is made again next time; this run boots */
		facts_set(&res->facts, "boot.snapshot_error", err.buf);
		strbuf_reset(&err);
		snapshot_drop(&snap);
		cfg.restore = NULL;
		x.vm = NULL;
	} else if (cfg.restore) {
		restored = 1;
	}
	int started = restored ? 0 : rq->backend->start(&cfg, &x.vm, &err);
	if (started) {
		res->host_failed = started == -2;
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, err.buf);
		goto out;
	}
	if (rq->backend->accel)
		facts_set(&res->facts, "vm.accel", rq->backend->accel());
	if (restored)
		facts_set(&res->facts, "boot.path", "restore");
	else
		facts_setf(&res->facts, "boot.path", "cold-%s", target_boot_name(rq->t));
	x.con.fd = rq->backend->console_fd(x.vm);
	x.agent.fd = x.single ? -1 : rq->backend->agent_fd(x.vm);
	/* pump() reads until EAGAIN: on a blocking stream a quiet guest would
	 * keep the loop below from its deadline and from Ctrl-C */
	fcntl(x.con.fd, F_SETFL, fcntl(x.con.fd, F_GETFL) | O_NONBLOCK);
	if (x.agent.fd >= 0)
		fcntl(x.agent.fd, F_SETFL, fcntl(x.agent.fd, F_GETFL) | O_NONBLOCK);
	x.agent.eof = x.single;
	if (restored) {
		/* The boot as it was when saved: the same console, the same ready
		 * record (which sends the plan). */
		feed(&x, &x.con, 1, snap.console.buf, snap.console.len);
		feed(&x, &x.agent, 0, snap.agent.buf, snap.agent.len);
	}

	double deadline = x.t0 + rq->timeout_ms / 1000.0;
	double done_at = 0, last_output = clock_now_s();
	int vm_gone = 0, silent = 0;
	while (!vm_gone) {
		struct pollfd pfd[2];
		int n = 0;

		if (runner_interrupted) {
			res->interrupted = 1;
			break;
		}
		if (x.plan_error)
			break;
		if (!x.con.eof)
			pfd[n++] = (struct pollfd){ x.con.fd, POLLIN, 0 };
		if (!x.agent.eof)
			pfd[n++] = (struct pollfd){ x.agent.fd, POLLIN, 0 };
		poll(pfd, (nfds_t)n, n ? 50 : 10);
		/* the memory samples say the agent lives, not that the guest does
		 * anything: they do not count against --silence */
		if (spoke(&x))
			last_output = clock_now_s();
		if (x.rec.done && !done_at)
			done_at = clock_now_s();
		if (rq->backend->not_started && rq->backend->not_started(x.vm))
			deadline = clock_now_s() + rq->timeout_ms / 1000.0;
		if (rq->backend->wait(x.vm, 0))
			vm_gone = 1;
		else if (clock_now_s() > deadline) {
			timed_out = 1;
			break;
		} else if (rq->silence_ms > 0 && clock_now_s() - last_output > rq->silence_ms / 1000.0) {
			timed_out = silent = 1;
			break;
		} else if (done_at && clock_now_s() - done_at > 10) {
			/* The plan finished but the guest did not power off. */
			break;
		}
	}
	if (vm_gone)
		drain_after_end(&x);
	rq->backend->kill(x.vm);
	/* What QEMU wrote before it went is still in the sockets. */
	pump(&x, &x.con, 1);
	pump(&x, &x.agent, 0);
	if (x.single)
		deframe_done(&x);
	klog_end(x.klog);
	klog_add_facts(x.klog, &res->facts);
	record_tap_facts(&x.rec, &res->facts);
	run_files_write_details(rq->run_dir, x.klog, &x.rec);
	facts_set(&res->facts, "agent.done", x.rec.done ? "1" : "0");
	facts_set(&res->facts, "console.capped", x.con.capped ? "1" : "0");
	facts_set(&res->facts, "agent.capped", x.agent.capped ? "1" : "0");
	facts_setf(&res->facts, "agent.dropped_bytes", "%llu", x.agent.dropped);
	if (rq->backend->cpu_seconds)
		facts_setf(&res->facts, "qemu.cpu_seconds", "%.3f", rq->backend->cpu_seconds(x.vm));
	facts_setf(&res->facts, "harness.cpu_seconds", "%.3f", cpu_now() - cpu0);
	{
		struct strbuf how = STRBUF_INIT;
		rq->backend->describe_exit(x.vm, &how);
		facts_set(&res->facts, "vm.exit", how.buf);
		strbuf_release(&how);
	}

	const char *panic = facts_get(&res->facts, "panic");
	int panicked = panic && strcmp(panic, "0");
	int pvpanic = rq->backend->guest_panicked && rq->backend->guest_panicked(x.vm);
	facts_set(&res->facts, "panic.pvpanic", pvpanic ? "1" : "0");
	if (pvpanic && !panicked) {
		/* The console said nothing (a quiet loglevel, a garbled line):
		 * the machine still knows. */
		panicked = 1;
		facts_set(&res->facts, "panic", "1");
		facts_set(&res->facts, "panic.reason", "(reported by pvpanic; no panic line on the console)");
	}
	struct run_end end = {
		.interrupted = res->interrupted,
		.host_lost = !res->interrupted && rq->backend->host_lost && rq->backend->host_lost(x.vm),
		.plan_error = x.plan_error,
		.silent = silent,
		.timed_out = timed_out,
		.ready = x.rec.ready,
		.done = x.rec.done,
		.panicked = panicked,
		.agent_errors = x.rec.errors.buf,
		.timeout_ms = rq->timeout_ms,
		.silence_ms = rq->silence_ms,
	};
	judge_run(&end, rq->c, rq->t, x.console.buf, x.console.len, res);
out:
	res->seconds = clock_now_s() - x.t0;
	facts_setf(&res->facts, "run.seconds", "%.2f", res->seconds);
	run_files_write_result(rq->run_dir, rq->c->name, rq->t->name, res);
	if (x.vm)
		rq->backend->destroy(x.vm);
	/* made from the target's initrd and plan.txt again at will */
	if (baked_initrd.len)
		unlink(baked_initrd.buf);
	strbuf_release(&baked_initrd);
	if (x.single)
		deframe_release(&x.deframe);
	if (x.con.log_fd >= 0)
		close(x.con.log_fd);
	if (x.agent.log_fd >= 0)
		close(x.agent.log_fd);
	klog_free(x.klog);
	record_release(&x.rec);
	strbuf_release(&x.console);
	strbuf_release(&x.plan);
	strbuf_release(&x.agent.line);
	strbuf_release(&err);
	snapshot_release(&snap);
}
