/* chan: the agent channel, the serial port the harness talks to. Records
 * go out percent-encoded (proto/proto.h); plan lines come in. On a guest
 * with one console (oomtest.chan=kmsg) the plan comes baked into the
 * initramfs and records go out as frames through /dev/kmsg (proto/frame.h). */
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
 * it cannot. /dev/kmsg: reads the baked plan (/oomtest/plan, "key HEX" and
 * the plan's lines), removes it, and opens /dev/kmsg for the frames; -1
 * with errno EPROTO when the plan is missing or has no key. */
int chan_open(const char *tty);
/* From now on the plan is text (n bytes: "key HEX\n", then its lines) and
 * records go out to fd as frames under that key, one write() each: 0, or
 * -1 when the key line is wrong. chan_open's kmsg half; for tests. */
int chan_take_baked(int fd, const char *text, size_t n);
/* Waits until what was sent has left the port (a /dev/kmsg write has
 * when it returns). */
void chan_drain(void);

/* Single console through /dev/kmsg only (oomtest_console could not be
 * loaded): records are held back until the matching
 * chan_release (holds nest), then go out in order. A /dev/kmsg write
 * allocates kernel memory, and a module step can leave none until its
 * loader has exited (the loader's OOM kill frees its pages only then):
 * the agent, PID 1, would meet the OOM killer with nothing to kill. With an
 * agent channel both do nothing. */
void chan_hold(void);
void chan_release(void);

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
