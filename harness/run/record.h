/* record: the agent's records (proto/proto.h) turned into facts and run
 * state: steps' pids and exits, snapshots of /proc and cgroup files, agent
 * errors, the steps' memory samples, the memory timeline (run/timeline.h),
 * a module's result record (kmod.*), the steps' wait conditions (wait.*),
 * and the whole output of the steps read as TAP (tap.*). */
#ifndef OOMTEST_RECORD_H
#define OOMTEST_RECORD_H

#include <stddef.h>
#include "lib/facts.h"
#include "lib/strbuf.h"
#include "run/timeline.h"

/* What a TAP step's output may take in memory; past it the lines are
 * dropped and tap.STEP.capped says so. */
#define RECORD_TAP_MAX (4u << 20)

struct record_tap {
	char *step;
	struct strbuf out;         /* its output lines, each ending in '\n' */
	int capped;
};

struct oomcase;

struct record_state {
	int ready;                 /* "ready" seen */
	int done;                  /* "done" seen */
	struct strbuf errors;      /* agent "err" messages, one a line */
	struct strbuf samples;     /* "STEP\tMS\tRSS_KB\n" from "mem" records */
	struct timeline timeline;  /* from "sys", "cgmem" and "event" records */
	char *release;             /* guest uname -r, from ready */
	char *machine;
	char **left;               /* steps still running at the end */
	size_t nleft;
	struct record_tap *taps;   /* the steps marked tap = yes (record_want_tap) */
	size_t ntaps;
};

void record_init(struct record_state *st);
void record_release(struct record_state *st);

/* Keeps the whole output of c's steps marked tap = yes, from now on. */
void record_want_tap(struct record_state *st, const struct oomcase *c);
/* Reads each such step's output as TAP into tap.STEP.* facts
 * (ktap/ktap_facts.h), with tap.STEP.capped = 0 or 1. */
void record_tap_facts(const struct record_state *st, struct facts *f);

/* Splits and decodes one record line (no newline) into fields.
 * Returns the field count; *fields must be freed with record_fields_free. */
size_t record_split(const char *line, size_t len, char ***fields);
void record_fields_free(char **fields, size_t n);
/* Encodes one field for a plan or record line (appended, no separator). */
void record_encode(struct strbuf *out, const char *s, size_t len);
/* A space, then s encoded: one more field of a plan or record line. */
void record_add_field(struct strbuf *out, const char *s);

/* Applies one agent record line to the state and facts. Malformed lines
 * are noted in st->errors and otherwise ignored. */
void record_apply(struct record_state *st, struct facts *f, const char *line, size_t len);

/* Snapshot parsers, exposed for tests. */
void record_buddyinfo(struct facts *f, const char *snap, const char *text);
void record_keyed(struct facts *f, const char *prefix, const char *text);

#endif
