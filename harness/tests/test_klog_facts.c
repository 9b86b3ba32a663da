/* Tests for klog/facts: golden facts over real public logs and synthetic
 * guest consoles (fixtures/klog/NAME.facts). */
#include "klog_test_util.h"

/* ---- golden tests: one per fixture ---- */

static void test_golden(void **state)
{
	const char *name = *state;
	struct strbuf log = STRBUF_INIT, json = STRBUF_INIT;
	struct facts f = FACTS_INIT;
	struct klog *k;

	read_fixture(name, &log);
	k = parse_chunked(log.buf, log.len, 0);
	klog_add_facts(k, &f);
	klog_to_json(k, &json);
	check_golden(&f, name);
	expect_valid_json(&json);
	/* these are always there */
	assert_non_null(facts_get(&f, "oom.count"));
	assert_non_null(facts_get(&f, "panic"));
	assert_non_null(facts_get(&f, "alloc_failure.count"));
	assert_non_null(facts_get(&f, "oops.count"));
	assert_non_null(facts_get(&f, "bug.count"));
	assert_non_null(facts_get(&f, "warning.count"));
	klog_free(k);
	facts_release(&f);
	strbuf_release(&json);
	strbuf_release(&log);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_golden, (void *)"01-archlinux-6.1-global-doxygen.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"02-proxmox-5.15-lxc-memcg-v2-phpfpm.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"03-rhel7-3.10-global-numa-mysqld.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"04-ubuntu-5.13-sysrq-manual-oom.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"05-ubuntu-3.13-syslog-mysqld-nokilledline.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"06-cadvisor-3.13-mixed-dmesg-syslog-global.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"07-cadvisor-3.13-memcg-v1-syslog.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"08-aks-5.15-memcg-v2-kubepods-oomgroup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"09-aks-5.15-memcg-v2-stressng-truncated2nd.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"12-blog-rhel7-3.10-memcg-v1-kubepods-sacrifice.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"14-sle15-5.14-iso8601-printk-caller-fragment-2events.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"15-devlog-armv5-2.6-global-noprefix.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"16-lkml-hisilicon-4.1-logcat-date-pidcpucomm-allocfail.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"17-lkml-hisilicon-3.10-pidcpucomm-global-sh.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"18-lkml-samsung-4.14-cpucommpid-allocfail.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-serial.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-kmod-order0-backup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-kmod-order3-nobackup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-kmod-panic-on-oom.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-memcg-v1-kill.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-memcg-v1-oom-control.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-x86_64-memcg-panic-on-oom2.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-kmod-order0-backup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-kmod-order3-nobackup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-kmod-panic-on-oom.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-memcg-v1-kill.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-memcg-v1-oom-control.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.1-i386-memcg-panic-on-oom2.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.12-x86_64-kmod-order0-backup.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"guest-6.12-x86_64-kmod-order3-nobackup.log"),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
