/* units: the sizes, durations and yes/no words case files, options and the
 * guest's hog share. No allocation and nothing but libc, so the static hog
 * links it too. */
#include "lib/units.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

int units_parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (ULLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*p) {
		switch (*p) {
		case 'K': case 'k': mult = 1ULL << 10; break;
		case 'M': case 'm': mult = 1ULL << 20; break;
		case 'G': case 'g': mult = 1ULL << 30; break;
		default: return -1;
		}
		p++;
		if (*p && strcasecmp(p, "ib"))
			return -1;
	}
	if (v > ULLONG_MAX / mult)
		return -1;
	*bytes = v * mult;
	return 0;
}

int units_parse_duration(const char *s, long *ms)
{
	unsigned long long v = 0, mult;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > ((unsigned long long)LONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (!*p || !strcmp(p, "s"))
		mult = 1000;
	else if (!strcmp(p, "ms"))
		mult = 1;
	else if (!strcmp(p, "m"))
		mult = 60000;
	else
		return -1;
	if (!v || v > LONG_MAX / mult)
		return -1;
	*ms = (long)(v * mult);
	return 0;
}

int units_parse_bool(const char *s, int *b)
{
	static const char *const yes[] = { "yes", "true", "1" };
	static const char *const no[] = { "no", "false", "0" };

	for (size_t i = 0; i < 3; i++) {
		if (!strcasecmp(s, yes[i])) {
			*b = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*b = 0;
			return 0;
		}
	}
	return -1;
}
