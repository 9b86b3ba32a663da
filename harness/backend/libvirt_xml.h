/* libvirt_xml: the XML documents backend_libvirt hands libvirt — a guest's
 * domain, the storage pool and the volumes uploaded files go to — written
 * with libxml2's xmlTextWriter. Each returns 0, or -1 when libxml2 could
 * not write (out is then left as it was). */
#ifndef OOMTEST_BACKEND_LIBVIRT_XML_H
#define OOMTEST_BACKEND_LIBVIRT_XML_H

#include "backend/backend.h"

/* The domain XML for cfg: direct kernel boot, fixed memory, no balloon,
 * two pty serials (console, agent), a pvpanic device. type is "kvm" or
 * "qemu". A control byte XML forbids becomes a space, a byte that is not
 * UTF-8 U+FFFD. */
int libvirt_domain_xml(const struct vm_config *cfg, const char *name, const char *type, struct strbuf *out);
/* A directory pool named name at path. */
int libvirt_pool_xml(const char *name, const char *path, struct strbuf *out);
/* A raw volume named name of size bytes. */
int libvirt_volume_xml(const char *name, unsigned long long size, struct strbuf *out);

#endif
