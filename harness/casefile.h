/* casefile: parses *.case files (INI: [sections], key = value, # comments)
 * into a struct oomcase, through one table of keys per section; every
 * error is "file:line: message". */
#ifndef OOMTEST_CASEFILE_H
#define OOMTEST_CASEFILE_H

#include <stddef.h>
#include "expect.h"
#include "strbuf.h"

struct case_setting {          /* a cgroup file to write */
	char *file;                /* e.g. "memory.limit_in_bytes" */
	char *value;
	int line;
};

struct case_cgroup {
	char *name;
	int version;               /* 1 or 2 */
	struct case_setting *settings;
	size_t nsettings;
	int line;
};

enum step_kind { STEP_NONE, STEP_RUN, STEP_MODULE };

struct case_step {
	char *name;
	enum step_kind kind;
	char **argv;               /* run: program + args; module: name + params ("k=v") */
	size_t argc;
	char *cgroup;              /* NULL: none */
	int background;
	long sleep_ms;             /* after starting the step; 0: none */
	char **collect;            /* buddyinfo meminfo vmstat zoneinfo cgroup:NAME proc:STEP */
	size_t ncollect;
	char *rmmod;               /* module to unload after the rest; NULL: none */
	int line;
};

struct oomcase {
	char *path;
	char *name;                /* file name without directory and ".case" */
	char *description;
	char **targets;            /* NULL: every default target */
	size_t ntargets;
	unsigned long long memory; /* bytes */
	long timeout_ms;
	char *cmdline;             /* extra kernel command line; NULL: none */
	struct case_cgroup *cgroups;
	size_t ncgroups;
	struct case_step *steps;   /* in file order */
	size_t nsteps;
	struct expectation *expects;
	size_t nexpects;
};

/* Parses the file at path. Returns 0, or -1 with every error found
 * (one "file:line: message" per line) appended to err. */
int case_load(struct oomcase *c, const char *path, struct strbuf *err);
/* Parses case text held in memory; `path` names it in messages. */
int case_parse(struct oomcase *c, const char *path, const char *text, size_t len,
	       struct strbuf *err);
void case_release(struct oomcase *c);
/* Prints the table of sections and keys (for `oomtest help case`). */
void case_print_help(struct strbuf *out);

/* Shared value parsers (also used for CLI options). Return 0 or -1. */
int parse_size(const char *s, unsigned long long *bytes);     /* 512K 128M 1G 4096 */
int parse_duration(const char *s, long *ms);                  /* 2s 500ms 1m 3 (seconds) */

/* Programs and modules the guest image carries. */
extern const char *const case_guest_programs[];
extern const char *const case_guest_modules[];

#endif
