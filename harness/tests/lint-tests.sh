#!/usr/bin/env bash
# lint-tests.sh [FILE...]: the test scripts never pipe a command into a
# reader that may stop before the writer is done (grep -q, grep -m, head).
# Under `set -o pipefail` the writer's SIGPIPE makes such a pipeline fail
# at random, depending on how far the writer got. Read from a file or a
# here-string instead. Prints file:line for each and exits 1 when any.
set -u
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- harness/tests/*.sh harness/fuzz/*.sh run-tests.sh .ci/run
bad=0
for f in "$@"; do
	# grep -q/-m/--quiet/--max-count or head after a pipe (|| is not a pipe)
	hits=$(grep -n -E '(^|[^|])\|[[:space:]]*(grep[[:space:]]+(-[A-Za-z]*[qm]|--quiet|--silent|--max-count)|head)([[:space:]]|$)' "$f")
	[ -z "$hits" ] || { printf '%s\n' "$hits" | sed "s|^|$f:|"; bad=1; }
done
exit $bad
