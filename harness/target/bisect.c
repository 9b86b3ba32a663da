/* bisect: git bisect run's verdict and a commit's prebuilt kernel. */
#include "target/bisect.h"

#include <string.h>

static int is_sha(const char *s, size_t len)
{
	return len >= 7 && len <= 64 && strspn(s, "0123456789abcdef") >= len;
}

enum bisect_outcome bisect_outcome_of(const char *output, struct strbuf *sha)
{
	static const char found[] = " is the first bad commit";
	static const char skipped[] = "The first bad commit could be any of:";
	const char *at;

	for (const char *l = output; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t len = strcspn(l, "\n");
		size_t word = strcspn(l, " \n");

		if (word < len && len - word == strlen(found) && !strncmp(l + word, found, strlen(found)) &&
		    is_sha(l, word)) {
			strbuf_reset(sha);
			strbuf_add(sha, l, word);
			return BISECT_FOUND;
		}
	}
	if ((at = strstr(output, skipped))) {
		strbuf_reset(sha);
		for (const char *l = strchr(at, '\n'); l;) {
			size_t len;

			l++;
			len = strcspn(l, "\n");
			if (!is_sha(l, len))
				break;
			strbuf_add(sha, l, len);
			strbuf_addch(sha, '\n');
			l = l[len] ? l + len : NULL;
		}
		if (sha->len)
			return BISECT_ONLY_SKIPPED;
	}
	return BISECT_UNKNOWN;
}

static void add_path(struct strbuf *out, const char *dir, const char *path, size_t len)
{
	if (path[0] != '/')
		strbuf_addf(out, "%s/", dir);
	strbuf_add(out, path, len);
}

int prebuilt_kernel_parse(const char *text, const char *file, const char *dir, struct prebuilt_kernel *k,
			  struct strbuf *err)
{
	int lineno = 0;

	strbuf_init(&k->kernel);
	strbuf_init(&k->kdir);
	strbuf_init(&k->arch);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t len = strcspn(l, "\n");
		struct strbuf *into = NULL;
		size_t key;

		lineno++;
		while (len && (l[len - 1] == ' ' || l[len - 1] == '\t' || l[len - 1] == '\r'))
			len--;
		if (!len || l[0] == '#')
			continue;
		key = strcspn(l, " \t");
		if (key < len) {
			if (key == 6 && !strncmp(l, "kernel", 6))
				into = &k->kernel;
			else if (key == 4 && !strncmp(l, "kdir", 4))
				into = &k->kdir;
			else if (key == 4 && !strncmp(l, "arch", 4))
				into = &k->arch;
		}
		size_t v = key + strspn(l + key, " \t");
		if (!into || v >= len) {
			strbuf_addf(err, "%s:%d: expected 'kernel PATH', 'kdir PATH' or 'arch ARCH'", file, lineno);
			return -1;
		}
		if (into->len) {
			strbuf_addf(err, "%s:%d: '%.*s' given twice", file, lineno, (int)key, l);
			return -1;
		}
		if (into == &k->arch)
			strbuf_add(into, l + v, len - v);
		else
			add_path(into, dir, l + v, len - v);
	}
	if (!k->kernel.len || !k->kdir.len || !k->arch.len) {
		strbuf_addf(err, "%s: names no %s", file, !k->kernel.len ? "kernel" : !k->kdir.len ? "kdir" : "arch");
		return -1;
	}
	return 0;
}

void prebuilt_kernel_release(struct prebuilt_kernel *k)
{
	strbuf_release(&k->kernel);
	strbuf_release(&k->kdir);
	strbuf_release(&k->arch);
}
