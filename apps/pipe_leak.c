/* pipe_leak: eats memory that is not its own address space: the buffers of
 * pipes it fills and never reads. They are kernel pages, charged to the
 * process's memory cgroup, and count in no RSS.
 *   pipe_leak [--pipe SIZE] [--hold] SIZE
 * Fills pipes of --pipe bytes each (default 1M; root may go past
 * /proc/sys/fs/pipe-max-size) until SIZE bytes sit in them (0: no end,
 * until killed). SIZE takes K, M, G suffixes and an optional iB, as case
 * files do. Prints one progress line per full pipe. Exits 0 when SIZE is
 * reached (with --hold it waits for a signal instead, keeping the pipes),
 * 2 on a bad argument, 3 when the kernel refuses a pipe or a page (ENOMEM,
 * or out of descriptors). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lib/units.h"

static void usage(FILE *f)
{
	fputs("usage: pipe_leak [--pipe SIZE] [--hold] SIZE\n"
	      "  fill pipes (--pipe bytes each, default 1M) with SIZE bytes never read (0: until killed);\n"
	      "  --hold: then wait for a signal\n", f);
}

/* Room for the descriptors the pipes need: the soft limit up to the hard
 * one, and past it where the process may (root). */
static void raise_fd_limit(unsigned long long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (want > rl.rlim_max) {
		struct rlimit more = { (rlim_t)want, (rlim_t)want };
		if (!setrlimit(RLIMIT_NOFILE, &more))
			return;
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* Writes into fd until the pipe is full or total reaches target.
 * Returns 0 when it stopped for either, else -errno. */
static int fill(int fd, unsigned long long *total, unsigned long long target)
{
	static char block[64 * 1024];

	memset(block, 0xa5, sizeof(block));
	while (!target || *total < target) {
		size_t n = sizeof(block);
		ssize_t w;

		if (target && target - *total < n)
			n = (size_t)(target - *total);
		w = write(fd, block, n);
		if (w > 0)
			*total += (unsigned long long)w;
		else if (w < 0 && errno == EAGAIN)
			return 0;
		else if (w < 0 && errno != EINTR)
			return -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long target = 0, pipe_size = 1 << 20, total = 0;
	int hold = 0, have_target = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--hold")) {
			hold = 1;
		} else if (!strcmp(argv[i], "--pipe") && i + 1 < argc) {
			if (units_parse_size(argv[++i], &pipe_size) || !pipe_size || pipe_size > 1u << 30) {
				fprintf(stderr, "pipe_leak: '%s': not a pipe size (1 up to 1G)\n", argv[i]);
				return 2;
			}
		} else if (!have_target && argv[i][0] != '-' && !units_parse_size(argv[i], &target)) {
			have_target = 1;
		} else {
			fprintf(stderr, "pipe_leak: '%s': not an option or a size\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!have_target) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	raise_fd_limit(target ? 2 * (target / 4096 + 1) + 16 : 1 << 20);
	printf("pipe_leak: pid %d size %llu pipe %llu\n", (int)getpid(), target, pipe_size);
	for (unsigned long n = 1; !target || total < target; n++) {
		int p[2], got, r;

		if (pipe2(p, O_NONBLOCK | O_CLOEXEC)) {
			printf("pipe_leak: pipe %lu refused after %llu bytes: %s\n", n, total, strerror(errno));
			return 3;
		}
		/* the kernel rounds the size up to a power of two pages; a
		 * refused size leaves the default (16 pages) */
		got = fcntl(p[1], F_SETPIPE_SZ, (int)pipe_size);
		r = fill(p[1], &total, target);
		if (r) {
			printf("pipe_leak: write to pipe %lu refused after %llu bytes: %s\n", n, total,
			       strerror(-r));
			return 3;
		}
		printf("pipe_leak: pipe %lu of %d bytes, total %llu\n", n, got > 0 ? got : -1, total);
	}
	printf("pipe_leak: reached %llu\n", total);
	if (hold)
		for (;;)
			pause();
	return 0;
}
