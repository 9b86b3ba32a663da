/* kconfig_check: a kernel build tree's config (kconfig_file.h) checked
 * against what oomtest needs on an arch and what the cases need
 * (kconfig.h), before any guest boots: each option that is not as wanted,
 * with why and the cases that will skip or fail without it; a config for
 * another arch is a miss too. */
#ifndef OOMTEST_KCONFIG_CHECK_H
#define OOMTEST_KCONFIG_CHECK_H

#include <stddef.h>
#include "case/casefile.h"
#include "lib/strbuf.h"
#include "target/kconfig.h"
#include "target/kconfig_file.h"

/* One option a config does not have as wanted. */
struct kconfig_miss {
	const struct kconfig_req *req;  /* into the requirements checked */
	char *have;                /* "is not set", "=m", "=1" */
};

/* Its misses point into it: it is not copied, only released. */
struct kconfig_report {
	struct kconfig_reqs reqs;  /* what was checked */
	char *config_path;         /* the file read */
	char *version;             /* its kernel version; NULL: unknown */
	char *config_arch;         /* the arch it builds; NULL: unknown */
	char *arch;                /* the arch checked for: given, else the config's */
	struct kconfig_req arch_req; /* a config of another arch: the symbol it lacks */
	struct kconfig_miss *v;    /* hard ones first, then optional, then the cases' */
	size_t n, nhard;
	size_t nchecked;           /* the requirements checked (not those fragment_only) */
};

/* Checks kdir's config (kconfig_file_load) against what arch (NULL: the
 * arch the config builds) and the cases need. 0 with rep filled
 * (rep->nhard: the misses no guest runs without; a config for another arch
 * is one), or -1 with err (no config there, or arch NULL and the config
 * does not say). Release rep with kconfig_report_release either way. */
int kconfig_check(const char *kdir, const char *arch, const struct oomcase *cases, size_t ncases,
		  struct kconfig_report *rep, struct strbuf *err);
/* The same of a config already read; config_path names it. */
int kconfig_check_config(const struct kconfig_file *f, const char *config_path, const char *arch,
			 const struct oomcase *cases, size_t ncases, struct kconfig_report *rep, struct strbuf *err);
void kconfig_report_release(struct kconfig_report *rep);

/* One miss as a line without its end: "CONFIG_X is not set (wanted y):
 * why; cases that will skip: a, b; cases that will fail: c". */
void kconfig_miss_text(const struct kconfig_miss *m, struct strbuf *out);
/* What a requirement wants, in words: "y", "y or m", "not set", "2 or more". */
const char *kconfig_want_text(const struct kconfig_req *q, struct strbuf *buf);

#endif
