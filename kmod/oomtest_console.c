// SPDX-License-Identifier: GPL-2.0
/*
 * oomtest_console: /dev/oomtest_console, of which every write() becomes one
 * kernel log record, printed on the console as it is. The agent of a guest
 * with one console sends its framed records this way: /dev/kmsg copies
 * each write into a kmalloc()ed buffer first, and a guest whose memory a
 * case has taken has no page for it; here the copy goes to a static buffer
 * and printk() needs no memory, so a record goes out whenever the agent
 * can run. Loaded by the agent only when it has the console alone.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/uaccess.h>

/* under a printk record's most (1024 bytes less its header) */
#define OOMTEST_RECORD_MAX 960

static char record[OOMTEST_RECORD_MAX + 1];
static DEFINE_MUTEX(record_lock);

static ssize_t oomtest_console_write(struct file *file, const char __user *buf, size_t len,
				     loff_t *pos)
{
	size_t n = len;

	if (!len)
		return 0;
	if (len > OOMTEST_RECORD_MAX)
		return -EINVAL;
	mutex_lock(&record_lock);
	if (copy_from_user(record, buf, len)) {
		mutex_unlock(&record_lock);
		return -EFAULT;
	}
	if (record[n - 1] == '\n')
		n--;
	record[n] = '\0';
	/* level 0: shown at any console loglevel, as the agent's records must be */
	printk(KERN_EMERG "%s\n", record);
	mutex_unlock(&record_lock);
	return len;
}

static const struct file_operations oomtest_console_fops = {
	.owner = THIS_MODULE,
	.write = oomtest_console_write,
};

static struct miscdevice oomtest_console_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "oomtest_console",
	.fops = &oomtest_console_fops,
	.mode = 0200,
};

static int __init oomtest_console_init(void)
{
	return misc_register(&oomtest_console_dev);
}

static void __exit oomtest_console_exit(void)
{
	misc_deregister(&oomtest_console_dev);
}

module_init(oomtest_console_init);
module_exit(oomtest_console_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oomtest: the agent's records into the kernel log without allocating");
