/* kconfig: the kconfig command, and run's check of --kdir (see kconfig.h). */
#include "cmd/kconfig.h"
#include "cmd/common.h"
#include "target/arch.h"
#include "target/kconfig_check.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fputs("usage: oomtest kconfig [--arch ARCH] [--kdir DIR] [CASE|DIR...]\n"
	      "\n"
	      "Prints the kernel config oomtest needs on ARCH: what every guest needs (the\n"
	      "serial console and the agent channel, the initramfs, devtmpfs, modules), what\n"
	      "makes runs better (pvpanic, printk times, PVH), and what the cases need (their\n"
	      "needs kconfig:, cgroup versions, swap, disk, virtio disks, modules, scripts).\n"
	      "One option a line, each after a comment line saying why and which cases need\n"
	      "it: a fragment for the kernel's scripts/kconfig/merge_config.sh. The cases are\n"
	      "the CASE files and the *.case files of each DIR; by default every case of\n"
	      "oomtest's cases directory.\n"
	      "\n"
	      "  --arch ARCH   x86_64, i386 or arm64 (default: with --kdir, the arch DIR's\n"
	      "                config builds; else this host's)\n"
	      "  --kdir DIR    check DIR's .config (else include/config/auto.conf) instead:\n"
	      "                each option that is not as needed, why, and the cases that\n"
	      "                will skip or fail without it\n"
	      "  --help        this text\n"
	      "\n"
	      "Exit status: 0; 1 when --kdir's config lacks a required option (no guest\n"
	      "boots or talks with that kernel); 2 on usage or case errors, or a DIR without\n"
	      "a config.\n",
	      out);
}

static void print_report(const struct kconfig_report *rep)
{
	struct strbuf out = STRBUF_INIT;

	strbuf_addf(&out, "%s (Linux %s, %s", rep->config_path, rep->version ? rep->version : "of unknown version",
		    rep->config_arch ? rep->config_arch : "of unknown arch");
	if (!rep->n)
		strbuf_addf(&out, "): every option oomtest needs on %s is there (%zu checked)\n", rep->arch,
			    rep->nchecked);
	else
		strbuf_addf(&out, "): %zu of %zu options oomtest needs on %s %s not as wanted\n", rep->n,
			    rep->nchecked, rep->arch, rep->n > 1 ? "are" : "is");
	for (size_t i = 0; i < rep->n; i++) {
		strbuf_addstr(&out, "  ");
		kconfig_miss_text(&rep->v[i], &out);
		strbuf_addch(&out, '\n');
	}
	if (rep->nhard)
		strbuf_addf(&out, "no guest boots or talks without the required option%s\n",
			    rep->nhard > 1 ? "s" : "");
	fputs(out.buf, stdout);
	strbuf_release(&out);
}

int cmd_kconfig(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "kdir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arch_name = NULL, *kdir = NULL;
	const struct arch_ops *a = NULL;
	struct oomcase *cases = NULL;
	size_t ncases = 0;
	int c, ret = 2;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'a') {
			arch_name = optarg;
		} else if (c == 'd') {
			kdir = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (arch_name && !(a = arch_find(arch_name))) {
		struct strbuf names = STRBUF_INIT;
		arch_list_names(&names, ", ");
		fprintf(stderr, "oomtest kconfig: --arch %s: unknown architecture (%s)\n", arch_name, names.buf);
		strbuf_release(&names);
		return 2;
	}
	if (!a && !kdir && !(a = arch_find(arch_host_machine()))) {
		fprintf(stderr, "oomtest kconfig: no guest arch runs on this host (%s): give --arch\n",
			arch_host_machine());
		return 2;
	}
	if (load_case_args(argv + optind, argc - optind, &cases, &ncases))
		goto out;
	if (kdir) {
		struct kconfig_report rep;
		struct strbuf err = STRBUF_INIT;
		if (kconfig_check(kdir, a ? a->name : NULL, cases, ncases, &rep, &err)) {
			fprintf(stderr, "oomtest kconfig: %s\n", err.buf);
		} else {
			print_report(&rep);
			ret = rep.nhard ? 1 : 0;
		}
		kconfig_report_release(&rep);
		strbuf_release(&err);
	} else {
		struct kconfig_reqs reqs;
		struct strbuf out = STRBUF_INIT;
		kconfig_requirements(&reqs, a->name, NULL, cases, ncases);
		kconfig_fragment(&reqs, a->name, &out);
		fputs(out.buf, stdout);
		ret = fflush(stdout) ? 2 : 0;
		kconfig_reqs_release(&reqs);
		strbuf_release(&out);
	}
out:
	for (size_t i = 0; i < ncases; i++)
		case_release(&cases[i]);
	free(cases);
	return ret;
}

int kconfig_check_run(const struct target *t, const struct oomcase *cases, size_t ncases)
{
	struct kconfig_report rep;
	struct strbuf err = STRBUF_INIT, line = STRBUF_INIT;
	int r = 0;

	if (kconfig_check(t->kdir, t->arch, cases, ncases, &rep, &err)) {
		fprintf(stderr, "oomtest run: notice: --kdir %s\n", err.buf);
		fprintf(stderr, "oomtest run: notice: the kernel's config is not checked; cases that "
			"need kconfig: options will skip\n");
	}
	for (size_t i = 0; i < rep.n; i++) {
		strbuf_reset(&line);
		kconfig_miss_text(&rep.v[i], &line);
		fprintf(stderr, "oomtest run: %s--kdir %s: %s\n", rep.v[i].req->level == KCONFIG_HARD ? "" : "notice: ",
			t->kdir, line.buf);
	}
	if (rep.nhard) {
		fprintf(stderr, "oomtest run: the kernel of --kdir %s lacks what every guest needs (%s): "
			"no guest started\n", t->kdir, rep.config_path);
		r = -1;
	}
	kconfig_report_release(&rep);
	strbuf_release(&err);
	strbuf_release(&line);
	return r;
}
