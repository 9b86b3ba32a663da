/* Tests for libvirt_xml.c: the documents parse to what the hand-written
 * XML said before (fixtures/backend/domain-*.xml; arm64's as it should
 * be), libvirt's test driver reads them back, and every value is
 * escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#include "backend/libvirt_xml.h"
#include "proto/disks.h"
#include "proto/payload.h"
#include "target/arch.h"

/* the x86 kernel command line as it always was, and the agent channel's device */
#define X86_CMDLINE "console=ttyS0,115200 loglevel=7 panic=-1 cryptomgr.notests noisapnp no_timer_check " \
	"oomtest.chan=ttyS1"

static struct target tgt(const char *arch, const char *kernel)
{
	struct target t = { .name = "x86_64", .arch = (char *)arch, .release = "6.1.0-50-amd64",
			    .kernel = (char *)kernel, .boot = BOOT_PVH };
	return t;
}

static xmlDocPtr parse(const char *text, size_t len)
{
	xmlDocPtr d = xmlReadMemory(text, (int)len, NULL, NULL, XML_PARSE_NOBLANKS | XML_PARSE_NONET);
	assert_non_null(d);
	return d;
}

/* The canonical form (C14N) of a document: quotes, attribute order,
 * escapes and indentation no longer count. */
static char *canonical(const char *text, size_t len)
{
	xmlDocPtr d = parse(text, len);
	xmlChar *c = NULL;

	assert_true(xmlC14NDocDumpMemory(d, NULL, XML_C14N_1_0, NULL, 0, &c) > 0);
	xmlFreeDoc(d);
	return (char *)c;
}

/* Asserts the string value of an XPath expression over xml. */
static void assert_xpath(const struct strbuf *xml, const char *expr, const char *want)
{
	xmlDocPtr d = parse(xml->buf, xml->len);
	xmlXPathContextPtr ctx = xmlXPathNewContext(d);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	char *s;

	assert_non_null(o);
	s = (char *)xmlXPathCastToString(o);
	assert_string_equal(s, want);
	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(d);
}

static void same_as_fixture(const struct vm_config *cfg, const char *name, const char *type, const char *fixture)
{
	struct strbuf now = STRBUF_INIT, before = STRBUF_INIT;

	assert_int_equal(strbuf_read_file(&before, fixture), 0);
	assert_int_equal(libvirt_domain_xml(cfg, name, type, &now), 0);
	char *a = canonical(now.buf, now.len), *b = canonical(before.buf, before.len);
	assert_string_equal(a, b);
	xmlFree(a);
	xmlFree(b);
	strbuf_release(&now);
	strbuf_release(&before);
}

static void test_same_as_before(void **state)
{
	struct target t = tgt("x86_64", "/k/vmlinux");
	struct vm_config cfg = { .target = &t, .initrd = "/i/initramfs.cpio", .memory = 128ull << 20 };

	(void)state;
	same_as_fixture(&cfg, "oomtest-1-0-abc", "kvm", "fixtures/backend/domain-x86_64-kvm.xml");
	t = tgt("i386", "/k/bzImage");
	cfg.initrd = "/i/initramfs-686.cpio";
	cfg.memory = 64ull << 20;
	cfg.extra_cmdline = "oomtest.x=1 vm.overcommit_memory=2";
	same_as_fixture(&cfg, "oomtest-2-1-def", "qemu", "fixtures/backend/domain-i386-qemu.xml");
	/* what XML escapes, and control bytes: a space, tab and newline kept */
	t = tgt("x86_64", "/k/vmlinux & <odd>'s");
	cfg.initrd = "/i/initramfs.cpio";
	cfg.memory = 1ull << 30;
	cfg.extra_cmdline = "vm.x=\"1\"\tq\rz\001e";
	same_as_fixture(&cfg, "oomtest-t<1>", "qemu", "fixtures/backend/domain-escaped.xml");
}

static void test_read_back(void **state)
{
	struct target t = tgt("x86_64", "/k/vmlinux & <odd>'s");
	struct vm_config cfg = { .target = &t, .initrd = "/i/initramfs.cpio", .memory = 128ull << 20,
				 .extra_cmdline = "vm.x=\"1\"", .run_dir = "/tmp" };
	struct strbuf xml = STRBUF_INIT;
	virConnectPtr c = virConnectOpen("test:///default");
	virDomainPtr d;
	char *back;

	(void)state;
	assert_int_equal(libvirt_domain_xml(&cfg, "oomtest-t<1>", "qemu", &xml), 0);
	assert_xpath(&xml, "string(/domain/os/kernel)", "/k/vmlinux & <odd>'s");
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
	assert_non_null(strstr(back, "<cmdline>" X86_CMDLINE " vm.x=&quot;1&quot;</cmdline>"));
	assert_non_null(strstr(back, "<on_crash>destroy</on_crash>"));
	assert_non_null(strstr(back, "<memballoon model='none'/>"));
	assert_non_null(strstr(back, "<panic model='isa'>"));
	assert_non_null(strstr(back, "<serial type='pty'>\n      <target port='1'/>"));
	free(back);
	virDomainDestroy(d);
	virDomainFree(d);

	/* a payload: a read-only virtio disk, and the agent told so */
	cfg.payload = "/r/payload & one.img";
	strbuf_reset(&xml);
	assert_int_equal(libvirt_domain_xml(&cfg, "oomtest-t3", "qemu", &xml), 0);
	d = virDomainCreateXML(c, xml.buf, 0);
	assert_non_null(d);
	back = virDomainGetXMLDesc(d, 0);
	assert_non_null(strstr(back, "<source file='/r/payload &amp; one.img'/>"));
	assert_non_null(strstr(back, "<target dev='vda' bus='virtio'/>"));
	assert_non_null(strstr(back, "<readonly/>"));
	assert_non_null(strstr(back, " " PAYLOAD_CMDLINE " vm.x=&quot;1&quot;</cmdline>"));
	free(back);
	virDomainDestroy(d);
	virDomainFree(d);
	cfg.payload = NULL;

	/* swap and data disks: writable, with the serials the agent looks for */
	cfg.swap_disk = "/r/swap.img";
	cfg.data_disk = "/r/disk.img";
	strbuf_reset(&xml);
	assert_int_equal(libvirt_domain_xml(&cfg, "oomtest-t4", "qemu", &xml), 0);
	assert_xpath(&xml, "string(/domain/devices/disk[serial='" DISK_SWAP_SERIAL "']/source/@file)", "/r/swap.img");
	assert_xpath(&xml, "string(/domain/devices/disk[serial='" DISK_DATA_SERIAL "']/source/@file)", "/r/disk.img");
	assert_xpath(&xml, "string(count(/domain/devices/disk/readonly))", "0");
	d = virDomainCreateXML(c, xml.buf, 0);
	assert_non_null(d);
	back = virDomainGetXMLDesc(d, 0);
	assert_non_null(strstr(back, "<serial>" DISK_SWAP_SERIAL "</serial>"));
	assert_non_null(strstr(back, "<target dev='vdc' bus='virtio'/>"));
	assert_non_null(strstr(back, " " PAYLOAD_CMDLINE " vm.x=&quot;1&quot;</cmdline>"));
	free(back);
	virDomainDestroy(d);
	virDomainFree(d);
	cfg.swap_disk = cfg.data_disk = NULL;

	/* i386 is i686 to libvirt */
	t = tgt("i386", "/k/bzImage");
	strbuf_reset(&xml);
	assert_int_equal(libvirt_domain_xml(&cfg, "oomtest-t2", "qemu", &xml), 0);
	assert_xpath(&xml, "string(/domain/os/type/@arch)", "i686");
	d = virDomainCreateXML(c, xml.buf, 0);
	assert_non_null(d);
	virDomainDestroy(d);
	virDomainFree(d);
	virConnectClose(c);
	strbuf_release(&xml);
}

/* arm64: the virt board with QEMU's most capable CPU, no ACPI (libvirt
 * wants UEFI for it there), the PL011 console and a virtio console for
 * the agent, no panic device. */
static void test_arm64(void **state)
{
	struct target t = tgt("arm64", "/k/Image");
	struct vm_config cfg = { .target = &t, .initrd = "/i/arm64.cpio", .memory = 128ull << 20,
				 .extra_cmdline = "vm.x=1" };
	struct strbuf xml = STRBUF_INIT;
	virConnectPtr c = virConnectOpen("test:///default");
	virDomainPtr d;
	char *back;

	(void)state;
	t.boot = BOOT_BZIMAGE;
	same_as_fixture(&cfg, "oomtest-3-0-a64", "qemu", "fixtures/backend/domain-arm64-qemu.xml");
	assert_int_equal(libvirt_domain_xml(&cfg, "oomtest-3-0-a64", "qemu", &xml), 0);
	assert_xpath(&xml, "concat(/domain/os/type/@arch, ' ', /domain/os/type/@machine)", "aarch64 virt");
	assert_xpath(&xml, "string(/domain/cpu/@mode)", "maximum");
	assert_xpath(&xml, "string(count(/domain/features))", "0");
	assert_xpath(&xml, "string(/domain/os/cmdline)",
		     "console=ttyAMA0 loglevel=7 panic=-1 cryptomgr.notests oomtest.chan=hvc0 vm.x=1");
	assert_xpath(&xml, "concat(count(/domain/devices/serial), ' ', /domain/devices/serial/target/@port)", "1 0");
	assert_xpath(&xml, "concat(count(/domain/devices/console), ' ', /domain/devices/console/target/@type)",
		     "1 virtio");
	/* no panic device: Debian 12's libvirt (9.0) has no PCI pvpanic */
	assert_xpath(&xml, "string(count(/domain/devices/panic))", "0");
	assert_string_equal(libvirt_agent_device(&arch_arm64), "console1");
	assert_string_equal(libvirt_agent_device(&arch_x86_64), "serial1");
	assert_string_equal(libvirt_agent_device(&arch_i386), "serial1");

	assert_non_null(c);
	d = virDomainCreateXML(c, xml.buf, 0);
	assert_non_null(d);
	back = virDomainGetXMLDesc(d, 0);
	assert_non_null(back);
	assert_non_null(strstr(back, "<type arch='aarch64' machine='virt'>hvm</type>"));
	assert_non_null(strstr(back, "<cpu mode='maximum'/>"));
	assert_non_null(strstr(back, "<cmdline>console=ttyAMA0 loglevel=7 panic=-1 cryptomgr.notests "
				     "oomtest.chan=hvc0 vm.x=1</cmdline>"));
	/* the console's twin of the serial port, then the agent's: console1 */
	assert_non_null(strstr(back, "<console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n"
				     "    <console type='pty'>\n      <target type='virtio' port='0'/>"));
	free(back);
	virDomainDestroy(d);
	virDomainFree(d);
	virConnectClose(c);
	strbuf_release(&xml);
}

static void test_pool_and_volume(void **state)
{
	struct strbuf xml = STRBUF_INIT;
	virConnectPtr c = virConnectOpen("test:///default");
	virStoragePoolPtr pool;
	virStorageVolPtr vol;

	(void)state;
	assert_int_equal(libvirt_pool_xml("oomtest", "/var/tmp/oomtest-images", &xml), 0);
	assert_xpath(&xml, "concat(/pool/@type, ' ', /pool/name, ' ', /pool/target/path)",
		     "dir oomtest /var/tmp/oomtest-images");
	assert_non_null(c);
	pool = virStoragePoolDefineXML(c, xml.buf, 0);
	assert_non_null(pool);
	assert_int_equal(virStoragePoolCreate(pool, 0), 0);

	/* a file name is case text: whatever it holds stays one name */
	strbuf_reset(&xml);
	assert_int_equal(libvirt_volume_xml("oomtest-00ff-a&b<c>.cpio", 1048576, &xml), 0);
	assert_xpath(&xml, "concat(/volume/name, ' ', /volume/capacity, /volume/capacity/@unit, ' ', "
		     "/volume/target/format/@type)", "oomtest-00ff-a&b<c>.cpio 1048576bytes raw");
	vol = virStorageVolCreateXML(pool, xml.buf, 0);
	assert_non_null(vol);
	assert_string_equal(virStorageVolGetName(vol), "oomtest-00ff-a&b<c>.cpio");
	virStorageVolFree(vol);
	virStoragePoolDestroy(pool);
	virStoragePoolUndefine(pool);
	virStoragePoolFree(pool);
	virConnectClose(c);
	strbuf_release(&xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_before),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_pool_and_volume),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
