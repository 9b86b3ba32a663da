/* snapshot: booted guests saved once and restored for every run. A state
 * is made the first time a (QEMU, kernel, initramfs, memory) is asked for:
 * boot to the agent's "ready", save, keep what the console and the agent
 * said until then. Cached under a directory (build/snapshots); the key
 * holds each file's size and mtime, so a rebuilt kernel or agent makes a
 * new one. Safe to share between processes: a lock per key, and the
 * states of other keys are removed only under their own lock, only when
 * their files changed, never their lock files. */
#ifndef OOMTEST_SNAPSHOT_H
#define OOMTEST_SNAPSHOT_H

#include "backend/backend.h"
#include "lib/strbuf.h"

struct snapshot {
	char *state;            /* the saved machine state */
	struct strbuf console;  /* the console up to the save */
	struct strbuf agent;    /* the agent channel up to the save */
	double made_seconds;    /* > 0: made by this call, in that time */
};

/* The cache key of cfg: every input the saved state depends on. */
void snapshot_key(const struct backend_ops *b, const struct vm_config *cfg, struct strbuf *key);
/* Finds or makes the snapshot for cfg. 0, or -1 with err set. */
int snapshot_get(const struct backend_ops *b, const struct vm_config *cfg, const char *dir,
		 struct snapshot *s, struct strbuf *err);
/* Removes its files (it did not restore). */
void snapshot_drop(struct snapshot *s);
void snapshot_release(struct snapshot *s);

#endif
