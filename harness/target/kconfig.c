/* kconfig: what the harness and the cases need of a kernel's config, as a
 * fragment and as a check (see kconfig.h). */
#include "target/kconfig.h"
#include "apps/hog_args.h"
#include "case/needs.h"
#include "payload/payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the harness needs for every run, whatever the case: arches NULL is
 * every arch, else the names it applies to, space-separated. */
struct harness_rule {
	const char *option;
	enum kconfig_want want;
	long min;
	const char *value;         /* what the fragment sets */
	enum kconfig_level level;
	const char *arches;
	const char *why;
};

static const struct harness_rule harness_rules[] = {
	{ "CONFIG_BLK_DEV_INITRD", KCONFIG_Y, 0, "y", KCONFIG_HARD, NULL,
	  "the guest's root is oomtest's initramfs, its agent /init" },
	{ "CONFIG_DEVTMPFS", KCONFIG_Y, 0, "y", KCONFIG_HARD, NULL,
	  "the agent mounts devtmpfs on /dev for the console, its channel and the disks" },
	{ "CONFIG_PROC_FS", KCONFIG_Y, 0, "y", KCONFIG_HARD, NULL,
	  "the agent reads its channel's device from /proc/cmdline" },
	{ "CONFIG_PRINTK", KCONFIG_Y, 0, "y", KCONFIG_HARD, NULL,
	  "the kernel log on the console is what a run is judged by" },
	{ "CONFIG_BINFMT_ELF", KCONFIG_Y, 0, "y", KCONFIG_HARD, NULL,
	  "the agent and the hog are static ELF programs" },
	{ "CONFIG_MODULES", KCONFIG_Y, 0, "y", KCONFIG_HARD, NULL,
	  "the OOM-trigger module is built against the tree (Module.symvers) into every initramfs, "
	  "whose boot modules the agent loads" },
	{ "CONFIG_SERIAL_8250", KCONFIG_Y, 0, "y", KCONFIG_HARD, "x86_64 i386",
	  "the console (ttyS0) and the agent channel (ttyS1) are 16550 serial ports" },
	{ "CONFIG_SERIAL_8250_CONSOLE", KCONFIG_Y, 0, "y", KCONFIG_HARD, "x86_64 i386",
	  "console=ttyS0 carries the kernel log" },
	{ "CONFIG_SERIAL_8250_NR_UARTS", KCONFIG_AT_LEAST, 2, "4", KCONFIG_HARD, "x86_64 i386",
	  "the agent channel is the second serial port, ttyS1" },
	{ "CONFIG_SERIAL_8250_RUNTIME_UARTS", KCONFIG_AT_LEAST, 2, "4", KCONFIG_HARD, "x86_64 i386",
	  "ttyS1, the agent channel, is registered at boot only with 2 or more" },
	{ "CONFIG_SERIAL_AMBA_PL011", KCONFIG_Y, 0, "y", KCONFIG_HARD, "arm64",
	  "the console (ttyAMA0) is the virt board's PL011" },
	{ "CONFIG_SERIAL_AMBA_PL011_CONSOLE", KCONFIG_Y, 0, "y", KCONFIG_HARD, "arm64",
	  "console=ttyAMA0 carries the kernel log" },
	{ "CONFIG_PCI", KCONFIG_Y, 0, "y", KCONFIG_HARD, "arm64",
	  "the agent channel's virtio console and the disks are PCI devices" },
	{ "CONFIG_VIRTIO_PCI", KCONFIG_Y_OR_M, 0, "y", KCONFIG_HARD, "arm64",
	  "the virtio transport of the agent channel and the disks (as a module: loaded from the initramfs)" },
	{ "CONFIG_VIRTIO_CONSOLE", KCONFIG_Y_OR_M, 0, "y", KCONFIG_HARD, "arm64",
	  "the agent channel is hvc0, a virtio console port (as a module: loaded from the initramfs)" },
	{ "CONFIG_PRINTK_TIME", KCONFIG_Y, 0, "y", KCONFIG_OPTIONAL, NULL,
	  "console lines carry times: each OOM event's (oom.N.time) and the report's timeline" },
	{ "CONFIG_PVPANIC", KCONFIG_Y, 0, "y", KCONFIG_OPTIONAL, NULL,
	  "QEMU hears of a panic at once through the pvpanic device; without it a panic is read "
	  "from the console" },
	{ "CONFIG_PVPANIC_MMIO", KCONFIG_Y_OR_M, 0, "y", KCONFIG_OPTIONAL, "x86_64 i386",
	  "the driver of QEMU's ISA pvpanic device (as a module: loaded from the initramfs)" },
	{ "CONFIG_PVPANIC_PCI", KCONFIG_Y_OR_M, 0, "y", KCONFIG_OPTIONAL, "arm64",
	  "the driver of QEMU's pvpanic-pci device (as a module: loaded from the initramfs)" },
	{ "CONFIG_PVH", KCONFIG_Y, 0, "y", KCONFIG_OPTIONAL, "x86_64",
	  "QEMU starts the vmlinux at its PVH entry, with no bzImage to decompress: faster boots" },
};

/* What a case's contents need: case_contents adds each rule for the cases
 * whose cgroups, disks, steps or programs call for it. */
enum case_rule {
	RULE_CGROUPS,
	RULE_MEMCG,
	RULE_MEMCG_V1,
	RULE_SYSFS,
	RULE_SWAP,
	RULE_EXT4,
	RULE_BLK_DEV,
	RULE_VIRTIO_BLK,
	RULE_VIRTIO_PCI,
	RULE_PCI,
	RULE_MODULE_SIG_FORCE,
	RULE_MODULE_UNLOAD,
	RULE_BINFMT_SCRIPT,
	RULE_TMPFS,
	RULE_THP,
	NRULES
};

static const struct {
	const char *option;
	enum kconfig_want want;
	const char *since;
	const char *why;
} case_rules[NRULES] = {
	[RULE_CGROUPS] = { "CONFIG_CGROUPS", KCONFIG_Y, NULL, "[cgroup] groups are control groups" },
	[RULE_MEMCG] = { "CONFIG_MEMCG", KCONFIG_Y, NULL,
			 "[cgroup] groups are memory cgroups (v1 and v2)" },
	[RULE_MEMCG_V1] = { "CONFIG_MEMCG_V1", KCONFIG_Y, "6.11",
			    "[cgroup] version = 1 needs the v1 memory controller (an option of its own "
			    "from 6.11 on)" },
	[RULE_SYSFS] = { "CONFIG_SYSFS", KCONFIG_Y, NULL,
			 "the agent finds its disks by serial in /sys/block and mounts cgroups under "
			 "/sys/fs/cgroup" },
	[RULE_SWAP] = { "CONFIG_SWAP", KCONFIG_Y, NULL, "swap = turns swap on on a virtio disk" },
	[RULE_EXT4] = { "CONFIG_EXT4_FS", KCONFIG_Y_OR_M, NULL,
			"disk = mounts ext4 on a virtio disk (as a module: it comes in the payload)" },
	[RULE_BLK_DEV] = { "CONFIG_BLK_DEV", KCONFIG_Y, NULL, "the virtio disks are block devices" },
	[RULE_VIRTIO_BLK] = { "CONFIG_VIRTIO_BLK", KCONFIG_Y_OR_M, NULL,
			      "the run's own files (payload), swap and disk come on virtio disks (as a "
			      "module: loaded from the initramfs)" },
	[RULE_VIRTIO_PCI] = { "CONFIG_VIRTIO_PCI", KCONFIG_Y_OR_M, NULL,
			      "the virtio disks are PCI devices (as a module: loaded from the initramfs)" },
	[RULE_PCI] = { "CONFIG_PCI", KCONFIG_Y, NULL, "the virtio disks are PCI devices" },
	[RULE_MODULE_SIG_FORCE] = { "CONFIG_MODULE_SIG_FORCE", KCONFIG_NOT_SET, NULL,
				    "the case loads modules built here, which are not signed" },
	[RULE_MODULE_UNLOAD] = { "CONFIG_MODULE_UNLOAD", KCONFIG_Y, NULL, "rmmod = unloads a module" },
	[RULE_BINFMT_SCRIPT] = { "CONFIG_BINFMT_SCRIPT", KCONFIG_Y, NULL, "the case runs a #! script" },
	[RULE_TMPFS] = { "CONFIG_TMPFS", KCONFIG_Y, NULL,
			 "hog --kind shmem writes a memfd (memfd_create needs tmpfs)" },
	[RULE_THP] = { "CONFIG_TRANSPARENT_HUGEPAGE", KCONFIG_Y, NULL,
		       "hog --kind thp asks for transparent huge pages" },
};

/* What kconfig sets an option only with: merge_config.sh leaves an option
 * out whose dependencies are off, as in a tinyconfig. arches as above. */
static const struct {
	const char *option, *depends_on, *arches;
} prerequisites[] = {
	{ "CONFIG_SERIAL_8250", "CONFIG_TTY", NULL },
	{ "CONFIG_SERIAL_AMBA_PL011", "CONFIG_TTY", NULL },
	{ "CONFIG_VIRTIO_PCI", "CONFIG_VIRTIO_MENU", NULL },
	{ "CONFIG_PVPANIC_MMIO", "CONFIG_ACPI", "x86_64 i386" },
	{ "CONFIG_PVH", "CONFIG_HYPERVISOR_GUEST", "x86_64" },
	{ "CONFIG_SWAP", "CONFIG_BLOCK", NULL },
	{ "CONFIG_EXT4_FS", "CONFIG_BLOCK", NULL },
	{ "CONFIG_BLK_DEV", "CONFIG_BLOCK", NULL },
	{ "CONFIG_TMPFS", "CONFIG_SHMEM", NULL },
	/* HIGHMEM is no prompt: i386 has it with HIGHMEM4G or HIGHMEM64G */
	{ "CONFIG_HIGHMEM", "CONFIG_HIGHMEM4G", "i386" },
};

static int word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && !strncmp(p, word, n))
			return 1;
		p += len + (p[len] == ' ');
	}
	return 0;
}

/* How strongly a want asks for the option to be set: a stronger one
 * satisfies the weaker. */
static int strength(enum kconfig_want w)
{
	return w == KCONFIG_Y ? 3 : w == KCONFIG_Y_OR_M ? 2 : 1;
}

static int opposite(enum kconfig_want a, enum kconfig_want b)
{
	return (a == KCONFIG_NOT_SET) != (b == KCONFIG_NOT_SET);
}

static struct kconfig_req *find_req(struct kconfig_reqs *r, const char *option)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].option, option))
			return &r->v[i];
	return NULL;
}

static struct kconfig_req *new_req(struct kconfig_reqs *r, const char *option, enum kconfig_want want,
				   const char *why, enum kconfig_level level)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	struct kconfig_req *q = &r->v[r->n++];
	*q = (struct kconfig_req){ .option = xstrdup(option), .want = want, .why = xstrdup(why),
				   .level = level };
	q->value = want == KCONFIG_NOT_SET ? NULL : xstrdup("y");
	return q;
}

static void add_ref(struct kconfig_case_ref **refs, size_t *n, const char *name, int skips)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*refs)[i].name, name)) {
			(*refs)[i].skips |= skips;
			return;
		}
	*refs = xrealloc(*refs, (*n + 1) * sizeof(**refs));
	(*refs)[(*n)++] = (struct kconfig_case_ref){ xstrdup(name), skips };
}

/* Whether the case's own `needs` make it skip where option is missing:
 * kconfig:OPTION or kconfig:!OPTION, and the memory controller's options
 * for its cgroups (case/needs.c checks them). */
static int case_declares(const struct oomcase *c, const char *option)
{
	int v1 = 0, any = c->ncgroups > 0;

	for (size_t i = 0; i < c->ncgroups; i++)
		v1 |= c->cgroups[i].version == 1;
	for (size_t i = 0; i < c->nneeds; i++) {
		const char *w = c->needs[i];
		if (!strncmp(w, "kconfig:", 8) && !strcmp(w + 8 + (w[8] == '!'), option))
			return 1;
		v1 |= !strcmp(w, "cgroup-v1");
		any |= !strcmp(w, "cgroup-v1") || !strcmp(w, "cgroup-v2");
	}
	if (!strcmp(option, "CONFIG_MEMCG_V1"))
		return v1;
	return any && (!strcmp(option, "CONFIG_MEMCG") || !strcmp(option, "CONFIG_CGROUPS"));
}

/* The case c needs option as want: merged into what is there. */
static void case_needs(struct kconfig_reqs *r, const struct oomcase *c, const char *option,
		       enum kconfig_want want, const char *why, const char *since)
{
	struct kconfig_req *q = find_req(r, option);
	int skips = case_declares(c, option);

	if (q && opposite(q->want, want)) {
		add_ref(&q->conflicts, &q->nconflicts, c->name, skips);
		return;
	}
	if (!q)
		q = new_req(r, option, want, why, KCONFIG_CASES);
	if (since)
		q->since = since;
	if (q->level == KCONFIG_CASES && strength(want) > strength(q->want)) {
		/* a rule of the case's contents says more than a bare `needs` */
		q->want = want;
		free(q->why);
		q->why = xstrdup(why);
	}
	if (q->level != KCONFIG_HARD)
		add_ref(&q->cases, &q->ncases, c->name, skips);
}

static void case_rule(struct kconfig_reqs *r, const struct oomcase *c, enum case_rule k)
{
	case_needs(r, c, case_rules[k].option, case_rules[k].want, case_rules[k].why, case_rules[k].since);
}

/* Whether the case's program at host_path (${arch} replaced) is a script. */
static int is_script(const char *host_path, const char *arch)
{
	char *path = payload_arch_path(host_path, arch);
	FILE *f = fopen(path, "rb");
	char head[2] = { 0 };
	int script = f && fread(head, 1, 2, f) == 2 && head[0] == '#' && head[1] == '!';

	if (f)
		fclose(f);
	free(path);
	return script;
}

/* The kind of memory a `run = hog ...` step asks for; -1 for another step. */
static int hog_kind(const struct case_step *s)
{
	struct hog_args a;
	size_t bad;

	if (s->kind != STEP_RUN || s->host_path || !s->argc || strcmp(s->argv[0], "hog") ||
	    hog_args_parse(&a, s->argc, s->argv, HOG_GUEST_SIZE_MAX, &bad) != HOG_ARGS_OK)
		return -1;
	return (int)a.kind;
}

/* Whether the run brings files of its own on the payload disk: programs
 * and modules of the case, packages, [files], busybox applets. */
static int has_payload(const struct oomcase *c)
{
	int any = c->nfiles || c->npackages;

	for (size_t i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];
		any |= s->host_path != NULL;
		any |= s->kind == STEP_RUN && s->argc && strcmp(s->argv[0], "hog");
	}
	return any;
}

static void case_contents(struct kconfig_reqs *r, const struct oomcase *c, const char *arch)
{
	int v1 = 0, disks = c->swap || c->disk || has_payload(c), cgroups = c->ncgroups > 0;

	for (size_t i = 0; i < c->ncgroups; i++)
		v1 |= c->cgroups[i].version == 1;
	for (size_t i = 0; i < c->nneeds; i++) {
		v1 |= !strcmp(c->needs[i], "cgroup-v1");
		cgroups |= !strcmp(c->needs[i], "cgroup-v1") || !strcmp(c->needs[i], "cgroup-v2");
	}
	if (cgroups) {
		case_rule(r, c, RULE_CGROUPS);
		case_rule(r, c, RULE_MEMCG);
	}
	if (v1)
		case_rule(r, c, RULE_MEMCG_V1);
	if (c->swap)
		case_rule(r, c, RULE_SWAP);
	if (c->disk)
		case_rule(r, c, RULE_EXT4);
	if (disks) {
		case_rule(r, c, RULE_BLK_DEV);
		case_rule(r, c, RULE_VIRTIO_BLK);
		case_rule(r, c, RULE_VIRTIO_PCI);
		case_rule(r, c, RULE_PCI);
	}
	if (disks || cgroups)
		case_rule(r, c, RULE_SYSFS);
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct case_step *s = &c->steps[i];
		int kind = hog_kind(s);
		if (s->kind == STEP_MODULE)
			case_rule(r, c, RULE_MODULE_SIG_FORCE);
		if (s->rmmod)
			case_rule(r, c, RULE_MODULE_UNLOAD);
		if (s->kind == STEP_RUN && s->host_path && is_script(s->host_path, arch))
			case_rule(r, c, RULE_BINFMT_SCRIPT);
		if (kind == HOG_KIND_SHMEM)
			case_rule(r, c, RULE_TMPFS);
		if (kind == HOG_KIND_THP)
			case_rule(r, c, RULE_THP);
	}
	for (size_t i = 0; i < c->nneeds; i++) {
		const char *w = c->needs[i];
		if (strncmp(w, "kconfig:", 8))
			continue;
		/* the option is not named in its why: see kconfig_fragment */
		if (w[8] == '!')
			case_needs(r, c, w + 9, KCONFIG_NOT_SET, "needs = kconfig:! wants it off", NULL);
		else
			case_needs(r, c, w + 8, KCONFIG_SET, "needs = kconfig: names it", NULL);
	}
}

/* release "6.12.118" against max-kernel:6.10: as many parts as given, so
 * that every 6.10.x is admitted. */
static int above_max(const char *release, const char *max)
{
	struct strbuf cut = STRBUF_INIT;
	size_t parts = 1, i = 0;

	for (const char *q = max; *q; q++)
		parts += *q == '.';
	for (size_t dots = 0; release[i] && !(release[i] == '.' && ++dots == parts); i++)
		;
	strbuf_add(&cut, release, i);
	int above = release_cmp(cut.buf, max) > 0;
	strbuf_release(&cut);
	return above;
}

/* Whether the case runs on arch (and the kernel release, when known). */
static int case_admits(const struct oomcase *c, const char *arch, const char *release)
{
	struct strbuf name = STRBUF_INIT;

	strbuf_addf(&name, "custom-%s", arch);
	struct target t = { .name = name.buf, .arch = (char *)arch, .release = (char *)release };
	int ok = needs_target(c, &t);
	strbuf_release(&name);
	for (size_t i = 0; ok && i < c->nneeds; i++) {
		const char *w = c->needs[i];
		if (!strncmp(w, "arch:", 5))
			ok = !strcmp(w + 5, arch);
		else if (release && !strncmp(w, "min-kernel:", 11))
			ok = release_cmp(release, w + 11) >= 0;
		else if (release && !strncmp(w, "max-kernel:", 11))
			ok = !above_max(release, w + 11);
	}
	return ok;
}

/* The cases' options in the order of case_rules (related ones together),
 * those only their `needs` name last, in the order the cases name them. */
static size_t rule_rank(const struct kconfig_req *q)
{
	size_t k = 0;

	while (k < NRULES && strcmp(case_rules[k].option, q->option))
		k++;
	return k;
}

static void order_case_reqs(struct kconfig_reqs *r, size_t first)
{
	for (size_t i = first + 1; i < r->n; i++) {
		struct kconfig_req q = r->v[i];
		size_t j = i, rank = rule_rank(&q);
		for (; j > first && rule_rank(&r->v[j - 1]) > rank; j--)
			r->v[j] = r->v[j - 1];
		r->v[j] = q;
	}
}

/* One more option depends on prerequisite q: its cases too. */
static void add_dependent(struct kconfig_req *q, const struct kconfig_req *dependent)
{
	struct strbuf why = STRBUF_INIT;
	const char *name = dependent->option + strlen("CONFIG_");

	if (q->why) {
		/* "A depends on it", "A, B depend on it" */
		const char *end = strstr(q->why, " depend");
		strbuf_add(&why, q->why, (size_t)(end - q->why));
		strbuf_addf(&why, ", %s depend on it", name);
	} else {
		strbuf_addf(&why, "%s depends on it", name);
	}
	free(q->why);
	q->why = strbuf_detach(&why);
	for (size_t j = 0; j < dependent->ncases; j++)
		add_ref(&q->cases, &q->ncases, dependent->cases[j].name, dependent->cases[j].skips);
}

/* Each prerequisite of an option, before the first option that needs it,
 * for their cases. */
static void add_prerequisites(struct kconfig_reqs *r, const char *arch)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; k < sizeof(prerequisites) / sizeof(prerequisites[0]); k++) {
			if (strcmp(prerequisites[k].option, r->v[i].option) ||
			    (prerequisites[k].arches && !word_in(arch, prerequisites[k].arches)))
				continue;
			struct kconfig_req *have = find_req(r, prerequisites[k].depends_on);
			if (have) {
				if (have->fragment_only)
					add_dependent(have, &r->v[i]);
				continue;
			}
			struct kconfig_req q = *new_req(r, prerequisites[k].depends_on, KCONFIG_Y, "", r->v[i].level);
			r->n--;
			memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(*r->v));
			r->n++;
			free(q.why);
			q.why = NULL;
			q.fragment_only = 1;
			add_dependent(&q, &r->v[i + 1]);
			r->v[i++] = q;
		}
}

void kconfig_requirements(struct kconfig_reqs *r, const char *arch, const char *release,
			  const struct oomcase *cases, size_t ncases)
{
	memset(r, 0, sizeof(*r));
	for (int level = KCONFIG_HARD; level <= KCONFIG_OPTIONAL; level++)
		for (size_t i = 0; i < sizeof(harness_rules) / sizeof(harness_rules[0]); i++) {
			const struct harness_rule *h = &harness_rules[i];
			if ((int)h->level != level || (h->arches && !word_in(arch, h->arches)))
				continue;
			struct kconfig_req *q = new_req(r, h->option, h->want, h->why, h->level);
			q->min = h->min;
			free(q->value);
			q->value = xstrdup(h->value);
		}
	size_t first = r->n;
	for (size_t i = 0; i < ncases; i++)
		if (case_admits(&cases[i], arch, release))
			case_contents(r, &cases[i], arch);
	order_case_reqs(r, first);
	add_prerequisites(r, arch);
}

void kconfig_reqs_release(struct kconfig_reqs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct kconfig_req *q = &r->v[i];
		for (size_t j = 0; j < q->ncases; j++)
			free(q->cases[j].name);
		for (size_t j = 0; j < q->nconflicts; j++)
			free(q->conflicts[j].name);
		free(q->cases);
		free(q->conflicts);
		free(q->option);
		free(q->value);
		free(q->why);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

void kconfig_req_why(const struct kconfig_req *q, struct strbuf *out)
{
	strbuf_addf(out, "%s%s", q->level == KCONFIG_HARD ? "required: " : "", q->why);
}

void kconfig_req_cases(const struct kconfig_req *q, int skips, int all, struct strbuf *out)
{
	size_t k = 0;

	for (size_t i = 0; i < q->ncases; i++)
		if (all || q->cases[i].skips == skips)
			strbuf_addf(out, "%s%s", k++ ? ", " : "", q->cases[i].name);
}

void kconfig_fragment(const struct kconfig_reqs *r, const char *arch, struct strbuf *out)
{
	strbuf_addf(out, "# oomtest: the kernel config its guests and cases need on %s, for\n"
		    "# scripts/kconfig/merge_config.sh .config THIS-FILE. Before each option, its\n"
		    "# name without CONFIG_, why, and the cases that need it (\"required\": no\n"
		    "# guest boots or talks without it).\n", arch);
	for (size_t i = 0; i < r->n; i++) {
		const struct kconfig_req *q = &r->v[i];
		/* merge_config.sh takes every line naming CONFIG_X as a word for
		 * the option's own: a comment naming it would seem a wrong value */
		strbuf_addf(out, "# %s: ", q->option + (strncmp(q->option, "CONFIG_", 7) ? 0 : 7));
		kconfig_req_why(q, out);
		strbuf_addstr(out, "; cases: ");
		if (q->level == KCONFIG_CASES)
			kconfig_req_cases(q, 0, 1, out);
		else
			strbuf_addstr(out, "every case");
		if (q->nconflicts) {
			strbuf_addstr(out, " (the opposite: ");
			for (size_t k = 0; k < q->nconflicts; k++)
				strbuf_addf(out, "%s%s", k ? ", " : "", q->conflicts[k].name);
			strbuf_addch(out, ')');
		}
		if (q->value)
			strbuf_addf(out, "\n%s=%s\n", q->option, q->value);
		else
			strbuf_addf(out, "\n# %s is not set\n", q->option);
	}
}
