/* lava_job: the three YAML files one oomtest run needs to become a LAVA job:
 * the job definition (deploy kernel + initramfs to tmpfs, boot with QEMU
 * until the agent says it started, then a `monitors` test that lasts until
 * the agent marks the end of its plan), a device file for the local
 * dispatcher (`lava-run`, device type qemu) and the dispatcher file. All are
 * written through libyaml's emitter.
 *
 * The job carries no LAVA test overlay (the initramfs has no shell for it)
 * and, in its context, what a lab's server needs to render its own qemu
 * device (arch, memory, machine, cpu, extra_options). */
#ifndef OOMTEST_LAVA_JOB_H
#define OOMTEST_LAVA_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

/* What LAVA's monitor records as a result when the agent prints
 * `oomtest-result: NAME pass|fail|skip|unknown` (a Python regex). */
#define LAVA_JOB_RESULT_PATTERN \
	"oomtest-result: (?P<test_case_id>[-_.a-zA-Z0-9]+) (?P<result>pass|fail|skip|unknown)"
/* The monitor's name, which LAVA uses as the results' suite name. */
#define LAVA_JOB_MONITOR_NAME "oomtest"

struct lava_job_spec {
	const char *job_name;
	const char *arch;           /* as LAVA says it: x86_64, i386, arm64 */
	const char *machine;        /* NULL: QEMU's default (arm64: virt) */
	const char *cpu;            /* NULL: QEMU's default (arm64: cortex-a57) */
	bool kvm;                   /* -enable-kvm -cpu host on x86 (the host must have it) */
	unsigned memory_mb;
	const char *kernel_url;     /* file:///abs/path, http:// or https:// */
	const char *initramfs_url;
	const char *cmdline;        /* the kernel's; no double quote in it */
	unsigned job_timeout_s;     /* the whole job; at least the three below summed */
	unsigned deploy_timeout_s;  /* copying or downloading the two files */
	unsigned boot_timeout_s;    /* QEMU start to the agent's start marker */
	unsigned test_timeout_s;    /* start marker to end marker */
	const char *start_marker;   /* literal text the agent prints when it starts */
	const char *end_marker;     /* literal text after the plan's last record */
	bool markers_are_regex;     /* the two markers are Python regexes already (the agent's
				       frames carry a tag no literal text can know), not text */
	const char *result_pattern; /* NULL: LAVA_JOB_RESULT_PATTERN */
	const char *const *qemu_extra; /* more QEMU options, one a string ("-no-reboot") */
	size_t n_qemu_extra;
};

/* Each returns 0 with the YAML appended to out, or -1 with the reason
 * appended to err (a field missing or unusable, or the emitter's error). */
int lava_job_write(const struct lava_job_spec *spec, struct strbuf *out, struct strbuf *err);
/* The device for `lava-run --device`: type qemu, this spec's arch, its
 * QEMU command and options (memory, machine, cpu, kvm, qemu_extra). */
int lava_job_write_device(const struct lava_job_spec *spec, struct strbuf *out, struct strbuf *err);
/* The dispatcher for `lava-run --dispatcher`: scratch dirs are named
 * PREFIX + job id (prefix may be ""), the dispatcher's address is
 * loopback (nothing is served to the guest). */
int lava_job_write_dispatcher(const char *prefix, struct strbuf *out, struct strbuf *err);

/* What a job writer of another device type (lava/lava_board.h) shares
 * with this one. The spec's fields checked as lava_job_write does: 0, or
 * -1 with err. */
int lava_job_check(const struct lava_job_spec *spec, struct strbuf *err);
struct lava_yaml;
/* The job's timeouts: job, and the connections' of its boot and test. */
void lava_job_emit_timeouts(struct lava_yaml *y, unsigned job_s, unsigned boot_s, unsigned test_s);
/* The `test` action: a monitor from the start to the end marker. */
void lava_job_emit_test(struct lava_yaml *y, const struct lava_job_spec *spec);
/* A marker as the regex LAVA is given. */
void lava_job_marker_regex(const struct lava_job_spec *spec, const char *marker, struct strbuf *out);
/* Ends the YAML document begun at out->len == old_len: 0, or -1 with err
 * and out as it was. */
int lava_job_finish(struct lava_yaml *y, struct strbuf *out, size_t old_len, struct strbuf *err);

/* A local file as the URL LAVA copies it from: file:// and the absolute
 * path. -1 with the reason in err when the path cannot be one (relative,
 * or characters that LAVA's URL parsing or its QEMU command line split
 * would change: whitespace, quotes, backslash, ? # { }). */
int lava_job_file_url(const char *path, struct strbuf *out, struct strbuf *err);
/* text as a Python regex matching it literally (LAVA's prompts and
 * monitor start/end strings are regexes). */
void lava_job_regex_escape(const char *text, struct strbuf *out);
/* QEMU's program for a LAVA arch name, or NULL for an unknown one. */
const char *lava_job_qemu_program(const char *arch);

#endif
