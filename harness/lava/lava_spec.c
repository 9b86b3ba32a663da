/* lava_spec: one run's LAVA job spec (see lava_spec.h). */
#include "lava/lava_spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/disks.h"
#include "proto/payload.h"
#include "target/arch.h"

/* The arch names LAVA's qemu device type knows. */
static const char *lava_arch(const struct arch_ops *a)
{
	if (a == &arch_x86_64)
		return "x86_64";
	if (a == &arch_i386)
		return "i386";
	if (a == &arch_arm64)
		return "arm64";
	return a->name;
}

void lava_spec_cmdline(const struct vm_config *cfg, struct strbuf *out)
{
	arch_guest_cmdline(arch_of(cfg->target->arch), out);
	if (cfg->payload || cfg->swap_disk || cfg->data_disk)
		strbuf_addstr(out, " " PAYLOAD_CMDLINE);
	if (cfg->extra_cmdline && *cfg->extra_cmdline)
		strbuf_addf(out, " %s", cfg->extra_cmdline);
	strbuf_addstr(out, " " BACKEND_SINGLE_CONSOLE_CMDLINE);
}

void lava_spec_board_cmdline(const struct vm_config *cfg, struct strbuf *out)
{
	const struct arch_ops *a = arch_of(cfg->target->arch);
	struct strbuf all = STRBUF_INIT;
	size_t skip = strlen(a->console_arg);

	lava_spec_cmdline(cfg, &all);
	/* arch_guest_cmdline puts the console first */
	if (!strncmp(all.buf, a->console_arg, skip) && all.buf[skip] == ' ')
		skip++;
	else
		skip = 0;
	strbuf_addstr(out, all.buf + skip);
	strbuf_release(&all);
}

static void add_extra(struct lava_spec *s, const char *opt)
{
	s->extra = xrealloc(s->extra, (s->n_extra + 1) * sizeof(*s->extra));
	s->extra[s->n_extra++] = xstrdup(opt);
}

/* A raw image as a virtio disk with its serial, as the qemu backend
 * attaches it; LAVA splits its QEMU command at whitespace and QEMU's
 * options at commas, so neither may be in the path. */
static int add_disk(struct lava_spec *s, const char *id, const char *path, bool readonly, struct strbuf *err)
{
	struct strbuf opt = STRBUF_INIT;
	/* by its absolute path: a worker's QEMU does not run where oomtest does */
	char *abs = realpath(path, NULL);

	if (!abs) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (strpbrk(abs, " \t\n\r\"'\\,")) {
		strbuf_addf(err, "%s: LAVA cannot attach a disk whose path has whitespace, quotes, \\ or a comma",
			    abs);
		free(abs);
		return -1;
	}
	strbuf_addf(&opt, "-drive if=none,id=%s,format=raw,%sfile=%s", id, readonly ? "readonly=on," : "", abs);
	add_extra(s, opt.buf);
	strbuf_reset(&opt);
	strbuf_addf(&opt, "-device virtio-blk-pci,drive=%s,serial=%s", id, id);
	add_extra(s, opt.buf);
	strbuf_release(&opt);
	free(abs);
	return 0;
}

static int add_disks(struct lava_spec *s, const struct vm_config *cfg, bool local, struct strbuf *err)
{
	if (!cfg->payload && !cfg->swap_disk && !cfg->data_disk)
		return 0;
	if (!local) {
		strbuf_addstr(err, "the run needs a disk (payload, swap or data), which a LAVA job cannot attach");
		return -1;
	}
	if (cfg->payload && add_disk(s, "payload", cfg->payload, true, err))
		return -1;
	if (cfg->swap_disk && add_disk(s, DISK_SWAP_SERIAL, cfg->swap_disk, false, err))
		return -1;
	if (cfg->data_disk && add_disk(s, DISK_DATA_SERIAL, cfg->data_disk, false, err))
		return -1;
	return 0;
}

static void set_timeouts(struct lava_job_spec *j, long timeout_ms)
{
	unsigned run_s = timeout_ms > 0 ? (unsigned)((timeout_ms + 999) / 1000) : LAVA_SPEC_DEFAULT_RUN_S;

	j->deploy_timeout_s = LAVA_SPEC_DEPLOY_S;
	j->boot_timeout_s = run_s > 2 * LAVA_SPEC_OVERHEAD_S ? run_s - LAVA_SPEC_OVERHEAD_S
							      : (run_s + 1) / 2;
	j->test_timeout_s = run_s;
	j->job_timeout_s = j->deploy_timeout_s + j->boot_timeout_s + j->test_timeout_s + 2 * LAVA_SPEC_OVERHEAD_S;
}

int lava_spec_init(struct lava_spec *s, const struct vm_config *cfg, const char *job_name,
		   const char *kernel_url, const char *initrd_url, bool kvm, bool local, struct strbuf *err)
{
	const struct arch_ops *a = arch_of(cfg->target->arch);
	struct lava_job_spec *j = &s->job;

	memset(s, 0, sizeof(*s));
	strbuf_init(&s->name);
	strbuf_init(&s->kernel_url);
	strbuf_init(&s->initrd_url);
	strbuf_init(&s->cmdline);
	strbuf_addstr(&s->name, job_name);
	strbuf_addstr(&s->kernel_url, kernel_url);
	strbuf_addstr(&s->initrd_url, initrd_url);
	lava_spec_cmdline(cfg, &s->cmdline);

	/* as the qemu backend: no reboot after a panic (panic=-1 asks for
	 * one), one CPU, the device that tells the machine of a panic */
	add_extra(s, "-no-reboot");
	add_extra(s, "-smp 1");
	{
		struct strbuf dev = STRBUF_INIT;
		strbuf_addf(&dev, "-device %s", a->panic_device);
		add_extra(s, dev.buf);
		strbuf_release(&dev);
	}
	if (add_disks(s, cfg, local, err)) {
		lava_spec_release(s);
		return -1;
	}
	j->job_name = s->name.buf;
	j->arch = lava_arch(a);
	j->machine = a->machine;
	j->cpu = !kvm && a->cpu_tcg ? a->cpu_tcg : a->cpu;
	j->kvm = kvm;
	j->memory_mb = (unsigned)(cfg->memory >> 20);
	j->kernel_url = s->kernel_url.buf;
	j->initramfs_url = s->initrd_url.buf;
	j->cmdline = s->cmdline.buf;
	set_timeouts(j, cfg->timeout_ms);
	j->start_marker = LAVA_SPEC_READY_RE;
	j->end_marker = LAVA_SPEC_DONE_RE;
	j->markers_are_regex = true;
	j->qemu_extra = (const char *const *)s->extra;
	j->n_qemu_extra = s->n_extra;
	return 0;
}

void lava_spec_release(struct lava_spec *s)
{
	strbuf_release(&s->name);
	strbuf_release(&s->kernel_url);
	strbuf_release(&s->initrd_url);
	strbuf_release(&s->cmdline);
	for (size_t i = 0; i < s->n_extra; i++)
		free(s->extra[i]);
	free(s->extra);
	memset(s, 0, sizeof(*s));
}

void lava_spec_job_name(const char *run_dir, struct strbuf *out)
{
	const char *p = run_dir + strlen(run_dir);
	int slashes = 0;

	while (p > run_dir && slashes < 2)
		if (*--p == '/' && ++slashes == 2)
			p++;
	strbuf_addf(out, "oomtest %s", p);
}
