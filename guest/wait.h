/* wait: a step's wait condition (proto/proto.h "arm" and "wait"): armed
 * before the step's action, with its baseline taken then; watched while the
 * agent pumps, up to a bound; answered with a "waited" record. */
#ifndef OOMTEST_GUEST_WAIT_H
#define OOMTEST_GUEST_WAIT_H

#include <stddef.h>

/* arm STEP KIND ARGS...: f[0] is the step, f[1] the kind. Returns 0, or
 * -1 after an "err" record saying what is wrong. */
int wait_arm(char **f, int n);
/* wait STEP MAX_MS: pumps until STEP's armed condition holds or MAX_MS
 * pass, then sends "waited" and its event. */
void wait_run(const char *step, long long max_ms);
/* A line of a step's output, for output conditions. */
void wait_note_output(const char *step, const char *line, size_t len);

/* For tests: compares a cgroup value with OP ("==", ">=", ...); -1 for an
 * unknown OP. */
int wait_compare(long long have, const char *op, long long want);
/* For tests: the number after "KEY " on a line of text (a keyed file like
 * memory.events), or, with key NULL, the text's first number; -1 when
 * there is none. "max" reads as LLONG_MAX. */
long long wait_read_value(const char *text, const char *key);

#endif
