/* oomtest-init: the guest agent, PID 1 of every oomtest guest.
 *
 * Mounts what the guest needs, loads the image's modules (and the payload
 * disk's driver when booted for one: proto/payload.h), says "ready" on the
 * agent channel (the second serial port; on a guest with one console,
 * /dev/kmsg, the plan then baked into the initramfs: guest/chan.h), reads
 * the run's plan up to "end",
 * unpacks the payload first when the plan begins with it, runs the rest
 * line by line, streams records back (see proto/proto.h) and powers the
 * machine off.
 * Static, no shell: steps are exec'd from argv vectors taken from the plan. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "guest/chan.h"
#include "guest/collect.h"
#include "guest/files.h"
#include "guest/modules.h"
#include "guest/payload.h"
#include "guest/plan_read.h"
#include "guest/plan_run.h"
#include "guest/sample.h"
#include "guest/steps.h"
#include "lib/clock.h"
#include "proto/payload.h"
#include "proto/proto.h"

static void setup_mounts(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	/* Without /dev/console in the image the kernel gave us no stdio. */
	if (fcntl(2, F_GETFD) < 0) {
		int fd = open("/dev/console", O_RDWR | O_NOCTTY);
		for (int i = 0; fd >= 0 && i < 3; i++)
			if (fcntl(i, F_GETFD) < 0)
				dup2(fd, i);
		if (fd > 2)
			close(fd);
	}
}

static void finish(void)
{
	/* Background steps still running when the plan ends are reported as
	 * "left" (still running) before they are killed. */
	steps_end();
	send_rec("done", NULL);
	chan_drain();
	unload_plan_modules();
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* The agent must keep working when a step has eaten nearly all memory:
 * keep freed heap, prefault some, and lock everything it maps. */
static void reserve_memory(void)
{
	char stack[64 << 10];

	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	free(calloc(1, 1 << 20));
	memset(stack, 0, sizeof(stack));
	__asm__ volatile("" : : "r"(stack) : "memory");
	mlockall(MCL_CURRENT | MCL_FUTURE);
}

/* The kernel command line, read once: what the harness tells the agent
 * before any channel exists (proto/proto.h): the channel's device, and
 * whether the guest has disks. */
static struct buf cmdline;

static void read_cmdline(void)
{
	buf_reserve(&cmdline, 4096);
	if (read_file("/proc/cmdline", &cmdline))
		cmdline.p[0] = '\0';
}

/* Whether a pvpanic driver has a device: then QEMU hears of a panic. */
static int pvpanic_bound(void)
{
	static const char *const dirs[] = { "/sys/bus/platform/drivers/pvpanic-mmio",
					    "/sys/bus/pci/drivers/pvpanic-pci", NULL };
	int found = 0;

	for (int i = 0; dirs[i] && !found; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;

		while (d && (e = readdir(d)))
			found |= strchr(e->d_name, ':') != NULL;
		if (d)
			closedir(d);
	}
	return found;
}

/* A virtio console's port (hvc0) appears once its driver has heard from
 * the host, a little after the module is loaded: it is waited for. */
static int open_channel(const char *dev)
{
	uint64_t deadline = clock_now_ms() + 10000;
	int fd;

	while ((fd = chan_open(dev)) < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO) &&
	       clock_now_ms() < deadline)
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	return fd;
}

int main(int argc, char **argv)
{
	/* a module step's process (steps.h), not the guest's init */
	if (getpid() != 1 && argc >= 3 && !strcmp(argv[1], STEPS_LOAD_MODULE))
		return steps_module_main(argc, argv);
	struct plan_line *plan;
	struct utsname u;
	size_t nplan;

	setup_mounts();
	reserve_memory();
	char chan_dev[64] = "(oomtest.chan= unusable)";
	read_cmdline();
	/* the image's own modules (pvpanic; virtio_console, the channel's
	 * driver on arm64) first; the virtio disk's driver below, for a
	 * guest with disks. A kernel without them lacks what they give. */
	modules_load_dir("/lib/modules/boot");
	if (chan_device(cmdline.p, chan_dev, sizeof(chan_dev)) || open_channel(chan_dev) < 0) {
		fprintf(stderr, "oomtest-init: no agent channel %s: %s\n", chan_dev, strerror(errno));
		reboot(RB_POWER_OFF);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (payload_cmdline_has(cmdline.p))
		modules_load_dir(PAYLOAD_MODULES_DIR);
	uname(&u);
	send_rec("ready", S(OOMTEST_PROTO_VERSION), S(u.release), S(u.machine), S(pvpanic_bound() ? "1" : "0"), NULL);

	nplan = plan_read(&plan);
	/* the run's own files are there before anything else happens */
	size_t first = 0;
	if (nplan && !strcmp(plan[0].f[0], "payload"))
		run_line(&plan[first++]);
	collect_open_early(plan, nplan);
	sample_begin();
	for (size_t i = first; i < nplan; i++)
		run_line(&plan[i]);
	finish();
	return 0;
}
