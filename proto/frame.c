/* frame: fragment lines, tagged under the run's key. */
#include "proto/frame.h"
#include "proto/proto.h"

#include <string.h>

int frame_key_parse(unsigned char key[SIPHASH_KEY_BYTES], const char *hex, size_t n)
{
	if (n != FRAME_KEY_HEX)
		return -1;
	for (size_t i = 0; i < SIPHASH_KEY_BYTES; i++) {
		int hi = proto_hexval(hex[2 * i]), lo = proto_hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (unsigned char)(hi * 16 + lo);
	}
	return 0;
}

size_t frame_cut(const char *s, size_t n)
{
	if (n <= FRAME_DATA_MAX)
		return n;
	/* fields of one byte each between spaces leave no such place: then
	 * the fragment is full */
	for (size_t c = FRAME_DATA_MAX; c > FRAME_DATA_MAX / 2; c--)
		if (s[c - 1] != ' ' && s[c] != ' ')
			return c;
	return FRAME_DATA_MAX;
}

static void put_tag(char *dst, const unsigned char key[SIPHASH_KEY_BYTES], const char *signed_part, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t tag = siphash24(key, signed_part, n);

	for (int i = FRAME_TAG_HEX - 1; i >= 0; i--, tag >>= 4)
		dst[i] = hex[tag & 15];
}

size_t frame_format(char *dst, const unsigned char key[SIPHASH_KEY_BYTES], unsigned long long seq, int more,
		    const char *data, size_t n)
{
	char digits[FRAME_SEQ_DIGITS];
	size_t nd = 0, o = FRAME_PREFIX_LEN + FRAME_TAG_HEX + 1, signed_at = o;

	do {
		digits[nd++] = (char)('0' + seq % 10);
		seq /= 10;
	} while (seq);
	memcpy(dst, FRAME_PREFIX, FRAME_PREFIX_LEN);
	while (nd)
		dst[o++] = digits[--nd];
	dst[o++] = ' ';
	dst[o++] = more ? '+' : '.';
	dst[o++] = ' ';
	memcpy(dst + o, data, n);
	o += n;
	put_tag(dst + FRAME_PREFIX_LEN, key, dst + signed_at, o - signed_at);
	dst[FRAME_PREFIX_LEN + FRAME_TAG_HEX] = ' ';
	return o;
}

int frame_parse(const unsigned char key[SIPHASH_KEY_BYTES], const char *line, size_t n, struct frame *f)
{
	size_t at = FRAME_PREFIX_LEN + FRAME_TAG_HEX + 1, digits = 0;
	unsigned long long seq = 0;
	char want[FRAME_TAG_HEX];

	if (n > FRAME_LINE_MAX || n < at || memcmp(line, FRAME_PREFIX, FRAME_PREFIX_LEN) || line[at - 1] != ' ')
		return -1;
	const char *signed_part = line + at;
	for (; at < n && line[at] >= '0' && line[at] <= '9'; at++, digits++) {
		if (seq > (~0ull - (unsigned long long)(line[at] - '0')) / 10)
			return -1;
		seq = seq * 10 + (unsigned long long)(line[at] - '0');
	}
	/* digits, " F " and at least one byte of data */
	if (!digits || (digits > 1 && signed_part[0] == '0') || n - at < 4 || line[at] != ' ' ||
	    (line[at + 1] != '+' && line[at + 1] != '.') || line[at + 2] != ' ')
		return -1;
	f->seq = seq;
	f->more = line[at + 1] == '+';
	f->data = line + at + 3;
	f->len = n - (at + 3);
	if (f->len > FRAME_DATA_MAX)
		return -1;
	put_tag(want, key, signed_part, (size_t)(line + n - signed_part));
	return memcmp(want, line + FRAME_PREFIX_LEN, FRAME_TAG_HEX) ? -1 : 0;
}
