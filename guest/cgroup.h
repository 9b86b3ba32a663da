/* cgroup: the memory cgroup hierarchy the plan mounts (v1 or v2) under
 * /sys/fs/cgroup, and where a case's cgroup lives in it. */
#ifndef OOMTEST_GUEST_CGROUP_H
#define OOMTEST_GUEST_CGROUP_H

/* Mounts "cgroup1" (the memory controller) or "cgroup2" (with +memory for
 * children); returns 0 or -errno. */
int cgroup_mount(const char *what);
/* Whether a hierarchy is mounted. */
int cgroup_mounted(void);
/* 1 or 2: the hierarchy mounted; 0: none. */
int cgroup_version(void);
/* The directory of cgroup name, allocated; NULL (errno set) if it cannot. */
char *cgroup_dir(const char *name);
/* In a forked child: moves it into cgroup cg ("" or "-": none), or exits
 * with 126 and a message on stderr. */
void cgroup_enter(const char *cg);

#endif
