/* lava_job: `oomtest lava-job CASE... [-t TARGET]... -o DIR [--url BASE]
 * [--device-type TYPE [--dtb FILE]]` — each run (case x target x variant,
 * as `oomtest run` expands them) written as a LAVA job for a lab: DIR/RUN/
 * holds job.yaml, the initramfs with the run's plan baked in (initrd.cpio;
 * on a board initrd.cpio.uboot, with its U-Boot header), plan.txt (its key:
 * the judge needs it), the kernel (a hard link, else a copy) and a board's
 * dtb; for QEMU jobs also device.yaml (the run's own: its memory is in the
 * device) and DIR/dispatcher.yaml, for a local `lava-run`. Everything is
 * written under DIR/.tmp-XXXXXX and each run renamed into place once all
 * are written. A run that needs a disk is skipped with the reason. */
#ifndef OOMTEST_CMD_LAVA_JOB_H
#define OOMTEST_CMD_LAVA_JOB_H

/* Its lines in the overview (cmd/help.h). */
#define LAVA_JOB_USAGE \
	"  lava-job CASE|DIR... -o DIR [-t TARGET]... [--url BASE]\n" \
	"           [--device-type TYPE [--dtb FILE]]\n" \
	"                              write each run as a LAVA job (job.yaml, kernel,\n" \
	"                              initramfs with the plan baked in, plan.txt) under\n" \
	"                              DIR/CASE/TARGET, for a lab or a local lava-run\n"

/* argv[0] is "lava-job". Exit status: 0 at least one job written (runs
 * that cannot be jobs are listed on stderr), 1 a file could not be written
 * (nothing was put in DIR), 2 usage or case errors, or no job at all. */
int cmd_lava_job(int argc, char **argv);

#endif
