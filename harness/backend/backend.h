/* backend: how a guest is started and stopped (one file per backend, like
 * fio's ioengines). A backend hands the runner two byte streams — the
 * kernel console and the agent channel — and reports how the guest ended. */
#ifndef OOMTEST_BACKEND_H
#define OOMTEST_BACKEND_H

#include "lib/strbuf.h"
#include "proto/proto.h"
#include "target/target.h"

struct vm_config {
	const struct target *target;
	const char *initrd;
	unsigned long long memory;     /* bytes */
	const char *extra_cmdline;     /* may be NULL */
	const char *run_dir;           /* logs go here (qemu.log, qemu.cmdline) */
	const char *restore;           /* a saved state to start from instead of booting; NULL: boot */
	const char *payload;           /* the run's payload disk (proto/payload.h), attached as a
					  virtio disk with PAYLOAD_CMDLINE; NULL: none */
	const char *swap_disk;         /* its swap disk and data disk (proto/disks.h), attached */
	const char *data_disk;         /* writable with their serials; NULL: none */
	int single_console;            /* no agent channel: the agent's records come framed on the
					  console and its plan is in initrd (proto/proto.h,
					  oomtest.chan=kmsg); agent_fd is then -1 */
	long timeout_ms;               /* the run's whole time, for a backend whose guests have
					  timeouts of their own (LAVA's); 0: none given */
};

struct vm;

struct backend_ops {
	const char *name;
	/* The guest's machine runs as another user, who reads the kernels in
	 * the state directory: a run's own files for it (its payload disk) go
	 * there too, not into a results directory it may not enter. */
	int reads_state_dir_only;
	/* Decides, once and before any worker forks, how guests will run
	 * (KVM or TCG), booting probe (when not NULL: a prepared target) to
	 * find out; the answer may be kept in state_dir. */
	void (*setup)(const struct vm_config *probe, const char *state_dir);
	/* How guests run: part of what a saved state depends on. */
	const char *(*accel)(void);
	/* Starts the guest; on success the two fds are readable streams.
	 * -2: the host cannot be reached (another host may run it). */
	int (*start)(const struct vm_config *cfg, struct vm **out, struct strbuf *err);
	/* The guest's streams. The runner makes them non-blocking: it polls
	 * them between its looks at the clock. */
	int (*console_fd)(struct vm *vm);
	int (*agent_fd)(struct vm *vm);
	/* Waits up to timeout_ms for the guest to be gone: 1 if it is. */
	int (*wait)(struct vm *vm, int timeout_ms);
	/* Ends the guest now (whole process group / domain). */
	void (*kill)(struct vm *vm);
	/* Describes how it ended (exit status), for logs. */
	void (*describe_exit)(struct vm *vm, struct strbuf *out);
	/* Stops the guest and saves its whole state to path, for start() with
	 * restore; NULL when the backend cannot. */
	int (*save)(struct vm *vm, const char *path, struct strbuf *err);
	/* CPU time the guest's machine used (after kill or its end). */
	double (*cpu_seconds)(struct vm *vm);
	/* Whether the host running the guest went away during the run. */
	int (*host_lost)(struct vm *vm);
	/* Whether the guest reported a panic to the machine (pvpanic). */
	int (*guest_panicked)(struct vm *vm);
	void (*destroy)(struct vm *vm);
	/* Whether the guest has not started yet (a LAVA server's job still in
	 * its queue): the run's time does not run meanwhile. NULL: it starts
	 * at start(). */
	int (*not_started)(struct vm *vm);
};

/* Every backend boots a guest with its arch's kernel command line
 * (arch_guest_cmdline in target/arch.h), then PAYLOAD_CMDLINE when it
 * has a disk, then the case's, then for a single console
 * BACKEND_SINGLE_CONSOLE_CMDLINE (the last oomtest.chan= counts). */
#define BACKEND_SINGLE_CONSOLE_CMDLINE OOMTEST_CHAN_ARG OOMTEST_CHAN_KMSG " printk.devkmsg=on"

extern const struct backend_ops backend_qemu;
/* --backend lava: each guest a job of a LAVA server (backend/lava_server.c) */
extern const struct backend_ops backend_lava_server;
/* The server, its API token, and where artifacts are served (a base URL
 * and the directory behind it; both NULL: file:// URLs a worker on this
 * host reads). Set before any worker starts. */
void backend_lava_server_set(const char *url, const char *token, const char *art_url, const char *art_dir);
extern const struct backend_ops backend_libvirt;
/* Each guest a LAVA job run by this host's dispatcher, lava-run
 * (backend/lava_local.c); single console only. */
extern const struct backend_ops backend_lava_local;

/* Whether lava-local can run here: 0, or -1 with what to do in err (no
 * lava-run: install lava-dispatcher; euid, geteuid(), not root). */
int backend_lava_local_usable(unsigned euid, struct strbuf *err);
/* The lava-run program lava-local starts (default "lava-run", in PATH);
 * for tests. */
void backend_lava_local_set_program(const char *program);

/* --connect URI for backend_libvirt (set before any worker starts). */
void backend_libvirt_set_uri(const char *uri);

#endif
