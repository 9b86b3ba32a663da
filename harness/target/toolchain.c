/* toolchain: the compilers and Kbuild variables for a target's modules. */
#include "target/toolchain.h"
#include "lib/child.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what LLVM=1 has Kbuild run for a module, and Debian's package of each */
static const struct {
	const char *program, *package;
} llvm_tools[] = {
	{ "clang", "clang" },
	{ "ld.lld", "lld" },
	{ "llvm-ar", "llvm" },
	{ "llvm-nm", "llvm" },
	{ "llvm-objcopy", "llvm" },
};

static int config_says_clang(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	int clang = 0;

	if (strbuf_read_file(&text, path)) {
		strbuf_release(&text);
		return -1;
	}
	for (char *line = text.buf; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len == strlen("CONFIG_CC_IS_CLANG=y") && !strncmp(line, "CONFIG_CC_IS_CLANG=y", len))
			clang = 1;
		line = nl ? nl + 1 : NULL;
	}
	strbuf_release(&text);
	return clang;
}

int toolchain_kernel_is_clang(const char *kdir)
{
	static const char *const configs[] = { ".config", "include/config/auto.conf" };
	struct strbuf path = STRBUF_INIT;
	int clang = -1;

	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]) && clang < 0; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", kdir, configs[i]);
		clang = config_says_clang(path.buf);
	}
	strbuf_release(&path);
	return clang > 0;
}

static int need_program(const char *program, const char *package, const char *why, struct strbuf *err)
{
	char *found = child_find_program(program);

	if (found) {
		free(found);
		return 0;
	}
	strbuf_addf(err, "%s needs %s, which is not installed (Debian package %s)", why, program, package);
	return -1;
}

static void add_var(struct toolchain *tc, const char *fmt, const char *value)
{
	strbuf_addf(&tc->vars[tc->n++], fmt, value);
}

int toolchain_for(struct toolchain *tc, const char *kdir, const struct arch_ops *a,
		  const char *host_machine, struct strbuf *err)
{
	const char *prefix = arch_cross_prefix(a, host_machine);
	struct strbuf why = STRBUF_INIT, program = STRBUF_INIT, package = STRBUF_INIT;
	int ret = 0;

	memset(tc, 0, sizeof(*tc));
	for (size_t i = 0; i < TOOLCHAIN_MAX_VARS; i++)
		strbuf_init(&tc->vars[i]);
	tc->clang = toolchain_kernel_is_clang(kdir);
	if (*prefix)
		add_var(tc, "ARCH=%s", a->name);
	if (tc->clang) {
		/* with LLVM=1 and ARCH, Kbuild gives clang the --target itself */
		add_var(tc, "LLVM=%s", "1");
		strbuf_addf(&why, "%s was built by clang (CONFIG_CC_IS_CLANG): its modules", kdir);
		for (size_t i = 0; i < sizeof(llvm_tools) / sizeof(llvm_tools[0]) && !ret; i++)
			ret = need_program(llvm_tools[i].program, llvm_tools[i].package, why.buf, err);
	} else if (*prefix) {
		add_var(tc, "CROSS_COMPILE=%s", prefix);
		/* Debian names a cross compiler's package after its prefix:
		 * gcc-aarch64-linux-gnu for aarch64-linux-gnu-gcc */
		strbuf_addf(&program, "%sgcc", prefix);
		strbuf_addf(&package, "gcc-%.*s", (int)strlen(prefix) - 1, prefix);
		strbuf_addf(&why, "a module for %s (built on %s)", a->name, host_machine);
		ret = need_program(program.buf, package.buf, why.buf, err);
	}
	strbuf_release(&why);
	strbuf_release(&program);
	strbuf_release(&package);
	return ret;
}

void toolchain_release(struct toolchain *tc)
{
	for (size_t i = 0; i < TOOLCHAIN_MAX_VARS; i++)
		strbuf_release(&tc->vars[i]);
	tc->n = 0;
}
