/* chan: the agent channel, the serial port the harness talks to. Records
 * go out percent-encoded (proto/proto.h); plan lines come in. */
#ifndef OOMTEST_GUEST_CHAN_H
#define OOMTEST_GUEST_CHAN_H

#include <stddef.h>
#include <string.h>

/* The channel's device from the kernel command line: /dev/NAME for the
 * last "oomtest.chan=NAME" (NAME letters and digits: hvc0 on arm64's virt
 * machine), else /dev/ttyS1, the second serial port. -1 for a bad NAME or
 * one that does not fit out. */
int chan_device(const char *cmdline, char *out, size_t size);
/* Opens tty as the channel, raw at 115200 baud; returns -1 (errno set) if
 * it cannot. */
int chan_open(const char *tty);
/* Waits until what was sent has left the port. */
void chan_drain(void);

/* Sends one record: kind, then fields given as (pointer, length) pairs,
 * ended by NULL. */
void send_rec(const char *kind, ...);
/* A C string as one send_rec field. */
#define S(x) (x), strlen(x)
/* Sends an "err" record with a formatted message. */
void send_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The next line from the channel without its "\r\n", in a buffer the
 * caller owns; NULL at end of input. */
char *chan_read_line(void);

#endif
