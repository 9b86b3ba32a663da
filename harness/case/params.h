/* params: parameter expansion: [params], ${NAME} substitution, and the
 * runs (one per combination of values) a case file stands for. */
#ifndef OOMTEST_CASE_PARAMS_H
#define OOMTEST_CASE_PARAMS_H

#include <stddef.h>
#include "case/parser.h"

/* A [params] line "name = v1 v2 ...": checks it and adds the parameter. */
void case_add_param(struct parser *p, const char *key, const char *val);
void case_param_release(struct param *pm);
/* This combination's value of the parameter name[0..len), or NULL if there is none. */
const char *case_param_pick(const struct parser *p, const char *name, size_t len);
/* s with every ${NAME} replaced by this combination's value; ${arch}
 * (CASE_ARCH_VAR) is kept as it is, for each target to replace. NULL when
 * there is nothing to replace (or when prescanning), or after an error
 * (*bad set: the caller goes on with s as written, quietly). */
char *case_substitute(struct parser *p, const char *s, int *bad);

/* Parses every combination of the parameters' values into *cases (only
 * the first when first_only). Returns 0, or -1 with every error in err. */
int case_parse_combinations(const char *path, const char *text, size_t len, int first_only,
			    struct oomcase **cases, size_t *ncases, struct strbuf *err);

#endif
