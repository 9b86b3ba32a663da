/* ktap: reads the TAP (12, 13, 14) or KTAP (the kernel's, version 1) a
 * program printed into a document: its version, plan, bail out, and test
 * points in order, each with its directive, diagnostic and nested subtests.
 *
 * Nesting is by indentation (spaces; a tab is 8 columns), whatever its
 * width: a version, plan, test point or "# Subtest:" line indented deeper
 * than the block it is in opens a block of subtests, and the next test
 * point back at the outer level is their parent. Subtests that never get a
 * parent line become a made-up "not ok" point (flagged no_result_line).
 *
 * Diagnostics: "# " lines and lines that are not TAP at all (stderr, a
 * program's chatter, which the KTAP spec says tools treat as diagnostic)
 * belong to the point they are about. Versioned documents (KTAP, TAP 13
 * and 14: kselftest, KUnit) print them before that point's result line;
 * unversioned TAP (Perl's Test::More) prints them after it. A YAML block
 * ("  ---" .. "  ...") always belongs to the point just above it. Lines
 * that are not TAP are also listed as unknown: never an error. A text with
 * no version, plan, test point or bail out at all is "not TAP".
 *
 * After "Bail out!" nothing more is read as TAP. Any byte may come: a NUL
 * ends its line's text, a trailing '\r' is dropped; numbers past
 * KTAP_NUMBER_MAX are not numbers, nesting past KTAP_MAX_DEPTH is not
 * nesting (those lines are unknown). */
#ifndef OOMTEST_KTAP_H
#define OOMTEST_KTAP_H

#include <stddef.h>
#include "lib/strbuf.h"

#define KTAP_MAX_DEPTH 16          /* blocks of subtests inside one another */
#define KTAP_NUMBER_MAX 999999999ul

enum ktap_directive {
	KTAP_DIRECTIVE_NONE,
	KTAP_SKIP,                     /* "SKIP", or any word starting so ("skipped") */
	KTAP_TODO,
	KTAP_XFAIL,
	KTAP_TIMEOUT,
	KTAP_ERROR,
};

struct ktap_block;

struct ktap_point {
	unsigned long number;          /* as printed, or implied: the previous one's + 1 */
	int number_printed;
	int ok;                        /* 1: "ok", 0: "not ok" */
	int no_result_line;            /* made up: subtests whose parent line never came */
	char *description;             /* "" when none; a leading "- " dropped, "\#" unescaped */
	enum ktap_directive directive;
	char *directive_text;          /* what follows the directive word; "" when none */
	char *comment;                 /* text after '#' that is no directive ("# exit=1"); "" when none */
	struct strbuf diagnostic;      /* its lines, one a line, without the block's indentation */
	struct ktap_block *sub;        /* its subtests; NULL: none */
	size_t line;                   /* 1-based; of the result line (of the first subtest line when made up) */
};

struct ktap_block {
	char *name;                    /* from "# Subtest: NAME"; NULL: none */
	long planned;                  /* -1: no plan */
	int skip_all;                  /* "1..0 # SKIP why" */
	char *skip_reason;             /* "why"; NULL unless skip_all */
	struct ktap_point *points;
	size_t npoints, alloc;
	int plan_after_points;         /* the plan came last: what follows is no point's */
	struct strbuf notes;           /* diagnostics no point took (before the first, after the last) */
	size_t indent;                 /* columns */
	size_t line;                   /* 1-based, of its first line */
};

struct ktap_unknown {
	size_t line;                   /* 1-based */
	char *text;
};

enum ktap_format { KTAP_FORMAT_TAP, KTAP_FORMAT_KTAP };

struct ktap_state;

struct ktap_doc {
	int is_tap;                    /* 0: "not TAP" */
	enum ktap_format format;
	int version;                   /* TAP 12 (no version line), 13, 14; KTAP 1 */
	struct ktap_block top;
	int bail_out;
	char *bail_reason;             /* "" when none given; NULL unless bail_out */
	struct ktap_unknown *unknown;  /* lines that are not TAP, in order */
	size_t nunknown;
	size_t lines;                  /* lines read */
	struct ktap_state *st;         /* while reading; NULL after ktap_finish */
};

/* Reading line by line: ktap_init, ktap_add_line per line (without its
 * newline), ktap_finish. ktap_parse does all three over a whole text. */
void ktap_init(struct ktap_doc *doc);
void ktap_add_line(struct ktap_doc *doc, const char *line, size_t len);
void ktap_finish(struct ktap_doc *doc);
void ktap_parse(struct ktap_doc *doc, const char *text, size_t len);
void ktap_release(struct ktap_doc *doc);

/* "SKIP", "TODO", ...; "" for none. */
const char *ktap_directive_name(enum ktap_directive d);

#endif
