/* qmp: a minimal client for the QEMU Machine Protocol: the handshake,
 * one command at a time, and the events QEMU sends meanwhile. QEMU writes
 * one JSON object per line; this reads lines, it does not parse JSON. */
#ifndef OOMTEST_QMP_H
#define OOMTEST_QMP_H

#include "lib/strbuf.h"

struct qmp {
	int fd;
	struct strbuf in;      /* bytes not yet a whole line */
	struct strbuf events;  /* every event line seen, in order */
};

/* Takes fd (a connected stream), reads the greeting, leaves negotiation
 * mode. 0, or -1 with err set. */
int qmp_open(struct qmp *q, int fd, int timeout_ms, struct strbuf *err);
/* Sends one command (a JSON object, no newline) and waits for its answer;
 * reply gets the answer line. 0 on "return", -1 on "error" or timeout. */
int qmp_command(struct qmp *q, const char *json, int timeout_ms, struct strbuf *reply,
		struct strbuf *err);
/* Hands fd to QEMU under name (QMP getfd, the fd rides along as
 * SCM_RIGHTS): for "fd:NAME" migration URIs. */
int qmp_send_fd(struct qmp *q, int fd, const char *name, int timeout_ms, struct strbuf *err);
/* Reads what is there without waiting (events after the guest is gone). */
void qmp_drain(struct qmp *q);
/* Whether QEMU sent this event. */
int qmp_saw_event(const struct qmp *q, const char *name);
void qmp_close(struct qmp *q);

#endif
