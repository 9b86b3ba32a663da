/* disks: making the swap and data disk images. */
#include "payload/disks.h"
#include "lib/child.h"
#include "proto/disks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int disks_make_empty(const char *path, unsigned long long size, struct strbuf *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	/* the guest writes it, and its machine may run as another user (a
	 * libvirt daemon's): the image is the run's alone, removed after it */
	if (fd < 0 || fchmod(fd, 0666) || ftruncate(fd, (off_t)size)) {
		strbuf_addf(err, "cannot make %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Runs argv[0] (found with disks_find_tool) with the rest; its output goes
 * to err when it fails. */
static int run_tool(const char **argv, const char *path, struct strbuf *err)
{
	struct strbuf out = STRBUF_INIT, scratch = STRBUF_INIT;
	char *tool = child_find_program(argv[0]);
	const char *name = argv[0];
	int st, r = -1;

	if (!tool) {
		strbuf_addf(err, "%s not found (install %s)", name, !strcmp(name, "mkswap") ? "util-linux" : "e2fsprogs");
		return -1;
	}
	argv[0] = tool;
	const char *slash = strrchr(path, '/');
	if (slash)
		strbuf_add(&scratch, path, (size_t)(slash - path));
	else
		strbuf_addstr(&scratch, ".");
	st = child_run_capture((char *const *)argv, scratch.buf, &out);
	if (st == 0)
		r = 0;
	else
		strbuf_addf(err, "%s %s failed: %s", name, path, out.len ? out.buf : child_strerror(st < 0 ? -st : 0));
	strbuf_rtrim(err);
	argv[0] = name;
	free(tool);
	strbuf_release(&out);
	strbuf_release(&scratch);
	return r;
}

int disks_make_swap(const char *path, unsigned long long bytes, struct strbuf *err)
{
	char kib[32], page[16];

	if (bytes < 2 * DISK_SWAP_PAGE || bytes > DISK_SWAP_SIZE) {
		strbuf_addf(err, "a swap area of %llu bytes does not fit its disk", bytes);
		return -1;
	}
	if (disks_make_empty(path, DISK_SWAP_SIZE, err))
		return -1;
	/* mkswap's size is in KiB */
	snprintf(kib, sizeof(kib), "%llu", bytes / DISK_SWAP_PAGE * (DISK_SWAP_PAGE / 1024));
	snprintf(page, sizeof(page), "%d", DISK_SWAP_PAGE);
	const char *argv[] = { "mkswap", "-q", "-p", page, "-L", DISK_SWAP_SERIAL, path, kib, NULL };
	return run_tool(argv, path, err);
}

int disks_make_data(const char *path, unsigned long long bytes, const char *content_dir, struct strbuf *err)
{
	char kib[32];

	if (bytes > DISK_DATA_SIZE) {
		strbuf_addf(err, "a filesystem of %llu bytes does not fit its disk", bytes);
		return -1;
	}
	if (disks_make_empty(path, DISK_DATA_SIZE, err))
		return -1;
	snprintf(kib, sizeof(kib), "%lluk", bytes / 1024);
	/* -m 0: no blocks kept for root, the case's files are root's;
	 * nodiscard: the image is sparse already */
	const char *argv[16] = { "mke2fs", "-q", "-F", "-t", DISK_DATA_FSTYPE, "-m", "0", "-L", DISK_DATA_SERIAL,
				 "-E", "nodiscard,root_owner=0:0" };
	size_t n = 11;
	if (content_dir) {
		argv[n++] = "-d";
		argv[n++] = content_dir;
	}
	argv[n++] = path;
	argv[n++] = kib;
	argv[n] = NULL;
	return run_tool(argv, path, err);
}
