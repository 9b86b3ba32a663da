/* libFuzzer target for target/kconfig_file (a kernel config read) and the
 * check of it (target/kconfig_check): the symbols come out sorted, one per
 * name, each "CONFIG_" and name characters with a value of one line, each
 * found by its name; the check for every arch (and the config's own)
 * names each miss in a line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "target/kconfig_check.h"
#include "target/kconfig_file.h"

static void check_symbols(const struct kconfig_file *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const char *name = f->v[i].name, *value = f->v[i].value;
		if (strncmp(name, "CONFIG_", 7) || !name[7] || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						      "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
			abort();
		if (strchr(value, '\n') || (i && strcmp(f->v[i - 1].name, name) >= 0))
			abort();
		if (kconfig_file_get(f, name) != value)
			abort();
	}
	if (f->version && (!*f->version || strpbrk(f->version, " \n")))
		abort();
}

static void check_arch(const struct kconfig_file *f, const char *arch)
{
	struct kconfig_report rep;
	struct strbuf err = STRBUF_INIT, line = STRBUF_INIT;

	if (kconfig_check_config(f, "fuzz/.config", arch, NULL, 0, &rep, &err)) {
		if (arch || kconfig_file_arch(f) || !err.len)
			abort();
	} else {
		if (rep.nhard > rep.n || rep.n > rep.nchecked + 1)
			abort();
		for (size_t i = 0; i < rep.n; i++) {
			strbuf_reset(&line);
			kconfig_miss_text(&rep.v[i], &line);
			if (strncmp(line.buf, rep.v[i].req->option, strlen(rep.v[i].req->option)) || strchr(line.buf, '\n'))
				abort();
		}
	}
	kconfig_report_release(&rep);
	strbuf_release(&err);
	strbuf_release(&line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const arches[] = { "x86_64", "i386", "arm64", NULL };
	struct kconfig_file f;

	kconfig_file_parse(&f, (const char *)data, size);
	check_symbols(&f);
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		check_arch(&f, arches[i]);
	kconfig_file_release(&f);
	return 0;
}
