/* utf8: making external bytes (console text, comm names, case text) safe
 * for documents that must be valid UTF-8: JSON, and XML, which also forbids
 * most control characters. */
#ifndef OOMTEST_UTF8_H
#define OOMTEST_UTF8_H

#include <stddef.h>
#include "lib/strbuf.h"

#define UTF8_XML 1   /* also replace the control characters XML 1.0 forbids */

/* Appends s with every invalid UTF-8 sequence (and with UTF8_XML every
 * control byte but tab, newline and carriage return) replaced by U+FFFD. */
void utf8_sanitize(struct strbuf *out, const char *s, size_t len, int flags);
/* The same into a new string (free() it). */
char *utf8_dup(const char *s, int flags);

#endif
