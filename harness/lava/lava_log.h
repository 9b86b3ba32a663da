/* lava_log: a streaming reader of the log lava-run writes to stderr (the
 * same lines a LAVA server stores): one YAML flow mapping a line,
 * {"dt": ..., "lvl": ..., "msg": ...}. Fed in pieces of any size, it yields
 * in order:
 *  - the guest's console lines (lvl target, and lvl feedback: what LAVA
 *    reads after the test ended, which may hold the echo of what LAVA
 *    typed, "poweroff"), with LAVA's own change to them undone
 *    (it writes " as \"), so the kernel-log parser and a deframer see the
 *    line as the guest printed it. What LAVA drops is lost: \r, ESC, and
 *    some empty lines (it folds "\n\n" within one read);
 *  - LAVA's results (lvl results): definition, case, result and, for the
 *    job's own result, error_type and error_msg verbatim;
 *  - LAVA's errors: lvl error and exception lines, verbatim.
 * It also tells how the job ended (the job's result is the last line
 * lava-run writes). Lines that are not LAVA log lines are counted and
 * skipped. */
#ifndef OOMTEST_LAVA_LOG_H
#define OOMTEST_LAVA_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* LAVA writes no line over 10^6 characters; longer ones are skipped. */
#define LAVA_LOG_MAX_LINE (2u << 20)

enum lava_event_kind {
	LAVA_EVENT_CONSOLE,   /* text: one console line, without its newline */
	LAVA_EVENT_RESULT,    /* result: one of LAVA's results */
	LAVA_EVENT_ERROR,     /* text: LAVA's error or exception message */
};

struct lava_result {
	char *definition;     /* "lava" for LAVA's own actions, else the monitor's name */
	char *case_name;
	char *result;         /* pass fail skip unknown */
	char *level;          /* the action's level ("3.1"), or NULL */
	char *error_type;     /* the job's result when it failed: Infrastructure, Job,
				 Test, Configuration, Bug, Canceled, LAVATimeout; else NULL */
	char *error_msg;      /* with error_type, verbatim */
};

struct lava_event {
	enum lava_event_kind kind;
	char *dt;             /* LAVA's UTC time stamp, as written */
	char *text;           /* CONSOLE and ERROR; may hold NUL bytes: see text_len */
	size_t text_len;
	bool feedback;        /* CONSOLE: read after the test (lvl feedback) */
	bool exception;       /* ERROR: lvl exception (often a Python traceback) */
	struct lava_result result;
};

enum lava_job_end {
	LAVA_JOB_UNFINISHED,  /* no job result (yet): lava-run still runs, or died */
	LAVA_JOB_COMPLETE,    /* the job's result is pass */
	LAVA_JOB_INCOMPLETE,  /* the job's result is fail: see the error */
	LAVA_JOB_CANCELED,    /* fail with error_type Canceled (a signal to lava-run) */
};

struct lava_log;

struct lava_log *lava_log_new(void);
void lava_log_free(struct lava_log *log);
void lava_log_feed(struct lava_log *log, const char *data, size_t len);
/* The input ended: a last line without its newline is read too. */
void lava_log_end(struct lava_log *log);
/* Moves the oldest pending event into ev (the caller then owns it: see
 * lava_event_release). 1 when there was one, 0 when none is pending. */
int lava_log_next(struct lava_log *log, struct lava_event *ev);
void lava_event_release(struct lava_event *ev);

enum lava_job_end lava_log_job_end(const struct lava_log *log);
/* The job's error type and message once it ended INCOMPLETE or CANCELED,
 * else NULL. */
const char *lava_log_error_type(const struct lava_log *log);
const char *lava_log_error_msg(const struct lava_log *log);
/* Lines that were not LAVA log lines (bad YAML, not a mapping, no lvl, too long). */
size_t lava_log_bad_lines(const struct lava_log *log);
/* The job's end in words: unfinished complete incomplete canceled. */
const char *lava_job_end_name(enum lava_job_end end);

#endif
