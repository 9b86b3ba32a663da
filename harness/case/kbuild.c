/* kbuild: the obj-m lines of a module's Kbuild or Makefile. */
#include "case/kbuild.h"
#include "case/hostpath.h"
#include "case/lexer.h"
#include "case/parser.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A module's build file is a few KiB; a bigger one is not one. */
#define KBUILD_FILE_MAX	(1 << 20)
/* Names listed in a message before "...". */
#define NAMES_SHOWN	8

/* After a '\\' at text[pos - 1]: how many bytes of line end make it a
 * continuation ("\n", "\r\n"; none at the text's end, where a last
 * newline would be), or -1 when it is an ordinary character. */
static long continuation(const char *text, size_t len, size_t pos)
{
	if (pos == len)
		return 0;
	if (text[pos] == '\n')
		return 1;
	if (text[pos] == '\r' && pos + 1 == len)
		return 1;
	if (text[pos] == '\r' && text[pos + 1] == '\n')
		return 2;
	return -1;
}

/* The logical line starting at text[*pos]: continued lines joined by a
 * space, '#' comments cut (make has no quoting that keeps a '#'), and, as
 * make does, the rest of a line after a NUL byte. */
static void next_line(const char *text, size_t len, size_t *pos, struct strbuf *line)
{
	int in_comment = 0;

	strbuf_reset(line);
	while (*pos < len) {
		char ch = text[(*pos)++];
		long end = ch == '\\' ? continuation(text, len, *pos) : -1;

		if (end >= 0) {
			*pos += (size_t)end;
			if (!in_comment)	/* make continues a comment too */
				strbuf_addch(line, ' ');
			continue;
		}
		if (ch == '\n')
			return;
		if (ch == '#' || ch == '\0')
			in_comment = 1;
		if (!in_comment)
			strbuf_addch(line, ch);
	}
}

/* "obj-m += a.o b.o": points at "a.o b.o", or NULL for any other line. */
static const char *obj_m_value(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncmp(s, "obj-m", 5))
		return NULL;
	s += 5;
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '+' && s[1] == '=')
		return s + 2;
	if (s[0] == ':' && s[1] == '=')
		return s + 2;
	if (s[0] == '=')
		return s + 1;
	return NULL;
}

static int known_name(char **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return 1;
	return 0;
}

/* Checks one obj-m word and adds its module name to *names; -1 with why. */
static int add_object(const char *word, char ***names, size_t *n, size_t *alloc,
		      struct strbuf *why)
{
	size_t len = strlen(word);
	char *name;

	if (strchr(word, '$')) {
		strbuf_addf(why, "obj-m names '%s': make variables are not read here (write NAME.o)",
			    word);
		return -1;
	}
	if (len < 3 || strcmp(word + len - 2, ".o")) {
		strbuf_addf(why, "obj-m names '%s' (expected NAME.o)", word);
		return -1;
	}
	name = xstrndup(word, len - 2);
	if (!case_valid_name(name)) {
		strbuf_addf(why, "obj-m names '%s', not a module's NAME.o (NAME: " NAME_CHARS ")",
			    word);
		free(name);
		return -1;
	}
	if (known_name(*names, *n, name)) {
		free(name);
		return 0;
	}
	case_grow((void **)names, alloc, *n, sizeof(**names));
	(*names)[(*n)++] = name;
	return 0;
}

int kbuild_module_name(const char *text, size_t len, char **name, struct strbuf *why)
{
	struct strbuf line = STRBUF_INIT;
	char **names = NULL;
	size_t n = 0, alloc = 0, pos = 0;
	int rc = 0;

	*name = NULL;
	while (!rc && pos < len) {
		const char *val;
		char **w;
		size_t nw;

		next_line(text, len, &pos, &line);
		val = obj_m_value(line.buf);
		if (!val)
			continue;
		lexer_plain_words(val, &w, &nw);
		for (size_t i = 0; !rc && i < nw; i++)
			rc = add_object(w[i], &names, &n, &alloc, why);
		lexer_free_words(w, nw);
	}
	if (!rc && !n) {
		strbuf_addstr(why, "no obj-m line (expected obj-m += NAME.o)");
		rc = -1;
	} else if (!rc && n > 1) {
		strbuf_addf(why, "obj-m names %zu modules (", n);
		for (size_t i = 0; i < n && i < NAMES_SHOWN; i++)
			strbuf_addf(why, "%s%s", i ? " " : "", names[i]);
		strbuf_addf(why, "%s; allowed: one, a directory per module)",
			    n > NAMES_SHOWN ? " ..." : "");
		rc = -1;
	}
	if (!rc) {
		*name = names[0];
		names[0] = NULL;
	}
	lexer_free_words(names, n);
	strbuf_release(&line);
	return rc;
}

/* Reads dir/file into text: 1 when there is none, 0, or -1 with why. */
static int read_build_file(const char *dir, const char *file, struct strbuf *text,
			   struct strbuf *why)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int rc = 1, err;

	strbuf_addf(&path, "%s/%s", dir, file);
	if (case_host_kind(path.buf, &err) == HOST_MISSING)
		goto out;
	rc = -1;
	if (stat(path.buf, &st) || !S_ISREG(st.st_mode)) {
		strbuf_addf(why, "%s is not a regular file", path.buf);
		goto out;
	}
	if (st.st_size > KBUILD_FILE_MAX) {
		strbuf_addf(why, "%s is too big for a module's build file (at most %d bytes)",
			    path.buf, KBUILD_FILE_MAX);
		goto out;
	}
	err = strbuf_read_file(text, path.buf);
	if (err) {
		strbuf_addf(why, "cannot read %s: %s", path.buf, strerror(-err));
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&path);
	return rc;
}

int kbuild_dir_module(const char *dir, char **name, struct strbuf *why)
{
	static const char *const files[] = { "Kbuild", "Makefile" };
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	int rc = 1;

	*name = NULL;
	/* the kernel's build reads Kbuild when there is one, the Makefile only else */
	for (size_t i = 0; rc == 1 && i < 2; i++) {
		rc = read_build_file(dir, files[i], &text, why);
		if (!rc && kbuild_module_name(text.buf, text.len, name, &msg)) {
			strbuf_addf(why, "%s/%s: %s", dir, files[i], msg.buf);
			rc = -1;
		}
	}
	if (rc == 1) {
		strbuf_addf(why, "no Kbuild or Makefile in %s", dir);
		rc = -1;
	}
	strbuf_release(&text);
	strbuf_release(&msg);
	return rc;
}
