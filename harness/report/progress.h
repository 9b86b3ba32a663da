/* progress: the live status line of `oomtest run` on a terminal (runs
 * done, running and left, elapsed time) kept below the TAP lines, and the
 * colours of those lines (off with NO_COLOR). When stdout is not a terminal
 * it prints nothing and TAP stays plain. */
#ifndef OOMTEST_PROGRESS_H
#define OOMTEST_PROGRESS_H

#include <stdio.h>
#include "lib/strbuf.h"
#include "run/runner.h"

struct progress_counts {
	size_t total, finished, running, not_ok;
};

/* Starts the clock; turns the line (and tap_color) on if `allowed`, out is
 * a terminal and TERM is not "dumb". */
void progress_begin(FILE *out, size_t total, int allowed);
/* The scheduler's view, several times a second: redraws when it changed
 * or a second passed. */
void progress_update(size_t running, size_t finished);
void progress_finished(enum verdict v);
/* Erases the line (before anything else is printed). */
void progress_clear(void);
/* Appends the status line as drawn (it begins by erasing the line):
 * "3/10 done, 2 running, 5 left, 1 not ok, 1:05 elapsed", the first part
 * bold when use_color. */
void progress_render(struct strbuf *line, const struct progress_counts *c, double elapsed, int use_color);
/* Colours are wanted unless NO_COLOR is set and not empty. */
int progress_color_allowed(void);
/* Seconds since progress_begin. */
double progress_elapsed(void);

#endif
