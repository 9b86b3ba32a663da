/* target: the target list and user-supplied kernels. */
#include "target/target.h"
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

int arch_valid(const char *arch)
{
	return !strcmp(arch, "x86_64") || !strcmp(arch, "i386");
}

const char *qemu_binary(const char *arch)
{
	const char *own = getenv("OOMTEST_QEMU");

	/* A QEMU of one's own (qemu-system-x86_64 runs i386 guests too). */
	if (own && *own)
		return own;
	return !strcmp(arch, "i386") ? "qemu-system-i386" : "qemu-system-x86_64";
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
		for (tok = strtok_r(line, " \t", &s2); tok && n < 8; tok = strtok_r(NULL, " \t", &s2))
			f[n++] = tok;
		if ((n != 6 && n != 7) || !arch_valid(f[1]) || (n == 7 && units_parse_size(f[6], &minmem))) {
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
		t->arch = xstrdup(f[1]);
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
	strbuf_addf(&name, "custom-%s-%08x", strcmp(arch, "i386") ? "x86_64" : "i386",
		    (unsigned)(hash_fnv1a(identity.buf, identity.len) & 0xffffffffu));
	strbuf_release(&identity);
	strbuf_release(&symvers);
	return strbuf_detach(&name);
}

/* An uncompressed vmlinux (ELF) enters through PVH; a bzImage does not. */
static int is_elf(const char *path)
{
	unsigned char m[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ok = fd >= 0 && read(fd, m, 4) == 4 && !memcmp(m, "\177ELF", 4);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* An ELF program header, the fields read here. */
struct elf_phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

/* The number of program headers of an ELF image (0 if it is none). */
static uint64_t elf_phnum(const struct strbuf *img)
{
	const unsigned char *b = (const unsigned char *)img->buf;

	if (img->len < 64 || memcmp(b, "\177ELF", 4))
		return 0;
	return b[4] == 2 ? (uint64_t)b[56] | (uint64_t)b[57] << 8 : (uint64_t)b[44] | (uint64_t)b[45] << 8;
}

static uint64_t le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Program header i: 0, or -1 when it lies outside the file. */
static int elf_phdr(const struct strbuf *img, uint64_t i, struct elf_phdr *ph)
{
	const unsigned char *b = (const unsigned char *)img->buf;
	int is64 = b[4] == 2;
	uint64_t phoff = is64 ? le(b + 32, 8) : le(b + 28, 4);
	uint64_t phentsize = is64 ? le(b + 54, 2) : le(b + 42, 2), at = phoff + i * phentsize;

	if (at > img->len || img->len - at < (is64 ? 56u : 32u))
		return -1;
	b += at;
	ph->type = (uint32_t)le(b, 4);
	if (is64) {
		ph->offset = le(b + 8, 8);
		ph->paddr = le(b + 24, 8);
		ph->filesz = le(b + 32, 8);
		ph->memsz = le(b + 40, 8);
	} else {
		ph->offset = le(b + 4, 4);
		ph->paddr = le(b + 12, 4);
		ph->filesz = le(b + 16, 4);
		ph->memsz = le(b + 20, 4);
	}
	return 0;
}

/* Whether an ELF kernel has the PVH entry note QEMU boots it through
 * (a "Xen" note of type XEN_ELFNOTE_PHYS32_ENTRY, 18). */
int target_elf_has_pvh(const char *path)
{
	struct strbuf img = STRBUF_INIT;
	const unsigned char *b;
	int found = 0;

	if (strbuf_read_file(&img, path)) {
		strbuf_release(&img);
		return 0;
	}
	b = (const unsigned char *)img.buf;
	uint64_t phnum = elf_phnum(&img);
	for (uint64_t i = 0; i < phnum && !found; i++) {
		struct elf_phdr ph;
		if (elf_phdr(&img, i, &ph))
			break;
		uint64_t off = ph.offset, size = ph.filesz;
		if (ph.type != 4)	/* PT_NOTE */
			continue;
		if (off > img.len || size > img.len - off)
			continue;
		for (uint64_t q = off; q + 12 <= off + size && !found;) {
			uint32_t namesz, descsz, ntype;
			memcpy(&namesz, b + q, 4);
			memcpy(&descsz, b + q + 4, 4);
			memcpy(&ntype, b + q + 8, 4);
			uint64_t name = q + 12, next = name + ((namesz + 3ull) & ~3ull) + ((descsz + 3ull) & ~3ull);
			if (next <= q || next > off + size)	/* a note running past its segment */
				break;
			found = namesz == 4 && !memcmp(b + name, "Xen", 4) && ntype == 18;
			q = next;
		}
	}
	strbuf_release(&img);
	return found;
}

unsigned long long target_elf_load_end(const char *path)
{
	struct strbuf img = STRBUF_INIT;
	unsigned long long end = 0;

	if (!strbuf_read_file(&img, path)) {
		uint64_t phnum = elf_phnum(&img);
		for (uint64_t i = 0; i < phnum; i++) {
			struct elf_phdr ph;
			if (elf_phdr(&img, i, &ph))
				break;
			uint64_t last = ph.paddr + ph.memsz < ph.paddr ? UINT64_MAX : ph.paddr + ph.memsz;
			if (ph.type == 1 && last > end)	/* PT_LOAD */
				end = last;
		}
	}
	strbuf_release(&img);
	return end;
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

int target_pvh_fits(unsigned long long load_end, unsigned long long memory)
{
	return load_end <= memory && memory - load_end >= PVH_HEADROOM;
}

int target_image_release(const char *path, struct strbuf *out)
{
	struct strbuf img = STRBUF_INIT;
	const char *v = NULL;
	int r = strbuf_read_file(&img, path);

	if (r)
		return r;
	if (img.len > 0x210 && !memcmp(img.buf + 0x202, "HdrS", 4)) {
		/* bzImage: the setup header points at the version string */
		size_t off = (size_t)(unsigned char)img.buf[0x20e] |
			     (size_t)(unsigned char)img.buf[0x20f] << 8;
		if (off && off + 0x200 < img.len)
			v = img.buf + off + 0x200;
	} else {
		/* vmlinux: the banner "Linux version X (...)" */
		static const char banner[] = "Linux version ";
		const char *p = memmem(img.buf, img.len, banner, sizeof(banner) - 1);
		if (p)
			v = p + sizeof(banner) - 1;
	}
	if (v) {
		size_t n = 0;
		while (v + n < img.buf + img.len && v[n] > ' ' && v[n] < 0x7f)
			n++;
		strbuf_add(out, v, n);
	}
	strbuf_release(&img);
	return v ? 0 : -ENOENT;
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
	if ((!pvh || target_elf_has_pvh(p.buf)) && !target_image_release(p.buf, &prel) && !strcmp(prel.buf, rel))
		found = real_or_given(p.buf);
	strbuf_release(&p);
	strbuf_release(&prel);
	return found;
}

int target_custom(struct target *t, const char *kernel, const char *kdir, const char *arch,
		  struct strbuf *err)
{
	struct strbuf rel = STRBUF_INIT, path = STRBUF_INIT;
	int r;

	memset(t, 0, sizeof(*t));
	if (!arch_valid(arch)) {
		strbuf_addf(err, "--arch %s: unknown architecture (x86_64, i386)", arch);
		return -1;
	}
	if (access(kernel, R_OK)) {
		strbuf_addf(err, "--kernel %s: %s", kernel, strerror(errno));
		return -1;
	}
	/* UTS_RELEASE is what the kernel reports and what vermagic says;
	 * include/config/kernel.release can differ (Debian's headers). */
	strbuf_addf(&path, "%s/include/generated/utsrelease.h", kdir);
	r = strbuf_read_file(&rel, path.buf);
	if (!r) {
		const char *q = strstr(rel.buf, "UTS_RELEASE \"");
		if (q) {
			q += 13;
			size_t n = strcspn(q, "\"");
			memmove(rel.buf, q, n);
			rel.len = n;
			rel.buf[n] = '\0';
		} else {
			r = -EINVAL;
		}
	}
	if (r) {
		strbuf_reset(&rel);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/include/config/kernel.release", kdir);
		r = strbuf_read_file(&rel, path.buf);
	}
	if (r) {
		strbuf_addf(err, "--kdir %s: cannot read %s: %s (is it a configured kernel build directory?)",
			    kdir, path.buf, strerror(-r));
		strbuf_release(&path);
		strbuf_release(&rel);
		return -1;
	}
	strbuf_rtrim(&rel);
	{
		struct strbuf img = STRBUF_INIT;
		if (!target_image_release(kernel, &img) && strcmp(img.buf, rel.buf)) {
			strbuf_addf(err, "--kernel %s is Linux %s but --kdir %s is configured for %s: "
				    "give the build directory of that kernel", kernel, img.buf, kdir, rel.buf);
			strbuf_release(&img);
			strbuf_release(&rel);
			strbuf_release(&path);
			return -1;
		}
		strbuf_release(&img);
	}
	/* The fast path where there is one: an ELF vmlinux with a PVH note,
	 * given or found beside a bzImage in the build tree; else the bzImage.
	 * A PVH kernel keeps the bzImage for guests its segments do not fit. */
	t->boot = BOOT_BZIMAGE;
	if (is_elf(kernel)) {
		if (!target_elf_has_pvh(kernel)) {
			strbuf_addf(err, "--kernel %s is an ELF file without a PVH entry note (CONFIG_PVH=y "
				    "adds one): give the bzImage (arch/x86/boot/bzImage) instead", kernel);
			strbuf_release(&rel);
			strbuf_release(&path);
			return -1;
		}
		t->boot = BOOT_PVH;
		t->kernel = real_or_given(kernel);
		t->bzimage = image_in_kdir(kdir, "arch/x86/boot/bzImage", rel.buf, 0);
	} else {
		t->kernel = image_in_kdir(kdir, "vmlinux", rel.buf, 1);
		if (t->kernel) {
			t->boot = BOOT_PVH;
			t->bzimage = real_or_given(kernel);
		} else {
			t->kernel = real_or_given(kernel);
		}
	}
	if (t->boot == BOOT_PVH) {
		t->load_end = target_elf_load_end(t->kernel);
		/* nothing else to boot: guests it does not fit in are skipped */
		if (!t->bzimage && t->load_end)
			t->min_memory = (t->load_end + PVH_HEADROOM + (1ull << 20) - 1) & ~((1ull << 20) - 1);
	}
	t->arch = xstrdup(arch);
	t->release = strbuf_detach(&rel);
	t->kdir = real_or_given(kdir);
	char *given = real_or_given(kernel);
	t->name = target_custom_name(arch, given, t->kdir);
	free(given);
	strbuf_release(&path);
	return 0;
}
