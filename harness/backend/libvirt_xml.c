/* libvirt_xml: domain, pool and volume XML through xmlTextWriter. */
#include "backend/libvirt_xml.h"
#include "lib/utf8.h"
#include "proto/disks.h"
#include "proto/payload.h"
#include "target/arch.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

struct xml_doc {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int failed;
};

/* Every value passes here: a control byte XML 1.0 forbids (carriage
 * return too) becomes a space, as the kernel command line wants, and what
 * is not UTF-8 becomes U+FFFD. */
static char *clean(const char *s)
{
	char *spaced = xstrdup(s), *out;

	for (char *p = spaced; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n')
			*p = ' ';
	out = utf8_dup(spaced, UTF8_XML);
	free(spaced);
	return out;
}

static int doc_begin(struct xml_doc *d)
{
	d->failed = 0;
	d->buf = xmlBufferCreate();
	d->w = d->buf ? xmlNewTextWriterMemory(d->buf, 0) : NULL;
	if (!d->w) {
		if (d->buf)
			xmlBufferFree(d->buf);
		return -1;
	}
	xmlTextWriterSetIndent(d->w, 1);
	xmlTextWriterSetIndentString(d->w, X("  "));
	return 0;
}

static int doc_end(struct xml_doc *d, struct strbuf *out)
{
	d->failed |= xmlTextWriterEndDocument(d->w) < 0;
	xmlFreeTextWriter(d->w);
	if (!d->failed)
		strbuf_add(out, xmlBufferContent(d->buf), (size_t)xmlBufferLength(d->buf));
	xmlBufferFree(d->buf);
	return d->failed ? -1 : 0;
}

static void open_elem(struct xml_doc *d, const char *name)
{
	d->failed |= xmlTextWriterStartElement(d->w, X(name)) < 0;
}

static void close_elem(struct xml_doc *d)
{
	d->failed |= xmlTextWriterEndElement(d->w) < 0;
}

static void attr(struct xml_doc *d, const char *name, const char *value)
{
	char *v = clean(value);

	d->failed |= xmlTextWriterWriteAttribute(d->w, X(name), X(v)) < 0;
	free(v);
}

/* <name>text</name> */
static void leaf(struct xml_doc *d, const char *name, const char *text)
{
	char *v = clean(text);

	d->failed |= xmlTextWriterWriteElement(d->w, X(name), X(v)) < 0;
	free(v);
}

/* <name key="value"/>, or with a second attribute when key2 is not NULL */
static void empty_elem(struct xml_doc *d, const char *name, const char *key, const char *value,
		       const char *key2, const char *value2)
{
	open_elem(d, name);
	attr(d, key, value);
	if (key2)
		attr(d, key2, value2);
	close_elem(d);
}

/* <name unit="unit">n</name> */
static void amount(struct xml_doc *d, const char *name, const char *unit, unsigned long long n)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", n);
	open_elem(d, name);
	attr(d, "unit", unit);
	d->failed |= xmlTextWriterWriteString(d->w, X(num)) < 0;
	close_elem(d);
}

static void serial(struct xml_doc *d, const char *port)
{
	open_elem(d, "serial");
	attr(d, "type", "pty");
	empty_elem(d, "target", "port", port, NULL, NULL);
	close_elem(d);
}

static void os(struct xml_doc *d, const struct vm_config *cfg, const struct arch_ops *a)
{
	const struct target *t = cfg->target;
	struct strbuf cmdline = STRBUF_INIT;

	arch_guest_cmdline(a, &cmdline);
	/* the agent loads the virtio disk's driver for any of the disks */
	if (cfg->payload || cfg->swap_disk || cfg->data_disk)
		strbuf_addstr(&cmdline, " " PAYLOAD_CMDLINE);
	if (cfg->extra_cmdline && *cfg->extra_cmdline)
		strbuf_addf(&cmdline, " %s", cfg->extra_cmdline);
	open_elem(d, "os");
	open_elem(d, "type");
	attr(d, "arch", a->libvirt);
	attr(d, "machine", a->machine);
	d->failed |= xmlTextWriterWriteString(d->w, X("hvm")) < 0;
	close_elem(d);
	leaf(d, "kernel", t->kernel);
	leaf(d, "initrd", cfg->initrd);
	leaf(d, "cmdline", cmdline.buf);
	close_elem(d);
	strbuf_release(&cmdline);
}

/* A raw image as a virtio disk with a serial the agent finds it by: the
 * run's payload (proto/payload.h), read-only, on the first; its swap and
 * data disks (proto/disks.h). */
static void virtio_disk(struct xml_doc *d, const char *path, const char *dev, const char *serial, int readonly)
{
	open_elem(d, "disk");
	attr(d, "type", "file");
	attr(d, "device", "disk");
	empty_elem(d, "driver", "name", "qemu", "type", "raw");
	empty_elem(d, "source", "file", path, NULL, NULL);
	empty_elem(d, "target", "dev", dev, "bus", "virtio");
	leaf(d, "serial", serial);
	if (readonly) {
		open_elem(d, "readonly");
		close_elem(d);
	}
	close_elem(d);
}

/* The agent channel: a second serial port, or a virtio console (libvirt
 * adds its virtio-serial controller). */
static void agent_channel(struct xml_doc *d, const struct arch_ops *a)
{
	if (a->chan == ARCH_CHAN_SERIAL) {
		serial(d, "1");
		return;
	}
	open_elem(d, "console");
	attr(d, "type", "pty");
	empty_elem(d, "target", "type", "virtio", NULL, NULL);
	close_elem(d);
}

const char *libvirt_agent_device(const struct arch_ops *a)
{
	/* libvirt's console0 is the first serial port's twin */
	return a->chan == ARCH_CHAN_SERIAL ? "serial1" : "console1";
}

static void devices(struct xml_doc *d, const struct vm_config *cfg, const struct arch_ops *a)
{
	open_elem(d, "devices");
	serial(d, "0");
	agent_channel(d, a);
	if (cfg->payload)
		virtio_disk(d, cfg->payload, "vda", "payload", 1);
	if (cfg->swap_disk)
		virtio_disk(d, cfg->swap_disk, "vdb", DISK_SWAP_SERIAL, 0);
	if (cfg->data_disk)
		virtio_disk(d, cfg->data_disk, "vdc", DISK_DATA_SERIAL, 0);
	empty_elem(d, "controller", "type", "usb", "model", "none");
	empty_elem(d, "memballoon", "model", "none", NULL, NULL);
	if (a->libvirt_panic) {
		open_elem(d, "panic");
		attr(d, "model", a->libvirt_panic);
		if (!strcmp(a->libvirt_panic, "isa"))
			empty_elem(d, "address", "type", "isa", "iobase", "0x505");
		close_elem(d);
	}
	close_elem(d);
}

int libvirt_domain_xml(const struct vm_config *cfg, const char *name, const char *type, struct strbuf *out)
{
	const struct arch_ops *a = arch_of(cfg->target->arch);
	struct xml_doc d;

	if (doc_begin(&d))
		return -1;
	open_elem(&d, "domain");
	attr(&d, "type", type);
	leaf(&d, "name", name);
	amount(&d, "memory", "KiB", cfg->memory >> 10);
	amount(&d, "currentMemory", "KiB", cfg->memory >> 10);
	leaf(&d, "vcpu", "1");
	os(&d, cfg, a);
	if (a->libvirt_acpi) {
		open_elem(&d, "features");
		open_elem(&d, "acpi");
		close_elem(&d);
		close_elem(&d);
	}
	if (a->libvirt_cpu_mode)
		empty_elem(&d, "cpu", "mode", a->libvirt_cpu_mode, NULL, NULL);
	empty_elem(&d, "clock", "offset", "utc", NULL, NULL);
	leaf(&d, "on_poweroff", "destroy");
	leaf(&d, "on_reboot", "destroy");
	leaf(&d, "on_crash", "destroy");
	devices(&d, cfg, a);
	close_elem(&d);
	return doc_end(&d, out);
}

int libvirt_pool_xml(const char *name, const char *path, struct strbuf *out)
{
	struct xml_doc d;

	if (doc_begin(&d))
		return -1;
	open_elem(&d, "pool");
	attr(&d, "type", "dir");
	leaf(&d, "name", name);
	open_elem(&d, "target");
	leaf(&d, "path", path);
	close_elem(&d);
	close_elem(&d);
	return doc_end(&d, out);
}

int libvirt_volume_xml(const char *name, unsigned long long size, struct strbuf *out)
{
	struct xml_doc d;

	if (doc_begin(&d))
		return -1;
	open_elem(&d, "volume");
	leaf(&d, "name", name);
	amount(&d, "capacity", "bytes", size);
	open_elem(&d, "target");
	empty_elem(&d, "format", "type", "raw", NULL, NULL);
	close_elem(&d);
	close_elem(&d);
	return doc_end(&d, out);
}
