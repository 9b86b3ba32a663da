/* kconfig: the kernel configuration oomtest needs on an arch. Two sources:
 * a table of what the harness needs for every run (the serial console and
 * the agent channel, the initramfs, devtmpfs, modules: without them no
 * guest boots or talks; pvpanic, printk times, PVH: nice to have), and what
 * a set of cases asks for (their `needs kconfig:` words, [cgroup] versions,
 * swap =, disk =, the payload's virtio disk, modules, scripts, hog kinds).
 * Printed as a fragment for the kernel's scripts/kconfig/merge_config.sh;
 * kconfig_check.h checks a build tree's config against it. */
#ifndef OOMTEST_KCONFIG_H
#define OOMTEST_KCONFIG_H

#include <stddef.h>
#include "case/casefile.h"
#include "lib/strbuf.h"

/* What a config must say of an option. */
enum kconfig_want {
	KCONFIG_Y,                 /* =y (built in) */
	KCONFIG_Y_OR_M,            /* =y or =m (a module is loaded from the initramfs or payload) */
	KCONFIG_SET,               /* y, m or any value: `needs kconfig:CONFIG_X` */
	KCONFIG_NOT_SET,           /* absent or "is not set": `needs kconfig:!CONFIG_X` */
	KCONFIG_AT_LEAST,          /* a number, at least min */
};

/* What its absence does. */
enum kconfig_level {
	KCONFIG_HARD,              /* no guest boots or talks: a run refuses to start */
	KCONFIG_OPTIONAL,          /* every run works without it, with less */
	KCONFIG_CASES,             /* the cases named skip (their `needs` says so) or fail */
};

struct kconfig_case_ref {
	char *name;                /* the case's name (its runs are one) */
	int skips;                 /* 1: its needs make it skip; 0: it would fail */
};

struct kconfig_req {
	char *option;              /* "CONFIG_SERIAL_8250" */
	enum kconfig_want want;
	long min;                  /* KCONFIG_AT_LEAST */
	char *value;               /* what the fragment sets: "y", "4"; NULL: "# ... is not set" */
	char *why;
	enum kconfig_level level;
	const char *since;         /* the first kernel with the option ("6.11"); NULL: every one */
	struct kconfig_case_ref *cases;  /* KCONFIG_CASES: who needs it, in case order */
	size_t ncases;
	struct kconfig_case_ref *conflicts; /* cases that want the opposite: left out */
	size_t nconflicts;
	int fragment_only;         /* what another option depends on, so that the fragment
				      takes: not checked (a config may meet it another way) */
};

struct kconfig_reqs {
	struct kconfig_req *v;     /* the harness's first (hard, then optional), then the cases' */
	size_t n;
};

/* What arch (target/arch.h's name) needs for the cases given (NULL, 0:
 * the harness's own only). A case counts when its `targets` and `needs
 * arch:` admit arch and, when release is given ("6.12.118"), its `needs
 * min-kernel:`/`max-kernel:` admit that. Release with kconfig_reqs_release. */
void kconfig_requirements(struct kconfig_reqs *r, const char *arch, const char *release,
			  const struct oomcase *cases, size_t ncases);
void kconfig_reqs_release(struct kconfig_reqs *r);

/* The fragment: a header of comment lines, then per option a comment line
 * (kconfig takes no comment after a value) with its name without CONFIG_
 * (merge_config.sh would take a line naming CONFIG_X for its value), why,
 * and its cases: "# X: why; cases: a, b" or "every case"; then the value
 * line, "CONFIG_X=y", "CONFIG_X=4" or "# CONFIG_X is not set". */
void kconfig_fragment(const struct kconfig_reqs *r, const char *arch, struct strbuf *out);

/* q's why: "required: " before a hard one's. */
void kconfig_req_why(const struct kconfig_req *q, struct strbuf *out);
/* The names of q's cases, ", " between: all, or those whose skips is
 * skips. */
void kconfig_req_cases(const struct kconfig_req *q, int skips, int all, struct strbuf *out);

#endif
