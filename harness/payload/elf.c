/* elf: ELF program headers, PT_INTERP and DT_NEEDED, and "#!" lines,
 * read from untrusted bytes. */
#include "payload/elf.h"
#include "target/arch.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* beyond any real program; a bound on what hostile input can make us allocate */
#define ELF_MAX_NEEDED 4096
/* Linux reads at most 256 bytes of a "#!" line; a longer one is refused here
 * rather than cut where the kernel would cut it */
#define SCRIPT_LINE_MAX 4096

struct elf_bytes {
	const unsigned char *p;
	size_t len;
	int big;                   /* big-endian */
	int is64;
};

struct segment {
	uint64_t type, offset, vaddr, filesz;
};

static int in_file(const struct elf_bytes *e, uint64_t off, uint64_t n)
{
	return off <= e->len && n <= e->len - off;
}

/* Reads an unsigned field of `width` bytes at off; the caller checked the range. */
static uint64_t field(const struct elf_bytes *e, uint64_t off, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++) {
		unsigned shift = e->big ? 8 * (width - 1 - i) : 8 * i;
		v |= (uint64_t)e->p[off + i] << shift;
	}
	return v;
}

/* A word: 4 bytes in a 32-bit file, 8 in a 64-bit one. */
static uint64_t word(const struct elf_bytes *e, uint64_t off)
{
	return field(e, off, e->is64 ? 8 : 4);
}

static int fail(struct strbuf *err, const char *msg)
{
	strbuf_addf(err, "malformed ELF file: %s", msg);
	return -1;
}

/* The program headers' count; PN_XNUM says it is in section 0's sh_info. */
static int phdr_count(const struct elf_bytes *e, uint64_t *count, struct strbuf *err)
{
	*count = field(e, e->is64 ? 56 : 44, 2);
	if (*count != PN_XNUM)
		return 0;
	uint64_t shoff = e->is64 ? field(e, 40, 8) : field(e, 32, 4);
	uint64_t info_at = e->is64 ? 44 : 28;
	if (shoff > UINT64_MAX - info_at || !in_file(e, shoff + info_at, 4))
		return fail(err, "the section header holding the program header count is outside the file");
	*count = field(e, shoff + info_at, 4);
	return 0;
}

static void read_segment(const struct elf_bytes *e, uint64_t at, struct segment *s)
{
	s->type = field(e, at, 4);
	if (e->is64) {
		s->offset = field(e, at + 8, 8);
		s->vaddr = field(e, at + 16, 8);
		s->filesz = field(e, at + 32, 8);
	} else {
		s->offset = field(e, at + 4, 4);
		s->vaddr = field(e, at + 8, 4);
		s->filesz = field(e, at + 16, 4);
	}
}

static int read_segments(const struct elf_bytes *e, struct segment **out, size_t *n, struct strbuf *err)
{
	unsigned entsize = e->is64 ? 56 : 32;
	uint64_t phoff = e->is64 ? field(e, 32, 8) : field(e, 28, 4);
	uint64_t count;

	*out = NULL;
	*n = 0;
	if (phdr_count(e, &count, err) < 0)
		return -1;
	if (!count)
		return 0;
	if (field(e, e->is64 ? 54 : 42, 2) != entsize)
		return fail(err, "unexpected program header size");
	/* count < 2^32 and entsize < 2^6: the product cannot overflow */
	if (!in_file(e, phoff, count * entsize))
		return fail(err, "program headers outside the file");
	*out = xcalloc(count, sizeof(**out));
	for (uint64_t i = 0; i < count; i++)
		read_segment(e, phoff + i * entsize, &(*out)[i]);
	*n = count;
	return 0;
}

/* A NUL-terminated string in [off, limit) of the file. */
static char *string_at(const struct elf_bytes *e, uint64_t off, uint64_t limit)
{
	if (limit > e->len)
		limit = e->len;
	if (off >= limit)
		return NULL;
	const unsigned char *s = e->p + off;
	const unsigned char *nul = memchr(s, '\0', limit - off);
	return nul ? xstrndup((const char *)s, (size_t)(nul - s)) : NULL;
}

/* Maps a virtual address to a file offset through the PT_LOAD segments;
 * *end is where that segment's file bytes end. */
static int vaddr_to_offset(const struct segment *seg, size_t nseg, uint64_t vaddr, uint64_t *off,
			   uint64_t *end)
{
	for (size_t i = 0; i < nseg; i++) {
		const struct segment *s = &seg[i];
		if (s->type != PT_LOAD || vaddr < s->vaddr || vaddr - s->vaddr >= s->filesz)
			continue;
		if (s->offset > UINT64_MAX - s->filesz)
			continue;
		*off = s->offset + (vaddr - s->vaddr);
		*end = s->offset + s->filesz;
		return 0;
	}
	return -1;
}

static int read_interp(const struct elf_bytes *e, const struct segment *s, struct elf_info *info,
		       struct strbuf *err)
{
	if (!in_file(e, s->offset, s->filesz))
		return fail(err, "PT_INTERP outside the file");
	info->interp = string_at(e, s->offset, s->offset + s->filesz);
	if (!info->interp)
		return fail(err, "PT_INTERP is not a NUL-terminated string");
	if (!*info->interp)
		return fail(err, "PT_INTERP is empty");
	return 0;
}

static int read_needed(const struct elf_bytes *e, const struct segment *dyn, const struct segment *seg,
		       size_t nseg, struct elf_info *info, struct strbuf *err)
{
	unsigned entsize = e->is64 ? 16 : 8;
	uint64_t strtab = 0, strsz = UINT64_MAX, n = dyn->filesz / entsize;
	int have_strtab = 0;
	uint64_t *names = NULL;
	size_t nnames = 0;
	int ret = 0;

	if (!in_file(e, dyn->offset, dyn->filesz))
		return fail(err, "PT_DYNAMIC outside the file");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t at = dyn->offset + i * entsize;
		uint64_t tag = word(e, at), val = word(e, at + entsize / 2);

		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB) {
			strtab = val;
			have_strtab = 1;
		} else if (tag == DT_STRSZ) {
			strsz = val;
		} else if (tag == DT_NEEDED) {
			if (nnames == ELF_MAX_NEEDED) {
				free(names);
				return fail(err, "too many DT_NEEDED entries");
			}
			names = xrealloc(names, (nnames + 1) * sizeof(*names));
			names[nnames++] = val;
		}
	}
	if (!nnames)
		return 0;
	uint64_t str_off, str_end;
	if (!have_strtab || vaddr_to_offset(seg, nseg, strtab, &str_off, &str_end)) {
		free(names);
		return fail(err, "DT_NEEDED without a DT_STRTAB in a loaded segment");
	}
	if (strsz < str_end - str_off)
		str_end = str_off + strsz;
	info->needed = xcalloc(nnames, sizeof(char *));
	for (size_t i = 0; i < nnames; i++) {
		char *s = names[i] < str_end - str_off ? string_at(e, str_off + names[i], str_end) : NULL;
		if (!s || !*s) {
			free(s);
			ret = fail(err, "a DT_NEEDED name outside the string table");
			break;
		}
		info->needed[info->nneeded++] = s;
	}
	free(names);
	return ret;
}

static int inspect_elf(const struct elf_bytes *e, struct elf_info *info, struct strbuf *err)
{
	struct segment *seg;
	size_t nseg;
	int ret = 0;

	if (e->len < (e->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return fail(err, "shorter than its ELF header");
	info->is_elf = 1;
	info->elf_class = e->is64 ? 64 : 32;
	info->machine = (unsigned)field(e, 18, 2);
	if (read_segments(e, &seg, &nseg, err))
		return -1;
	const struct segment *dyn = NULL;
	for (size_t i = 0; i < nseg && !ret; i++) {
		if (seg[i].type == PT_INTERP && !info->interp)
			ret = read_interp(e, &seg[i], info, err);
		else if (seg[i].type == PT_DYNAMIC && !dyn)
			dyn = &seg[i];
	}
	if (!ret && dyn)
		ret = read_needed(e, dyn, seg, nseg, info, err);
	free(seg);
	return ret;
}

/* "#!INTERP [ARG]": as Linux splits it, blanks around each and the whole
 * rest of the line one argument. */
static int inspect_script(const char *p, size_t len, struct elf_info *info, struct strbuf *err)
{
	const char *nl = memchr(p, '\n', len);
	size_t line = nl ? (size_t)(nl - p) : len;
	size_t i = 2, start;

	if (line > SCRIPT_LINE_MAX) {
		strbuf_addf(err, "the script's #! line is longer than %d bytes", SCRIPT_LINE_MAX);
		return -1;
	}
	while (line > i && (p[line - 1] == ' ' || p[line - 1] == '\t' || p[line - 1] == '\r'))
		line--;
	while (i < line && (p[i] == ' ' || p[i] == '\t'))
		i++;
	start = i;
	while (i < line && p[i] != ' ' && p[i] != '\t')
		i++;
	if (i == start) {
		strbuf_addstr(err, "the script's #! line names no interpreter");
		return -1;
	}
	if (memchr(p + start, '\0', i - start)) {
		strbuf_addstr(err, "the script's #! line holds a NUL byte");
		return -1;
	}
	info->script_interp = xstrndup(p + start, i - start);
	while (i < line && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < line) {
		if (memchr(p + i, '\0', line - i)) {
			strbuf_addstr(err, "the script's #! line holds a NUL byte");
			return -1;
		}
		info->script_arg = xstrndup(p + i, line - i);
	}
	return 0;
}

int elf_inspect_mem(const void *buf, size_t len, struct elf_info *info, struct strbuf *err)
{
	const unsigned char *p = buf;
	struct elf_bytes e = { p, len, 0, 0 };

	memset(info, 0, sizeof(*info));
	if (len >= 2 && p[0] == '#' && p[1] == '!')
		return inspect_script(buf, len, info, err);
	if (len < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG))
		return 0;
	if (p[EI_CLASS] != ELFCLASS32 && p[EI_CLASS] != ELFCLASS64)
		return fail(err, "unknown ELF class");
	if (p[EI_DATA] != ELFDATA2LSB && p[EI_DATA] != ELFDATA2MSB)
		return fail(err, "unknown byte order");
	e.is64 = p[EI_CLASS] == ELFCLASS64;
	e.big = p[EI_DATA] == ELFDATA2MSB;
	return inspect_elf(&e, info, err);
}

int elf_inspect(const char *path, struct elf_info *info, struct strbuf *err)
{
	struct stat st;
	int fd, ret;

	memset(info, 0, sizeof(*info));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		strbuf_addf(err, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (!st.st_size) {
		close(fd);
		return 0;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t before = err->len;
	ret = elf_inspect_mem(map, (size_t)st.st_size, info, err);
	munmap(map, (size_t)st.st_size);
	if (ret) {
		/* name the file in front of the message */
		struct strbuf msg = STRBUF_INIT;
		strbuf_add(&msg, err->buf + before, err->len - before);
		err->len = before;
		err->buf[before] = '\0';
		strbuf_addf(err, "%s: %s", path, msg.buf);
		strbuf_release(&msg);
	}
	return ret;
}

void elf_info_release(struct elf_info *info)
{
	for (size_t i = 0; i < info->nneeded; i++)
		free(info->needed[i]);
	free(info->needed);
	free(info->interp);
	free(info->script_interp);
	free(info->script_arg);
	memset(info, 0, sizeof(*info));
}

static const struct {
	unsigned machine;
	const char *name;
} machines[] = {
	{ EM_386, "i386" },
	{ EM_X86_64, "x86-64" },
	{ EM_AARCH64, "AArch64" },
	{ EM_ARM, "ARM" },
	{ EM_RISCV, "RISC-V" },
	{ EM_PPC, "PowerPC" },
	{ EM_PPC64, "PowerPC64" },
	{ EM_S390, "S/390" },
	{ EM_MIPS, "MIPS" },
	{ EM_SPARC, "SPARC" },
	{ EM_SPARCV9, "SPARC V9" },
	{ EM_IA_64, "IA-64" },
	{ EM_PARISC, "PA-RISC" },
	{ EM_68K, "m68k" },
	{ EM_SH, "SuperH" },
	{ EM_ALPHA, "Alpha" },
	{ 258, "LoongArch" },      /* EM_LOONGARCH: not in every libc's elf.h */
};

const char *elf_machine_name(unsigned machine)
{
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].machine == machine)
			return machines[i].name;
	return "unknown";
}

int elf_arch_matches(const struct elf_info *info, const char *arch)
{
	const struct arch_ops *a = arch_find(arch);

	return info->is_elf && a && info->elf_class == a->elf_class && info->machine == a->elf_machine;
}

void elf_arch_mismatch(const struct elf_info *info, const char *arch, struct strbuf *msg)
{
	if (!info->is_elf) {
		strbuf_addf(msg, "not an ELF file, the target is %s", arch);
		return;
	}
	const char *name = elf_machine_name(info->machine);
	strbuf_addstr(msg, "ELF is ");
	/* x32 and the like: the machine alone would read as a match */
	const struct arch_ops *of_machine = arch_for_elf_machine(info->machine);
	if (of_machine && of_machine->elf_class != info->elf_class)
		strbuf_addf(msg, "%d-bit ", info->elf_class);
	if (!strcmp(name, "unknown"))
		strbuf_addf(msg, "for machine %u", info->machine);
	else
		strbuf_addstr(msg, name);
	strbuf_addf(msg, ", the target is %s", arch);
}
