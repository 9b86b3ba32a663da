/* html_tree: building the HTML report's libxml2 tree. Every string passes
 * utf8.c's XML policy first (invalid UTF-8 and the control bytes XML 1.0
 * forbids become U+FFFD); libxml2 then escapes it when the page is written. */
#ifndef OOMTEST_REPORT_HTML_TREE_H
#define OOMTEST_REPORT_HTML_TREE_H

#include <stddef.h>
#include <libxml/tree.h>

#define X(s) ((const xmlChar *)(s))

/* A new <tag> child of parent holding text (NULL: empty). */
xmlNodePtr html_el(xmlNodePtr parent, const char *tag, const char *text);
/* The same with printf-formatted text. */
xmlNodePtr html_elf(xmlNodePtr parent, const char *tag, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends len bytes of s as a text node. */
void html_add_text(xmlNodePtr parent, const char *s, size_t len);
/* Sets attribute name. */
void html_set(xmlNodePtr n, const char *name, const char *value);
void html_setf(xmlNodePtr n, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
