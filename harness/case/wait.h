/* wait: the grammar of a step's `wait = CONDITION` (struct case_wait in
 * case/casefile.h): exit [STEP], output "TEXT", oom_kill [GROUP],
 * cgroup GROUP FILE[.KEY] OP NUMBER; how a cgroup FILE[.KEY] splits; the
 * words and durations messages and the plan use. Whether the steps and
 * groups it names exist is case/checks'. */
#ifndef OOMTEST_CASE_WAIT_H
#define OOMTEST_CASE_WAIT_H

#include "case/casefile.h"
#include "lib/strbuf.h"

/* What `help case` and messages list as the conditions. */
#define WAIT_FORMS "exit [STEP], output \"TEXT\", oom_kill [GROUP], cgroup GROUP FILE[.KEY] OP NUMBER"

/* Parses text (a wait value, already trimmed) into *w, which it fills
 * whole: kind and its fields, text_form (text as written), max_ms
 * CASE_WAIT_MAX_MS; line 0. step is this step's name (`exit` alone and
 * `output` are about it). Returns 0, or -1 with one message (no
 * file:line) in err and *w left empty. */
int case_wait_parse(struct case_wait *w, const char *text, const char *step, struct strbuf *err);
/* Frees w's fields and w itself (NULL: nothing). */
void case_wait_free(struct case_wait *w);

/* The KIND word of the plan's arm line: exit output oom_kill cgroup. */
const char *case_wait_kind_name(enum wait_kind kind);

/* Splits a cgroup FILE[.KEY] at the end of the file's name, as the facts
 * cgroup.GROUP.FILE.KEY split it: the file is the first two dot-separated
 * words (memory.events, memory.current, cpu.stat), or more for the files
 * whose names have more (memory.swap.*, memory.kmem.tcp.*, ..., see the
 * table in wait.c); the rest, when there is any, is the key. *key is NULL
 * when there is none. Returns -1 (nothing set) when s is not two or more
 * words of letters, digits, _ and - joined by single dots. */
int case_wait_split_file(const char *s, char **file, char **key);

/* Appends ms as a case file writes it: "30s" for whole seconds, else "1500ms". */
void case_add_duration(struct strbuf *out, long ms);

#endif
