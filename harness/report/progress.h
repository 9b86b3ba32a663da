/* progress: the live status line of `oomtest run` on a terminal (runs
 * done, running and left, elapsed time) kept below the TAP lines, and the
 * colours of those lines (off with NO_COLOR). When stdout is not a terminal
 * it prints nothing and TAP stays plain. */
#ifndef OOMTEST_PROGRESS_H
#define OOMTEST_PROGRESS_H

#include <stdio.h>
#include "run/runner.h"

/* Starts the clock; turns the line (and tap_color) on if `allowed`, out is
 * a terminal and TERM is not "dumb". */
void progress_begin(FILE *out, size_t total, int allowed);
/* The scheduler's view, several times a second: redraws when it changed
 * or a second passed. */
void progress_update(size_t running, size_t finished);
void progress_finished(enum verdict v);
/* Erases the line (before anything else is printed). */
void progress_clear(void);
/* Seconds since progress_begin. */
double progress_elapsed(void);

#endif
