/* judge: from how a run ended and what it produced to a verdict. */
#include "run/judge.h"
#include "case/expect.h"
#include "case/wait.h"

#include <stdlib.h>
#include <string.h>

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

static void judged_free(struct judged_expect *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].expected);
		free(v[i].seen);
	}
	free(v);
}

void run_result_release(struct run_result *r)
{
	judged_free(r->failed, r->nfailed);
	judged_free(r->held, r->nheld);
	strbuf_release(&r->reason);
	facts_release(&r->facts);
	memset(r, 0, sizeof(*r));
}

/* Notes e as judged, with what was seen, in res->failed or res->held. */
static void note_judged(struct run_result *res, const struct expectation *e, const char *seen, int ok)
{
	struct judged_expect **v = ok ? &res->held : &res->failed;
	size_t *n = ok ? &res->nheld : &res->nfailed;
	struct judged_expect *f;
	struct strbuf exp = STRBUF_INIT;

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	f = &(*v)[(*n)++];
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
	struct judged_expect *f;

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

/* Does an expectation judged on t speak of the fact? */
static int expects_fact(const struct oomcase *c, const struct target *t, const char *fact)
{
	for (size_t i = 0; i < c->nexpects; i++) {
		if (!expect_selects(c->expects[i].selector, t->name, t->arch, t->release))
			continue;
		for (const struct expectation *l = &c->expects[i]; l; l = l->or_next)
			if (!strcmp(l->fact, fact))
				return 1;
	}
	return 0;
}

/* A step's wait that did not hold within its bound fails the run, unless
 * the case's own expectations speak of wait.STEP.met. A plan the agent did
 * not finish (a panic) may have no waited record: that is not the wait's
 * failure. */
static void judge_waits(const struct oomcase *c, const struct target *t, struct run_result *res)
{
	struct strbuf fact = STRBUF_INIT, text = STRBUF_INIT, want = STRBUF_INIT, seen = STRBUF_INIT;
	const char *done = facts_get(&res->facts, "agent.done");

	for (size_t i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];
		const char *met, *ms;

		if (!s->wait)
			continue;
		strbuf_reset(&fact);
		strbuf_addf(&fact, "wait.%s.met", s->name);
		met = facts_get(&res->facts, fact.buf);
		if ((met && !strcmp(met, "1")) || expects_fact(c, t, fact.buf) ||
		    (!met && done && strcmp(done, "1")))
			continue;
		strbuf_reset(&text);
		strbuf_addf(&text, "step %s: wait = %s: ", s->name, s->wait->text_form);
		strbuf_reset(&want);
		strbuf_addf(&want, "%s == 1", fact.buf);
		strbuf_reset(&fact);
		strbuf_addf(&fact, "wait.%s.ms", s->name);
		ms = facts_get(&res->facts, fact.buf);
		if (met) {
			strbuf_addstr(&text, "did not hold within ");
			case_add_duration(&text, s->wait->max_ms);
			strbuf_addf(&seen, "wait.%s.met %s after %s ms", s->name, met, ms ? ms : "?");
		} else {
			strbuf_addstr(&text, "gave no result");
			strbuf_addf(&seen, "no waited record for step %s", s->name);
		}
		add_implied_failure(res, text.buf, want.buf, &seen);
	}
	strbuf_release(&fact);
	strbuf_release(&text);
	strbuf_release(&want);
	strbuf_release(&seen);
}

void run_judge(const struct oomcase *c, const struct target *t, const char *console,
	       size_t console_len, struct run_result *res)
{
	struct strbuf seen = STRBUF_INIT;

	for (size_t i = 0; i < c->nexpects; i++) {
		if (!expect_selects(c->expects[i].selector, t->name, t->arch, t->release))
			continue;
		strbuf_reset(&seen);
		int ok = expect_eval(&c->expects[i], &res->facts, console, console_len, &seen);
		note_judged(res, &c->expects[i], seen.buf, ok);
	}
	strbuf_release(&seen);
	judge_unexpected_crash(c, console, console_len, res);
	judge_unexpected_panic(c, res);
	judge_waits(c, t, res);
	res->verdict = res->nfailed ? V_FAIL : V_PASS;
}

static void first_line(struct strbuf *out, const char *s)
{
	strbuf_add(out, s, strcspn(s, "\n"));
}

void judge_run(const struct run_end *e, const struct oomcase *c, const struct target *t,
	       const char *console, size_t console_len, struct run_result *res)
{
	if (e->interrupted) {
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, "interrupted");
	} else if (e->host_lost) {
		res->verdict = V_ERROR;
		res->host_failed = 1;
		strbuf_addstr(&res->reason, "the host running the guest went away (its connection closed)");
	} else if (e->plan_error) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "cannot send the plan to the agent: %s", strerror(e->plan_error));
	} else if (e->silent) {
		res->verdict = V_TIMEOUT;
		strbuf_addf(&res->reason, "no console or agent output for %ld s (--silence); QEMU was killed",
			    e->silence_ms / 1000);
	} else if (!e->ready && e->panicked) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "boot failure: the kernel panicked before the guest agent started: %s",
			    facts_get(&res->facts, "panic.reason") ? facts_get(&res->facts, "panic.reason") : "?");
	} else if (e->timed_out && !e->ready) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "boot failure: the guest agent never said ready within %ld s "
			    "(see console.log); QEMU was killed", e->timeout_ms / 1000);
	} else if (e->timed_out) {
		res->verdict = V_TIMEOUT;
		strbuf_addf(&res->reason, "the guest did not finish within %ld s (%s); QEMU was killed",
			    e->timeout_ms / 1000, "the agent was still running the plan");
	} else if (e->agent_errors && *e->agent_errors) {
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, "guest agent: ");
		first_line(&res->reason, e->agent_errors);
	} else if (!e->ready) {
		res->verdict = V_ERROR;
		strbuf_addf(&res->reason, "boot failure: the guest ended (QEMU %s) before its agent said ready "
			    "(see console.log)", facts_get(&res->facts, "vm.exit"));
	} else if (!e->done && !e->panicked) {
		const char *how = facts_get(&res->facts, "vm.exit");
		res->verdict = V_ERROR;
		if (!strncmp(how, "signal ", 7))
			strbuf_addf(&res->reason, "QEMU died of %s before the plan finished (see qemu.log, console.log)",
				    how);
		else
			strbuf_addf(&res->reason, "the guest stopped before the plan finished (QEMU %s; see console.log)",
				    how);
	} else {
		run_judge(c, t, console, console_len, res);
	}
}
