/* parser: one pass over a case file's text into a struct oomcase, and what
 * the case modules share to take part in it: the parser state, the key
 * table entry, the words messages and `oomtest help case` share, and small
 * checks. Internal to harness/case; the public API is case/casefile.h. */
#ifndef OOMTEST_CASE_PARSER_H
#define OOMTEST_CASE_PARSER_H

#include <stddef.h>
#include "case/casefile.h"
#include "case/errors.h"
#include "lib/strbuf.h"

#define SECTIONS_LIST	"[case] [params] [sysctl] [files] [cgroup NAME] [step NAME] [expect] [expect SELECTOR]"
#define NAME_CHARS	"letters, digits, _ and -"
#define SIZE_HELP	"a whole number of bytes with optional K, M or G suffix, e.g. 128M"
#define DURATION_HELP	"a positive whole number with ms, s or m suffix, e.g. 60s; bare: seconds"
#define BOOL_HELP	"yes no true false 1 0"
#define NEEDS_LIST	"cgroup-v1 cgroup-v2 kconfig:CONFIG_NAME min-kernel:X.Y max-kernel:X.Y arch:ARCH memory:SIZE"
/* the names of target/arch.c's table, in its order (test_arch checks) */
#define ARCH_LIST	"x86_64 i386 arm64"
#define SELECTOR_HELP	"words of letters, digits and _ . + - joined by ',', each a target name, arch or kernel release, '!' before one to negate it"
#define PARAM_HELP	"a lower-case letter, then lower-case letters, digits and _"
#define PACKAGE_HELP	"a lower-case letter or digit, then one or more of lower-case letters, digits and + . -"
#define GUEST_PATH_HELP	"an absolute path of letters, digits and _ . + - @ with no empty, . or .. component"
#define SYSCTL_HELP	"lower-case words of letters, digits and _ joined by '.', e.g. vm.panic_on_oom"
#define COMBOS_MAX	256
#define STR_(x)		#x
#define STR(x)		STR_(x)

enum section { SEC_NONE, SEC_SKIP, SEC_CASE, SEC_PARAMS, SEC_SYSCTL, SEC_FILES, SEC_CGROUP,
	       SEC_STEP, SEC_EXPECT };

/* Where each key of a step was set (0: not set), for the checks at the end;
 * a key counts as set even when its value was bad, so one mistake gives
 * one message. wait_max_ms: wait_max's value (0: none or bad), put into
 * the step's wait at the end, as wait may come after it. */
struct step_lines {
	int run, module, cgroup, background, sleep, collect, score, write, rmmod, tap, wait, wait_max;
	long wait_max_ms;
};

/* A parameter: from [params], or [case] memory (with literal sizes). */
struct param {
	char *name;
	char **values;
	size_t nvalues;
	int line;
};

/* How one pass over the text goes. */
struct pass {
	int prescan;			/* only collect the parameters; no errors */
	const struct param *defs;	/* what ${NAME} may name... */
	size_t ndefs;
	const size_t *pick;		/* ...and which value of each */
	const char *file_err;		/* a whole-file error to report too */
	size_t grow_max;		/* substitution may add this many bytes */
	const char *note;		/* "with VARIANT": prefixes each message */
	struct case_reported *reported;	/* skip messages already reported */
	struct param *out;		/* prescan: the parameters, memory first */
	size_t nout;
};

struct seen_key {
	char *key;
	int line;
};

struct parser {
	struct oomcase *c;
	const char *path;
	struct pass *ps;
	int line;
	enum section sec;
	size_t cur;		/* the current cgroup or step */
	int case_line;		/* of [case]; 0: none yet */
	int params_line;	/* of [params]; 0: none yet */
	int sysctl_line;	/* of [sysctl]; 0: none yet */
	int files_line;		/* of [files]; 0: none yet */
	char *selector;		/* of the current [expect SELECTOR]; NULL: none */
	int bad_selector;	/* the current [expect ...] has a bad one */
	const char *raw_val;	/* the value being set, before substitution */
	int subst_failed;	/* this line's ${NAME} could not all be replaced */
	size_t grown;		/* bytes added by substitution so far */
	int over_budget;	/* grown went past the pass's grow_max */
	struct param *params;	/* from [params], in file order */
	size_t nparams, aparams;
	struct param memdef;	/* from [case] memory; name NULL: none */
	size_t asysctls;
	size_t nexpr;		/* [expect] lines, parsed or not */
	struct seen_key *seen;	/* keys of the current section */
	size_t nseen, aseen;
	struct step_lines *sl;	/* parallel to c->steps */
	size_t asteps, acgroups, aexpects, afiles;
	struct case_errors errs;
};

/* One key of a section's table: it drives both parsing and the help. */
struct case_key {
	const char *name;
	const char *type;
	const char *def;
	const char *help;
	void (*add_help)(struct strbuf *out);	/* appends to help; NULL: nothing */
	void (*set)(struct parser *p, const char *key, const char *val);
};

#define case_error(p, ...) case_errors_add(&(p)->errs, (p)->line, __VA_ARGS__)
#define case_error_at(p, line, ...) case_errors_add(&(p)->errs, (line), __VA_ARGS__)

/* One pass over the text into c (zeroed first). Returns 0, or -1 with the
 * errors in err (none when prescanning) and c released. */
int case_parse_pass(struct oomcase *c, const char *path, const char *text, size_t len,
		    struct pass *ps, struct strbuf *err);

int case_valid_name(const char *s);	/* letters, digits, _ and -; not empty */
int case_in_list(const char *const *list, const char *s);
void case_add_list(struct strbuf *sb, const char *const *list);	/* space-separated */
/* What is wrong with a relative path s ("a/b/c"): NULL, "a character not
 * allowed" (one not in allowed) or "an empty, . or .. component". */
const char *case_components_problem(const char *s, const char *allowed);
/* The first word that repeats an earlier one, or NULL. More words than
 * COMBOS_MAX are too many anyway (and too many to compare pairwise). */
const char *case_repeated_word(char *const *v, size_t n);
void case_set_duration(struct parser *p, const char *key, const char *val, long *ms);

#endif
