/* runner: drives one guest from plan to verdict. */
#include "run/runner.h"
#include "klog/klog.h"
#include "case/plan.h"
#include "run/record.h"
#include "run/results.h"
#include "run/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What is kept of the console in memory for `console ~ re`. */
/* What a log file on disk may take per run unless --log-limit says: a
 * guest printing without end must not fill the disk. Past this the stream
 * is still read and parsed. */
#define LOG_FILE_MAX (64ull << 20)

volatile sig_atomic_t runner_interrupted;

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_PASS: return "pass";
	case V_FAIL: return "fail";
	case V_ERROR: return "error";
	case V_TIMEOUT: return "timeout";
	case V_SKIP: return "skip";
	}
	return "?";
}

void run_result_init(struct run_result *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->reason);
}

void run_result_release(struct run_result *r)
{
	for (size_t i = 0; i < r->nfailed; i++) {
		free(r->failed[i].text);
		free(r->failed[i].expected);
		free(r->failed[i].seen);
	}
	free(r->failed);
	strbuf_release(&r->reason);
	facts_release(&r->facts);
	memset(r, 0, sizeof(*r));
}

static double cpu_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct stream {
	int fd;
	int eof;
	int log_fd;
	unsigned long long logged; /* bytes written to log_fd */
	unsigned long long limit;  /* what log_fd may take */
	int capped;
	struct strbuf line;        /* partial line */
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
	int agent_spoke;            /* a record other than "mem" since the last look */
	double t0, t_ready;
	struct stream con, agent;
};

static void write_failed(const char *dir, const char *name, int err);

static int open_log(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	int fd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	strbuf_release(&p);
	if (fd < 0)
		write_failed(dir, name, -errno);
	return fd;
}

/* 0, or -errno of the first failed write. */
static int write_all(int fd, const char *p, size_t n)
{
	while (fd >= 0 && n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pfd = { fd, POLLOUT, 0 };
				poll(&pfd, 1, 100);
				continue;
			}
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A results file that could not be written (a full disk, a read-only
 * mount) is said on stderr; the verdict still goes to stdout. */
static void write_failed(const char *dir, const char *name, int err)
{
	fprintf(stderr, "oomtest: cannot write %s/%s: %s (the verdict still goes to stdout)\n", dir, name,
		strerror(-err));
}

static void log_write(struct run_ctx *x, struct stream *s, const char *p, size_t n)
{
	int r = write_all(s->log_fd, p, n);

	if (r) {
		write_failed(x->rq->run_dir, s == &x->con ? "console.log" : "agent.log", r);
		close(s->log_fd);
		s->log_fd = -1;
	}
}

/* Calls fn for each complete line in s->line, keeping the rest. */
static void each_line(struct run_ctx *x, struct stream *s,
		      void (*fn)(struct run_ctx *, const char *, size_t))
{
	size_t start = 0;
	char *nl;

	while ((nl = memchr(s->line.buf + start, '\n', s->line.len - start))) {
		size_t len = (size_t)(nl - (s->line.buf + start));
		const char *l = s->line.buf + start;
		if (len && l[len - 1] == '\r')
			len--;
		fn(x, l, len);
		start += (size_t)(nl - (s->line.buf + start)) + 1;
	}
	memmove(s->line.buf, s->line.buf + start, s->line.len - start);
	s->line.len -= start;
	s->line.buf[s->line.len] = '\0';
}

static void console_line(struct run_ctx *x, const char *l, size_t len)
{
	record_console_line(&x->res->facts, l, len);
}

static void agent_line(struct run_ctx *x, const char *l, size_t len)
{
	int was_ready = x->rec.ready;

	if (len < 4 || memcmp(l, "mem ", 4))
		x->agent_spoke = 1;
	record_apply(&x->rec, &x->res->facts, l, len);
	if (!was_ready && x->rec.ready) {
		x->t_ready = now_s();
		facts_setf(&x->res->facts, "boot.seconds", "%.2f", x->t_ready - x->t0);
		if (!x->plan_sent) {
			write_all(x->agent.fd, x->plan.buf, x->plan.len);
			x->plan_sent = 1;
		}
	}
}

/* What a stream said: logged (up to its limit), parsed, split in lines. */
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
	/* Lines are bounded: a line past 1 MiB is cut. */
	if (s->line.len < (1u << 20))
		strbuf_add(&s->line, buf, (size_t)n);
	else
		strbuf_addch(&s->line, '\n');
	each_line(x, s, is_console ? console_line : agent_line);
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
		feed(x, s, is_console, buf, (size_t)n);
	}
	return any;
}

static void fail_expect(struct run_result *res, const struct expectation *e, const char *seen)
{
	struct failed_expect *f;
	struct strbuf exp = STRBUF_INIT;

	res->failed = xrealloc(res->failed, (res->nfailed + 1) * sizeof(*res->failed));
	f = &res->failed[res->nfailed++];
	f->text = xstrdup(e->text);
	f->line = e->line;
	expect_describe(e, &exp);
	f->expected = strbuf_detach(&exp);
	f->seen = xstrdup(seen);
}

static int mentions_fact(const struct oomcase *c, const char *prefix)
{
	size_t n = strlen(prefix);

	for (size_t i = 0; i < c->nexpects; i++)
		for (const struct expectation *l = &c->expects[i]; l; l = l->or_next)
			if (!strncmp(l->fact, prefix, n) ||
			    (!strcmp(l->fact, "console") && strstr(l->value, prefix)))
				return 1;
	return 0;
}

static int mentions_crash_facts(const struct oomcase *c)
{
	for (size_t i = 0; i < c->nexpects; i++)
		for (const struct expectation *l = &c->expects[i]; l; l = l->or_next)
			if (!strncmp(l->fact, "oops", 4) || !strncmp(l->fact, "bug", 3) ||
			    (!strcmp(l->fact, "console") && (strstr(l->value, "Oops") || strstr(l->value, "BUG"))))
				return 1;
	return 0;
}

/* A failure no line of the case wrote: what the harness holds by default. */
static void add_implied_failure(struct run_result *res, const char *text, const char *expected,
				struct strbuf *seen)
{
	struct failed_expect *f;

	res->failed = xrealloc(res->failed, (res->nfailed + 1) * sizeof(*res->failed));
	f = &res->failed[res->nfailed++];
	f->text = xstrdup(text);
	f->line = 0;
	f->expected = xstrdup(expected);
	f->seen = strbuf_detach(seen);
}

/* The first console line that starts an oops or a BUG report, for quoting. */
static void first_crash_line(const char *console, size_t len, struct strbuf *out)
{
	static const char *const marks[] = { "Oops: ", "BUG: ", "kernel BUG at ", "general protection fault",
					     "invalid opcode: ", "Internal error: Oops", NULL };
	const char *p = console, *end = console + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		const char *msg = p;
		/* skip a "[    1.234567] " timestamp */
		if (n && *msg == '[') {
			const char *rb = memchr(msg, ']', n);
			if (rb)
				msg = rb + 1 + (rb + 1 < p + n && rb[1] == ' ');
		}
		for (int i = 0; marks[i]; i++)
			if ((size_t)(p + n - msg) >= strlen(marks[i]) && !strncmp(msg, marks[i], strlen(marks[i]))) {
				strbuf_add(out, msg, (size_t)(p + n - msg) > 200 ? 200 : (size_t)(p + n - msg));
				strbuf_rtrim(out);
				return;
			}
		p += n + 1;
	}
}

/* An oops or BUG that no expectation speaks of fails the case: a kernel that
 * crashes while handling an OOM must not pass quietly. */
static void judge_unexpected_crash(const struct oomcase *c, const char *console, size_t len,
				   struct run_result *res)
{
	const char *oops = facts_get(&res->facts, "oops.count");
	const char *bug = facts_get(&res->facts, "bug.count");
	struct strbuf seen = STRBUF_INIT;

	if ((!oops || !strcmp(oops, "0")) && (!bug || !strcmp(bug, "0")))
		return;
	if (mentions_crash_facts(c))
		return;
	strbuf_addf(&seen, "oops.count %s, bug.count %s", oops ? oops : "0", bug ? bug : "0");
	struct strbuf line = STRBUF_INIT;
	first_crash_line(console, len, &line);
	if (line.len)
		strbuf_addf(&seen, ": %s", line.buf);
	strbuf_release(&line);
	add_implied_failure(res, "no unexpected oops or BUG (implied; expect oops.count or bug.count to decide)",
			    "oops.count == 0 and bug.count == 0", &seen);
}

/* A panic that no expectation speaks of fails the case, with its reason. */
static void judge_unexpected_panic(const struct oomcase *c, struct run_result *res)
{
	const char *panic = facts_get(&res->facts, "panic");
	const char *reason = facts_get(&res->facts, "panic.reason");
	struct strbuf seen = STRBUF_INIT;

	if (!panic || !strcmp(panic, "0") || mentions_fact(c, "panic") || mentions_fact(c, "Kernel panic"))
		return;
	strbuf_addf(&seen, "panic 1: %s", reason ? reason : "(no reason on the console)");
	add_implied_failure(res, "no unexpected kernel panic (implied; expect panic to decide)", "panic == 0", &seen);
}

void run_judge(const struct oomcase *c, const struct target *t, const char *console,
	       size_t console_len, struct run_result *res)
{
	struct strbuf seen = STRBUF_INIT;

	for (size_t i = 0; i < c->nexpects; i++) {
		if (!expect_selects(c->expects[i].selector, t->name, t->arch, t->release))
			continue;
		strbuf_reset(&seen);
		if (!expect_eval(&c->expects[i], &res->facts, console, console_len, &seen))
			fail_expect(res, &c->expects[i], seen.buf);
	}
	strbuf_release(&seen);
	judge_unexpected_crash(c, console, console_len, res);
	judge_unexpected_panic(c, res);
	res->verdict = res->nfailed ? V_FAIL : V_PASS;
}

/* events.json (the parser's OOM events) and memory.tsv (the steps' memory
 * samples), which the reports read. */
static void write_details(const struct run_request *rq, const struct klog *k, const struct record_state *rec)
{
	struct strbuf data = STRBUF_INIT, path = STRBUF_INIT;
	int r;

	klog_to_json(k, &data);
	strbuf_addch(&data, '\n');
	strbuf_addf(&path, "%s/events.json", rq->run_dir);
	if ((r = fs_write_atomic(path.buf, data.buf, data.len)))
		write_failed(rq->run_dir, "events.json", r);
	strbuf_reset(&data);
	strbuf_reset(&path);
	strbuf_addstr(&data, "step\tms\trss_kb\n");
	strbuf_addbuf(&data, &rec->samples);
	strbuf_addf(&path, "%s/memory.tsv", rq->run_dir);
	if ((r = fs_write_atomic(path.buf, data.buf, data.len)))
		write_failed(rq->run_dir, "memory.tsv", r);
	strbuf_release(&data);
	strbuf_release(&path);
}

static void write_facts(const struct run_request *rq, struct run_result *res)
{
	struct strbuf json = STRBUF_INIT, path = STRBUF_INIT;

	int r;

	facts_to_json(&res->facts, &json);
	strbuf_addf(&path, "%s/facts.json", rq->run_dir);
	if ((r = fs_write_atomic(path.buf, json.buf, json.len)))
		write_failed(rq->run_dir, "facts.json", r);
	strbuf_reset(&json);
	strbuf_reset(&path);

	strbuf_addstr(&json, "{\n  \"case\": ");
	json_add_string(&json, rq->c->name, strlen(rq->c->name));
	strbuf_addstr(&json, ",\n  \"target\": ");
	json_add_string(&json, rq->t->name, strlen(rq->t->name));
	strbuf_addf(&json, ",\n  \"verdict\": \"%s\",\n  \"reason\": ", verdict_name(res->verdict));
	json_add_string(&json, res->reason.buf, res->reason.len);
	strbuf_addf(&json, ",\n  \"seconds\": %.2f,\n  \"failed\": [", res->seconds);
	for (size_t i = 0; i < res->nfailed; i++) {
		struct failed_expect *f = &res->failed[i];
		strbuf_addstr(&json, i ? ",\n    {\"expectation\": " : "\n    {\"expectation\": ");
		json_add_string(&json, f->text, strlen(f->text));
		strbuf_addf(&json, ", \"line\": %d, \"expected\": ", f->line);
		json_add_string(&json, f->expected, strlen(f->expected));
		strbuf_addstr(&json, ", \"seen\": ");
		json_add_string(&json, f->seen, strlen(f->seen));
		strbuf_addch(&json, '}');
	}
	strbuf_addstr(&json, res->nfailed ? "\n  ]\n}\n" : "]\n}\n");
	strbuf_addf(&path, "%s/result.json", rq->run_dir);
	if ((r = fs_write_atomic(path.buf, json.buf, json.len)))
		write_failed(rq->run_dir, "result.json", r);
	strbuf_release(&json);
	strbuf_release(&path);
}

static void first_line(struct strbuf *out, const char *s)
{
	strbuf_add(out, s, strcspn(s, "\n"));
}

void run_one(const struct run_request *rq, struct run_result *res)
{
	struct run_ctx x = { .rq = rq, .res = res };
	struct vm_config cfg = {
		.target = rq->t,
		.initrd = rq->initrd,
		.memory = rq->c->memory,
		.extra_cmdline = rq->c->cmdline,
		.run_dir = rq->run_dir,
	};
	struct strbuf err = STRBUF_INIT;
	struct snapshot snap = { 0 };
	int timed_out = 0, restored = 0;

	/* A case with its own kernel command line boots: the saved guests
	 * booted with none. Making a snapshot is not part of the run's time. */
	if (rq->snapshot_dir && !(rq->c->cmdline && *rq->c->cmdline)) {
		if (snapshot_get(rq->backend, &cfg, rq->snapshot_dir, &snap, &err)) {
			facts_set(&res->facts, "boot.snapshot_error", err.buf);
			strbuf_reset(&err);
		} else {
			cfg.restore = snap.state;
			if (snap.made_seconds > 0)
				facts_setf(&res->facts, "snapshot.made_seconds", "%.2f", snap.made_seconds);
		}
	}
	x.t0 = now_s();
	double cpu0 = cpu_now();
	x.klog = klog_new();
	record_init(&x.rec);
	strbuf_init(&x.console);
	strbuf_init(&x.plan);
	strbuf_init(&x.con.line);
	strbuf_init(&x.agent.line);
	x.con.limit = x.agent.limit = rq->log_limit ? rq->log_limit : LOG_FILE_MAX;
	x.con.log_fd = open_log(rq->run_dir, "console.log");
	x.agent.log_fd = open_log(rq->run_dir, "agent.log");

	if (plan_build(rq->c, &x.plan, &err)) {
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, err.buf);
		goto out;
	}
	{
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/plan.txt", rq->run_dir);
		int r = fs_write_atomic(p.buf, x.plan.buf, x.plan.len);
		if (r)
			write_failed(rq->run_dir, "plan.txt", r);
		strbuf_release(&p);
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
	facts_set(&res->facts, "boot.path", restored ? "restore" : rq->t->boot == BOOT_PVH ? "cold-pvh" : "cold-bzimage");
	x.con.fd = rq->backend->console_fd(x.vm);
	x.agent.fd = rq->backend->agent_fd(x.vm);
	if (restored) {
		/* The boot as it was when saved: the same console, the same ready
		 * record (which sends the plan). */
		feed(&x, &x.con, 1, snap.console.buf, snap.console.len);
		feed(&x, &x.agent, 0, snap.agent.buf, snap.agent.len);
	}

	double deadline = x.t0 + rq->timeout_ms / 1000.0;
	double done_at = 0, last_output = now_s();
	int vm_gone = 0, silent = 0;
	while (!vm_gone) {
		struct pollfd pfd[2];
		int n = 0;

		if (runner_interrupted) {
			res->interrupted = 1;
			break;
		}
		if (!x.con.eof)
			pfd[n++] = (struct pollfd){ x.con.fd, POLLIN, 0 };
		if (!x.agent.eof)
			pfd[n++] = (struct pollfd){ x.agent.fd, POLLIN, 0 };
		poll(pfd, (nfds_t)n, n ? 50 : 10);
		/* the memory samples say the agent lives, not that the guest does
		 * anything: they do not count against --silence */
		if (pump(&x, &x.con, 1) | (pump(&x, &x.agent, 0) && x.agent_spoke)) {
			last_output = now_s();
			x.agent_spoke = 0;
		}
		if (x.rec.done && !done_at)
			done_at = now_s();
		if (rq->backend->wait(x.vm, 0))
			vm_gone = 1;
		else if (now_s() > deadline) {
			timed_out = 1;
			break;
		} else if (rq->silence_ms > 0 && now_s() - last_output > rq->silence_ms / 1000.0) {
			timed_out = silent = 1;
			break;
		} else if (done_at && now_s() - done_at > 10) {
			/* The plan finished but the guest did not power off. */
			break;
		}
	}
	rq->backend->kill(x.vm);
	/* What QEMU wrote before it went is still in the sockets. */
	pump(&x, &x.con, 1);
	pump(&x, &x.agent, 0);
	if (x.con.line.len) {
		strbuf_addch(&x.con.line, '\n');
		each_line(&x, &x.con, console_line);
	}
	klog_end(x.klog);
	klog_add_facts(x.klog, &res->facts);
	write_details(rq, x.klog, &x.rec);
	facts_set(&res->facts, "agent.done", x.rec.done ? "1" : "0");
	facts_set(&res->facts, "console.capped", x.con.capped ? "1" : "0");
	facts_set(&res->facts, "agent.capped", x.agent.capped ? "1" : "0");
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
	if (res->interrupted) {
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, "interrupted");
	} else if (rq->backend->host_lost && rq->backend->host_lost(x.vm)) {
		res->verdict = V_ERROR;
		res->host_failed = 1;
		strbuf_addstr(&res->reason, "the host running the guest went away (its connection closed)");
	} else if (silent) {
		res->verdict = V_TIMEOUT;
		strbuf_addf(&res->reason, "no console or agent output for %ld s (--silence); QEMU was killed",
			    rq->silence_ms / 1000);
	} else if (!x.rec.ready && panicked) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "boot failure: the kernel panicked before the guest agent started: %s",
			    facts_get(&res->facts, "panic.reason") ? facts_get(&res->facts, "panic.reason") : "?");
	} else if (timed_out && !x.rec.ready) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "boot failure: the guest agent never said ready within %ld s "
			    "(see console.log); QEMU was killed", rq->timeout_ms / 1000);
	} else if (timed_out) {
		res->verdict = V_TIMEOUT;
		strbuf_addf(&res->reason, "the guest did not finish within %ld s (%s); QEMU was killed",
			    rq->timeout_ms / 1000, "the agent was still running the plan");
	} else if (x.rec.errors.len) {
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, "guest agent: ");
		first_line(&res->reason, x.rec.errors.buf);
	} else if (!x.rec.ready) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "boot failure: the guest ended (QEMU %s) before its agent said ready "
			    "(see console.log)", facts_get(&res->facts, "vm.exit"));
	} else if (!x.rec.done && !panicked) {
		const char *how = facts_get(&res->facts, "vm.exit");
		res->verdict = V_ERROR;
		if (!strncmp(how, "signal ", 7))
			strbuf_addf(&res->reason, "QEMU died of %s before the plan finished (see qemu.log, console.log)",
				    how);
		else
			strbuf_addf(&res->reason, "the guest stopped before the plan finished (QEMU %s; see console.log)",
				    how);
	} else {
		run_judge(rq->c, rq->t, x.console.buf, x.console.len, res);
	}
out:
	res->seconds = now_s() - x.t0;
	facts_setf(&res->facts, "run.seconds", "%.2f", res->seconds);
	write_facts(rq, res);
	if (x.vm)
		rq->backend->destroy(x.vm);
	if (x.con.log_fd >= 0)
		close(x.con.log_fd);
	if (x.agent.log_fd >= 0)
		close(x.agent.log_fd);
	klog_free(x.klog);
	record_release(&x.rec);
	strbuf_release(&x.console);
	strbuf_release(&x.plan);
	strbuf_release(&x.con.line);
	strbuf_release(&x.agent.line);
	strbuf_release(&err);
	snapshot_release(&snap);
}
