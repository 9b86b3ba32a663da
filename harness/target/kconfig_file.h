/* kconfig_file: reads a kernel build tree's configuration — its .config,
 * else include/config/auto.conf — into symbols and their values, as
 * kconfig itself reads them: "CONFIG_X=VALUE" sets a symbol, "# CONFIG_X is
 * not set" unsets it, the last line naming a symbol wins, anything else is
 * a comment. Also what the header says ("# Linux/x86 6.1.192 Kernel
 * Configuration") and which of oomtest's arches the config builds. */
#ifndef OOMTEST_KCONFIG_FILE_H
#define OOMTEST_KCONFIG_FILE_H

#include <stddef.h>
#include "lib/strbuf.h"

struct kconfig_sym {
	char *name;                /* "CONFIG_MEMCG" */
	char *value;               /* as written: y, m, 4, 0x10, "a string"; "n": is not set */
};

struct kconfig_file {
	struct kconfig_sym *v;     /* sorted by name, one per symbol */
	size_t n;
	char *version;             /* "6.1.192" from the header; NULL: none */
	size_t ignored;            /* lines that were neither a symbol nor a comment */
};

/* Reads len bytes of config text (NUL bytes and CRLF line ends are taken
 * as they come; a NUL ends its line). Never fails: what is not understood
 * is counted in ignored. Release with kconfig_file_release. */
void kconfig_file_parse(struct kconfig_file *f, const char *text, size_t len);
/* Reads KDIR/.config, else KDIR/include/config/auto.conf (a tree built
 * with O= elsewhere, or a headers package); *path gets the file read.
 * 0, or -1 with err naming both files. */
int kconfig_file_load(struct kconfig_file *f, const char *kdir, struct strbuf *path, struct strbuf *err);
void kconfig_file_release(struct kconfig_file *f);

/* A symbol's value ("n" when it is not set); NULL when the config does
 * not name it at all (not set either, or no such option in this kernel). */
const char *kconfig_file_get(const struct kconfig_file *f, const char *name);
/* Whether a value sets its symbol: y, m or any value, not "n" nor NULL. */
int kconfig_value_is_set(const char *value);
/* The arch (target/arch.h's name) the config builds: CONFIG_X86_64=y is
 * x86_64, CONFIG_X86_32=y i386, CONFIG_ARM64=y arm64; NULL: another, or
 * the config does not say. */
const char *kconfig_file_arch(const struct kconfig_file *f);
/* The symbol that says a config builds arch: "CONFIG_X86_64"; NULL: none. */
const char *kconfig_arch_symbol(const char *arch);

#endif
