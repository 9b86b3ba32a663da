/* disks: the run's swap and data disks (proto/disks.h): found by their
 * serials, their cached pages from the saved guest's probe dropped, then
 * swap turned on (plan line "swap") or the filesystem's modules loaded and
 * it mounted at DISK_MOUNT (plan line "disk"). Failures are "err" records. */
#ifndef OOMTEST_GUEST_DISKS_H
#define OOMTEST_GUEST_DISKS_H

void disks_swap_on(void);
void disks_mount(void);

/* For tests: the device node of the block device whose sysfs directory
 * under sys_block has a serial file holding serial ("/dev/vdb"); NULL
 * if none. malloc'd. */
char *disks_find(const char *sys_block, const char *serial);

#endif
