/* Tests for needs.c: kernel config lookups, release comparisons, and which
 * requirement skips a target with which reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/stat.h>
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

/* What the host can spare, as run_jobs reads it once before any guest. */
#define HOST_MEMORY (1ULL << 30)

static int met_with(struct fixture *fx, int cgroup_version, const char *need,
		    unsigned long long host_memory, struct strbuf *why)
{
	struct case_cgroup g = { .name = "g", .version = cgroup_version };
	char *needs[] = { (char *)need };
	struct oomcase c = { .cgroups = &g, .ncgroups = cgroup_version ? 1 : 0,
			     .needs = needs, .nneeds = need ? 1 : 0 };
	strbuf_reset(why);
	return needs_met(&c, &fx->t, host_memory, why);
}

static int met(struct fixture *fx, int cgroup_version, const char *need, struct strbuf *why)
{
	return met_with(fx, cgroup_version, need, HOST_MEMORY, why);
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
	assert_string_equal(why.buf, "needs memory:100000G: the host has 1024 MiB to spare");

	/* a build tree with only include/config/auto.conf */
	struct fixture autoconf;
	char p[160];
	make_target(&autoconf, "6.1.192", "x86_64", NULL);
	snprintf(p, sizeof(p), "%s/include", autoconf.dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/include/config", autoconf.dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/include/config/auto.conf", autoconf.dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("CONFIG_MEMCG=y\nCONFIG_PSI=y\n", f);
	fclose(f);
	assert_true(met(&autoconf, 2, "kconfig:CONFIG_PSI", &why));
	assert_false(met(&autoconf, 0, "kconfig:CONFIG_SWAP", &why));
	assert_string_equal(why.buf, "needs kconfig:CONFIG_SWAP: CONFIG_SWAP is not set in 6.1.192");
	drop_target(&autoconf);

	drop_target(&a);
	drop_target(&b);
	drop_target(&none);
	strbuf_release(&why);
}

/* memory:SIZE is judged against the figure the run read once, before any
 * guest: never against what the host has left when the job's turn comes
 * (with -j N, after other guests took theirs), so -j cannot flip a verdict. */
static void test_memory_from_the_figure_read_once(void **state)
{
	(void)state;
	struct fixture a;
	struct strbuf why = STRBUF_INIT;

	make_target(&a, "6.1.0-50-686", "i386", cfg61);
	assert_true(met_with(&a, 0, "memory:64M", 64ULL << 20, &why));
	assert_string_equal(why.buf, "");
	assert_false(met_with(&a, 0, "memory:64M", (64ULL << 20) - 1, &why));
	assert_string_equal(why.buf, "needs memory:64M: the host has 63 MiB to spare");
	/* a host with nothing to spare (every guest admitted), and one with
	 * more than any machine has: the figure given decides, not the host */
	assert_false(met_with(&a, 0, "memory:1M", 0, &why));
	assert_string_equal(why.buf, "needs memory:1M: the host has 0 MiB to spare");
	assert_true(met_with(&a, 0, "memory:100000G", ~0ULL, &why));
	/* the same figure, the same answer, however often it is asked */
	for (int i = 0; i < 3; i++) {
		assert_true(met_with(&a, 0, "memory:512M", 512ULL << 20, &why));
		assert_false(met_with(&a, 0, "memory:513M", 512ULL << 20, &why));
	}
	drop_target(&a);
	strbuf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kconfig),
		cmocka_unit_test(test_release_cmp),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_memory_from_the_figure_read_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
