/* Tests for target/kconfig: what the harness needs per arch, what cases
 * add (needs kconfig:, cgroups, swap, disk, payload, modules, scripts, hog
 * kinds), which cases count on an arch and release, merging, what options
 * depend on, and the fragment (golden text per arch from the cases in
 * fixtures/kconfig/cases, lines merge_config.sh reads right). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/casefile.h"
#include "cmd/common.h"
#include "target/kconfig.h"

#define FIX "fixtures/kconfig/"

struct case_set {
	struct oomcase *v;
	size_t n;
};

static void load_dir(struct case_set *cs, const char *dir)
{
	char **paths = NULL;
	size_t npaths = 0;
	char *args[] = { (char *)dir };
	struct strbuf err = STRBUF_INIT;

	memset(cs, 0, sizeof(*cs));
	assert_int_equal(collect_case_paths(args, 1, &paths, &npaths), 0);
	assert_true(npaths >= 10);
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *more = NULL;
		size_t nmore = 0;
		if (case_load_all(paths[i], &more, &nmore, &err))
			fail_msg("%s", err.buf);
		cs->v = xrealloc(cs->v, (cs->n + nmore) * sizeof(*cs->v));
		memcpy(cs->v + cs->n, more, nmore * sizeof(*more));
		cs->n += nmore;
		free(more);
		free(paths[i]);
	}
	free(paths);
	strbuf_release(&err);
}

/* Cases given as text, each "NAME\n" then its file's text. */
static void parse_cases(struct case_set *cs, const char *const *texts, size_t n)
{
	struct strbuf err = STRBUF_INIT;

	cs->v = xcalloc(n, sizeof(*cs->v));
	cs->n = n;
	for (size_t i = 0; i < n; i++) {
		const char *body = strchr(texts[i], '\n') + 1;
		char *path = xstrndup(texts[i], (size_t)(body - 1 - texts[i]));
		if (case_parse(&cs->v[i], path, body, strlen(body), &err))
			fail_msg("%s", err.buf);
		free(path);
	}
	strbuf_release(&err);
}

static void release_cases(struct case_set *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		case_release(&cs->v[i]);
	free(cs->v);
}

static const struct kconfig_req *req(const struct kconfig_reqs *r, const char *option)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].option, option))
			return &r->v[i];
	return NULL;
}

static size_t req_index(const struct kconfig_reqs *r, const char *option)
{
	const struct kconfig_req *q = req(r, option);
	assert_non_null(q);
	return (size_t)(q - r->v);
}

/* 1 skips, 0 fails, -1 not among q's cases */
static int case_ref(const struct kconfig_req *q, const char *name)
{
	for (size_t i = 0; i < q->ncases; i++)
		if (!strcmp(q->cases[i].name, name))
			return q->cases[i].skips;
	return -1;
}

static void test_golden_fragments(void **state)
{
	(void)state;
	static const char *const arches[] = { "x86_64", "i386", "arm64" };
	struct case_set cs;

	load_dir(&cs, FIX "cases");
	for (size_t i = 0; i < 3; i++) {
		struct kconfig_reqs r;
		struct strbuf out = STRBUF_INIT, want = STRBUF_INIT, path = STRBUF_INIT;
		kconfig_requirements(&r, arches[i], NULL, cs.v, cs.n);
		kconfig_fragment(&r, arches[i], &out);
		strbuf_addf(&path, FIX "fragment-%s.txt", arches[i]);
		assert_int_equal(strbuf_read_file(&want, path.buf), 0);
		assert_string_equal(out.buf, want.buf);
		kconfig_reqs_release(&r);
		strbuf_release(&out);
		strbuf_release(&want);
		strbuf_release(&path);
	}
	release_cases(&cs);
}

/* Every line is a comment or a value line as kconfig writes one, and no
 * comment names an option of the fragment as a word: merge_config.sh
 * greps each option's name with -w and would take the comment for a
 * second value. */
static void test_fragment_merge_safe(void **state)
{
	(void)state;
	static const char *const arches[] = { "x86_64", "i386", "arm64" };
	struct case_set cs;
	regex_t value, option_word;

	assert_int_equal(regcomp(&value, "^(CONFIG_[A-Za-z0-9_]+=(y|m|[0-9]+)|# CONFIG_[A-Za-z0-9_]+ is not set)$",
				 REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&option_word, "(^|[^A-Za-z0-9_])CONFIG_[A-Za-z0-9_]+", REG_EXTENDED | REG_NOSUB), 0);
	load_dir(&cs, FIX "cases");
	for (size_t i = 0; i < 3; i++) {
		struct kconfig_reqs r;
		struct strbuf out = STRBUF_INIT;
		size_t values = 0;
		kconfig_requirements(&r, arches[i], NULL, cs.v, cs.n);
		kconfig_fragment(&r, arches[i], &out);
		for (char *line = strtok(out.buf, "\n"); line; line = strtok(NULL, "\n")) {
			if (!regexec(&value, line, 0, NULL, 0)) {
				values++;
				continue;
			}
			assert_true(line[0] == '#' && line[1] == ' ');
			if (!regexec(&option_word, line, 0, NULL, 0))
				fail_msg("a comment names an option: %s", line);
		}
		assert_int_equal(values, r.n);
		kconfig_reqs_release(&r);
		strbuf_release(&out);
	}
	regfree(&value);
	regfree(&option_word);
	release_cases(&cs);
}

/* Without cases: what no guest boots or talks without, per arch; pvpanic
 * is never required (Debian's arm64 kernels have none). */
static void test_harness_own(void **state)
{
	(void)state;
	struct kconfig_reqs r;

	kconfig_requirements(&r, "x86_64", NULL, NULL, 0);
	assert_int_equal(req(&r, "CONFIG_SERIAL_8250_CONSOLE")->level, KCONFIG_HARD);
	assert_int_equal(req(&r, "CONFIG_SERIAL_8250_RUNTIME_UARTS")->want, KCONFIG_AT_LEAST);
	assert_int_equal(req(&r, "CONFIG_SERIAL_8250_RUNTIME_UARTS")->min, 2);
	assert_string_equal(req(&r, "CONFIG_SERIAL_8250_RUNTIME_UARTS")->value, "4");
	assert_int_equal(req(&r, "CONFIG_PVH")->level, KCONFIG_OPTIONAL);
	assert_int_equal(req(&r, "CONFIG_PVPANIC")->level, KCONFIG_OPTIONAL);
	assert_int_equal(req(&r, "CONFIG_PVPANIC_MMIO")->want, KCONFIG_Y_OR_M);
	assert_null(req(&r, "CONFIG_SERIAL_AMBA_PL011"));
	assert_null(req(&r, "CONFIG_VIRTIO_CONSOLE"));
	assert_null(req(&r, "CONFIG_MEMCG"));
	/* the serial driver's prerequisite, just before it */
	assert_int_equal(req_index(&r, "CONFIG_TTY") + 1, req_index(&r, "CONFIG_SERIAL_8250"));
	assert_true(req(&r, "CONFIG_TTY")->fragment_only);
	assert_false(req(&r, "CONFIG_SERIAL_8250")->fragment_only);
	/* hard ones first, then the optional */
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.v[i - 1].level <= r.v[i].level);
	kconfig_reqs_release(&r);

	kconfig_requirements(&r, "i386", NULL, NULL, 0);
	assert_null(req(&r, "CONFIG_PVH"));
	assert_int_equal(req(&r, "CONFIG_SERIAL_8250")->level, KCONFIG_HARD);
	kconfig_reqs_release(&r);

	kconfig_requirements(&r, "arm64", NULL, NULL, 0);
	assert_null(req(&r, "CONFIG_SERIAL_8250"));
	assert_null(req(&r, "CONFIG_PVH"));
	assert_int_equal(req(&r, "CONFIG_SERIAL_AMBA_PL011_CONSOLE")->level, KCONFIG_HARD);
	assert_int_equal(req(&r, "CONFIG_VIRTIO_CONSOLE")->want, KCONFIG_Y_OR_M);
	assert_int_equal(req(&r, "CONFIG_VIRTIO_CONSOLE")->level, KCONFIG_HARD);
	assert_int_equal(req(&r, "CONFIG_VIRTIO_PCI")->level, KCONFIG_HARD);
	assert_int_equal(req(&r, "CONFIG_PVPANIC")->level, KCONFIG_OPTIONAL);
	assert_int_equal(req(&r, "CONFIG_PVPANIC_PCI")->level, KCONFIG_OPTIONAL);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].ncases, 0);
	kconfig_reqs_release(&r);
}

/* Which cases need what, and which of them skip (their needs say so)
 * rather than fail. */
static void test_case_options(void **state)
{
	(void)state;
	struct case_set cs;
	struct kconfig_reqs r;

	load_dir(&cs, FIX "cases");
	kconfig_requirements(&r, "x86_64", NULL, cs.v, cs.n);
	assert_int_equal(case_ref(req(&r, "CONFIG_SWAP"), "swap"), 1);
	assert_int_equal(case_ref(req(&r, "CONFIG_VIRTIO_BLK"), "swap"), 0);
	assert_int_equal(case_ref(req(&r, "CONFIG_VIRTIO_BLK"), "script"), 0);
	assert_int_equal(case_ref(req(&r, "CONFIG_VIRTIO_BLK"), "disk"), 0);
	assert_int_equal(case_ref(req(&r, "CONFIG_VIRTIO_BLK"), "global-hog"), -1);
	assert_int_equal(case_ref(req(&r, "CONFIG_MEMCG_V1"), "memcg-v1"), 1);
	assert_string_equal(req(&r, "CONFIG_MEMCG_V1")->since, "6.11");
	assert_int_equal(req(&r, "CONFIG_MEMCG_V1")->ncases, 1);
	assert_int_equal(case_ref(req(&r, "CONFIG_MEMCG"), "memcg-v2-shmem"), 1);
	assert_int_equal(case_ref(req(&r, "CONFIG_CGROUPS"), "psi"), 1);
	/* needs kconfig:CONFIG_EXT4_FS and disk =: the disk's rule, skipping */
	assert_int_equal(req(&r, "CONFIG_EXT4_FS")->want, KCONFIG_Y_OR_M);
	assert_int_equal(case_ref(req(&r, "CONFIG_EXT4_FS"), "disk"), 1);
	assert_int_equal(case_ref(req(&r, "CONFIG_BINFMT_SCRIPT"), "script"), 0);
	assert_int_equal(req(&r, "CONFIG_BINFMT_SCRIPT")->ncases, 1);
	assert_int_equal(case_ref(req(&r, "CONFIG_TMPFS"), "memcg-v2-shmem"), 0);
	assert_int_equal(case_ref(req(&r, "CONFIG_TRANSPARENT_HUGEPAGE"), "thp"), 1);
	assert_int_equal(case_ref(req(&r, "CONFIG_MODULE_UNLOAD"), "kmod-rmmod"), 0);
	assert_int_equal(req(&r, "CONFIG_MODULE_SIG_FORCE")->want, KCONFIG_NOT_SET);
	assert_null(req(&r, "CONFIG_MODULE_SIG_FORCE")->value);
	assert_int_equal(req(&r, "CONFIG_KASAN")->want, KCONFIG_NOT_SET);
	assert_int_equal(case_ref(req(&r, "CONFIG_KASAN"), "no-kasan"), 1);
	assert_int_equal(req(&r, "CONFIG_PSI")->want, KCONFIG_SET);
	assert_string_equal(req(&r, "CONFIG_PSI")->value, "y");
	/* modules are required anyway: no case is named for them */
	assert_int_equal(req(&r, "CONFIG_MODULES")->level, KCONFIG_HARD);
	assert_int_equal(req(&r, "CONFIG_MODULES")->ncases, 0);
	/* highmem is an i386 case */
	assert_null(req(&r, "CONFIG_HIGHMEM"));
	/* BLOCK before the first option that depends on it, for all their cases */
	const struct kconfig_req *block = req(&r, "CONFIG_BLOCK");
	assert_true(block->fragment_only);
	assert_string_equal(block->why, "SWAP, EXT4_FS, BLK_DEV depend on it");
	assert_int_equal(block->ncases, 3);
	assert_true(req_index(&r, "CONFIG_BLOCK") < req_index(&r, "CONFIG_SWAP"));
	kconfig_reqs_release(&r);

	kconfig_requirements(&r, "i386", NULL, cs.v, cs.n);
	assert_int_equal(case_ref(req(&r, "CONFIG_HIGHMEM"), "highmem"), 1);
	assert_int_equal(req_index(&r, "CONFIG_HIGHMEM4G") + 1, req_index(&r, "CONFIG_HIGHMEM"));
	kconfig_reqs_release(&r);

	/* on arm64 the virtio transport is required anyway */
	kconfig_requirements(&r, "arm64", NULL, cs.v, cs.n);
	assert_int_equal(req(&r, "CONFIG_VIRTIO_PCI")->level, KCONFIG_HARD);
	assert_int_equal(req(&r, "CONFIG_VIRTIO_PCI")->ncases, 0);
	assert_int_equal(req(&r, "CONFIG_VIRTIO_BLK")->level, KCONFIG_CASES);
	kconfig_reqs_release(&r);
	release_cases(&cs);
}

/* A case counts where its targets and needs admit the arch and, when the
 * kernel is known, the release. */
static void test_which_cases_count(void **state)
{
	(void)state;
	struct case_set cs;
	struct kconfig_reqs r;

	load_dir(&cs, FIX "cases");
	kconfig_requirements(&r, "x86_64", NULL, cs.v, cs.n);
	assert_int_equal(case_ref(req(&r, "CONFIG_MEMCG_KMEM"), "old-kmem"), 1);
	kconfig_reqs_release(&r);
	kconfig_requirements(&r, "x86_64", "6.1.176", cs.v, cs.n);
	assert_int_equal(case_ref(req(&r, "CONFIG_MEMCG_KMEM"), "old-kmem"), 1);
	kconfig_reqs_release(&r);
	/* max-kernel:6.10 admits every 6.10.x, not 6.11 */
	kconfig_requirements(&r, "x86_64", "6.10.14", cs.v, cs.n);
	assert_non_null(req(&r, "CONFIG_MEMCG_KMEM"));
	kconfig_reqs_release(&r);
	kconfig_requirements(&r, "x86_64", "6.12.118", cs.v, cs.n);
	assert_null(req(&r, "CONFIG_MEMCG_KMEM"));
	assert_int_equal(case_ref(req(&r, "CONFIG_MEMCG"), "old-kmem"), -1);
	kconfig_reqs_release(&r);
	release_cases(&cs);

	static const char *const texts[] = {
		"arm-only.case\n[case]\ntargets = arm64\nneeds = kconfig:CONFIG_ARM64_PTR_AUTH\n"
		"[step s]\nrun = hog\n[expect]\noom.count >= 1\n",
		"new.case\n[case]\nneeds = min-kernel:6.11 kconfig:CONFIG_MEMCG_V1\n"
		"[step s]\nrun = hog\n[expect]\noom.count >= 1\n",
	};
	parse_cases(&cs, texts, 2);
	kconfig_requirements(&r, "x86_64", NULL, cs.v, cs.n);
	assert_null(req(&r, "CONFIG_ARM64_PTR_AUTH"));
	assert_non_null(req(&r, "CONFIG_MEMCG_V1"));
	kconfig_reqs_release(&r);
	kconfig_requirements(&r, "arm64", "6.1.176", cs.v, cs.n);
	assert_int_equal(case_ref(req(&r, "CONFIG_ARM64_PTR_AUTH"), "arm-only"), 1);
	assert_null(req(&r, "CONFIG_MEMCG_V1"));
	kconfig_reqs_release(&r);
	release_cases(&cs);
}

/* One case wants an option, another wants it off: the first word stands,
 * the other cases are named in its comment. A bare need, then a rule of a
 * later case's contents: the rule's stronger want and its why. */
static void test_merging(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"needs-ext4.case\n[case]\nneeds = kconfig:CONFIG_EXT4_FS kconfig:CONFIG_KASAN\n"
		"[step s]\nrun = hog\n[expect]\noom.count >= 1\n",
		"disk.case\n[case]\ndisk = 64M\n[step s]\nrun = hog --kind file --max 8M\n[expect]\noom.count == 0\n",
		"no-kasan.case\n[case]\nneeds = kconfig:!CONFIG_KASAN\n[step s]\nrun = hog\n[expect]\noom.count >= 1\n",
		"no-kasan-2.case\n[case]\nneeds = kconfig:!CONFIG_KASAN\n[step s]\nrun = hog\n[expect]\noom.count >= 1\n",
	};
	struct case_set cs;
	struct kconfig_reqs r;
	struct strbuf out = STRBUF_INIT;

	parse_cases(&cs, texts, 4);
	kconfig_requirements(&r, "x86_64", NULL, cs.v, cs.n);
	const struct kconfig_req *ext4 = req(&r, "CONFIG_EXT4_FS");
	assert_int_equal(ext4->want, KCONFIG_Y_OR_M);
	assert_string_equal(ext4->why, "disk = mounts ext4 on a virtio disk (as a module: it comes in the payload)");
	assert_int_equal(case_ref(ext4, "needs-ext4"), 1);
	assert_int_equal(case_ref(ext4, "disk"), 0);
	const struct kconfig_req *kasan = req(&r, "CONFIG_KASAN");
	assert_int_equal(kasan->want, KCONFIG_SET);
	assert_int_equal(kasan->ncases, 1);
	assert_int_equal(kasan->nconflicts, 2);
	kconfig_fragment(&r, "x86_64", &out);
	assert_non_null(strstr(out.buf, "\n# KASAN: needs = kconfig: names it; cases: needs-ext4 "
					"(the opposite: no-kasan, no-kasan-2)\nCONFIG_KASAN=y\n"));
	assert_non_null(strstr(out.buf, "\n# EXT4_FS: disk = mounts ext4 on a virtio disk (as a module: it comes in "
					"the payload); cases: needs-ext4, disk\nCONFIG_EXT4_FS=y\n"));
	kconfig_reqs_release(&r);
	strbuf_release(&out);
	release_cases(&cs);
}

static void test_why_and_cases(void **state)
{
	(void)state;
	struct case_set cs;
	struct kconfig_reqs r;
	struct strbuf out = STRBUF_INIT;

	load_dir(&cs, FIX "cases");
	kconfig_requirements(&r, "x86_64", NULL, cs.v, cs.n);
	kconfig_req_why(req(&r, "CONFIG_DEVTMPFS"), &out);
	assert_string_equal(out.buf, "required: the agent mounts devtmpfs on /dev for the console, its channel and "
				     "the disks");
	strbuf_reset(&out);
	kconfig_req_why(req(&r, "CONFIG_PVH"), &out);
	assert_string_equal(out.buf, "QEMU starts the vmlinux at its PVH entry, with no bzImage to decompress: "
				     "faster boots");
	strbuf_reset(&out);
	kconfig_req_cases(req(&r, "CONFIG_VIRTIO_BLK"), 0, 1, &out);
	assert_string_equal(out.buf, "disk, script, swap");
	strbuf_reset(&out);
	kconfig_req_cases(req(&r, "CONFIG_SYSFS"), 1, 0, &out);
	assert_string_equal(out.buf, "");
	strbuf_reset(&out);
	kconfig_req_cases(req(&r, "CONFIG_MEMCG"), 1, 0, &out);
	assert_string_equal(out.buf, "disk, memcg-v1, memcg-v2-shmem, old-kmem, psi");
	kconfig_reqs_release(&r);
	strbuf_release(&out);
	release_cases(&cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_fragments),
		cmocka_unit_test(test_fragment_merge_safe),
		cmocka_unit_test(test_harness_own),
		cmocka_unit_test(test_case_options),
		cmocka_unit_test(test_which_cases_count),
		cmocka_unit_test(test_merging),
		cmocka_unit_test(test_why_and_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
