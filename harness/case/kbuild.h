/* kbuild: the module a Kbuild source directory builds, read from the
 * obj-m lines of its Kbuild file (else its Makefile), as the kernel's
 * build reads them. */
#ifndef OOMTEST_CASE_KBUILD_H
#define OOMTEST_CASE_KBUILD_H

#include <stddef.h>
#include "lib/strbuf.h"

/* Kbuild or Makefile text: the one module its obj-m lines ("obj-m +=
 * NAME.o", ":=" or "=", continued lines joined, comments cut) name.
 * Returns 0 with *name (free it), or -1 with why appended to why. */
int kbuild_module_name(const char *text, size_t len, char **name, struct strbuf *why);

/* The module the directory dir builds: its Kbuild file, else its Makefile.
 * Returns 0 with *name, or -1 with why appended ("no Kbuild or Makefile
 * in DIR", "DIR/Kbuild: obj-m names 2 modules ..."). */
int kbuild_dir_module(const char *dir, char **name, struct strbuf *why);

#endif
