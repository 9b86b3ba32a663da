// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_hog: exhausts memory through vmalloc() rather than alloc_pages(),
 * from the process that loads it.
 *
 * On load it vmallocs `chunk` bytes at a time until an allocation fails,
 * the loading task is killed (the OOM killer chose it: every further
 * allocation would fail), or `limit` bytes are held. With account=1 the
 * allocations carry __GFP_ACCOUNT, so they are charged to the loading
 * task's memory cgroup: loaded inside a group with a limit, it meets that
 * group's OOM killer instead of the global one. With hold=0 (the default)
 * everything is freed again before the load returns, so that the guest
 * lives on; with hold=1 it is kept until rmmod. The outcome is printed as
 * one line starting "vmalloc_hog: result ".
 *
 * Sizes take the kernel command line's suffixes (K, M, G). On a 32-bit
 * kernel whose memory fills its lowmem (896 MiB or more) the vmalloc area
 * is about 120 MiB and may run out before memory does: then an allocation
 * fails with killed=0, and the kernel's "vmalloc error" says so.
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

static unsigned long chunk = 1UL << 20;
static unsigned long limit;

static int size_set(const char *val, const struct kernel_param *kp)
{
	char *end;
	unsigned long long v = memparse(val, &end);

	if (end == val || (*end && *end != '\n') || v > ULONG_MAX)
		return -EINVAL;
	*(unsigned long *)kp->arg = (unsigned long)v;
	return 0;
}

static int size_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu\n", *(unsigned long *)kp->arg);
}

static const struct kernel_param_ops size_ops = {
	.set = size_set,
	.get = size_get,
};

module_param_cb(chunk, &size_ops, &chunk, 0444);
MODULE_PARM_DESC(chunk, "bytes per vmalloc, at least a page; K, M, G suffixes (default 1M)");
module_param_cb(limit, &size_ops, &limit, 0444);
MODULE_PARM_DESC(limit, "stop once this many bytes are held (0: no limit, until a failure)");

static bool account;
module_param(account, bool, 0444);
MODULE_PARM_DESC(account, "charge the allocations to the loading task's memory cgroup (__GFP_ACCOUNT)");

static bool hold;
module_param(hold, bool, 0444);
MODULE_PARM_DESC(hold, "keep what was allocated until rmmod (default: free it before the load returns)");

/* Held chunks are chained through their own first bytes: tracking them
 * needs no allocation of its own, which could fail first. */
static LIST_HEAD(held);
static unsigned long nr_held;

static unsigned long free_all(void)
{
	unsigned long n = 0;

	while (!list_empty(&held)) {
		struct list_head *c = held.next;

		list_del(c);
		vfree(c);
		n++;
		cond_resched();
	}
	nr_held = 0;
	return n;
}

static int __init vmalloc_hog_init(void)
{
	gfp_t gfp = GFP_KERNEL | (account ? __GFP_ACCOUNT : 0);
	unsigned long chunks = 0, allocated = 0;
	bool failed = false, killed = false;

	if (chunk < PAGE_SIZE) {
		pr_err("vmalloc_hog: chunk %lu is below a page (%lu)\n", chunk, PAGE_SIZE);
		return -EINVAL;
	}
	pr_info("vmalloc_hog: start chunk=%lu limit=%lu account=%d hold=%d\n", chunk, limit, account,
		hold);
	while (!limit || allocated < limit) {
		struct list_head *c;

		if (fatal_signal_pending(current)) {
			killed = true;
			break;
		}
		c = __vmalloc(chunk, gfp);
		if (!c) {
			failed = true;
			killed = fatal_signal_pending(current);
			break;
		}
		list_add(c, &held);
		nr_held++;
		chunks++;
		allocated += chunk;
		cond_resched();
	}
	if (!hold)
		free_all();
	pr_info("vmalloc_hog: result chunk=%lu limit=%lu account=%d hold=%d chunks=%lu allocated_kb=%lu failed=%d killed=%d held_kb=%lu\n",
		chunk, limit, account, hold, chunks, chunks * (PAGE_ALIGN(chunk) >> 10), failed, killed,
		nr_held * (PAGE_ALIGN(chunk) >> 10));
	return 0;
}

static void __exit vmalloc_hog_exit(void)
{
	unsigned long n = free_all();

	pr_info("vmalloc_hog: unloaded, freed %lu chunks\n", n);
}

module_init(vmalloc_hog_init);
module_exit(vmalloc_hog_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oomtest: vmalloc until memory runs out");
