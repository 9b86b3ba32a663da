/* qmp: a minimal client for the QEMU Machine Protocol: the handshake,
 * one command at a time, and the events QEMU sends meanwhile. Every
 * message is parsed with json-c as it comes (one may span reads or
 * lines); commands are written by json-c, one a line. */
#ifndef OOMTEST_QMP_H
#define OOMTEST_QMP_H

#include "lib/json.h"
#include "lib/strbuf.h"

struct qmp {
	int fd;
	struct strbuf in;      /* bytes not yet a whole message */
	size_t fed;            /* how many of them tok has parsed */
	json_tokener *tok;
	json_object *events;   /* every event seen, in order (an array) */
};

/* Takes fd (a connected stream), reads the greeting, leaves negotiation
 * mode. 0, or -1 with err set. */
int qmp_open(struct qmp *q, int fd, int timeout_ms, struct strbuf *err);
/* Sends one command (a JSON object) and waits for its answer; reply gets
 * the answer's text. 0 on "return", -1 on "error", timeout or a command
 * that is not a JSON object. */
int qmp_command(struct qmp *q, const char *json, int timeout_ms, struct strbuf *reply,
		struct strbuf *err);
/* The same for {"execute": command, "arguments": arguments} (arguments:
 * an object, taken, or NULL for none); ret, when not NULL, gets the
 * answer's "return" value (json_object_put() it). */
int qmp_execute(struct qmp *q, const char *command, json_object *arguments, int timeout_ms,
		struct strbuf *reply, json_object **ret, struct strbuf *err);
/* Hands fd to QEMU under name (QMP getfd, the fd rides along as
 * SCM_RIGHTS): for "fd:NAME" migration URIs. */
int qmp_send_fd(struct qmp *q, int fd, const char *name, int timeout_ms, struct strbuf *err);
/* Reads what is there without waiting (events after the guest is gone). */
void qmp_drain(struct qmp *q);
/* Whether QEMU sent this event. */
int qmp_saw_event(const struct qmp *q, const char *name);
void qmp_close(struct qmp *q);

#endif
