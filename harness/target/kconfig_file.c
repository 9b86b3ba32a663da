/* kconfig_file: a kernel config read (see kconfig_file.h). */
#include "target/kconfig_file.h"

#include <stdlib.h>
#include <string.h>

#define PREFIX "CONFIG_"
#define NOT_SET " is not set"
#define HEADER "# Linux/"
#define HEADER_END " Kernel Configuration"

struct pending {
	struct kconfig_sym sym;
	size_t pos;                /* line order: the last line of a name wins */
};

static int name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* The length of a symbol name at the start of s (n bytes): "CONFIG_"
 * and at least one more name character; 0 when there is none. */
static size_t name_len(const char *s, size_t n)
{
	size_t k = strlen(PREFIX);

	if (n <= k || memcmp(s, PREFIX, k))
		return 0;
	while (k < n && name_char(s[k]))
		k++;
	return k > strlen(PREFIX) ? k : 0;
}

static void add(struct pending **v, size_t *n, size_t *alloc, const char *name, size_t nlen, const char *value,
		size_t vlen)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 256;
		*v = xrealloc(*v, *alloc * sizeof(**v));
	}
	(*v)[*n] = (struct pending){ { xstrndup(name, nlen), xstrndup(value, vlen) }, *n };
	(*n)++;
}

/* "# Linux/x86 6.1.192 Kernel Configuration": the version. */
static char *header_version(const char *s, size_t n)
{
	size_t h = strlen(HEADER), e = strlen(HEADER_END);

	if (n <= h + e || memcmp(s, HEADER, h) || memcmp(s + n - e, HEADER_END, e))
		return NULL;
	const char *arch_end = memchr(s + h, ' ', n - h - e);
	if (!arch_end)
		return NULL;
	const char *v = arch_end + 1, *end = s + n - e;
	if (v >= end || memchr(v, ' ', (size_t)(end - v)))
		return NULL;
	return xstrndup(v, (size_t)(end - v));
}

/* One line, without its end; 1 when it was understood. */
static int parse_line(struct kconfig_file *f, const char *s, size_t n, struct pending **v, size_t *nv,
		      size_t *alloc)
{
	size_t k;

	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n)
		return 1;
	if ((k = name_len(s, n)) && k < n && s[k] == '=') {
		add(v, nv, alloc, s, k, s + k + 1, n - k - 1);
		return 1;
	}
	if (s[0] != '#')
		return 0;
	if (n > 2 && s[1] == ' ' && (k = name_len(s + 2, n - 2)) && n - 2 - k == strlen(NOT_SET) &&
	    !memcmp(s + 2 + k, NOT_SET, strlen(NOT_SET))) {
		add(v, nv, alloc, s + 2, k, "n", 1);
		return 1;
	}
	if (!f->version && !*nv)
		f->version = header_version(s, n);
	return 1;
}

static int by_name_then_pos(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = strcmp(x->sym.name, y->sym.name);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

void kconfig_file_parse(struct kconfig_file *f, const char *text, size_t len)
{
	struct pending *v = NULL;
	size_t nv = 0, alloc = 0;
	const char *p = text, *end = text + len;

	memset(f, 0, sizeof(*f));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *nul = memchr(p, '\0', (size_t)(eol - p));
		if (!parse_line(f, p, (size_t)((nul ? nul : eol) - p), &v, &nv, &alloc))
			f->ignored++;
		p = nl ? nl + 1 : end;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), by_name_then_pos);
	f->v = nv ? xmalloc(nv * sizeof(*f->v)) : NULL;
	for (size_t i = 0; i < nv; i++) {
		if (i + 1 < nv && !strcmp(v[i].sym.name, v[i + 1].sym.name)) {
			free(v[i].sym.name);
			free(v[i].sym.value);
			continue;
		}
		f->v[f->n++] = v[i].sym;
	}
	free(v);
}

int kconfig_file_load(struct kconfig_file *f, const char *kdir, struct strbuf *path, struct strbuf *err)
{
	static const char *const names[] = { ".config", "include/config/auto.conf" };
	struct strbuf text = STRBUF_INIT;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		strbuf_reset(path);
		strbuf_addf(path, "%s/%s", kdir, names[i]);
		if (!strbuf_read_file(&text, path->buf)) {
			kconfig_file_parse(f, text.buf, text.len);
			strbuf_release(&text);
			return 0;
		}
		strbuf_reset(&text);
	}
	strbuf_reset(path);
	strbuf_addf(err, "%s has no kernel config (neither .config nor include/config/auto.conf): "
		    "is it a configured kernel build directory?", kdir);
	strbuf_release(&text);
	return -1;
}

void kconfig_file_release(struct kconfig_file *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	free(f->version);
	memset(f, 0, sizeof(*f));
}

static int sym_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct kconfig_sym *)elem)->name);
}

const char *kconfig_file_get(const struct kconfig_file *f, const char *name)
{
	const struct kconfig_sym *s = f->n ? bsearch(name, f->v, f->n, sizeof(*f->v), sym_cmp) : NULL;

	return s ? s->value : NULL;
}

int kconfig_value_is_set(const char *value)
{
	return value && strcmp(value, "n");
}

static const struct {
	const char *arch, *symbol;
} arch_symbols[] = {
	{ "x86_64", "CONFIG_X86_64" },
	{ "i386", "CONFIG_X86_32" },
	{ "arm64", "CONFIG_ARM64" },
};

const char *kconfig_file_arch(const struct kconfig_file *f)
{
	for (size_t i = 0; i < sizeof(arch_symbols) / sizeof(arch_symbols[0]); i++) {
		const char *v = kconfig_file_get(f, arch_symbols[i].symbol);
		if (v && !strcmp(v, "y"))
			return arch_symbols[i].arch;
	}
	return NULL;
}

const char *kconfig_arch_symbol(const char *arch)
{
	for (size_t i = 0; i < sizeof(arch_symbols) / sizeof(arch_symbols[0]); i++)
		if (!strcmp(arch_symbols[i].arch, arch))
			return arch_symbols[i].symbol;
	return NULL;
}
