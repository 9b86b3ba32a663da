/* help: `oomtest help case`: the sections, their key tables and the
 * expectation syntax. Declared for callers through case/casefile.h. */
#ifndef OOMTEST_CASE_HELP_H
#define OOMTEST_CASE_HELP_H

struct strbuf;

/* Prints the table of sections and keys (for `oomtest help case`). */
void case_print_help(struct strbuf *out);

#endif
