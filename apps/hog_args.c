/* hog_args: parsing the hog's options. Plain C, no allocation and nothing
 * but libc and lib/units, so that the static hog links it as the harness
 * does. */
#include "apps/hog_args.h"
#include "lib/units.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

static int parse_ms(const char *s, long *ms)
{
	long v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		int d = *s - '0';

		if (v > (LONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*s)
		return -1;
	*ms = v;
	return 0;
}

static const char *const kind_names[] = {
	[HOG_KIND_ANON] = "anon",
	[HOG_KIND_SHMEM] = "shmem",
	[HOG_KIND_MLOCK] = "mlock",
	[HOG_KIND_THP] = "thp",
	[HOG_KIND_FILE] = "file",
};
#define KIND_COUNT (sizeof(kind_names) / sizeof(kind_names[0]))

static int parse_kind(const char *s, enum hog_kind *k)
{
	for (size_t i = 0; i < KIND_COUNT; i++) {
		if (!strcmp(s, kind_names[i])) {
			*k = (enum hog_kind)i;
			return 0;
		}
	}
	return -1;
}

/* Whole huge pages, and one more to align them by, in a single mapping. */
static int round_thp_chunk(unsigned long long *chunk, unsigned long long size_max)
{
	unsigned long long rounded;

	if (*chunk > ULLONG_MAX - (HOG_THP_SIZE - 1))
		return -1;
	rounded = (*chunk + HOG_THP_SIZE - 1) & ~(HOG_THP_SIZE - 1);
	if (rounded > size_max || size_max - rounded < HOG_THP_SIZE)
		return -1;
	*chunk = rounded;
	return 0;
}

/* "N%", N a decimal from 1 to HOG_MAX_PERCENT, nothing else. */
static int parse_percent(const char *v, unsigned *out)
{
	unsigned n = 0;
	const char *p = v;

	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (unsigned)(*p - '0');
		if (n > HOG_MAX_PERCENT)
			return -1;
	}
	if (p == v || strcmp(p, "%") || !n)
		return -1;
	*out = n;
	return 0;
}

static enum hog_args_error parse_value(struct hog_args *a, const char *opt, const char *v,
				       unsigned long long size_max)
{
	if (!strcmp(opt, "--kind")) {
		if (parse_kind(v, &a->kind))
			return HOG_ARGS_BAD_KIND;
	} else if (!strcmp(opt, "--name")) {
		a->name = v;
	} else if (!strcmp(opt, "--dir")) {
		a->dir = v;
	} else if (!strcmp(opt, "--interval")) {
		if (parse_ms(v, &a->interval_ms))
			return HOG_ARGS_BAD_INTERVAL;
	} else if (!strcmp(opt, "--max")) {
		size_t n = strlen(v);

		a->max = 0;
		a->max_percent = 0;
		if (n && v[n - 1] == '%')
			return parse_percent(v, &a->max_percent) ? HOG_ARGS_BAD_PERCENT : HOG_ARGS_OK;
		if (units_parse_size(v, &a->max))
			return HOG_ARGS_BAD_SIZE;
	} else {	/* --chunk */
		if (units_parse_size(v, &a->chunk))
			return HOG_ARGS_BAD_SIZE;
		if (!a->chunk)
			return HOG_ARGS_ZERO_CHUNK;
		if (a->chunk > size_max)
			return HOG_ARGS_CHUNK_TOO_BIG;
	}
	return HOG_ARGS_OK;
}

enum hog_args_error hog_args_parse(struct hog_args *a, size_t argc, char *const *argv,
				   unsigned long long size_max, size_t *bad)
{
	static const char *const with_value[] = { "--chunk", "--interval", "--kind", "--max", "--name",
						  "--dir", NULL };
	size_t chunk_at = 0, kind_at = 0;

	memset(a, 0, sizeof(*a));
	a->kind = HOG_KIND_ANON;
	a->chunk = 128ULL << 10;
	a->dir = HOG_FILE_DIR;
	for (size_t i = 1; i < argc; i++) {
		const char *opt = argv[i];
		size_t k = 0;
		enum hog_args_error e;

		*bad = i;
		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			a->help = 1;
			return HOG_ARGS_OK;
		}
		if (!strcmp(opt, "--hold")) {
			a->hold = 1;
			continue;
		}
		while (with_value[k] && strcmp(with_value[k], opt))
			k++;
		if (!with_value[k])
			return HOG_ARGS_UNKNOWN;
		if (i + 1 >= argc)
			return HOG_ARGS_MISSING;
		*bad = ++i;
		if ((e = parse_value(a, opt, argv[i], size_max)))
			return e;
		if (!strcmp(opt, "--chunk"))
			chunk_at = i;
		else if (!strcmp(opt, "--kind"))
			kind_at = i;
	}
	/* after the loop: --kind thp may come before or after --chunk */
	if (a->kind == HOG_KIND_THP && round_thp_chunk(&a->chunk, size_max)) {
		*bad = chunk_at ? chunk_at : kind_at;
		return HOG_ARGS_THP_CHUNK_TOO_BIG;
	}
	*bad = 0;
	return HOG_ARGS_OK;
}

const char *hog_args_strerror(enum hog_args_error e)
{
	switch (e) {
	case HOG_ARGS_OK: return "no error";
	case HOG_ARGS_UNKNOWN: return "unknown option";
	case HOG_ARGS_MISSING: return "needs a value";
	case HOG_ARGS_BAD_SIZE: return "not a size (a whole number of bytes with optional K, M or G suffix, e.g. 128K)";
	case HOG_ARGS_ZERO_CHUNK: return "a chunk of 0 bytes";
	case HOG_ARGS_CHUNK_TOO_BIG: return "a chunk larger than one malloc can take (on i386: 4G less 1 byte)";
	case HOG_ARGS_BAD_INTERVAL: return "not a whole number of milliseconds";
	case HOG_ARGS_BAD_KIND: return "not a kind of memory (anon, shmem, file, mlock or thp)";
	case HOG_ARGS_THP_CHUNK_TOO_BIG:
		return "a thp chunk too large: rounded up to 2M, it and 2M more must fit one mapping"
		       " (on i386: at most 4G less 4M)";
	case HOG_ARGS_BAD_PERCENT: return "not a share of the guest's RAM (N%, N from 1 to 1000)";
	}
	return "unknown error";
}

const char *hog_kind_name(enum hog_kind k)
{
	return (size_t)k < KIND_COUNT ? kind_names[k] : "unknown";
}
