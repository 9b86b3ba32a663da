/* cmd_build_kernel: `oomtest build-kernel`. */
#include "cmd/build_kernel.h"
#include "case/casefile.h"
#include "cmd/common.h"
#include "target/arch.h"
#include "target/kconfig.h"
#include "target/kernel_build.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("usage: oomtest build-kernel [-o OUTDIR] [--arch ARCH] [--config FRAGMENT]...\n"
	      "                            [--base tinyconfig|defconfig] [-j N] SRC [CASE|DIR...]\n"
	      "\n"
	      "Builds a kernel for oomtest from the source tree SRC (a git checkout, or\n"
	      "Debian's linux-source unpacked), out of tree: the base configuration, what\n"
	      "a user space needs beyond it, what `oomtest kconfig` prints for the cases\n"
	      "(default: every case in cases/) and your fragments, merged by the kernel's\n"
	      "scripts/kconfig/merge_config.sh, then olddefconfig; then the image and the\n"
	      "modules. Prints the `oomtest run` line for the kernel it built.\n"
	      "\n"
	      "  -o, --output OUTDIR   the build directory, kept for the next build\n"
	      "                        (default: build/kernels/NAME-ARCH, NAME: SRC's)\n"
	      "  --arch ARCH           x86_64 (default on this host), i386 or arm64\n"
	      "  --config FRAGMENT     a config fragment of yours (repeatable); an option\n"
	      "                        kconfig does not take is an error\n"
	      "  --base B              tinyconfig (default: small, quick to build and boot)\n"
	      "                        or defconfig (the arch's)\n"
	      "  -j N                  make -j N (default: the number of CPUs)\n"
	      "  --help                this text\n"
	      "\n"
	      "Exit status: 0 built; 2 on a usage error, a SRC that is not a kernel source\n"
	      "tree, an option of yours kconfig did not take, or a failed build (its first\n"
	      "error and the log's path are printed). OUTDIR/" KERNEL_BUILT_STAMP " is written\n"
	      "only when the build is whole.\n",
	      out);
}

static const char *default_arch(void)
{
	const struct arch_ops *host = NULL;
	for (size_t i = 0; arch_table[i] && !host; i++)
		if (!strcmp(arch_table[i]->uname, arch_host_machine()))
			host = arch_table[i];
	return host ? host->name : "x86_64";
}

int cmd_build_kernel(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "arch", required_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "base", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *arch_name = default_arch(), *base = "tinyconfig";
	char **fragments = NULL;
	size_t nfragments = 0, ncases = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = ncpu > 0 ? (int)ncpu : 1, c, ret = 2;
	struct oomcase *cases = NULL;
	struct strbuf outdir = STRBUF_INIT, fragment = STRBUF_INIT, err = STRBUF_INIT;
	struct kconfig_reqs reqs = { 0 };
	struct kernel_built built;
	char *root = NULL, *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'a': arch_name = optarg; break;
		case 'c':
			fragments = xrealloc(fragments, (nfragments + 1) * sizeof(*fragments));
			fragments[nfragments++] = optarg;
			break;
		case 'b': base = optarg; break;
		case 'j':
			jobs = (int)strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 256) {
				fprintf(stderr, "oomtest build-kernel: -j %s: expected a number from 1 to 256\n", optarg);
				goto out;
			}
			break;
		case 'h': usage(stdout); ret = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	const struct arch_ops *a = arch_find(arch_name);
	if (!a) {
		struct strbuf names = STRBUF_INIT;
		arch_list_names(&names, ", ");
		fprintf(stderr, "oomtest build-kernel: --arch %s: not an arch oomtest knows (%s)\n", arch_name, names.buf);
		strbuf_release(&names);
		goto out;
	}
	if (!kernel_build_base_known(base)) {
		fprintf(stderr, "oomtest build-kernel: --base %s: expected tinyconfig or defconfig\n", base);
		goto out;
	}
	if (optind >= argc) {
		fprintf(stderr, "oomtest build-kernel: no source tree given\n");
		usage(stderr);
		goto out;
	}
	const char *src = argv[optind++];
	if (kernel_build_check_source(src, a, &err)) {
		fprintf(stderr, "oomtest build-kernel: %s\n", err.buf);
		goto out;
	}
	for (size_t i = 0; i < nfragments; i++)
		if (access(fragments[i], R_OK)) {
			fprintf(stderr, "oomtest build-kernel: --config %s: cannot be read\n", fragments[i]);
			goto out;
		}
	if (load_case_args(argv + optind, argc - optind, &cases, &ncases))
		goto out;
	root = project_root();
	if (out) {
		strbuf_addstr(&outdir, out);
	} else {
		char *real = realpath(src, NULL);
		const char *name = strrchr(real ? real : src, '/');
		strbuf_addf(&outdir, "%s/kernels/%s-%s", state_dir(root), name ? name + 1 : src, a->name);
		free(real);
	}
	kconfig_requirements(&reqs, a->name, NULL, cases, ncases);
	kconfig_fragment(&reqs, a->name, &fragment);
	struct kernel_build_opts o = { .src = src, .out = outdir.buf, .arch = a, .base = base,
				       .fragments = fragments, .nfragments = nfragments,
				       .oomtest_fragment = fragment.buf, .jobs = jobs, .progress = stderr };
	if (kernel_build(&o, &built, &err)) {
		fprintf(stderr, "oomtest build-kernel: %s\n", err.buf);
	} else {
		fprintf(stderr, "oomtest: built Linux %s for %s in %.0f s: %s\n", built.release.buf, a->name,
			built.seconds, built.image.buf);
		printf("oomtest run --kernel %s --kdir %s --arch %s CASE...\n", built.image.buf, built.kdir.buf,
		       a->name);
		ret = 0;
	}
	kernel_built_release(&built);
out:
	kconfig_reqs_release(&reqs);
	for (size_t i = 0; i < ncases; i++)
		case_release(&cases[i]);
	free(cases);
	free(fragments);
	free(root);
	strbuf_release(&outdir);
	strbuf_release(&fragment);
	strbuf_release(&err);
	return ret;
}
