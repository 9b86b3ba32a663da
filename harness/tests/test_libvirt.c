/* Tests for libvirt.c against libvirt's test driver (no daemon): the error
 * paths (the XML it writes is test_libvirt_xml.c's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"

static struct target tgt(const char *arch, const char *kernel)
{
	struct target t = { .name = "x86_64", .arch = (char *)arch, .release = "6.1.0-50-amd64",
			    .kernel = (char *)kernel, .boot = BOOT_PVH };
	return t;
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
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
