/* bake: what a single-console run (proto/proto.h, oomtest.chan=kmsg) puts
 * into its guest at boot instead of sending it: a fresh frame key, and the
 * plan file (proto/frame.h's FRAME_PLAN_MEMBER) appended to the target's
 * initramfs as a second newc archive, which the kernel unpacks after the
 * first. */
#ifndef OOMTEST_BAKE_H
#define OOMTEST_BAKE_H

#include "lib/strbuf.h"
#include "proto/siphash.h"

/* A random key from getrandom: 0, or -1 with err. */
int bake_new_key(unsigned char key[SIPHASH_KEY_BYTES], struct strbuf *err);
/* Adds the plan file's first line, "key HEX\n" (proto/frame.h). */
void bake_key_line(struct strbuf *out, const unsigned char key[SIPHASH_KEY_BYTES]);
/* Writes out: the initramfs base, zeros up to a multiple of 4 bytes, then
 * an archive of the directory oomtest/ (0700) and oomtest/plan (0600) with
 * plan_path's bytes. 0, or -1 with err. */
int bake_initrd(const char *base, const char *plan_path, const char *out, struct strbuf *err);

#endif
