/* kimage: kernel image headers, ELF program headers and notes, and
 * version banners. */
#include "target/kimage.h"
#include "payload/elf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* x86 boot protocol (Documentation/arch/x86/boot.rst) */
#define BZ_MAGIC_AT     0x202
#define BZ_VERSION_AT   0x206
#define BZ_XLOADFLAGS_AT 0x236
#define BZ_XLF_KERNEL_64 0x1
#define BZ_VERSION_XLF  0x020c  /* 2.12: xloadflags */

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
int kimage_elf_has_pvh(const char *path)
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

unsigned long long kimage_elf_load_end(const char *path)
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

int kimage_release(const char *path, struct strbuf *out)
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

static unsigned u16le(const unsigned char *p)
{
	return (unsigned)le(p, 2);
}

static void identify_elf(const unsigned char *b, size_t len, struct kimage *out)
{
	out->kind = KIMAGE_ELF;
	if (len < 20)
		return;
	out->elf_class = b[4] == 1 ? 32 : b[4] == 2 ? 64 : 0;
	/* e_machine in the file's byte order (EI_DATA 2: big-endian) */
	out->elf_machine = b[5] == 2 ? (unsigned)b[18] << 8 | b[19] : u16le(b + 18);
	out->arch = arch_for_elf(out->elf_machine, out->elf_class);
}

/* The arch whose Image header magic the head has; NULL: none. */
static const struct arch_ops *image_arch(const unsigned char *b, size_t len)
{
	for (size_t i = 0; arch_table[i]; i++) {
		const struct arch_ops *a = arch_table[i];
		size_t n = a->image_magic ? strlen(a->image_magic) : 0;
		if (n && len >= a->image_magic_at + n && !memcmp(b + a->image_magic_at, a->image_magic, n))
			return a;
	}
	return NULL;
}

void kimage_identify(const void *head, size_t len, struct kimage *out)
{
	const unsigned char *b = head;

	memset(out, 0, sizeof(*out));
	if (len >= 4 && !memcmp(b, "\177ELF", 4)) {
		identify_elf(b, len, out);
	} else if (len >= BZ_MAGIC_AT + 4 && !memcmp(b + BZ_MAGIC_AT, "HdrS", 4)) {
		out->kind = KIMAGE_BZIMAGE;
		if (len >= BZ_XLOADFLAGS_AT + 2 && u16le(b + BZ_VERSION_AT) >= BZ_VERSION_XLF)
			out->arch = u16le(b + BZ_XLOADFLAGS_AT) & BZ_XLF_KERNEL_64 ? &arch_x86_64 : &arch_i386;
	} else if ((out->arch = image_arch(b, len))) {
		out->kind = KIMAGE_IMAGE;
	} else if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		out->kind = KIMAGE_GZIP;
	}
}

void kimage_describe(const struct kimage *k, struct strbuf *out)
{
	switch (k->kind) {
	case KIMAGE_BZIMAGE:
		strbuf_addf(out, "a bzImage for %s", k->arch ? k->arch->name : "x86");
		break;
	case KIMAGE_ELF:
		if (k->arch)
			strbuf_addf(out, "an ELF vmlinux for %s", k->arch->name);
		else if (k->elf_class)
			strbuf_addf(out, "an ELF file for %s (%d-bit)", elf_machine_name(k->elf_machine),
				    k->elf_class);
		else
			strbuf_addstr(out, "an ELF file of no valid class");
		break;
	case KIMAGE_IMAGE:
		strbuf_addf(out, "an Image for %s", k->arch->name);
		break;
	case KIMAGE_GZIP:
		strbuf_addstr(out, "gzip data");
		break;
	default:
		strbuf_addstr(out, "not a kernel image (neither a bzImage, an ELF vmlinux nor an Image)");
		break;
	}
}

/* Whether a's kernels come as images of kind. */
static int kind_of(const struct arch_ops *a, enum kimage_kind kind)
{
	if (kind == KIMAGE_ELF)
		return 1;
	if (a->kernel == ARCH_KERNEL_X86)
		return kind == KIMAGE_BZIMAGE;
	return kind == KIMAGE_IMAGE || kind == KIMAGE_GZIP;
}

enum kimage_fit kimage_fits(const struct kimage *k, const struct arch_ops *a)
{
	if (!kind_of(a, k->kind))
		return KIMAGE_MISFIT;
	if (k->arch)
		return k->arch == a ? KIMAGE_FITS : KIMAGE_MISFIT;
	if (k->kind == KIMAGE_ELF)	/* a machine no arch has */
		return KIMAGE_MISFIT;
	/* an old bzImage is x86 of either width */
	return k->kind == KIMAGE_BZIMAGE ? KIMAGE_FITS : KIMAGE_UNCHECKED;
}

/* Up to KIMAGE_HEAD bytes of path: 0 or -errno. */
static int read_head(const char *path, struct strbuf *head)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	strbuf_grow(head, KIMAGE_HEAD);
	while (head->len < KIMAGE_HEAD) {
		ssize_t n = read(fd, head->buf + head->len, KIMAGE_HEAD - head->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = -errno;
		if (n <= 0)
			break;
		head->len += (size_t)n;
	}
	head->buf[head->len] = '\0';
	close(fd);
	return r;
}

int kimage_check(const char *path, const struct arch_ops *a, struct kimage *out, struct strbuf *err)
{
	struct strbuf head = STRBUF_INIT, what = STRBUF_INIT;
	int r = read_head(path, &head);

	memset(out, 0, sizeof(*out));
	if (r) {
		strbuf_addf(err, "--kernel %s: %s", path, strerror(-r));
		strbuf_release(&head);
		return -1;
	}
	kimage_identify(head.buf, head.len, out);
	strbuf_release(&head);
	kimage_describe(out, &what);
	switch (kimage_fits(out, a)) {
	case KIMAGE_FITS:
		r = 0;
		break;
	case KIMAGE_UNCHECKED:
		r = 1;
		break;
	default:
		if (out->arch && out->arch != a)
			strbuf_addf(err, "--kernel %s is %s, but --arch is %s: give --arch %s, or a kernel built "
				    "for %s", path, what.buf, a->name, out->arch->name, a->name);
		else
			strbuf_addf(err, "--kernel %s is %s, not a kernel for %s (--arch %s)", path, what.buf,
				    a->name, a->name);
		r = -1;
		break;
	}
	strbuf_release(&what);
	return r;
}
