/* libvirt_xml: the XML documents backend_libvirt hands libvirt — a guest's
 * domain, the storage pool and the volumes uploaded files go to — written
 * with libxml2's xmlTextWriter. Each returns 0, or -1 when libxml2 could
 * not write (out is then left as it was). */
#ifndef OOMTEST_BACKEND_LIBVIRT_XML_H
#define OOMTEST_BACKEND_LIBVIRT_XML_H

#include "backend/backend.h"
#include "target/arch.h"

/* The domain XML for cfg: the target's arch and machine (target/arch.h),
 * direct kernel boot, fixed memory, no balloon, a pty serial for the
 * console, a pty for the agent channel (a second serial, or a virtio
 * console), a pvpanic device. type is "kvm" or "qemu". A control byte XML
 * forbids becomes a space, a byte that is not UTF-8 U+FFFD. */
int libvirt_domain_xml(const struct vm_config *cfg, const char *name, const char *type, struct strbuf *out);
/* The device virDomainOpenConsole opens the agent channel of a's guests
 * by: serial1, or console1 (console0 is the first serial port's twin).
 * The console is serial0. */
const char *libvirt_agent_device(const struct arch_ops *a);
/* A directory pool named name at path. */
int libvirt_pool_xml(const char *name, const char *path, struct strbuf *out);
/* A raw volume named name of size bytes. */
int libvirt_volume_xml(const char *name, unsigned long long size, struct strbuf *out);

#endif
