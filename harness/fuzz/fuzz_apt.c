/* libFuzzer target for payload/apt: any text read as apt-cache depends
 * output (for a foreign and the native arch) and as dpkg -S output. Every
 * package of a closure appears once and its dependencies are in it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "payload/apt.h"

static void closure(const char *text, const char *debarch, int native, char *root)
{
	enum apt_root_status st;
	struct apt_closure c;
	int r = apt_closure(text, debarch, native, &root, 1, &st, &c);

	if ((r == 0) != (st == APT_FOUND))
		abort();
	for (size_t i = 0; i < c.n; i++) {
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c.v[i].name, c.v[j].name))
				abort();
		for (size_t d = 0; d < c.v[i].ndeps; d++) {
			size_t k = 0;
			while (k < c.n && strcmp(c.v[k].name, c.v[i].deps[d]))
				k++;
			if (k == c.n)
				abort();
		}
	}
	apt_closure_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	/* the first line names the root, as apt-cache prints it first */
	char *root = xstrndup(text, strcspn(text, "\n"));

	closure(text, "i386", 0, root);
	closure(text, "amd64", 1, root);
	free(apt_soname_owner(text, "i386"));
	free(apt_soname_owner(text, "x86_64"));
	free(apt_multiarch_name(root));
	free(root);
	free(text);
	return 0;
}
