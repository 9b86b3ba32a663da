/* codec: the percent encoding of protocol fields (proto.h), one copy for
 * the agent and the harness. Plain C on caller buffers: no allocation. */
#ifndef OOMTEST_PROTO_CODEC_H
#define OOMTEST_PROTO_CODEC_H

#include <stddef.h>

/* The most bytes proto_encode writes for n input bytes. */
#define PROTO_ENCODED_MAX(n) ((n) ? 3 * (n) : 2)

/* Encodes n bytes of s as one field into dst; returns the bytes written
 * ("%-" for the empty field). */
size_t proto_encode(char *dst, const void *s, size_t n);
/* Decodes one field of n bytes (it holds no space) into dst, which may be
 * s itself; returns the decoded length. "%-" is the empty field; a '%' not
 * followed by two hex digits stands for itself. */
size_t proto_decode(char *dst, const char *s, size_t n);

#endif
