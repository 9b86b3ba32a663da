/* keys_files: the [files] section, where every key is a guest path and
 * its value the host file the guest gets there. */
#ifndef OOMTEST_CASE_KEYS_FILES_H
#define OOMTEST_CASE_KEYS_FILES_H

#include "case/parser.h"

/* "/etc/x.conf = ./x.conf": checks both paths and adds the file. */
void case_add_file(struct parser *p, const char *guest, const char *host);
/* At the end: no file is, holds or is under the guest path of a program of
 * the case's run steps. */
void case_check_files(struct parser *p);

#endif
