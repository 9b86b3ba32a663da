/* siphash: SipHash-2-4 (Aumasson and Bernstein), the keyed 64-bit hash that
 * tags the agent's frames on a single console (proto/frame.h). Plain C, no
 * allocation, for the agent and the harness alike. */
#ifndef OOMTEST_PROTO_SIPHASH_H
#define OOMTEST_PROTO_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_BYTES 16

/* The hash of n bytes of data under the 16-byte key. */
uint64_t siphash24(const unsigned char key[SIPHASH_KEY_BYTES], const void *data, size_t n);

#endif
