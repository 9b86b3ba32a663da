/* html_tree: libxml2 nodes from text that is made valid for XML first. */
#include "report/html_tree.h"

#include <stdarg.h>
#include <stdlib.h>

#include "lib/utf8.h"

xmlNodePtr html_el(xmlNodePtr parent, const char *tag, const char *text)
{
	char *clean = text ? utf8_dup(text, UTF8_XML) : NULL;
	xmlNodePtr n = xmlNewChild(parent, NULL, X(tag), NULL);
	if (clean)
		xmlAddChild(n, xmlNewText(X(clean)));
	free(clean);
	return n;
}

void html_add_text(xmlNodePtr parent, const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, s, len, UTF8_XML);
	xmlAddChild(parent, xmlNewTextLen(X(clean.buf), (int)clean.len));
	strbuf_release(&clean);
}

void html_set(xmlNodePtr n, const char *name, const char *value)
{
	char *clean = utf8_dup(value, UTF8_XML);
	xmlSetProp(n, X(name), X(clean));
	free(clean);
}

/* The formatted text as attribute `name` of n, or (name NULL) as its text. */
static void put_formatted(xmlNodePtr n, const char *name, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_vaddf(&sb, fmt, ap);
	if (name)
		html_set(n, name, sb.buf);
	else
		html_add_text(n, sb.buf, sb.len);
	strbuf_release(&sb);
}

void html_setf(xmlNodePtr n, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_formatted(n, name, fmt, ap);
	va_end(ap);
}

xmlNodePtr html_elf(xmlNodePtr parent, const char *tag, const char *fmt, ...)
{
	xmlNodePtr n = html_el(parent, tag, NULL);
	va_list ap;
	va_start(ap, fmt);
	put_formatted(n, NULL, fmt, ap);
	va_end(ap);
	return n;
}
