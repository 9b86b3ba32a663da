/* target: the target list and user-supplied kernels. */
#include "target/target.h"
#include "target/arch.h"
#include "target/kimage.h"
#include "case/casefile.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "lib/units.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *qemu_binary(const char *arch)
{
	return arch_qemu_binary(arch_of(arch));
}

static char *rooted(const char *root, const char *p)
{
	struct strbuf sb = STRBUF_INIT;

	if (p[0] != '/')
		strbuf_addf(&sb, "%s/", root);
	strbuf_addstr(&sb, p);
	return strbuf_detach(&sb);
}

void target_release(struct target *t)
{
	free(t->name);
	free(t->arch);
	free(t->release);
	free(t->kernel);
	free(t->bzimage);
	free(t->kdir);
	memset(t, 0, sizeof(*t));
}

void targets_release(struct target_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		target_release(&l->v[i]);
	free(l->v);
	free(l->abi_comment);
	memset(l, 0, sizeof(*l));
}

int targets_load(struct target_list *l, const char *root, const char *path, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int r = strbuf_read_file(&text, path);
	char *line, *save = NULL;
	int lineno = 0;

	memset(l, 0, sizeof(*l));
	if (r) {
		strbuf_addf(err, "%s: %s (run 'make images' to fetch the default targets)",
			    path, strerror(-r));
		strbuf_release(&text);
		return -1;
	}
	for (line = strtok_r(text.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[8];
		int n = 0;
		char *tok, *s2 = NULL;

		lineno++;
		if (!strncmp(line, "# abi ", 6)) {
			free(l->abi_comment);
			l->abi_comment = xstrdup(line + 6);
		}
		if (line[0] == '#' || !line[0])
			continue;
		unsigned long long minmem = 0;
		const struct arch_ops *arch = NULL;
		for (tok = strtok_r(line, " \t", &s2); tok && n < 8; tok = strtok_r(NULL, " \t", &s2))
			f[n++] = tok;
		if (n >= 2)
			arch = arch_find(f[1]);
		if ((n != 6 && n != 7) || !arch || (n == 7 && units_parse_size(f[6], &minmem))) {
			strbuf_addf(err, "%s:%d: expected 'name arch release kernel kdir boot [min-memory]'",
				    path, lineno);
			targets_release(l);
			strbuf_release(&text);
			return -1;
		}
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		struct target *t = &l->v[l->n++];
		*t = (struct target){ 0 };
		t->name = xstrdup(f[0]);
		t->arch = xstrdup(arch->name);
		t->release = xstrdup(f[2]);
		t->kernel = rooted(root, f[3]);
		t->kdir = rooted(root, f[4]);
		t->boot = !strcmp(f[5], "pvh") ? BOOT_PVH : BOOT_BZIMAGE;
		t->min_memory = minmem;
	}
	strbuf_release(&text);
	if (!l->n) {
		strbuf_addf(err, "%s: no targets listed", path);
		return -1;
	}
	return 0;
}

int target_name_matches(const char *word, const char *name)
{
	size_t n = strlen(word);

	if (!strcmp(word, name))
		return 1;
	/* custom-ARCH names custom-ARCH-XXXXXXXX, whichever kernel it is */
	if (strncmp(word, "custom-", 7) || strncmp(name, word, n) || name[n] != '-')
		return 0;
	return strlen(name + n + 1) == 8 && strspn(name + n + 1, "0123456789abcdef") == 8;
}

const struct target *targets_find(const struct target_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (target_name_matches(name, l->v[i].name))
			return &l->v[i];
	return NULL;
}

char *target_custom_name(const char *arch, const char *kernel, const char *kdir)
{
	struct strbuf identity = STRBUF_INIT, symvers = STRBUF_INIT, name = STRBUF_INIT;

	strbuf_addf(&symvers, "%s/Module.symvers", kdir);
	fs_add_identity(&identity, "kernel", kernel);
	if (strbuf_read_file(&identity, symvers.buf))
		strbuf_addstr(&identity, "no Module.symvers\n");
	strbuf_addf(&name, "custom-%s-%08x", arch_of(arch)->name,
		    (unsigned)(hash_fnv1a(identity.buf, identity.len) & 0xffffffffu));
	strbuf_release(&identity);
	strbuf_release(&symvers);
	return strbuf_detach(&name);
}

struct target target_for_memory(const struct target *t, unsigned long long memory)
{
	struct target booted = *t;

	if (t->boot == BOOT_PVH && t->bzimage && !target_pvh_fits(t->load_end, memory)) {
		booted.kernel = t->bzimage;
		booted.boot = BOOT_BZIMAGE;
	}
	return booted;
}

const char *target_boot_name(const struct target *t)
{
	if (t->boot == BOOT_PVH)
		return "pvh";
	return arch_of(t->arch)->kernel == ARCH_KERNEL_X86 ? "bzimage" : "image";
}

int target_pvh_fits(unsigned long long load_end, unsigned long long memory)
{
	return load_end <= memory && memory - load_end >= PVH_HEADROOM;
}

static char *real_or_given(const char *path)
{
	char *real = realpath(path, NULL);

	return real ? real : xstrdup(path);
}

/* KDIR/NAME when it is an image of release rel (an ELF with a PVH note if
 * pvh), else NULL. */
static char *image_in_kdir(const char *kdir, const char *name, const char *rel, int pvh)
{
	struct strbuf p = STRBUF_INIT, prel = STRBUF_INIT;
	char *found = NULL;

	strbuf_addf(&p, "%s/%s", kdir, name);
	if ((!pvh || kimage_elf_has_pvh(p.buf)) && !kimage_release(p.buf, &prel) && !strcmp(prel.buf, rel))
		found = real_or_given(p.buf);
	strbuf_release(&p);
	strbuf_release(&prel);
	return found;
}

/* An x86 kernel: the fast path where there is one, an ELF vmlinux with a
 * PVH note, given or found beside a bzImage in the build tree; else the
 * bzImage. A PVH kernel keeps the bzImage for guests its segments do not
 * fit. */
static int x86_kernel(struct target *t, const char *kernel, const struct kimage *img, const char *kdir,
		      const char *rel, const struct arch_ops *a, struct strbuf *err)
{
	t->boot = BOOT_BZIMAGE;
	if (img->kind == KIMAGE_ELF) {
		if (!kimage_elf_has_pvh(kernel)) {
			strbuf_addf(err, "--kernel %s is an ELF file without a PVH entry note (CONFIG_PVH=y "
				    "adds one): give the bzImage (%s) instead", kernel, a->kdir_image);
			return -1;
		}
		t->boot = BOOT_PVH;
		t->kernel = real_or_given(kernel);
		t->bzimage = image_in_kdir(kdir, a->kdir_image, rel, 0);
	} else {
		t->kernel = image_in_kdir(kdir, "vmlinux", rel, 1);
		if (t->kernel) {
			t->boot = BOOT_PVH;
			t->bzimage = real_or_given(kernel);
		} else {
			t->kernel = real_or_given(kernel);
		}
	}
	if (t->boot == BOOT_PVH) {
		t->load_end = kimage_elf_load_end(t->kernel);
		/* nothing else to boot: guests it does not fit in are skipped */
		if (!t->bzimage && t->load_end)
			t->min_memory = (t->load_end + PVH_HEADROOM + (1ull << 20) - 1) & ~((1ull << 20) - 1);
	}
	return 0;
}

/* An arm64 kernel: QEMU loads its Image (or that gzip'd, a vmlinuz) as
 * it is; a vmlinux it would load as a plain ELF program. */
static int image_kernel(struct target *t, const char *kernel, const struct kimage *img, const struct arch_ops *a,
			struct strbuf *err)
{
	if (img->kind == KIMAGE_ELF) {
		strbuf_addf(err, "--kernel %s is an ELF vmlinux: QEMU boots %s kernels from their Image: give "
			    "%s (or the vmlinuz made from it) instead", kernel, a->name, a->kdir_image);
		return -1;
	}
	t->boot = BOOT_BZIMAGE;
	t->kernel = real_or_given(kernel);
	return 0;
}

/* The release KDIR is configured for: UTS_RELEASE is what the kernel
 * reports and what vermagic says; include/config/kernel.release can
 * differ (Debian's headers). 0, or -1 with err. */
static int kdir_release(const char *kdir, struct strbuf *rel, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int r;

	strbuf_addf(&path, "%s/include/generated/utsrelease.h", kdir);
	r = strbuf_read_file(rel, path.buf);
	if (!r) {
		const char *q = strstr(rel->buf, "UTS_RELEASE \"");
		if (q) {
			q += 13;
			size_t n = strcspn(q, "\"");
			memmove(rel->buf, q, n);
			rel->len = n;
			rel->buf[n] = '\0';
		} else {
			r = -EINVAL;
		}
	}
	if (r) {
		strbuf_reset(rel);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/include/config/kernel.release", kdir);
		r = strbuf_read_file(rel, path.buf);
	}
	if (r)
		strbuf_addf(err, "--kdir %s: cannot read %s: %s (is it a configured kernel build directory?)",
			    kdir, path.buf, strerror(-r));
	strbuf_release(&path);
	strbuf_rtrim(rel);
	return r ? -1 : 0;
}

int target_custom(struct target *t, const char *kernel, const char *kdir, const char *arch_name,
		  struct strbuf *err)
{
	const struct arch_ops *a = arch_find(arch_name);
	struct strbuf rel = STRBUF_INIT, img_rel = STRBUF_INIT;
	struct kimage img;
	int r = -1, fit;

	memset(t, 0, sizeof(*t));
	if (!a) {
		strbuf_addf(err, "--arch %s: unknown architecture (", arch_name);
		arch_list_names(err, ", ");
		strbuf_addch(err, ')');
		return -1;
	}
	if (access(kernel, R_OK)) {
		strbuf_addf(err, "--kernel %s: %s", kernel, strerror(errno));
		return -1;
	}
	if (kdir_release(kdir, &rel, err))
		goto out;
	if (!kimage_release(kernel, &img_rel) && strcmp(img_rel.buf, rel.buf)) {
		strbuf_addf(err, "--kernel %s is Linux %s but --kdir %s is configured for %s: "
			    "give the build directory of that kernel", kernel, img_rel.buf, kdir, rel.buf);
		goto out;
	}
	fit = kimage_check(kernel, a, &img, err);
	if (fit < 0)
		goto out;
	if (fit > 0) {
		struct strbuf what = STRBUF_INIT;
		kimage_describe(&img, &what);
		fprintf(stderr, "oomtest: --kernel %s is %s, which does not say its architecture: taken to "
			"be %s, as --arch says\n", kernel, what.buf, a->name);
		strbuf_release(&what);
	}
	if (a->kernel == ARCH_KERNEL_X86 ? x86_kernel(t, kernel, &img, kdir, rel.buf, a, err)
					 : image_kernel(t, kernel, &img, a, err)) {
		target_release(t);
		goto out;
	}
	t->arch = xstrdup(a->name);
	t->release = strbuf_detach(&rel);
	t->kdir = real_or_given(kdir);
	char *given = real_or_given(kernel);
	t->name = target_custom_name(a->name, given, t->kdir);
	free(given);
	r = 0;
out:
	strbuf_release(&rel);
	strbuf_release(&img_rel);
	return r;
}
