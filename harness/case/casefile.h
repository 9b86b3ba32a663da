/* casefile: parses *.case files (INI: [sections], key = value, # comments)
 * into a struct oomcase, through one table of keys per section; every
 * error is "file:line: message". The public API of harness/case's parser
 * (its modules: lexer, errors, parser, keys_*, programs, hostpath, kbuild,
 * params, checks, help). */
#ifndef OOMTEST_CASEFILE_H
#define OOMTEST_CASEFILE_H

#include <stddef.h>
#include "case/expect.h"
#include "case/help.h"		/* case_print_help */
#include "lib/strbuf.h"
#include "proto/disks.h"

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

/* wait = CONDITION: what the agent watches, after the step's action,
 * before the next step begins (instead of sleeping a fixed time). */
enum wait_kind {
	WAIT_EXIT,                 /* exit [STEP]: the step (default: this one) has exited */
	WAIT_OUTPUT,               /* output "TEXT": this step printed a line holding TEXT */
	WAIT_OOM_KILL,             /* oom_kill [GROUP]: one more OOM kill than when the step
				      began: vmstat's oom_kill, or the group's oom_kill count */
	WAIT_CGROUP,               /* cgroup GROUP FILE[.KEY] OP NUMBER: a cgroup file's value */
};

struct case_wait {
	enum wait_kind kind;
	char *step;                /* WAIT_EXIT: the step; WAIT_OUTPUT: this step */
	char *group;               /* WAIT_OOM_KILL (NULL: the whole guest), WAIT_CGROUP */
	char *text;                /* WAIT_OUTPUT */
	char *file;                /* WAIT_CGROUP: e.g. "memory.events" */
	char *key;                 /* WAIT_CGROUP: e.g. "high"; NULL: the file is one number */
	enum expect_op op;         /* WAIT_CGROUP: OP_EQ .. OP_GE */
	long long value;           /* WAIT_CGROUP: sizes already in bytes */
	long max_ms;               /* the bound: wait_max, default CASE_WAIT_MAX_MS */
	char *text_form;           /* the condition as written, for messages */
	int line;
};

#define CASE_WAIT_MAX_MS 30000L

/* A path of the case that names a host file may hold ${arch}: it is
 * replaced by each target's arch (x86_64, i386) when the run's payload is
 * put together, so one case can bring a program built for each arch. */
#define CASE_ARCH_VAR "${arch}"

struct case_file {             /* [files]: GUEST_PATH = HOST_PATH */
	char *guest;               /* absolute, checked: not the agent's own, /proc, /sys, /dev */
	char *host;                /* absolute (a relative one is taken from the case file's
				      directory); may hold ${arch} */
	int line;
};

struct case_step {
	char *name;
	enum step_kind kind;
	char **argv;               /* run: program + args; module: name + params ("k=v") */
	size_t argc;
	char *cgroup;              /* NULL: none */
	int background;
	long sleep_ms;             /* after starting the step; 0: none */
	struct case_wait *wait;    /* NULL: none */
	char **collect;            /* proto/collect.h: buddyinfo meminfo vmstat cgroup:NAME proc:STEP */
	size_t ncollect;
	char *write_path;          /* write: a /proc or /sys file; NULL: none */
	char *write_value;         /* what is written to it */
	char *rmmod;               /* module to unload after the rest; NULL: none */
	int oom_score_adj;         /* for the step's process, when has_oom_score_adj */
	int has_oom_score_adj;
	/* run = ./prog or module = ./dir/ | ./x.ko: the host file or directory,
	 * absolute (relative ones are taken from the case file's directory);
	 * may hold ${arch}. NULL: a bare name (run: hog, a busybox applet or a
	 * program of `packages`; module: oom_trigger). For run, argv[0] is then
	 * the program's guest path, CASE_USER_BIN "/" its base name. */
	char *host_path;
	int module_is_dir;         /* module: host_path is a Kbuild source directory, else a .ko */
	int tap;                   /* tap = yes: the step's output is read as TAP/KTAP */
	int line;                  /* of its [step] header */
	int key_line;              /* of its run or module key; 0: neither */
};

/* Where a case's own programs (run = ./prog) are put in the guest. */
#define CASE_USER_BIN "/usr/local/bin"

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
	struct case_setting *sysctls;  /* [sysctl]: written before anything else, in order */
	size_t nsysctls;
	char **needs;              /* [case] needs = ...: requirement words, validated syntax */
	size_t nneeds;
	char *variant;             /* "memory=64M,order=1" for an expanded run; NULL: not expanded */
	char **packages;           /* [case] packages = ...: Debian packages for the guest */
	size_t npackages;
	int packages_line;
	struct case_file *files;   /* [files], in file order */
	size_t nfiles;
	unsigned long long swap;   /* [case] swap = SIZE: bytes of swap the guest gets; 0: none */
	int swap_line;
	unsigned long long disk;   /* [case] disk = SIZE: an ext4 filesystem of this size
				      mounted at CASE_DISK_MOUNT; 0: none */
	int disk_line;
};

/* Where the guest mounts a case's disk. */
#define CASE_DISK_MOUNT DISK_MOUNT

/* A case file with [params] (or several memory sizes) stands for several
 * runs, one per combination of values, each a complete struct oomcase in
 * which every ${name} has been replaced. Returns 0 with *cases and *ncases
 * filled (one entry when nothing is expanded), or -1 with every error in
 * err. Free with case_release on each, then free(*cases). */
int case_load_all(const char *path, struct oomcase **cases, size_t *ncases, struct strbuf *err);

/* case_load_all on text held in memory; `path` names it in messages. */
int case_parse_all(const char *path, const char *text, size_t len, struct oomcase **cases,
		   size_t *ncases, struct strbuf *err);

/* Parses the file at path. Returns 0, or -1 with every error found
 * (one "file:line: message" per line) appended to err. */
int case_load(struct oomcase *c, const char *path, struct strbuf *err);
/* Parses case text held in memory; `path` names it in messages. */
int case_parse(struct oomcase *c, const char *path, const char *text, size_t len,
	       struct strbuf *err);
void case_release(struct oomcase *c);

/* Programs and modules the guest image carries. */
extern const char *const case_guest_programs[];
extern const char *const case_guest_modules[];

#endif
