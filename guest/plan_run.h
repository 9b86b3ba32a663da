/* plan_run: runs one plan line (payload, mount, cgroup, cgset, sysctl, run,
 * module, write, rmmod, sleep, wait, shell, collect); what fails is an
 * "err" record. */
#ifndef OOMTEST_GUEST_PLAN_RUN_H
#define OOMTEST_GUEST_PLAN_RUN_H

struct plan_line;

void run_line(struct plan_line *l);
/* Removes the modules the plan loaded: one may still hold all memory, and
 * powering off needs some. */
void unload_plan_modules(void);

#endif
