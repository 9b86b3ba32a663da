/* tap: TAP on a FILE — the plan, one test point per (case, target), YAML
 * diagnostics for everything that is not a pass. The stream uses only what
 * TAP 13 and 14 share, so it can declare either version: 13 by default,
 * because Debian 12's prove (Test::Harness 3.44) refuses a "TAP version 14"
 * header. */
#ifndef OOMTEST_TAP_H
#define OOMTEST_TAP_H

#include <stdio.h>
#include "run/runner.h"

/* Set: "ok" and "not ok" are coloured (for a terminal, never a pipe). */
extern int tap_color;

void tap_begin(FILE *out, int version, size_t planned);
/* n is 1-based. run_dir may be NULL (nothing was run). */
void tap_result(FILE *out, size_t n, const char *case_name, const char *target,
		const struct run_result *r, const char *run_dir);
void tap_bail_out(FILE *out, const char *why);
/* Appends s as a YAML double-quoted scalar (control bytes escaped). */
void tap_yaml_string(struct strbuf *out, const char *s);

#endif
