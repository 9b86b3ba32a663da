/* kvm_cache: whether KVM ran a guest on this host, remembered for a day in
 * the state directory (where only the user writes), per host boot, QEMU
 * binary and kernel, so that not every run pays for the probe. */
#ifndef OOMTEST_KVM_CACHE_H
#define OOMTEST_KVM_CACHE_H

#include <sys/types.h>
#include <time.h>
#include "lib/strbuf.h"

#define KVM_CACHE_SECONDS (24 * 60 * 60)
/* A probe that timed out is remembered for less: it may have been a busy
 * host, but a host where KVM never gets a guest anywhere (a /dev/kvm
 * without the CPU's support) must not cost every run the probe's wait. */
#define KVM_CACHE_TIMEOUT_SECONDS (60 * 60)

enum kvm_probe {
	KVM_PROBE_WORKS,     /* the guest's agent said ready */
	KVM_PROBE_FAILS,     /* QEMU ended before it did */
	KVM_PROBE_TIMED_OUT, /* neither in time: a busy host says nothing of KVM */
};

/* STATE_DIR/kvm-probe-HASH, HASH the key's (free() it): one file per key,
 * so that runs that alternate between kernels (one's own and a default
 * target's) each keep their answer instead of probing again. */
char *kvm_cache_path(const char *state_dir, const char *key);
/* What the answer depends on: the host's boot, the QEMU binary (path,
 * size, mtime) and the kernel image. */
void kvm_cache_key(struct strbuf *key, const char *qemu, const char *kernel);
/* The remembered answer for key: 1 works, 0 fails (or timed out less than
 * KVM_CACHE_TIMEOUT_SECONDS ago: guests then run without KVM); -1 when
 * there is none to trust (no file, another key, older than
 * KVM_CACHE_SECONDS at now, not a regular file owned by uid, or writable
 * by others). */
int kvm_cache_read(const char *path, const char *key, time_t now, uid_t uid);
/* Remembers result for key; a timeout does not replace a clear answer
 * still remembered for it. 0 or -errno. */
int kvm_cache_write(const char *path, const char *key, enum kvm_probe result, time_t now);

#endif
