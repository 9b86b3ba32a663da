/* cgroup: mounting the hierarchy and placing processes in it. */
#include "guest/cgroup.h"
#include "guest/files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"

static int cg_version; /* 0: none mounted, 1 or 2 */

int cgroup_mount(const char *what)
{
	if (!strcmp(what, "cgroup1")) {
		if (mount("cgroup", CG_ROOT, "tmpfs", 0, "mode=755") && errno != EBUSY)
			return -errno;
		mkdir(CG_ROOT "/memory", 0755);
		if (mount("cgroup", CG_ROOT "/memory", "cgroup", 0, "memory"))
			return -errno;
		cg_version = 1;
		return 0;
	}
	if (!strcmp(what, "cgroup2")) {
		if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			return -errno;
		cg_version = 2;
		return write_file(CG_ROOT "/cgroup.subtree_control", "+memory");
	}
	return -EINVAL;
}

int cgroup_mounted(void)
{
	return cg_version != 0;
}

int cgroup_version(void)
{
	return cg_version;
}

char *cgroup_dir(const char *name)
{
	char *p = NULL;

	if (asprintf(&p, cg_version == 1 ? CG_ROOT "/memory/%s" : CG_ROOT "/%s", name) < 0)
		return NULL;
	return p;
}

void cgroup_enter(const char *cg)
{
	if (cg && *cg && strcmp(cg, "-")) {
		char *dir = cgroup_dir(cg), *procs = NULL;
		if (!dir || asprintf(&procs, "%s/cgroup.procs", dir) < 0 ||
		    write_file(procs, "0")) {
			fprintf(stderr, "oomtest-init: cannot join cgroup %s: %s\n", cg, strerror(errno));
			_exit(126);
		}
	}
}
