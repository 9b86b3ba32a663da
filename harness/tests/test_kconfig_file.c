/* Tests for target/kconfig_file: kernel configs read as kconfig reads them
 * (=y, =m, is not set, numbers, hex, strings, the last line winning), the
 * header's version, the arch, .config before include/config/auto.conf, and
 * Debian's real configs (fixtures/kconfig/, trimmed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "target/kconfig_file.h"

#define FIX "fixtures/kconfig/"

static void parse_text(struct kconfig_file *f, const char *text)
{
	kconfig_file_parse(f, text, strlen(text));
}

static void test_values(void **state)
{
	(void)state;
	struct kconfig_file f;
	parse_text(&f, "#\n"
		       "# Automatically generated file; DO NOT EDIT.\n"
		       "# Linux/x86 6.12.118 Kernel Configuration\n"
		       "#\n"
		       "CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"
		       "CONFIG_LOCALVERSION=\"\"\n"
		       "CONFIG_MEMCG=y\n"
		       "# CONFIG_MEMCG_V1 is not set\n"
		       "CONFIG_VIRTIO_BLK=m\n"
		       "CONFIG_SERIAL_8250_NR_UARTS=32\n"
		       "CONFIG_ILLEGAL_POINTER_VALUE=0xdead000000000000\n"
		       "CONFIG_X86_64=y\n"
		       "\n"
		       "#\n"
		       "# Serial drivers\n"
		       "#\n");
	assert_string_equal(f.version, "6.12.118");
	assert_int_equal(f.n, 8);
	assert_int_equal(f.ignored, 0);
	assert_string_equal(kconfig_file_get(&f, "CONFIG_CC_VERSION_TEXT"), "\"gcc (Debian 12.2.0-14) 12.2.0\"");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_LOCALVERSION"), "\"\"");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_MEMCG"), "y");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_MEMCG_V1"), "n");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_VIRTIO_BLK"), "m");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_SERIAL_8250_NR_UARTS"), "32");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_ILLEGAL_POINTER_VALUE"), "0xdead000000000000");
	assert_null(kconfig_file_get(&f, "CONFIG_MEMC"));
	assert_null(kconfig_file_get(&f, "CONFIG_PSI"));
	assert_null(kconfig_file_get(&f, "MEMCG"));
	assert_string_equal(kconfig_file_arch(&f), "x86_64");
	/* sorted, one per name */
	for (size_t i = 1; i < f.n; i++)
		assert_true(strcmp(f.v[i - 1].name, f.v[i].name) < 0);
	kconfig_file_release(&f);
	assert_int_equal(f.n, 0);
	assert_null(f.v);
}

/* What kconfig does with what it did not write: the last line of a name
 * wins; CRLF, blanks and trailing spaces; a NUL ends its line; lines that
 * are neither a symbol nor a comment are counted. */
static void test_odd_input(void **state)
{
	(void)state;
	struct kconfig_file f;
	static const char text[] = "CONFIG_DUP=y\r\n"
				   "CONFIG_A=m  \r\n"
				   "# CONFIG_DUP is not set\n"
				   "CONFIG_B=y\0trailing junk\n"
				   "  CONFIG_INDENTED=y\n"
				   "CONFIG_=y\n"
				   "CONFIG_NOVALUE\n"
				   "#CONFIG_C is not set\n"
				   "# CONFIG_D is not set, really\n"
				   "CONFIG_lower_Case9=y\n"
				   "CONFIG_LAST=4";
	kconfig_file_parse(&f, text, sizeof(text) - 1);
	assert_null(f.version);
	assert_string_equal(kconfig_file_get(&f, "CONFIG_DUP"), "n");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_A"), "m");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_B"), "y");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_lower_Case9"), "y");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_LAST"), "4");
	assert_null(kconfig_file_get(&f, "CONFIG_INDENTED"));
	assert_null(kconfig_file_get(&f, "CONFIG_C"));
	assert_null(kconfig_file_get(&f, "CONFIG_D"));
	assert_null(kconfig_file_get(&f, "CONFIG_NOVALUE"));
	assert_int_equal(f.n, 5);
	/* the indented symbol, CONFIG_=y and the line without a value */
	assert_int_equal(f.ignored, 3);
	assert_null(kconfig_file_arch(&f));
	kconfig_file_release(&f);

	kconfig_file_parse(&f, "", 0);
	assert_int_equal(f.n, 0);
	assert_null(kconfig_file_get(&f, "CONFIG_A"));
	kconfig_file_release(&f);
}

/* The header names the version only before the first symbol. */
static void test_header(void **state)
{
	(void)state;
	struct kconfig_file f;
	parse_text(&f, "# Linux/arm64 6.1.176 Kernel Configuration\nCONFIG_ARM64=y\n");
	assert_string_equal(f.version, "6.1.176");
	assert_string_equal(kconfig_file_arch(&f), "arm64");
	kconfig_file_release(&f);
	parse_text(&f, "CONFIG_ARM64=y\n# Linux/arm64 6.1.176 Kernel Configuration\n");
	assert_null(f.version);
	kconfig_file_release(&f);
	parse_text(&f, "# Linux/x86 Kernel Configuration\n# Linux/x86 6.1 rc Kernel Configuration\n");
	assert_null(f.version);
	kconfig_file_release(&f);
}

struct real_config {
	const char *dir, *version, *arch, *nr_uarts, *pvpanic, *memcg_v1;
};

static const struct real_config real[] = {
	{ "debian-6.1-amd64", "6.1.176", "x86_64", "32", "y", NULL },
	{ "debian-6.1-686", "6.1.176", "i386", "32", "y", NULL },
	{ "debian-6.1-arm64", "6.1.176", "arm64", "4", "n", NULL },
	{ "debian-6.12-amd64", "6.12.118", "x86_64", "32", "y", "n" },
	{ "debian-6.12-arm64", "6.12.118", "arm64", "4", "n", "n" },
};

static void test_debian_configs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		struct kconfig_file f;
		struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;
		strbuf_addf(&want, FIX "%s/.config", real[i].dir);
		struct strbuf kdir = STRBUF_INIT;
		strbuf_addf(&kdir, FIX "%s", real[i].dir);
		assert_int_equal(kconfig_file_load(&f, kdir.buf, &path, &err), 0);
		assert_string_equal(path.buf, want.buf);
		assert_int_equal(err.len, 0);
		assert_string_equal(f.version, real[i].version);
		assert_string_equal(kconfig_file_arch(&f), real[i].arch);
		assert_int_equal(f.ignored, 0);
		assert_string_equal(kconfig_file_get(&f, "CONFIG_SERIAL_8250_NR_UARTS"), real[i].nr_uarts);
		assert_string_equal(kconfig_file_get(&f, "CONFIG_PVPANIC"), real[i].pvpanic);
		if (real[i].memcg_v1)
			assert_string_equal(kconfig_file_get(&f, "CONFIG_MEMCG_V1"), real[i].memcg_v1);
		else
			assert_null(kconfig_file_get(&f, "CONFIG_MEMCG_V1"));
		assert_string_equal(kconfig_file_get(&f, "CONFIG_MODULE_SIG_FORCE"), "n");
		assert_string_equal(kconfig_file_get(&f, "CONFIG_VIRTIO_BLK"), "m");
		assert_string_equal(kconfig_file_get(&f, "CONFIG_ILLEGAL_POINTER_VALUE"),
				    strcmp(real[i].arch, "i386") ? "0xdead000000000000" : "0");
		assert_non_null(strstr(kconfig_file_get(&f, "CONFIG_CC_VERSION_TEXT"), "(Debian 12.2.0-14"));
		kconfig_file_release(&f);
		strbuf_release(&path);
		strbuf_release(&err);
		strbuf_release(&want);
		strbuf_release(&kdir);
	}
}

/* A tree without .config (its auto.conf written by the build): strings
 * unquoted, nothing "is not set". */
static void test_auto_conf(void **state)
{
	(void)state;
	struct kconfig_file f;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	assert_int_equal(kconfig_file_load(&f, FIX "build-6.1-x86_64", &path, &err), 0);
	assert_string_equal(path.buf, FIX "build-6.1-x86_64/include/config/auto.conf");
	assert_string_equal(f.version, "6.1.192");
	assert_string_equal(kconfig_file_arch(&f), "x86_64");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_CC_VERSION_TEXT"), "gcc (Debian 12.2.0-14+deb12u1) 12.2.0");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_LOCALVERSION"), "");
	assert_string_equal(kconfig_file_get(&f, "CONFIG_NR_CPUS"), "64");
	assert_null(kconfig_file_get(&f, "CONFIG_PSI"));
	assert_null(kconfig_file_get(&f, "CONFIG_TRANSPARENT_HUGEPAGE"));
	assert_int_equal(f.ignored, 0);
	kconfig_file_release(&f);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* .config is what the tree is configured with; auto.conf may be older. */
static void test_dot_config_first(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-kconfig-file.XXXXXX";
	struct strbuf p = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;
	struct kconfig_file f;

	assert_non_null(mkdtemp(dir));
	strbuf_addf(&p, "%s/include/config", dir);
	char *mk[] = { "mkdir", "-p", p.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&p, "/auto.conf");
	write_file(p.buf, "CONFIG_PSI=y\n");
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/.config", dir);
	write_file(p.buf, "# CONFIG_PSI is not set\n");
	assert_int_equal(kconfig_file_load(&f, dir, &path, &err), 0);
	assert_string_equal(path.buf, p.buf);
	assert_string_equal(kconfig_file_get(&f, "CONFIG_PSI"), "n");
	kconfig_file_release(&f);
	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&p);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void test_no_config(void **state)
{
	(void)state;
	struct kconfig_file f;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	assert_int_equal(kconfig_file_load(&f, FIX "no-config", &path, &err), -1);
	assert_string_equal(err.buf, FIX "no-config has no kernel config (neither .config nor "
				     "include/config/auto.conf): is it a configured kernel build directory?");
	assert_int_equal(path.len, 0);
	assert_int_equal(f.n, 0);
	kconfig_file_release(&f);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void test_arch_and_set(void **state)
{
	(void)state;
	assert_string_equal(kconfig_arch_symbol("x86_64"), "CONFIG_X86_64");
	assert_string_equal(kconfig_arch_symbol("i386"), "CONFIG_X86_32");
	assert_string_equal(kconfig_arch_symbol("arm64"), "CONFIG_ARM64");
	assert_null(kconfig_arch_symbol("riscv64"));

	struct kconfig_file f;
	parse_text(&f, "CONFIG_X86_64=m\nCONFIG_X86_32=y\n");
	assert_string_equal(kconfig_file_arch(&f), "i386");
	kconfig_file_release(&f);

	assert_true(kconfig_value_is_set("y"));
	assert_true(kconfig_value_is_set("m"));
	assert_true(kconfig_value_is_set("4"));
	assert_true(kconfig_value_is_set("\"\""));
	assert_false(kconfig_value_is_set("n"));
	assert_false(kconfig_value_is_set(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_odd_input),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_debian_configs),
		cmocka_unit_test(test_auto_conf),
		cmocka_unit_test(test_dot_config_first),
		cmocka_unit_test(test_no_config),
		cmocka_unit_test(test_arch_and_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
