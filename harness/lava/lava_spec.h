/* lava_spec: the LAVA job of one oomtest run, as struct lava_job_spec
 * (lava/lava_job.h), from the run's vm_config (backend/backend.h): its
 * target's kernel and the baked initramfs at the URLs given, its memory,
 * the arch's machine and CPU, the kernel command line every backend boots
 * with for a single console (panic=-1 included), -no-reboot, and timeouts
 * from the run's. The job's boot ends at the agent's "ready" frame and its
 * test at the "done" frame (proto/frame.h): both are regexes, since a
 * frame's tag depends on the run's key. Used by `--backend lava-local`
 * and `oomtest lava-job`. */
#ifndef OOMTEST_LAVA_SPEC_H
#define OOMTEST_LAVA_SPEC_H

#include <stdbool.h>

#include "backend/backend.h"
#include "lava/lava_job.h"
#include "lib/strbuf.h"

/* The agent's "ready" record's first fragment on the console, and its
 * one-fragment "done" record (FRAME_PREFIX, a 16-hex-digit tag, SEQ, FLAG). */
#define LAVA_SPEC_READY_RE "oomtest:[0-9a-f]{16} [0-9]+ [.+] ready "
#define LAVA_SPEC_DONE_RE "oomtest:[0-9a-f]{16} [0-9]+ \\. done[\\r\\n]"
/* Copying (or downloading) kernel and initramfs. */
#define LAVA_SPEC_DEPLOY_S 120
/* The run's timeout when it has none. */
#define LAVA_SPEC_DEFAULT_RUN_S 300
/* What LAVA takes before QEMU starts (its start-up, validation, deploy),
 * which the run's own clock counts too: its boot timeout is this much
 * shorter than the run's, so that a boot that hangs ends with LAVA's word. */
#define LAVA_SPEC_OVERHEAD_S 10

struct lava_spec {
	struct lava_job_spec job;
	/* what job points into */
	struct strbuf name, kernel_url, initrd_url, cmdline;
	char **extra;
	size_t n_extra;
};

/* Fills s for cfg (its target, memory, extra_cmdline, disks, timeout_ms;
 * its initrd is the one at initrd_url). kvm: the job's QEMU runs with
 * KVM. local: the job runs on this host's dispatcher (lava-run), which may
 * attach the run's disk images by path; elsewhere a run with a disk
 * cannot be a LAVA job. 0, or -1 with err (s released either way on
 * error). */
int lava_spec_init(struct lava_spec *s, const struct vm_config *cfg, const char *job_name,
		   const char *kernel_url, const char *initrd_url, bool kvm, bool local, struct strbuf *err);
void lava_spec_release(struct lava_spec *s);
/* "oomtest CASE/TARGET": the job's name for a run directory
 * RESULTS/RUNID/CASE/TARGET. */
void lava_spec_job_name(const char *run_dir, struct strbuf *out);
/* The kernel command line a single-console run boots with (the qemu
 * backend's: the arch's, the payload's, the case's, then
 * BACKEND_SINGLE_CONSOLE_CMDLINE). */
void lava_spec_cmdline(const struct vm_config *cfg, struct strbuf *out);
/* The same without the arch's console=: a board's device type names
 * its own console (lava/lava_board.h). */
void lava_spec_board_cmdline(const struct vm_config *cfg, struct strbuf *out);

#endif
