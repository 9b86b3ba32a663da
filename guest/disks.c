/* disks: swap on and the data disk mounted. */
#include "guest/disks.h"
#include "guest/buf.h"
#include "guest/chan.h"
#include "guest/files.h"
#include "guest/modules.h"
#include "proto/disks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"

#define DISK_WAIT_MS 5000

char *disks_find(const char *sys_block, const char *serial)
{
	DIR *d = opendir(sys_block);
	struct dirent *e;
	char *found = NULL;
	struct buf text = { 0 };

	buf_reserve(&text, 256);
	while (d && !found && (e = readdir(d))) {
		char *path = NULL;
		if (e->d_name[0] == '.' || asprintf(&path, "%s/%s/serial", sys_block, e->d_name) < 0)
			continue;
		if (!read_file(path, &text)) {
			size_t n = strcspn(text.p, "\n");
			if (n == strlen(serial) && !memcmp(text.p, serial, n) && asprintf(&found, "/dev/%s", e->d_name) < 0)
				found = NULL;
		}
		free(path);
	}
	if (d)
		closedir(d);
	free(text.p);
	return found;
}

/* The disk's node, waited for: a cold guest may still be probing it. Its
 * pages cached by the probe (a restored guest probed an empty disk) are
 * dropped, so that what is read next comes from this run's disk. */
static char *open_disk(const char *serial)
{
	uint64_t deadline = clock_now_ms() + DISK_WAIT_MS;
	char *dev;

	while (!(dev = disks_find("/sys/block", serial)) && clock_now_ms() < deadline)
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
	if (!dev) {
		send_err("disk %s: no virtio disk with that serial", serial);
		return NULL;
	}
	int fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BLKFLSBUF, 0)) {
		send_err("disk %s: %s: %s", serial, dev, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(dev);
		return NULL;
	}
	close(fd);
	return dev;
}

void disks_swap_on(void)
{
	char *dev = open_disk(DISK_SWAP_SERIAL);

	if (dev && swapon(dev, 0))
		send_err("swapon %s: %s", dev, strerror(errno));
	free(dev);
}

void disks_mount(void)
{
	modules_load_dir(DISK_MODULES_DIR);
	char *dev = open_disk(DISK_DATA_SERIAL);
	if (!dev)
		return;
	mkdir("/mnt", 0755);
	mkdir(DISK_MOUNT, 0755);
	if (mount(dev, DISK_MOUNT, DISK_DATA_FSTYPE, 0, NULL))
		send_err("mount %s on %s (%s): %s", dev, DISK_MOUNT, DISK_DATA_FSTYPE, strerror(errno));
	free(dev);
}
