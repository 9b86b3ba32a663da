/* backend_qemu: a guest in a QEMU started directly (the ops are in
 * backend.h); what is exposed here is for tests. */
#ifndef OOMTEST_BACKEND_QEMU_H
#define OOMTEST_BACKEND_QEMU_H

#include "backend/backend.h"

/* The QEMU command line for cfg: accel is "kvm" or "tcg", the console,
 * agent and QMP sockets are made in sockdir. A NULL-terminated vector;
 * qemu_argv_free() it. */
char **qemu_argv(const struct vm_config *cfg, const char *accel, const char *sockdir);
void qemu_argv_free(char **argv);

#endif
