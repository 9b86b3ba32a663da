/* plan: turns a parsed case into the line plan the guest agent runs
 * (mounts, cgroups and their files, steps, wait conditions, sleeps,
 * collects, "end"). */
#ifndef OOMTEST_PLAN_H
#define OOMTEST_PLAN_H

#include "case/casefile.h"
#include "lib/strbuf.h"

/* Appends the encoded plan to out. Returns 0, or -1 with a message in err
 * when the case cannot be run as written (e.g. cgroup v1 and v2 mixed). */
int plan_build(const struct oomcase *c, struct strbuf *out, struct strbuf *err);

#endif
