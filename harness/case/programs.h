/* programs: what a step's `run` and `module` name: the image's hog and
 * oom_trigger, a program the guest has (a busybox applet, a program of the
 * case's packages), or the case's own programs and modules on the host
 * (a path with '/'). */
#ifndef OOMTEST_CASE_PROGRAMS_H
#define OOMTEST_CASE_PROGRAMS_H

#include "case/parser.h"

/* The characters of a bare program name, and of a program's base name. */
#define PROGRAM_CHARS	"letters, digits and _ . + -"

/* run = PROG ARGS...: a host PROG becomes CASE_USER_BIN "/" its base
 * name in argv[0], with the host file in step->host_path. */
void case_set_run(struct parser *p, const char *key, const char *val);
/* module = SRC PARAMS...: argv[0] becomes the module's name; a host SRC
 * (a .ko, or a Kbuild directory) goes to step->host_path. */
void case_set_module(struct parser *p, const char *key, const char *val);

#endif
