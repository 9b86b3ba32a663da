/* lava_job: LAVA job, device and dispatcher YAML (see lava_job.h). */
#include "lava/lava_job.h"

#include <string.h>

#include "lava/lava_yaml.h"

struct arch_info {
	const char *lava;     /* LAVA's name, the context's arch */
	const char *qemu;     /* QEMU's program */
	const char *machine;  /* default -machine, or NULL */
	const char *cpu;      /* default -cpu, or NULL */
	bool x86;
};

static const struct arch_info arches[] = {
	{ "x86_64", "qemu-system-x86_64", NULL, NULL, true },
	{ "i386", "qemu-system-i386", NULL, NULL, true },
	{ "arm64", "qemu-system-aarch64", "virt", "cortex-a57", false },
};

static const struct arch_info *arch_find(const char *arch)
{
	for (size_t i = 0; arch && i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i].lava, arch))
			return &arches[i];
	return NULL;
}

const char *lava_job_qemu_program(const char *arch)
{
	const struct arch_info *a = arch_find(arch);

	return a ? a->qemu : NULL;
}

void lava_job_regex_escape(const char *text, struct strbuf *out)
{
	for (const char *p = text; *p; p++) {
		if (strchr("\\.^$*+?{}[]|()", *p))
			strbuf_addch(out, '\\');
		strbuf_addch(out, *p);
	}
}

/* characters LAVA's urlparse or its split of the QEMU command line change */
static const char url_unsafe[] = " \t\n\r\"'\\?#{}";

static bool url_ok(const char *url)
{
	static const char *const schemes[] = { "file:///", "http://", "https://" };
	bool scheme = false;

	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(url, schemes[i], strlen(schemes[i])))
			scheme = true;
	return scheme && !strpbrk(url, url_unsafe);
}

int lava_job_file_url(const char *path, struct strbuf *out, struct strbuf *err)
{
	if (path[0] != '/') {
		strbuf_addf(err, "%s: not an absolute path", path);
		return -1;
	}
	if (strpbrk(path, url_unsafe)) {
		strbuf_addf(err, "%s: LAVA cannot take a path with whitespace, quotes, \\ ? # { or }", path);
		return -1;
	}
	strbuf_addf(out, "file://%s", path);
	return 0;
}

static int missing(struct strbuf *err, const char *what)
{
	strbuf_addf(err, "LAVA job: %s is missing", what);
	return -1;
}

int lava_job_check(const struct lava_job_spec *s, struct strbuf *err)
{
	const struct { const char *value, *name; } needed[] = {
		{ s->job_name, "the job name" }, { s->arch, "the arch" },
		{ s->kernel_url, "the kernel's URL" }, { s->initramfs_url, "the initramfs's URL" },
		{ s->cmdline, "the kernel command line" }, { s->start_marker, "the start marker" },
		{ s->end_marker, "the end marker" },
	};

	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!needed[i].value || !needed[i].value[0])
			return missing(err, needed[i].name);
	if (strlen(s->job_name) > 200)
		return strbuf_addstr(err, "LAVA job: the job name is longer than LAVA's 200 characters"), -1;
	if (!arch_find(s->arch))
		return strbuf_addf(err, "LAVA job: unknown arch %s (x86_64, i386, arm64)", s->arch), -1;
	if (!url_ok(s->kernel_url) || !url_ok(s->initramfs_url))
		return strbuf_addf(err, "LAVA job: %s: not a file:///, http:// or https:// URL LAVA can take",
				   url_ok(s->kernel_url) ? s->initramfs_url : s->kernel_url), -1;
	if (strchr(s->cmdline, '"') || strchr(s->cmdline, '\n'))
		return strbuf_addstr(err, "LAVA job: the kernel command line has a double quote or a newline"), -1;
	if (!s->memory_mb)
		return missing(err, "the memory size");
	if (!s->deploy_timeout_s || !s->boot_timeout_s || !s->test_timeout_s)
		return missing(err, "a deploy, boot or test timeout");
	if ((unsigned long long)s->deploy_timeout_s + s->boot_timeout_s + s->test_timeout_s > s->job_timeout_s)
		return strbuf_addf(err, "LAVA job: the job timeout (%u s) is shorter than deploy, boot and test together",
				   s->job_timeout_s), -1;
	return 0;
}

int lava_job_finish(struct lava_yaml *y, struct strbuf *out, size_t old_len, struct strbuf *err)
{
	const char *why;

	if (lava_yaml_finish(y, &why) == 0)
		return 0;
	out->len = old_len;
	out->buf[old_len] = '\0';
	strbuf_addf(err, "LAVA YAML: %s", why);
	return -1;
}

/* The spec's more QEMU options, a list under key; nothing when none. */
static void emit_qemu_extra(struct lava_yaml *y, const char *key, const struct lava_job_spec *s)
{
	if (!s->n_qemu_extra)
		return;
	lava_yaml_key(y, key);
	lava_yaml_seq_begin(y);
	for (size_t i = 0; i < s->n_qemu_extra; i++)
		lava_yaml_str(y, s->qemu_extra[i]);
	lava_yaml_seq_end(y);
}

static void emit_context(struct lava_yaml *y, const struct lava_job_spec *s)
{
	lava_yaml_key(y, "context");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "arch", s->arch);
	lava_yaml_pair_uint(y, "memory", s->memory_mb);
	if (s->machine)
		lava_yaml_pair_str(y, "machine", s->machine);
	if (s->cpu)
		lava_yaml_pair_str(y, "cpu", s->cpu);
	if (!s->kvm && arch_find(s->arch)->x86)
		lava_yaml_pair_uint(y, "no_kvm", 1);
	emit_qemu_extra(y, "extra_options", s);
	lava_yaml_map_end(y);
}

static void emit_image(struct lava_yaml *y, const char *label, const char *url, const char *arg)
{
	lava_yaml_key(y, label);
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "url", url);
	lava_yaml_pair_str(y, "image_arg", arg);
	lava_yaml_map_end(y);
}

void lava_job_marker_regex(const struct lava_job_spec *s, const char *marker, struct strbuf *out)
{
	if (s->markers_are_regex)
		strbuf_addstr(out, marker);
	else
		lava_job_regex_escape(marker, out);
}

static void emit_actions(struct lava_yaml *y, const struct lava_job_spec *s)
{
	struct strbuf arg = STRBUF_INIT, re = STRBUF_INIT;

	lava_yaml_key(y, "actions");
	lava_yaml_seq_begin(y);

	/* no `format`/`overlays` on the ramdisk: LAVA adds no test overlay */
	lava_yaml_map_begin(y);
	lava_yaml_key(y, "deploy");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "to", "tmpfs");
	lava_yaml_pair_seconds(y, "timeout", s->deploy_timeout_s);
	lava_yaml_key(y, "images");
	lava_yaml_map_begin(y);
	strbuf_addf(&arg, "-kernel {kernel} -append \"%s\"", s->cmdline);
	emit_image(y, "kernel", s->kernel_url, arg.buf);
	emit_image(y, "ramdisk", s->initramfs_url, "-initrd {ramdisk}");
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);

	/* the boot ends at the agent's start marker; on the way LAVA watches
	 * for kernel panics, oopses and warnings */
	lava_yaml_map_begin(y);
	lava_yaml_key(y, "boot");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "method", "qemu");
	lava_yaml_pair_str(y, "media", "tmpfs");
	lava_yaml_pair_seconds(y, "timeout", s->boot_timeout_s);
	lava_yaml_key(y, "prompts");
	lava_yaml_seq_begin(y);
	lava_job_marker_regex(s, s->start_marker, &re);
	lava_yaml_str(y, re.buf);
	lava_yaml_seq_end(y);
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);

	lava_job_emit_test(y, s);
	lava_yaml_seq_end(y);
	strbuf_release(&arg);
	strbuf_release(&re);
}

void lava_job_emit_test(struct lava_yaml *y, const struct lava_job_spec *s)
{
	struct strbuf re = STRBUF_INIT;

	/* the start marker is already behind: the monitor starts at once
	 * (the empty regex) and ends at the end marker */
	lava_yaml_map_begin(y);
	lava_yaml_key(y, "test");
	lava_yaml_map_begin(y);
	lava_yaml_pair_seconds(y, "timeout", s->test_timeout_s);
	lava_yaml_key(y, "monitors");
	lava_yaml_seq_begin(y);
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "name", LAVA_JOB_MONITOR_NAME);
	lava_yaml_pair_str(y, "start", "");
	strbuf_reset(&re);
	lava_job_marker_regex(s, s->end_marker, &re);
	lava_yaml_pair_str(y, "end", re.buf);
	lava_yaml_pair_str(y, "pattern", s->result_pattern ? s->result_pattern : LAVA_JOB_RESULT_PATTERN);
	lava_yaml_map_end(y);
	lava_yaml_seq_end(y);
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);
	strbuf_release(&re);
}

int lava_job_write(const struct lava_job_spec *s, struct strbuf *out, struct strbuf *err)
{
	struct lava_yaml y;
	size_t old_len = out->len;

	if (lava_job_check(s, err))
		return -1;
	lava_yaml_begin(&y, out);
	lava_yaml_map_begin(&y);
	lava_yaml_pair_str(&y, "job_name", s->job_name);
	lava_yaml_pair_str(&y, "device_type", "qemu");
	lava_yaml_pair_str(&y, "visibility", "public");
	lava_yaml_pair_str(&y, "priority", "medium");
	emit_context(&y, s);
	lava_job_emit_timeouts(&y, s->job_timeout_s, s->boot_timeout_s, s->test_timeout_s);
	emit_actions(&y, s);
	lava_yaml_map_end(&y);
	return lava_job_finish(&y, out, old_len, err);
}

void lava_job_emit_timeouts(struct lava_yaml *y, unsigned job_s, unsigned boot_s, unsigned test_s)
{
	lava_yaml_key(y, "timeouts");
	lava_yaml_map_begin(y);
	lava_yaml_pair_seconds(y, "job", job_s);
	/* waiting on the console is the connection's timeout: as long as
	 * the action's, so that the action's own timeout is what ends it */
	lava_yaml_key(y, "connections");
	lava_yaml_map_begin(y);
	lava_yaml_pair_seconds(y, "auto-login-action", boot_s);
	lava_yaml_pair_seconds(y, "lava-test-monitor", test_s);
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);
}

static void emit_serial_connections(struct lava_yaml *y)
{
	lava_yaml_key(y, "connections");
	lava_yaml_map_begin(y);
	lava_yaml_key(y, "serial");
	lava_yaml_null(y);
	lava_yaml_map_end(y);
}

/* A device's ACTION (deploy, boot): its serial connections and
 * methods: METHOD: parameters:, left open for the parameters. */
static void begin_method_parameters(struct lava_yaml *y, const char *action, const char *method)
{
	lava_yaml_key(y, action);
	lava_yaml_map_begin(y);
	emit_serial_connections(y);
	lava_yaml_key(y, "methods");
	lava_yaml_map_begin(y);
	lava_yaml_key(y, method);
	lava_yaml_map_begin(y);
	lava_yaml_key(y, "parameters");
	lava_yaml_map_begin(y);
}

/* Closes what begin_method_parameters opened: parameters, METHOD,
 * methods and ACTION. */
static void end_method_parameters(struct lava_yaml *y)
{
	for (int i = 0; i < 4; i++)
		lava_yaml_map_end(y);
}

/* Like lava-server's base.jinja2: LAVA's code asks for these constants.
 * failure_retry and boot_retry: one attempt, a failed boot is a result. */
static void emit_constants(struct lava_yaml *y)
{
	lava_yaml_key(y, "constants");
	lava_yaml_map_begin(y);
	lava_yaml_key(y, "posix");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "lava_test_sh_cmd", "/bin/sh");
	lava_yaml_pair_str(y, "lava_test_results_dir", "/lava-%s");
	lava_yaml_pair_str(y, "lava_test_shell_file", "~/.bashrc");
	lava_yaml_map_end(y);
	lava_yaml_pair_str(y, "shutdown-message", "The system is going down for reboot NOW");
	lava_yaml_pair_str(y, "kernel-start-message", "Linux version [0-9]");
	lava_yaml_pair_str(y, "default-shell-prompt", "lava-test: # ");
	lava_yaml_pair_str(y, "spawn_maxread", "4092");
	lava_yaml_pair_uint(y, "failure_retry", 1);
	lava_yaml_pair_uint(y, "boot_retry", 1);
	lava_yaml_map_end(y);
}

static void emit_qemu_options(struct lava_yaml *y, const struct lava_job_spec *s)
{
	const struct arch_info *a = arch_find(s->arch);
	const char *machine = s->machine ? s->machine : a->machine;
	const char *cpu = s->cpu ? s->cpu : a->cpu;
	struct strbuf opt = STRBUF_INIT;

	lava_yaml_key(y, "options");
	lava_yaml_seq_begin(y);
	if (machine) {
		strbuf_addf(&opt, "-machine %s", machine);
		lava_yaml_str(y, opt.buf);
	}
	if (a->x86 && s->kvm) {
		lava_yaml_str(y, "-enable-kvm");
		if (!cpu)
			cpu = "host";
	}
	if (cpu) {
		strbuf_reset(&opt);
		strbuf_addf(&opt, "-cpu %s", cpu);
		lava_yaml_str(y, opt.buf);
	}
	lava_yaml_str(y, "-nographic");
	lava_yaml_str(y, "-nic none");
	strbuf_reset(&opt);
	strbuf_addf(&opt, "-m %u", s->memory_mb);
	lava_yaml_str(y, opt.buf);
	lava_yaml_str(y, "-monitor none");
	lava_yaml_seq_end(y);
	emit_qemu_extra(y, "extra", s);
	strbuf_release(&opt);
}

int lava_job_write_device(const struct lava_job_spec *s, struct strbuf *out, struct strbuf *err)
{
	struct lava_yaml y;
	size_t old_len = out->len;

	if (lava_job_check(s, err))
		return -1;
	lava_yaml_begin(&y, out);
	lava_yaml_map_begin(&y);
	lava_yaml_pair_str(&y, "device_type", "qemu");
	lava_yaml_key(&y, "available_architectures");
	lava_yaml_seq_begin(&y);
	lava_yaml_str(&y, s->arch);
	lava_yaml_seq_end(&y);
	emit_constants(&y);
	lava_yaml_key(&y, "parameters");
	lava_yaml_flow_map_begin(&y);
	lava_yaml_map_end(&y);

	lava_yaml_key(&y, "actions");
	lava_yaml_map_begin(&y);
	/* "image" is the method that takes `to: tmpfs` */
	begin_method_parameters(&y, "deploy", "image");
	lava_yaml_key(&y, "guest");
	lava_yaml_map_begin(&y);
	lava_yaml_pair_uint(&y, "size", 512);
	lava_yaml_pair_str(&y, "interface", "ide");
	lava_yaml_pair_str(&y, "driveid", "lavatest");
	lava_yaml_map_end(&y);
	end_method_parameters(&y);

	begin_method_parameters(&y, "boot", "qemu");
	lava_yaml_pair_str(&y, "command", arch_find(s->arch)->qemu);
	emit_qemu_options(&y, s);
	end_method_parameters(&y);
	lava_yaml_map_end(&y);

	lava_yaml_key(&y, "timeouts");
	lava_yaml_map_begin(&y);
	lava_yaml_key(&y, "actions");
	lava_yaml_map_begin(&y);
	lava_yaml_pair_seconds(&y, "power-off", 10);
	lava_yaml_map_end(&y);
	lava_yaml_key(&y, "connections");
	lava_yaml_map_begin(&y);
	lava_yaml_pair_seconds(&y, "lava-test-monitor", s->test_timeout_s);
	lava_yaml_map_end(&y);
	lava_yaml_map_end(&y);
	lava_yaml_map_end(&y);
	return lava_job_finish(&y, out, old_len, err);
}

int lava_job_write_dispatcher(const char *prefix, struct strbuf *out, struct strbuf *err)
{
	struct lava_yaml y;
	size_t old_len = out->len;

	if (strchr(prefix, '/')) {
		strbuf_addf(err, "LAVA dispatcher: the prefix %s has a /", prefix);
		return -1;
	}
	lava_yaml_begin(&y, out);
	lava_yaml_map_begin(&y);
	lava_yaml_pair_str(&y, "prefix", prefix);
	lava_yaml_pair_str(&y, "dispatcher_ip", "127.0.0.1");
	lava_yaml_map_end(&y);
	return lava_job_finish(&y, out, old_len, err);
}
