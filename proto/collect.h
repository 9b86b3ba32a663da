/* collect: the collector vocabulary of `collect =` (buddyinfo meminfo
 * vmstat cgroup:NAME proc:STEP), one table read by the case parser, the
 * agent and the record parser. */
#ifndef OOMTEST_PROTO_COLLECT_H
#define OOMTEST_PROTO_COLLECT_H

enum proto_collect_arg {
	PROTO_COLLECT_FILE,   /* a fixed /proc file */
	PROTO_COLLECT_CGROUP, /* cgroup:NAME, every file of a case's cgroup */
	PROTO_COLLECT_STEP,   /* proc:STEP, /proc/PID/status of a running step */
};

struct proto_collector {
	const char *name; /* the word, or what stands before ':' */
	enum proto_collect_arg arg;
	const char *path; /* PROTO_COLLECT_FILE: what the agent reads */
	const char *kind; /* the KIND of its snap records */
};

/* Ends with a NULL name. */
extern const struct proto_collector proto_collectors[];

/* The collector a `collect` word names, with *arg set to what follows the
 * ':' (NULL for a file collector); NULL for an unknown word, a missing
 * argument, or an argument given to a file collector. */
const struct proto_collector *proto_collector_find(const char *word, const char **arg);

#endif
