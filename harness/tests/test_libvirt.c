/* Tests for backend_libvirt.c against libvirt's test driver (no daemon):
 * the domain XML libvirt reads back, escaping, and the error paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <stdlib.h>
#include <string.h>

#include "backend/libvirt.h"

static struct target tgt(const char *arch, const char *kernel)
{
	struct target t = { .name = "x86_64", .arch = (char *)arch, .release = "6.1.0-50-amd64",
			    .kernel = (char *)kernel, .boot = BOOT_PVH };
	return t;
}

static void test_xml_read_back(void **state)
{
	struct target t = tgt("x86_64", "/k/vmlinux & <odd>'s");
	struct vm_config cfg = { .target = &t, .initrd = "/i/initramfs.cpio", .memory = 128ull << 20,
				 .extra_cmdline = "vm.x=\"1\"", .run_dir = "/tmp" };
	struct strbuf xml = STRBUF_INIT;
	virConnectPtr c = virConnectOpen("test:///default");
	virDomainPtr d;
	char *back;

	(void)state;
	libvirt_domain_xml(&cfg, "oomtest-t<1>", "qemu", &xml);
	assert_non_null(strstr(xml.buf, "<kernel>/k/vmlinux &amp; &lt;odd&gt;&apos;s</kernel>"));
	assert_non_null(c);
	d = virDomainCreateXML(c, xml.buf, 0);
	assert_non_null(d);
	back = virDomainGetXMLDesc(d, 0);
	assert_non_null(back);
	/* what libvirt understood */
	assert_non_null(strstr(back, "<name>oomtest-t&lt;1&gt;</name>"));
	assert_non_null(strstr(back, "<memory unit='KiB'>131072</memory>"));
	assert_non_null(strstr(back, "<type arch='x86_64' machine='pc'>hvm</type>"));
	assert_non_null(strstr(back, "<kernel>/k/vmlinux &amp; &lt;odd&gt;&apos;s</kernel>"));
	assert_non_null(strstr(back, "<initrd>/i/initramfs.cpio</initrd>"));
	assert_non_null(strstr(back, "<cmdline>" GUEST_CMDLINE " vm.x=&quot;1&quot;</cmdline>"));
	assert_non_null(strstr(back, "<on_crash>destroy</on_crash>"));
	assert_non_null(strstr(back, "<memballoon model='none'/>"));
	assert_non_null(strstr(back, "<panic model='isa'>"));
	assert_non_null(strstr(back, "<serial type='pty'>\n      <target port='1'/>"));
	free(back);
	virDomainDestroy(d);
	virDomainFree(d);

	/* i386 is i686 to libvirt */
	t = tgt("i386", "/k/bzImage");
	strbuf_reset(&xml);
	libvirt_domain_xml(&cfg, "oomtest-t2", "qemu", &xml);
	assert_non_null(strstr(xml.buf, "<type arch='i686' machine='pc'>hvm</type>"));
	d = virDomainCreateXML(c, xml.buf, 0);
	assert_non_null(d);
	virDomainDestroy(d);
	virDomainFree(d);
	virConnectClose(c);
	strbuf_release(&xml);
}

static void test_errors(void **state)
{
	struct target t = tgt("x86_64", "/k/vmlinux");
	struct vm_config cfg = { .target = &t, .initrd = "/i/initramfs.cpio", .memory = 128ull << 20,
				 .run_dir = "/nonexistent" };
	struct strbuf err = STRBUF_INIT;
	struct vm *vm = NULL;
	virConnectPtr c;

	(void)state;
	/* no daemon there: -2, the host is unreachable (another may run it) */
	backend_libvirt_set_uri("qemu:///session?socket=/nonexistent/libvirt-sock");
	assert_int_equal(backend_libvirt.start(&cfg, &vm, &err), -2);
	assert_null(vm);
	assert_non_null(strstr(err.buf, "libvirt qemu:///session?socket=/nonexistent/libvirt-sock: connect: "));

	/* a driver that refuses the domain (the test driver knows no
	 * AUTODESTROY): the error says which step failed, nothing is left */
	strbuf_reset(&err);
	backend_libvirt_set_uri("test:///default");
	assert_int_equal(backend_libvirt.start(&cfg, &vm, &err), -1);
	assert_non_null(strstr(err.buf, "libvirt test:///default: starting the domain: "));
	c = virConnectOpen("test:///default");
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(c, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
	for (int i = 0; i < n; i++) {
		const char *name = virDomainGetName(doms[i]);
		assert_true(strncmp(name, "oomtest-", 8) != 0 || strstr(name, "-t") != NULL);
		virDomainFree(doms[i]);
	}
	free(doms);
	virConnectClose(c);

	/* saved guests are a QEMU-backend thing */
	strbuf_reset(&err);
	cfg.restore = "/x.state";
	assert_int_equal(backend_libvirt.start(&cfg, &vm, &err), -1);
	assert_string_equal(err.buf, "the libvirt backend does not restore saved guests");
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_read_back),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
