/* frame: the agent's records on a guest's only console (proto/proto.h,
 * oomtest.chan=kmsg). Each record line, percent-encoded as on a channel, is
 * cut into fragments of at most FRAME_DATA_MAX bytes; each fragment is one
 * printk record the agent writes to /dev/kmsg, so no kernel message can land
 * inside it, and comes out on the console as one line
 *   [   12.345678] oomtest:TAG SEQ FLAG DATA
 * SEQ counts the run's fragments from 0, FLAG is '+' (more of the record
 * follows) or '.' (its last fragment), and TAG is SipHash-2-4 of
 * "SEQ FLAG DATA" under the run's 128-bit key, 16 lowercase hex digits.
 * The key travels only in the plan file baked into the initramfs, which the
 * agent unlinks before any step runs: it is on neither the kernel command
 * line nor the console, so a program of the case that reads both still
 * cannot make a line the harness takes for the agent's (and SEQ shows a
 * line repeated or lost). Plain C on caller buffers, for agent and harness. */
#ifndef OOMTEST_PROTO_FRAME_H
#define OOMTEST_PROTO_FRAME_H

#include <stddef.h>
#include "proto/siphash.h"

#define FRAME_PREFIX "oomtest:"
#define FRAME_PREFIX_LEN (sizeof(FRAME_PREFIX) - 1)
/* A printk record holds about 1000 bytes (less the console's prefix):
 * fragments stay well under it. */
#define FRAME_DATA_MAX 800
#define FRAME_TAG_HEX 16
#define FRAME_SEQ_DIGITS 20
/* The longest fragment line, without its newline. */
#define FRAME_LINE_MAX (FRAME_PREFIX_LEN + FRAME_TAG_HEX + 1 + FRAME_SEQ_DIGITS + 3 + FRAME_DATA_MAX)
/* The key's hex digits in the plan file's first line, "key HEX". */
#define FRAME_KEY_HEX (2 * SIPHASH_KEY_BYTES)
/* The agent's /dev/kmsg priority: the user facility (as the kernel forces
 * on any write), level 0, which a console shows at every loglevel. */
#define FRAME_KMSG_PRIORITY "<8>"
/* The plan file in the initramfs (relative to its root), mode 0600. */
#define FRAME_PLAN_MEMBER "oomtest/plan"
/* The device of kmod/oomtest_console.c, whose every write() is one kernel
 * log record made without allocating, and where the image keeps it. */
#define OOMTEST_CONSOLE_DEVICE "oomtest_console"
#define OOMTEST_CONSOLE_MODULE_DIR "/lib/modules/console"

struct frame {
	unsigned long long seq;
	int more;                  /* FLAG '+' */
	const char *data;          /* within the parsed line */
	size_t len;
};

/* 32 hex digits (either case) into a key: 0, or -1. */
int frame_key_parse(unsigned char key[SIPHASH_KEY_BYTES], const char *hex, size_t n);
/* How many of the n (> 0) encoded bytes at s the next fragment takes: at
 * most FRAME_DATA_MAX, and where the record allows, no fragment ends or
 * begins with a space (something on a console's way may drop one at a
 * line's end); only a long run of one-byte fields does not allow it. */
size_t frame_cut(const char *s, size_t n);
/* Writes the fragment line (no newline, no NUL) to dst, which has room for
 * FRAME_LINE_MAX bytes; n is at most FRAME_DATA_MAX. Returns its length. */
size_t frame_format(char *dst, const unsigned char key[SIPHASH_KEY_BYTES], unsigned long long seq, int more,
		    const char *data, size_t n);
/* Reads a fragment line beginning with FRAME_PREFIX (no newline): 0 with
 * *f set, or -1 when it is malformed or its tag is not the key's. */
int frame_parse(const unsigned char key[SIPHASH_KEY_BYTES], const char *line, size_t n, struct frame *f);

#endif
