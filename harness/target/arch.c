/* arch: the table of guest architectures and its lookups. Each arch's
 * entry is a file of target/arch/ (x86.c holds x86_64 and i386, which
 * share a machine); a new arch is a file there, its line in arch_table
 * and its declaration in arch.h. */
#include "target/arch.h"
#include "proto/proto.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

const struct arch_ops *const arch_table[] = { &arch_x86_64, &arch_i386, &arch_arm64, NULL };

const struct arch_ops *arch_find(const char *name)
{
	for (size_t i = 0; arch_table[i]; i++) {
		const struct arch_ops *a = arch_table[i];
		if (!strcmp(a->name, name))
			return a;
		for (size_t j = 0; a->aliases[j]; j++)
			if (!strcmp(a->aliases[j], name))
				return a;
	}
	return NULL;
}

const struct arch_ops *arch_of(const char *name)
{
	const struct arch_ops *a = arch_find(name);

	if (!a) {
		fprintf(stderr, "oomtest: internal error: a target of unknown arch '%s'\n", name);
		abort();
	}
	return a;
}

const struct arch_ops *arch_for_elf(unsigned machine, int elf_class)
{
	for (size_t i = 0; arch_table[i]; i++)
		if (arch_table[i]->elf_machine == machine && arch_table[i]->elf_class == elf_class)
			return arch_table[i];
	return NULL;
}

const struct arch_ops *arch_for_elf_machine(unsigned machine)
{
	for (size_t i = 0; arch_table[i]; i++)
		if (arch_table[i]->elf_machine == machine)
			return arch_table[i];
	return NULL;
}

void arch_list_names(struct strbuf *out, const char *sep)
{
	for (size_t i = 0; arch_table[i]; i++)
		strbuf_addf(out, "%s%s", i ? sep : "", arch_table[i]->name);
}

static struct utsname host;
static pthread_once_t host_once = PTHREAD_ONCE_INIT;

static void read_host(void)
{
	if (uname(&host))
		strcpy(host.machine, "unknown");
}

const char *arch_host_machine(void)
{
	pthread_once(&host_once, read_host);
	return host.machine;
}

int arch_is_native(const struct arch_ops *a, const char *host_machine)
{
	for (size_t i = 0; a->native_hosts[i]; i++)
		if (!strcmp(a->native_hosts[i], host_machine))
			return 1;
	return 0;
}

const char *arch_cross_prefix(const struct arch_ops *a, const char *host_machine)
{
	return arch_is_native(a, host_machine) ? "" : a->cross_prefix;
}

const char *arch_qemu_binary(const struct arch_ops *a)
{
	const char *own = getenv("OOMTEST_QEMU");

	/* a QEMU of one's own (qemu-system-x86_64 runs i386 guests too) */
	if (own && *own)
		return own;
	return a->qemu;
}

void arch_guest_cmdline(const struct arch_ops *a, struct strbuf *out)
{
	strbuf_addf(out, "%s loglevel=7 panic=-1 cryptomgr.notests", a->console_arg);
	if (*a->cmdline_extra)
		strbuf_addf(out, " %s", a->cmdline_extra);
	strbuf_addf(out, " " OOMTEST_CHAN_ARG "%s", a->agent_dev);
}
