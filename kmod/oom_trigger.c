// SPDX-License-Identifier: GPL-2.0
/*
 * oom_trigger: drives the kernel into OOM from kernel space.
 *
 * On load it registers an OOM notifier and allocates blocks of 2^order pages
 * with alloc_pages() until the notifier fires or an allocation fails. When
 * the notifier fires it gives back `release` blocks (mode=backup) or none
 * (mode=nobackup); with report=1 it also tells the OOM killer how many pages
 * it freed, which makes out_of_memory() return without killing. What it
 * still holds is kept until rmmod. With drain=1 it keeps allocating after
 * the notifier fired, below the watermarks, until an allocation fails: that
 * empties every free list of `order` and above, reserves included. The outcome is printed as one line
 * starting "oom_trigger: result " and is readable from the `result`
 * parameter in sysfs.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/oom.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/version.h>

static unsigned int order;
module_param(order, uint, 0444);
MODULE_PARM_DESC(order, "allocation order, 0 up to the kernel's largest buddy order (default 0)");

static char *mode = "backup";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "backup: give back `release` blocks on OOM; nobackup: give back none");

static unsigned long release = 64;
module_param(release, ulong, 0444);
MODULE_PARM_DESC(release, "blocks given back on OOM in backup mode (default 64)");

static bool report;
module_param(report, bool, 0444);
MODULE_PARM_DESC(report, "report the freed pages to the OOM killer, so it skips the kill");

static bool drain;
module_param(drain, bool, 0444);
MODULE_PARM_DESC(drain, "keep allocating after the notifier fired, until an allocation fails");

static unsigned long max_blocks;
module_param(max_blocks, ulong, 0444);
MODULE_PARM_DESC(max_blocks, "stop after this many blocks (0: no limit)");

/* Number of buddy orders: MAX_ORDER was exclusive up to 6.3, inclusive in
 * 6.4-6.7, and gave way to NR_PAGE_ORDERS in 6.8. */
#if defined(NR_PAGE_ORDERS)
#define OOMT_NR_ORDERS NR_PAGE_ORDERS
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define OOMT_NR_ORDERS (MAX_ORDER + 1)
#else
#define OOMT_NR_ORDERS MAX_ORDER
#endif

/* Held blocks are chained through page->lru of their head page, as balloon
 * drivers do: nothing is written into the pages, so they need no kernel
 * mapping (a HighMem block would have none). */
static LIST_HEAD(held);
static DEFINE_SPINLOCK(held_lock);
static unsigned long nr_held, nr_allocated, nr_released, nr_reported, nr_fired;
/* Set when the notifier fired in the allocating task's own OOM: only then
 * may drain dip into the reserves. */
static bool fired_for_us;
static struct task_struct *allocator;
static bool backup;
/* Free lists as they stood when allocation stopped, while the allocating
 * task was still alive (its exit frees pages that merge back into higher
 * orders, so /proc/buddyinfo read later is not the same picture). */
static char buddy_at_stop[512];
/* Free pages (not blocks) in blocks of `order` or above, in the zones a
 * GFP_KERNEL allocation can use, on every node; at order 0 with the pages
 * on the per-CPU lists, where freed pages wait before they go back to the
 * buddy lists (how many wait differs by zone size, so by arch). */
static unsigned long free_at_order_or_above;
/* the pages on the per-CPU lists of those zones */
static unsigned long pcp_pages;
static bool alloc_failed;

static unsigned long give_back(unsigned long n)
{
	unsigned long done = 0;

	spin_lock(&held_lock);
	while (done < n && !list_empty(&held)) {
		struct page *page = list_first_entry(&held, struct page, lru);

		list_del(&page->lru);
		nr_held--;
		spin_unlock(&held_lock);
		__free_pages(page, order);
		spin_lock(&held_lock);
		done++;
	}
	spin_unlock(&held_lock);
	return done;
}

static int oom_trigger_notify(struct notifier_block *nb, unsigned long unused, void *parm)
{
	unsigned long freed = 0;

	WRITE_ONCE(nr_fired, nr_fired + 1);
	if (current == allocator)
		WRITE_ONCE(fired_for_us, true);
	if (backup)
		freed = give_back(release);
	nr_released += freed;
	pr_info("oom_trigger: notifier fired, released %lu blocks of order %u\n", freed, order);
	if (report && freed) {
		*(unsigned long *)parm += freed << order;
		nr_reported += freed << order;
	}
	return NOTIFY_OK;
}

static struct notifier_block oom_trigger_nb = {
	.notifier_call = oom_trigger_notify,
};

/* The free lists of every populated zone; zones of nodes other than the
 * first are named with their node ("zone.1.Normal"). */
static void snapshot_buddy(void)
{
	size_t len = 0;
	int nid;

	free_at_order_or_above = 0;
	pcp_pages = 0;
	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		int z;

		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			bool kernel_usable = z <= gfp_zone(GFP_KERNEL);
			unsigned long flags;
			int o;

			if (!populated_zone(zone))
				continue;
			if (pgdat->node_id)
				len += scnprintf(buddy_at_stop + len, sizeof(buddy_at_stop) - len,
						 " zone.%d.%s=", pgdat->node_id, zone->name);
			else
				len += scnprintf(buddy_at_stop + len, sizeof(buddy_at_stop) - len,
						 " zone.%s=", zone->name);
			spin_lock_irqsave(&zone->lock, flags);
			for (o = 0; o < OOMT_NR_ORDERS; o++) {
				unsigned long n = zone->free_area[o].nr_free;

				if (o >= order && kernel_usable)
					free_at_order_or_above += n << o;
				len += scnprintf(buddy_at_stop + len, sizeof(buddy_at_stop) - len,
						 o ? "/%lu" : "%lu", n);
			}
			spin_unlock_irqrestore(&zone->lock, flags);
			if (kernel_usable) {
				unsigned long waiting = 0;
				int cpu;

				for_each_online_cpu(cpu)
					waiting += READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count);
				pcp_pages += waiting;
				if (order == 0)
					free_at_order_or_above += waiting;
			}
		}
	}
}

static int format_result(char *buf, size_t size)
{
	return scnprintf(buf, size,
			 "order=%u mode=%s allocated=%lu fired=%lu released=%lu held=%lu reported_pages=%lu alloc_failed=%d free_at_order_or_above=%lu pcp_pages=%lu%s\n",
			 order, backup ? "backup" : "nobackup", nr_allocated, READ_ONCE(nr_fired),
			 nr_released, nr_held, nr_reported, alloc_failed, free_at_order_or_above,
			 pcp_pages, buddy_at_stop);
}

static int result_get(char *buf, const struct kernel_param *kp)
{
	return format_result(buf, PAGE_SIZE);
}

static const struct kernel_param_ops result_ops = {
	.get = result_get,
};
module_param_cb(result, &result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "outcome of the run (read-only)");

static int __init oom_trigger_init(void)
{
	char line[768];
	int ret;

	if (order >= OOMT_NR_ORDERS) {
		pr_err("oom_trigger: order %u out of range 0-%d\n", order, OOMT_NR_ORDERS - 1);
		return -EINVAL;
	}
	if (!strcmp(mode, "backup")) {
		backup = true;
	} else if (!strcmp(mode, "nobackup")) {
		backup = false;
	} else {
		pr_err("oom_trigger: mode must be backup or nobackup, not '%s'\n", mode);
		return -EINVAL;
	}
	allocator = current;
	ret = register_oom_notifier(&oom_trigger_nb);
	if (ret)
		return ret;
	pr_info("oom_trigger: start order=%u mode=%s release=%lu report=%d drain=%d\n",
		order, mode, release, report, drain);

	while ((drain || !READ_ONCE(nr_fired)) && (!max_blocks || nr_allocated < max_blocks)) {
		/* Once our own allocation has met the OOM killer, drain ignores
		 * the watermarks so that the reserves go too and the free lists
		 * really empty; another task's OOM is no licence for that. */
		gfp_t gfp = READ_ONCE(fired_for_us) ? GFP_KERNEL | __GFP_MEMALLOC | __GFP_NORETRY | __GFP_NOWARN
						    : GFP_KERNEL;
		struct page *page = alloc_pages(gfp, order);

		if (!page) {
			alloc_failed = true;
			break;
		}
		spin_lock(&held_lock);
		list_add(&page->lru, &held);
		nr_held++;
		spin_unlock(&held_lock);
		nr_allocated++;
		cond_resched();
	}
	/* the look at the free lists comes first, when allocation stopped:
	 * unregistering may sleep, and meanwhile the kernel moves pages from
	 * the per-CPU lists back to the buddy lists, where they merge (6.12
	 * decays the per-CPU lists' size in the background: seen, 288 pages
	 * back at order 3 and up on arm64 after an order-3 allocation failed) */
	snapshot_buddy();
	unregister_oom_notifier(&oom_trigger_nb);
	format_result(line, sizeof(line));
	pr_info("oom_trigger: result %s", line);
	return 0;
}

static void __exit oom_trigger_exit(void)
{
	unsigned long n = give_back(ULONG_MAX);

	pr_info("oom_trigger: unloaded, freed %lu blocks\n", n);
}

module_init(oom_trigger_init);
module_exit(oom_trigger_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oomtest: allocate pages until the OOM notifier fires");
