/* backend_libvirt: a guest as a transient libvirt domain (the ops are in
 * backend.h); what is exposed here is for tests. */
#ifndef OOMTEST_BACKEND_LIBVIRT_H
#define OOMTEST_BACKEND_LIBVIRT_H

#include "backend/backend.h"

/* The domain XML for cfg: direct kernel boot, fixed memory, no balloon,
 * two pty serials (console, agent), a pvpanic device. type is "kvm" or
 * "qemu". Every value is XML-escaped. */
void libvirt_domain_xml(const struct vm_config *cfg, const char *name, const char *type,
			struct strbuf *out);

#endif
