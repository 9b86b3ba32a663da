/* lava_board: jobs for physical boards (see lava_board.h). */
#include "lava/lava_board.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "lava/lava_yaml.h"
#include "lib/fs.h"

/* include/image.h of U-Boot */
#define UBOOT_MAGIC 0x27051956u
#define UBOOT_HEADER_BYTES 64
#define UBOOT_NAME_BYTES 32
#define UBOOT_OS_LINUX 5
#define UBOOT_TYPE_RAMDISK 3
#define UBOOT_COMP_NONE 0
#define UBOOT_ARCH_ARM64 22

static const struct lava_board boards[] = {
	/* Raspberry Pi 4 B: U-Boot, booti (bcm2711-rpi-4-b.jinja2, base-uboot.jinja2) */
	{ "bcm2711-rpi-4-b", "arm64", "image", UBOOT_ARCH_ARM64 },
};

const struct lava_board *lava_board_find(const char *device_type)
{
	for (size_t i = 0; device_type && i < sizeof(boards) / sizeof(boards[0]); i++)
		if (!strcmp(boards[i].device_type, device_type))
			return &boards[i];
	return NULL;
}

void lava_board_names(struct strbuf *out)
{
	for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", boards[i].device_type);
}

static int check(const struct lava_board_job *b, struct strbuf *err)
{
	if (lava_job_check(b->job, err))
		return -1;
	if (!b->board) {
		strbuf_addstr(err, "LAVA job: no board");
		return -1;
	}
	if (strcmp(b->job->arch, b->board->arch)) {
		strbuf_addf(err, "LAVA job: %s is an %s board, not %s", b->board->device_type, b->board->arch,
			    b->job->arch);
		return -1;
	}
	if (!b->dtb_url || !*b->dtb_url) {
		strbuf_addf(err, "LAVA job: %s needs a dtb", b->board->device_type);
		return -1;
	}
	/* U-Boot is given the arguments in '...', LAVA substitutes {NAMES} */
	if (strpbrk(b->job->cmdline, "'{}")) {
		strbuf_addstr(err, "LAVA job: a board's kernel command line may not hold ' { or }");
		return -1;
	}
	return 0;
}

static void emit_deploy(struct lava_yaml *y, const struct lava_board_job *b)
{
	const struct lava_job_spec *s = b->job;

	lava_yaml_map_begin(y);
	lava_yaml_key(y, "deploy");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "to", "tftp");
	lava_yaml_pair_seconds(y, "timeout", s->deploy_timeout_s);
	lava_yaml_key(y, "kernel");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "url", s->kernel_url);
	lava_yaml_pair_str(y, "type", b->board->kernel_type);
	if (b->kernel_compression)
		lava_yaml_pair_str(y, "compression", b->kernel_compression);
	lava_yaml_map_end(y);
	/* as it is: LAVA's overlay would unpack and pack the first archive only */
	lava_yaml_key(y, "ramdisk");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "url", s->initramfs_url);
	lava_yaml_pair_str(y, "header", "u-boot");
	lava_yaml_key(y, "install_modules");
	lava_yaml_bool(y, false);
	lava_yaml_key(y, "install_overlay");
	lava_yaml_bool(y, false);
	lava_yaml_map_end(y);
	lava_yaml_key(y, "dtb");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "url", b->dtb_url);
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);
}

static void emit_boot(struct lava_yaml *y, const struct lava_board_job *b)
{
	struct strbuf re = STRBUF_INIT;

	lava_yaml_map_begin(y);
	lava_yaml_key(y, "boot");
	lava_yaml_map_begin(y);
	lava_yaml_pair_str(y, "method", "u-boot");
	lava_yaml_pair_str(y, "commands", "ramdisk");
	lava_yaml_pair_seconds(y, "timeout", b->job->boot_timeout_s + LAVA_BOARD_BOOT_EXTRA_S);
	lava_yaml_key(y, "prompts");
	lava_yaml_seq_begin(y);
	lava_job_marker_regex(b->job, b->job->start_marker, &re);
	lava_yaml_str(y, re.buf);
	lava_yaml_seq_end(y);
	lava_yaml_map_end(y);
	lava_yaml_map_end(y);
	strbuf_release(&re);
}

int lava_board_write_job(const struct lava_board_job *b, struct strbuf *out, struct strbuf *err)
{
	const struct lava_job_spec *s = b->job;
	struct lava_yaml y;
	size_t old_len = out->len;

	if (check(b, err))
		return -1;
	lava_yaml_begin(&y, out);
	lava_yaml_map_begin(&y);
	lava_yaml_pair_str(&y, "job_name", s->job_name);
	lava_yaml_pair_str(&y, "device_type", b->board->device_type);
	lava_yaml_pair_str(&y, "visibility", "public");
	lava_yaml_pair_str(&y, "priority", "medium");
	lava_yaml_key(&y, "context");
	lava_yaml_map_begin(&y);
	lava_yaml_pair_str(&y, "extra_kernel_args", s->cmdline);
	lava_yaml_map_end(&y);
	lava_job_emit_timeouts(&y, s->job_timeout_s + LAVA_BOARD_BOOT_EXTRA_S,
			       s->boot_timeout_s + LAVA_BOARD_BOOT_EXTRA_S, s->test_timeout_s);
	lava_yaml_key(&y, "actions");
	lava_yaml_seq_begin(&y);
	emit_deploy(&y, b);
	emit_boot(&y, b);
	lava_job_emit_test(&y, s);
	lava_yaml_seq_end(&y);
	lava_yaml_map_end(&y);
	return lava_job_finish(&y, out, old_len, err);
}

/* CRC-32 (IEEE 802.3, reflected), U-Boot's and zlib's */
static uint32_t crc32_add(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int lava_board_wrap_ramdisk(const struct lava_board *b, const char *in, const char *name, const char *out,
			    struct strbuf *err)
{
	struct strbuf data = STRBUF_INIT;
	unsigned char h[UBOOT_HEADER_BYTES] = { 0 };
	int fd = -1, r = -1, w;

	if (strbuf_read_file(&data, in)) {
		strbuf_addf(err, "%s: %s", in, strerror(errno));
		goto out;
	}
	if (data.len > UINT32_MAX) {
		strbuf_addf(err, "%s: too big for a U-Boot image", in);
		goto out;
	}
	put_be32(h, UBOOT_MAGIC);
	/* h[8..11]: the time, 0; load address and entry point: 0 */
	put_be32(h + 12, (uint32_t)data.len);
	put_be32(h + 24, crc32_add(0, (const unsigned char *)data.buf, data.len));
	h[28] = UBOOT_OS_LINUX;
	h[29] = b->uboot_arch;
	h[30] = UBOOT_TYPE_RAMDISK;
	h[31] = UBOOT_COMP_NONE;
	memcpy(h + 32, name, strnlen(name, UBOOT_NAME_BYTES));
	put_be32(h + 4, crc32_add(0, h, sizeof(h)));
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "%s: %s", out, strerror(errno));
		goto out;
	}
	if ((w = fs_write_all(fd, h, sizeof(h))) || (w = fs_write_all(fd, data.buf, data.len))) {
		strbuf_addf(err, "%s: %s", out, strerror(-w));
		goto out;
	}
	if (close(fd)) {
		fd = -1;
		strbuf_addf(err, "%s: %s", out, strerror(errno));
		goto out;
	}
	fd = -1;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (r)
		unlink(out);
	strbuf_release(&data);
	return r;
}
