/* codec: percent-encoded protocol fields. */
#include "proto/codec.h"
#include "proto/proto.h"

size_t proto_encode(char *dst, const void *src, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = src;
	size_t o = 0;

	if (!n) {
		dst[0] = '%';
		dst[1] = '-';
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		if (proto_needs_escape(s[i])) {
			dst[o++] = '%';
			dst[o++] = hex[s[i] >> 4];
			dst[o++] = hex[s[i] & 15];
		} else {
			dst[o++] = (char)s[i];
		}
	}
	return o;
}

size_t proto_decode(char *dst, const char *s, size_t n)
{
	size_t o = 0;

	if (n == 2 && s[0] == '%' && s[1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < n && (hi = proto_hexval(s[i + 1])) >= 0 &&
		    (lo = proto_hexval(s[i + 2])) >= 0) {
			dst[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			dst[o++] = s[i];
		}
	}
	return o;
}
