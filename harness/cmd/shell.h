/* shell: `oomtest shell` — one guest with the module, the hog and a busybox
 * shell, its serial console bridged to the user's terminal (raw mode;
 * Ctrl-] kills the guest). */
#ifndef OOMTEST_SHELL_H
#define OOMTEST_SHELL_H

#include "backend/backend.h"
#include "target/target.h"

struct shell_request {
	const struct backend_ops *backend;
	const struct target *target;
	const char *initrd;          /* the target's initramfs-shell.cpio */
	unsigned long long memory;
	const char *snapshot_dir;    /* restore a booted guest saved here; NULL: boot */
	int in_fd, out_fd;           /* the user's terminal (or pipes) */
};

/* Returns 0 when the guest powered off after the shell exited, 1 when it
 * ended otherwise (Ctrl-], a panic, a signal), 2 when it could not start
 * (with a message on stderr). */
int shell_run(const struct shell_request *rq);

/* `oomtest shell [--target T] [--memory SIZE] [--cold-boot]`: the target
 * prepared, then shell_run. argv[0] is "shell". */
int cmd_shell(int argc, char **argv);

#endif
