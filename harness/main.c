/* oomtest: the command table and its dispatch; each command lives in cmd/. */
#include <stdio.h>
#include <string.h>

#include "cmd/compare.h"
#include "cmd/help.h"
#include "cmd/kconfig.h"
#include "cmd/build_kernel.h"
#include "cmd/bisect.h"
#include "cmd/lava_job.h"
#include "cmd/list.h"
#include "cmd/parse.h"
#include "cmd/run.h"
#include "cmd/shell.h"
#include "cmd/show.h"
#include "lib/child.h"

#define OOMTEST_VERSION "0.1"

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("oomtest %s\n", OOMTEST_VERSION);
	return 0;
}

static const struct command commands[] = {
	{ "run", cmd_run,
	  "  run [OPTIONS] CASE|DIR...   run cases (a DIR means its *.case files); TAP on stdout\n"
	  "      -t, --target NAME       run on this target only (repeatable; default: the\n"
	  "                              case's targets, else every default target)\n"
	  "      --timeout SECONDS       override every case's timeout\n"
	  "      --silence SECONDS       end a run as a timeout when neither the console nor\n"
	  "                              the agent said anything for that long (default: off)\n"
	  "      --log-limit SIZE        keep at most SIZE of each console and agent log per\n"
	  "                              run (default 64M); the rest is read, parsed, not kept\n"
	  "      --cold-boot             boot every guest; default: start each run from a\n"
	  "                              guest booted once and saved (build/snapshots/,\n"
	  "                              made again when the kernel or initramfs changes)\n"
	  "      --single-console        give each guest one serial line, its console, as a\n"
	  "                              lab like LAVA does: the plan baked into its\n"
	  "                              initramfs, the agent's records framed in the kernel\n"
	  "                              log and taken back out; boots every guest (no saved\n"
	  "                              guests); qemu and lava-local backends\n"
	  "      --backend qemu|libvirt|lava-local|lava\n"
	  "                              start guests with QEMU directly (default), as\n"
	  "                              transient domains of a libvirt daemon, or each as a\n"
	  "                              LAVA job of this host's lava-run (root; Debian's\n"
	  "                              lava-dispatcher), always with a single console;\n"
	  "                              the run's directory keeps job.yaml and lava.log;\n"
	  "                              lava: each a job of a LAVA server (below)\n"
	  "      --lava-url URL --lava-token TOKEN\n"
	  "                              the LAVA server and an API token of its user\n"
	  "                              (or OOMTEST_LAVA_TOKEN); the run's directory keeps\n"
	  "                              lava-job.yaml and the job's page in lava-job.url\n"
	  "      --lava-artifacts-url URL --lava-artifacts-dir DIR\n"
	  "                              kernels and initramfs go into DIR, which the lab\n"
	  "                              serves as URL (default: file:// paths, for a worker\n"
	  "                              on this host)\n"
	  "      --connect URI[*SLOTS]   a libvirt daemon (default qemu:///system); give\n"
	  "                              several to spread runs over them, SLOTS guests\n"
	  "                              at a time each (default 1; -j for a single one);\n"
	  "                              a host that fails is dropped, its runs retried\n"
	  "                              elsewhere once, and the TAP names each run's host\n"
	  "      --kernel IMAGE --kdir DIR --arch ARCH\n"
	  "                              run on your own kernel (x86: bzImage or vmlinux;\n"
	  "                              arm64: Image or vmlinuz) with the module built\n"
	  "                              against DIR; ARCH is x86_64, i386 or arm64\n"
	  "      --results DIR           where results go (default: results/ in the source tree,\n"
	  "                              ./results for an installed oomtest)\n"
	  "      -j, --jobs N            run N guests at a time (default: the number of CPUs);\n"
	  "                              never more guest memory than the host has available\n"
	  "      --junit FILE            also write a JUnit XML report to FILE\n"
	  "      --json FILE             also write the JSON report (report.json) to FILE\n"
	  "      --no-progress           no status line or colours even on a terminal (plain\n"
	  "                              TAP, as through a pipe; TERM=dumb does the same)\n"
	  "      --tap-version 13|14     the TAP version line (default 13: the output uses only\n"
	  "                              what both share, and Debian 12's prove refuses 14)\n"
	  "      --bisect                exit as git bisect run reads it: 0 every run passed,\n"
	  "                              1 a run failed, 125 (skip the commit) for an error,\n"
	  "                              timeout, skip, interruption or a run that could not\n"
	  "                              start, 128 (stop bisecting) for a usage error or a\n"
	  "                              case file in error\n" },
	{ "list", cmd_list,
	  "  list [CASE|DIR...]          list targets and cases\n" },
	{ "show", cmd_show,
	  "  show CASE|DIR...            a case as the harness understands it: runs, targets,\n"
	  "                              steps, expectations and the plan the guest is sent\n" },
	{ "shell", cmd_shell,
	  "  shell [--target T] [--memory SIZE] [--cold-boot]\n"
	  "                              an interactive guest (default: the first target, 256M)\n"
	  "                              with the module, the hog and a busybox shell on your\n"
	  "                              terminal; exit leaves it, Ctrl-] kills it\n" },
	{ "kconfig", cmd_kconfig, KCONFIG_USAGE },
	{ "build-kernel", cmd_build_kernel, BUILD_KERNEL_USAGE },
	{ "bisect", cmd_bisect, BISECT_USAGE },
	{ "parse", cmd_parse,
	  "  parse [--json|--facts] FILE...\n"
	  "                              read OOM reports from any kernel log ('-': stdin)\n" },
	{ "compare", cmd_compare, COMPARE_USAGE },
	{ "lava-job", cmd_lava_job, LAVA_JOB_USAGE },
	{ "help", cmd_help,
	  "  help case                   the case file format: every section and key (the facts\n"
	  "                              are in man oomtest and the README)\n" },
	{ "--version", cmd_version,
	  "  --version                   the version\n" },
};

int main(int argc, char **argv)
{
	child_default_sigchld();
	help_set_commands(commands, sizeof(commands) / sizeof(commands[0]));
	if (argc < 2) {
		help_print_usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "oomtest: unknown command '%s'\n", argv[1]);
	help_print_usage(stderr);
	return 2;
}
