/* kmsg: a module's result line, read back from /dev/kmsg. The console
 * loglevel does not hide a record there, and each record says who wrote
 * it: text written to /dev/kmsg from user space never carries facility 0,
 * the kernel's. The file is opened before the module loads, so reading it
 * afterwards, when the module may hold all free memory, allocates nothing. */
#ifndef OOMTEST_GUEST_KMSG_H
#define OOMTEST_GUEST_KMSG_H

#include <stddef.h>

/* /dev/kmsg positioned after the last record so far, or -1. */
int kmsg_open(void);
/* Reads every record that came since; the last kernel record whose text
 * is "MODULE: result REST" (MODULE with '-' or '_') gives REST. Returns 0
 * with *text and *len set (valid until the next call), or -1: none. */
int kmsg_module_result(int fd, const char *module, const char **text, size_t *len);
/* The same over one record as /dev/kmsg gives it ("PRI,SEQ,TS,FLAGS;TEXT\n",
 * then continuation lines): 0 with the REST, or -1. */
int kmsg_record_result(const char *rec, size_t n, const char *module, const char **text, size_t *len);
/* The timeline's kernel events in one record: "oom_kill" with what =
 * "PID COMM" for an OOM kill ("Killed process PID (COMM)"), "alloc_fail"
 * with what = "COMM order:N" for a page allocation or vmalloc failure;
 * NULL for any other record. what is cut to fit size. */
const char *kmsg_record_event(const char *rec, size_t n, char *what, size_t size);

#endif
