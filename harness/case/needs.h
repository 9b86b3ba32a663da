/* needs: whether a target can run a case — the case's `needs` words plus
 * what its cgroups imply (a v1 group needs the v1 memory controller) —
 * judged from the target's arch, kernel release and kernel config, and the
 * memory the host had to spare when the run began. An unmet
 * need becomes a SKIP with its reason, never a silent pass. */
#ifndef OOMTEST_NEEDS_H
#define OOMTEST_NEEDS_H

#include "case/casefile.h"
#include "lib/strbuf.h"
#include "target/target.h"

/* Whether the case's `targets` (names or arches; none: every target) pick t. */
int needs_target(const struct oomcase *c, const struct target *t);

/* Returns 1 when every need is met; 0 with the reason in why. host_memory
 * is the guest memory the host can spare, read once before any guest
 * starts (sched_memory_budget), so that memory:SIZE is decided the same
 * whatever else runs beside the case. */
int needs_met(const struct oomcase *c, const struct target *t, unsigned long long host_memory,
	      struct strbuf *why);

/* Kernel config lookup from a .config text: "y", "m", a value, or NULL when
 * not set. Exposed for tests. */
const char *kconfig_value(const char *config_text, const char *name, struct strbuf *buf);
/* Compares a release ("6.12.117+deb12-amd64") with "X.Y[.Z]": <0, 0, >0. */
int release_cmp(const char *release, const char *version);

#endif
