/* Tests for needs.c: kernel config lookups, release comparisons, and which
 * requirement skips a target with which reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/child.h"
#include "case/needs.h"

static const char cfg612[] = "CONFIG_MEMCG=y\n# CONFIG_MEMCG_V1 is not set\nCONFIG_PSI=y\nCONFIG_FOO=m\nCONFIG_S=\"x y\"\n";
static const char cfg61[] = "CONFIG_MEMCG=y\nCONFIG_MEMCG_KMEM=y\nCONFIG_HIGHMEM=y\n";

static void test_kconfig(void **state)
{
	(void)state;
	struct strbuf b = STRBUF_INIT;
	assert_string_equal(kconfig_value(cfg612, "CONFIG_MEMCG", &b), "y");
	assert_string_equal(kconfig_value(cfg612, "CONFIG_FOO", &b), "m");
	assert_string_equal(kconfig_value(cfg612, "CONFIG_S", &b), "\"x y\"");
	assert_null(kconfig_value(cfg612, "CONFIG_MEMCG_V1", &b));
	assert_null(kconfig_value(cfg612, "CONFIG_PS", &b));
	strbuf_release(&b);
}

static void test_release_cmp(void **state)
{
	(void)state;
	assert_true(release_cmp("6.12.117+deb12-amd64", "6.12") > 0);
	assert_int_equal(release_cmp("6.12.0-rc1", "6.12"), 0);
	assert_true(release_cmp("6.1.0-50-686", "6.12") < 0);
	assert_true(release_cmp("5.19.3", "5.19.4") < 0);
	assert_int_equal(release_cmp("6.1.0-50-amd64", "6.1.0"), 0);
}

struct fixture {
	char dir[64];
	struct target t;
};

static void make_target(struct fixture *fx, const char *release, const char *arch, const char *cfg)
{
	strcpy(fx->dir, "/tmp/oomtest-needs.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	if (cfg) {
		char p[128];
		snprintf(p, sizeof(p), "%s/.config", fx->dir);
		FILE *f = fopen(p, "w");
		fputs(cfg, f);
		fclose(f);
	}
	fx->t = (struct target){ .name = "t", .arch = (char *)arch, .release = (char *)release,
				 .kdir = fx->dir };
}

static void drop_target(struct fixture *fx)
{
	char *rm[] = { "rm", "-rf", fx->dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
}

static int met(struct fixture *fx, int cgroup_version, const char *need, struct strbuf *why)
{
	struct case_cgroup g = { .name = "g", .version = cgroup_version };
	char *needs[] = { (char *)need };
	struct oomcase c = { .cgroups = &g, .ncgroups = cgroup_version ? 1 : 0,
			     .needs = needs, .nneeds = need ? 1 : 0 };
	strbuf_reset(why);
	return needs_met(&c, &fx->t, why);
}

static void test_needs(void **state)
{
	(void)state;
	struct fixture a, b, none;
	struct strbuf why = STRBUF_INIT;

	make_target(&a, "6.12.117+deb12-amd64", "x86_64", cfg612);
	make_target(&b, "6.1.0-50-686", "i386", cfg61);
	make_target(&none, "6.1.0", "x86_64", NULL);

	/* a v1 group implies cgroup-v1 */
	assert_false(met(&a, 1, NULL, &why));
	assert_string_equal(why.buf, "needs cgroup-v1: CONFIG_MEMCG_V1 is not set");
	assert_true(met(&b, 1, NULL, &why));
	assert_true(met(&a, 2, NULL, &why));
	assert_false(met(&none, 2, NULL, &why));
	assert_non_null(strstr(why.buf, "no kernel config"));
	assert_true(met(&none, 0, "arch:x86_64", &why));

	assert_true(met(&a, 0, "kconfig:CONFIG_PSI", &why));
	assert_true(met(&a, 0, "kconfig:CONFIG_FOO", &why));
	assert_false(met(&a, 0, "kconfig:CONFIG_MEMCG_V1", &why));
	assert_string_equal(why.buf, "needs kconfig:CONFIG_MEMCG_V1: CONFIG_MEMCG_V1 is not set in 6.12.117+deb12-amd64");
	assert_true(met(&a, 0, "kconfig:!CONFIG_MEMCG_V1", &why));
	assert_false(met(&b, 0, "kconfig:!CONFIG_HIGHMEM", &why));

	assert_true(met(&a, 0, "min-kernel:6.12", &why));
	assert_false(met(&b, 0, "min-kernel:6.12", &why));
	assert_string_equal(why.buf, "needs min-kernel:6.12: the kernel is 6.1.0-50-686");
	assert_true(met(&a, 0, "max-kernel:6.12", &why));
	assert_false(met(&a, 0, "max-kernel:6.12.100", &why));
	assert_false(met(&a, 0, "max-kernel:6.11", &why));
	assert_true(met(&b, 0, "max-kernel:6.1", &why));

	assert_true(met(&b, 0, "arch:i386", &why));
	assert_false(met(&a, 0, "arch:i386", &why));
	assert_string_equal(why.buf, "needs arch:i386: the target is x86_64");
	assert_true(met(&a, 0, "memory:64M", &why));
	assert_false(met(&a, 0, "memory:100000G", &why));
	assert_non_null(strstr(why.buf, "MiB to spare"));

	drop_target(&a);
	drop_target(&b);
	drop_target(&none);
	strbuf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kconfig),
		cmocka_unit_test(test_release_cmp),
		cmocka_unit_test(test_needs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
