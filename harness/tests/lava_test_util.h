/* lava_test_util: LAVA's own schema validation of a job and its device
 * (lava_common, from Debian's lava-dispatcher), and the escaping of the
 * golden files of LAVA's log, for the LAVA tests; included after cmocka.h. */
#ifndef OOMTEST_LAVA_TEST_UTIL_H
#define OOMTEST_LAVA_TEST_UTIL_H

#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/strbuf.h"

/* A console line or value as the golden files of LAVA's log write it:
 * backslash, newline, tab and other control bytes escaped. */
static inline void lava_golden_escape(struct strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			strbuf_addstr(out, "\\\\");
		else if (c == '\n')
			strbuf_addstr(out, "\\n");
		else if (c == '\t')
			strbuf_addstr(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(out, "\\x%02x", c);
		else
			strbuf_addch(out, (char)c);
	}
}

/* Debian's python, which lava-dispatcher's modules are installed for */
#define PYTHON "/usr/bin/python3"
#define VALIDATE_EXIT_MISSING 3

static const char validator[] =
	"import sys\n"
	"try:\n"
	"    import yaml\n"
	"    from lava_common.schemas import validate, device\n"
	"except ImportError as e:\n"
	"    print('lava-dispatcher is not installed (%s): apt-get install lava-dispatcher' % e)\n"
	"    sys.exit(3)\n"
	"try:\n"
	"    validate(yaml.safe_load(open(sys.argv[1])), strict=True)\n"
	"    device.validate(yaml.safe_load(open(sys.argv[2])))\n"
	"except Exception as e:\n"
	"    print('LAVA says no: %s: %s' % (type(e).__name__, e))\n"
	"    sys.exit(1)\n"
	"print('valid')\n";

/* LAVA's validator on a job and a device: 0 when valid, else 1 (its
 * words printed); scratch: a directory for its output. A validator that cannot run fails the test. */
static inline int lava_validate(const char *job, const char *device, const char *scratch)
{
	char *argv[] = { PYTHON, "-c", (char *)validator, (char *)job, (char *)device, NULL };
	struct strbuf out = STRBUF_INIT;
	int status;

	if (access(PYTHON, X_OK))
		fail_msg("%s is missing: install Debian's lava-dispatcher (a setup error, not a pass)", PYTHON);
	status = child_run_capture(argv, scratch, &out);
	if (status < 0 || !WIFEXITED(status))
		fail_msg("LAVA's validator did not run: %s", out.buf);
	if (WEXITSTATUS(status) == VALIDATE_EXIT_MISSING)
		fail_msg("%s", out.buf);
	if (WEXITSTATUS(status))
		print_message("# %s: %s", job, out.buf);
	else
		assert_string_equal(out.buf, "valid\n");
	strbuf_release(&out);
	return WEXITSTATUS(status) ? 1 : 0;
}

#endif
