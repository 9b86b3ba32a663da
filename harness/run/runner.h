/* runner: one run of one case on one target — the plan sent, the guest
 * started (or restored), both streams pumped into logs, the kernel-log
 * parser and the record reader until the guest ends (on a single console,
 * the plan baked into the initrd and the records taken out of the console:
 * run/bake.h, run/deframe.h); then the judge
 * (run/judge.h) and the run's files (run/run_files.h). */
#ifndef OOMTEST_RUNNER_H
#define OOMTEST_RUNNER_H

#include <signal.h>
#include "backend/backend.h"
#include "case/casefile.h"
#include "lib/facts.h"
#include "lib/strbuf.h"
#include "proto/siphash.h"
#include "run/judge.h"
#include "target/target.h"

/* The console text expectations on "console" see: its first 16 MiB. */
#define RUN_CONSOLE_KEEP (16u << 20)

struct run_request {
	const struct oomcase *c;
	const struct target *t;
	const struct backend_ops *backend;
	const char *initrd;
	const char *run_dir;       /* created by the caller */
	long timeout_ms;
	long silence_ms;           /* no byte on either stream this long: a wedged guest; 0: off */
	unsigned long long log_limit; /* bytes kept of each log file; 0: the default 64 MiB */
	const char *snapshot_dir;  /* start from a saved booted guest kept here; NULL: boot */
	const char *payload;       /* the run's payload disk (proto/payload.h); NULL: none */
	const char *swap_disk;     /* its swap and data disks (proto/disks.h); NULL: none */
	const char *data_disk;
	int single_console;        /* the console only: the plan baked into a copy of initrd in
				      run_dir, the records read out of the console (proto/frame.h);
				      boots cold */
};

/* Set from a signal handler: the current run stops at once. */
extern volatile sig_atomic_t runner_interrupted;

/* Whether an agent record line is a periodic sample (mem, sys, cgmem):
 * those do not count against --silence. */
int runner_is_sample(const char *line, size_t len);

/* The plan a run's guest is given: "payload", "swap" and "disk" first
 * when it has those disks, then the case's (case/plan.h), appended to
 * plan. 0, or -1 with err. */
int runner_plan(const struct oomcase *c, int payload, int swap, int disk, struct strbuf *plan,
		struct strbuf *err);
/* A single-console run's plan baked in (run/bake.h): a new key, whose line
 * is put before plan's text, plan written to dir/plan.txt and base_initrd
 * with it to initrd. 0, or -1 with err. */
int runner_bake(const char *dir, const char *base_initrd, struct strbuf *plan,
		unsigned char key[SIPHASH_KEY_BYTES], const char *initrd, struct strbuf *err);

/* Runs it; always fills res (never fails itself). */
void run_one(const struct run_request *rq, struct run_result *res);

#endif
