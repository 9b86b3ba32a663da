/* params: parameter expansion. [params] and [case] memory with several
 * sizes make a case stand for several runs: a prescan collects the
 * parameters, then each combination of their values is one pass over the
 * text with every ${NAME} replaced. */
#include "case/params.h"
#include "case/lexer.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define ARCH_PARAM	"arch"	/* CASE_ARCH_VAR's name */

/* Expectations (each side of an || counts) in all the runs of one file
 * together: every run holds its own compiled regexes. */
#define EXPECTS_MAX	16384
/* How much longer substituting ${NAME} may make a file, all lines together
 * (per combination; every combination is held at once)... */
#define EXPAND_MAX	(256 << 10)
/* ...and how much case text all the runs of one file may come to. */
#define TEXT_MAX	(4 << 20)

void case_param_release(struct param *pm)
{
	free(pm->name);
	lexer_free_words(pm->values, pm->nvalues);
	memset(pm, 0, sizeof(*pm));
}

static int valid_param_name(const char *s, size_t n)
{
	if (!n || !islower((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

void case_add_param(struct parser *p, const char *key, const char *val)
{
	const char *dup;
	char **w;
	size_t n;

	if (!valid_param_name(key, strlen(key))) {
		case_error(p, "bad parameter name '%s' (allowed: %s)", key, PARAM_HELP);
		return;
	}
	if (!strcmp(key, "memory")) {
		case_error(p, "parameter 'memory' is [case] memory (list the sizes there: "
			   "memory = 64M 128M)");
		return;
	}
	if (!strcmp(key, ARCH_PARAM)) {
		case_error(p, "parameter 'arch' is reserved: " CASE_ARCH_VAR " is each target's arch, "
			   "filled in for each target");
		return;
	}
	lexer_plain_words(val, &w, &n);
	dup = case_repeated_word(w, n);
	if (dup) {
		case_error(p, "duplicate value '%s' for parameter '%s'", dup, key);
		lexer_free_words(w, n);
		return;
	}
	case_grow((void **)&p->params, &p->aparams, p->nparams, sizeof(*p->params));
	p->params[p->nparams].name = xstrdup(key);
	p->params[p->nparams].values = w;
	p->params[p->nparams].nvalues = n;
	p->params[p->nparams].line = p->line;
	p->nparams++;
}

/* This combination's value of parameter name, or NULL if there is none. */
const char *case_param_pick(const struct parser *p, const char *name, size_t len)
{
	const struct pass *ps = p->ps;

	for (size_t i = 0; i < ps->ndefs; i++)
		if (strlen(ps->defs[i].name) == len && !memcmp(ps->defs[i].name, name, len))
			return ps->defs[i].values[ps->pick[i]];
	return NULL;
}

/* s with every ${NAME} replaced by this combination's value, ${arch}
 * kept; NULL when there is nothing to replace (or when prescanning), or
 * after an error (*bad set: the caller goes on with s as written, quietly). */
char *case_substitute(struct parser *p, const char *s, int *bad)
{
	struct strbuf out = STRBUF_INIT;
	const char *start = s, *q;

	*bad = 0;
	if (p->ps->prescan || !strstr(s, "${"))
		return NULL;
	while ((q = strstr(s, "${"))) {
		const char *close = strchr(q + 2, '}'), *val;

		strbuf_add(&out, s, (size_t)(q - s));
		if (!close) {
			case_error(p, "unterminated '${' in '%s' (expected ${NAME})", start);
			*bad = 1;
			break;
		}
		val = case_param_pick(p, q + 2, (size_t)(close - q - 2));
		if (!val && (size_t)(close + 1 - q) == strlen(CASE_ARCH_VAR) &&
		    !memcmp(q, CASE_ARCH_VAR, strlen(CASE_ARCH_VAR))) {
			strbuf_addstr(&out, CASE_ARCH_VAR);	/* replaced per target later */
		} else if (!val) {
			struct strbuf known = STRBUF_INIT;
			const struct pass *ps = p->ps;

			for (size_t i = 0; i < ps->ndefs && i < 8; i++)
				strbuf_addf(&known, "%s%s", i ? " " : "", ps->defs[i].name);
			if (ps->ndefs > 8)
				strbuf_addstr(&known, " ...");
			case_error(p, "unknown parameter '%.*s' (known: %s)", (int)(close + 1 - q), q,
				   ps->ndefs ? known.buf : "none");
			strbuf_release(&known);
			*bad = 1;
		} else {
			strbuf_addstr(&out, val);
		}
		s = close + 1;
	}
	if (!*bad) {
		strbuf_addstr(&out, s);
		if (out.len > strlen(start))
			p->grown += out.len - strlen(start);
		if (p->grown > p->ps->grow_max) {
			if (!p->over_budget)
				case_error(p, "parameters make the file too long (at most %zu bytes "
					   "more than as written)", p->ps->grow_max);
			p->over_budget = 1;
			*bad = 1;
		}
	}
	if (*bad) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}

/* Parameters that make runs: [params] ones, and memory with several sizes. */
static int expands(const struct param *pm)
{
	return strcmp(pm->name, "memory") || pm->nvalues > 1;
}

/* "memory=64M,order=1" for the combination pick, or NULL if none expands. */
static char *variant_name(const struct param *defs, size_t n, const size_t *pick)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		if (expands(&defs[i]))
			strbuf_addf(&sb, "%s%s=%s", sb.len ? "," : "", defs[i].name,
				    defs[i].values[pick[i]]);
	return sb.len ? strbuf_detach(&sb) : NULL;
}

static size_t count_expects(const struct oomcase *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nexpects; i++)
		for (const struct expectation *e = &c->expects[i]; e; e = e->or_next)
			n++;
	return n;
}

/* Parses every combination (only the first when `first_only`). */
int case_parse_combinations(const char *path, const char *text, size_t len, int first_only,
			    struct oomcase **cases, size_t *ncases, struct strbuf *err)
{
	struct pass scan, ps;
	struct oomcase tmp, *out;
	struct case_reported reported = { NULL, 0, 0 };
	struct strbuf toomany = STRBUF_INIT;
	unsigned long long total = 1;
	size_t i, k, n, *pick, nexp = 0;
	int rc = 0;

	*cases = NULL;
	*ncases = 0;
	memset(&scan, 0, sizeof(scan));
	scan.prescan = 1;
	case_parse_pass(&tmp, path, text, len, &scan, err);

	for (i = 0; i < scan.nout; i++) {
		/* never 0: an empty value is an error, and such a line no parameter */
		unsigned long long nv = scan.out[i].nvalues ? scan.out[i].nvalues : 1;

		total = total > ULLONG_MAX / nv ? ULLONG_MAX : total * nv;
	}
	if (total > COMBOS_MAX) {
		if (total == ULLONG_MAX)
			strbuf_addf(&toomany, "the parameters make too many combinations (at most %d)",
				    COMBOS_MAX);
		else
			strbuf_addf(&toomany, "the parameters make %llu combinations (at most %d)",
				    total, COMBOS_MAX);
	} else if (total > 1 && len > TEXT_MAX / total) {
		strbuf_addf(&toomany, "the parameters make %llu runs of this %zu-byte file "
			    "(at most %d bytes in all)", total, len, TEXT_MAX);
	}
	n = first_only || toomany.len ? 1 : (size_t)total;
	pick = xcalloc(scan.nout ? scan.nout : 1, sizeof(*pick));
	out = xcalloc(n, sizeof(*out));

	for (k = 0; k < n; k++) {
		size_t rest = k;
		char *variant;

		for (i = scan.nout; i-- > 0;) {	/* the first parameter varies slowest */
			size_t nv = scan.out[i].nvalues ? scan.out[i].nvalues : 1;

			pick[i] = rest % nv;
			rest /= nv;
		}
		memset(&ps, 0, sizeof(ps));
		ps.defs = scan.out;
		ps.ndefs = scan.nout;
		ps.pick = pick;
		ps.grow_max = EXPAND_MAX;	/* runs * (len + grow_max) <= TEXT_MAX */
		if (!toomany.len && total > 1 && TEXT_MAX / total - len < EXPAND_MAX)
			ps.grow_max = (size_t)(TEXT_MAX / total - len);
		variant = variant_name(scan.out, scan.nout, pick);
		if (k == 0) {
			ps.file_err = toomany.len ? toomany.buf : NULL;
		} else {
			ps.note = variant;
			ps.reported = &reported;
		}
		if (case_parse_pass(&out[k], path, text, len, &ps, err)) {
			free(variant);
			rc = -1;
			if (k == 0)	/* reported once, not once per combination */
				break;
			continue;
		}
		out[k].variant = variant;
		/* the first run's count stands for all; later ones may have more */
		nexp += count_expects(&out[k]);
		if (n > 1 && (k ? nexp : nexp * n) > EXPECTS_MAX) {
			strbuf_addf(err, "%s: the parameters make more than %d expectations in all "
				    "%zu runs\n", path, EXPECTS_MAX, n);
			rc = -1;
			break;
		}
	}
	if (rc) {
		for (k = 0; k < n; k++)
			case_release(&out[k]);
		free(out);
	} else {
		*cases = out;
		*ncases = n;
	}
	for (i = 0; i < scan.nout; i++)
		case_param_release(&scan.out[i]);
	free(scan.out);
	free(pick);
	case_reported_release(&reported);
	strbuf_release(&toomany);
	return rc;
}
