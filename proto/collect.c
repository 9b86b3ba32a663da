/* collect: the collector table. */
#include "proto/collect.h"

#include <string.h>

const struct proto_collector proto_collectors[] = {
	{ "buddyinfo", PROTO_COLLECT_FILE, "/proc/buddyinfo", "buddyinfo" },
	{ "meminfo", PROTO_COLLECT_FILE, "/proc/meminfo", "meminfo" },
	{ "vmstat", PROTO_COLLECT_FILE, "/proc/vmstat", "vmstat" },
	{ "cgroup", PROTO_COLLECT_CGROUP, NULL, "cgroup" },
	{ "proc", PROTO_COLLECT_STEP, NULL, "proc" },
	{ NULL, PROTO_COLLECT_FILE, NULL, NULL },
};

const struct proto_collector *proto_collector_find(const char *word, const char **arg)
{
	const char *colon = strchr(word, ':');
	size_t n = colon ? (size_t)(colon - word) : strlen(word);

	for (const struct proto_collector *c = proto_collectors; c->name; c++) {
		if (strlen(c->name) != n || strncmp(c->name, word, n))
			continue;
		if ((c->arg == PROTO_COLLECT_FILE) != !colon || (colon && !colon[1]))
			return NULL;
		*arg = colon ? colon + 1 : NULL;
		return c;
	}
	return NULL;
}
