/* json: the full event structure of a parsed log as JSON (events.json of a
 * run, `oomtest parse --json`). A number the kernel did not print is left
 * out of its object (null inside an array). */
#ifndef OOMTEST_KLOG_JSON_H
#define OOMTEST_KLOG_JSON_H

#include "lib/json.h"
#include "lib/strbuf.h"

struct klog;

/* The event structure as a new JSON object (json_object_put() it). */
json_object *klog_json(const struct klog *k);
/* Writes it as one line of JSON and a newline. */
void klog_to_json(const struct klog *k, struct strbuf *out);

#endif
