/* lava_board: LAVA jobs for physical boards, whose device types a lab's
 * server has (lava-server's device-type templates): the kernel, the
 * initramfs with the plan baked in and the board's dtb deployed over TFTP,
 * a U-Boot boot with the `ramdisk` commands (the kernel command line is
 * the template's console and root=/dev/ram0, then the job's context
 * extra_kernel_args), and the same boot prompt and `monitors` test as the
 * qemu job (lava/lava_job.h): the board's console is the only channel.
 * LAVA is told to leave the ramdisk as it is (no overlay, no modules: it
 * would unpack the first archive only and lose the plan), so the ramdisk
 * goes with the legacy U-Boot header the `booti ADDR RAMDISK DTB` command
 * LAVA builds needs; lava_board_wrap_ramdisk writes it. */
#ifndef OOMTEST_LAVA_BOARD_H
#define OOMTEST_LAVA_BOARD_H

#include <stdbool.h>

#include "lava/lava_job.h"
#include "lib/strbuf.h"

struct lava_board {
	const char *device_type;   /* LAVA's name: "bcm2711-rpi-4-b" */
	const char *arch;          /* the only arch its kernels are (LAVA's name) */
	const char *kernel_type;   /* the tftp deploy's kernel type: "image" (booti) */
	unsigned char uboot_arch;  /* the U-Boot header's arch code (IH_ARCH_*) */
};

/* More time for the boot action than a QEMU guest needs: power on, U-Boot
 * interrupted, its commands, three files over TFTP. */
#define LAVA_BOARD_BOOT_EXTRA_S 180

/* The board of a LAVA device type, or NULL for one oomtest has no job for. */
const struct lava_board *lava_board_find(const char *device_type);
/* The device types there are jobs for, ", " between them. */
void lava_board_names(struct strbuf *out);

struct lava_board_job {
	const struct lava_job_spec *job; /* name, arch, URLs (the ramdisk's the wrapped
					    one), cmdline (the job's extra_kernel_args: no
					    console=, no ' { or }), timeouts, markers */
	const struct lava_board *board;
	const char *dtb_url;
	const char *kernel_compression; /* "gz" for a gzip'd Image (LAVA unpacks it), or NULL */
};

/* The job for b, appended to out: 0, or -1 with err. */
int lava_board_write_job(const struct lava_board_job *b, struct strbuf *out, struct strbuf *err);
/* out: in's bytes behind a legacy U-Boot image header (as `mkimage -A ARCH
 * -O linux -T ramdisk -C none -n NAME` with SOURCE_DATE_EPOCH=0 writes).
 * 0, or -1 with err (no out left behind). */
int lava_board_wrap_ramdisk(const struct lava_board *b, const char *in, const char *name, const char *out,
			    struct strbuf *err);

#endif
