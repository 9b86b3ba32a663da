/* oomtest-init: the guest agent, PID 1 of every oomtest guest.
 *
 * Mounts what the guest needs, says "ready" on the agent channel (the second
 * serial port), reads the run's plan up to "end", runs it line by line,
 * streams records back (see proto/proto.h) and powers the machine off.
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
#include <unistd.h>

#include "guest/chan.h"
#include "guest/collect.h"
#include "guest/plan_read.h"
#include "guest/plan_run.h"
#include "guest/sample.h"
#include "guest/steps.h"
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

/* Modules the image carries for the harness's sake (pvpanic), loaded in
 * name order from /lib/modules/boot; a kernel without them just lacks
 * what they give. */
static void load_boot_modules(void)
{
	struct dirent **names;
	int n = scandir("/lib/modules/boot", &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char *path = NULL;
		int fd;

		if (names[i]->d_name[0] != '.' && asprintf(&path, "/lib/modules/boot/%s", names[i]->d_name) >= 0 &&
		    (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
				fprintf(stderr, "oomtest-init: finit_module %s: %s\n", path, strerror(errno));
			close(fd);
		}
		free(path);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
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

int main(void)
{
	struct plan_line *plan;
	struct utsname u;
	size_t nplan;

	setup_mounts();
	reserve_memory();
	if (chan_open("/dev/ttyS1") < 0) {
		fprintf(stderr, "oomtest-init: no agent channel /dev/ttyS1: %s\n", strerror(errno));
		reboot(RB_POWER_OFF);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	load_boot_modules();
	uname(&u);
	send_rec("ready", S(OOMTEST_PROTO_VERSION), S(u.release), S(u.machine), S(pvpanic_bound() ? "1" : "0"), NULL);

	nplan = plan_read(&plan);
	collect_open_early(plan, nplan);
	sample_begin();
	for (size_t i = 0; i < nplan; i++)
		run_line(&plan[i]);
	finish();
	return 0;
}
