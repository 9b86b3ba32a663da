/* elf: what a file a case wants to run is: an ELF program (its class,
 * machine, interpreter and needed libraries) or a "#!" script (its
 * interpreter and argument). Reads hostile input: every offset and count
 * is checked against the file's bytes. Both byte orders and classes. */
#ifndef OOMTEST_PAYLOAD_ELF_H
#define OOMTEST_PAYLOAD_ELF_H

#include <stddef.h>
#include "lib/strbuf.h"

struct elf_info {
	int is_elf;
	int elf_class;             /* 32 or 64; 0 when not ELF */
	unsigned machine;          /* e_machine */
	char *interp;              /* PT_INTERP; NULL when none (static) */
	char **needed;             /* DT_NEEDED, in file order */
	size_t nneeded;
	char *script_interp;       /* a "#!" line's interpreter; NULL when not a script */
	char *script_arg;          /* its optional argument (the rest of the line); NULL when none */
};

/* Inspects the file at path. Returns 0 with info filled (is_elf 0 and
 * script_interp NULL: neither an ELF file nor a script), or -1 with a
 * message in err (unreadable, or an ELF file that is malformed). info is
 * always safe to elf_info_release. */
int elf_inspect(const char *path, struct elf_info *info, struct strbuf *err);
/* The same over bytes held in memory. */
int elf_inspect_mem(const void *buf, size_t len, struct elf_info *info, struct strbuf *err);
void elf_info_release(struct elf_info *info);

/* "x86-64", "i386", "AArch64", ...; "unknown" for a machine not listed. */
const char *elf_machine_name(unsigned machine);
/* Whether an ELF file runs on a target arch (any of its names,
 * target/arch.h): the arch's ELF machine and class, e.g. 64-bit x86-64
 * for x86_64, 32-bit i386 for i386. 0 for anything else, an unknown arch,
 * and non-ELF. */
int elf_arch_matches(const struct elf_info *info, const char *arch);
/* Appends why it does not, e.g. "ELF is x86-64, the target is i386". */
void elf_arch_mismatch(const struct elf_info *info, const char *arch, struct strbuf *msg);

#endif
