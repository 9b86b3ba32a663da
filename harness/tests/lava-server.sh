#!/usr/bin/env bash
# The private LAVA server of images/lava-server-local.sh, started and
# stopped here (root; Debian's lava-server, postgresql, lava-dispatcher):
# it starts, a second start finds it, its REST API knows the admin's token
# and refuses another, refuses a job for a device type it lacks with
# LAVA's message, its worker is online with the qemu device idle, and stop
# leaves none of its processes behind; the seed cases run as its jobs with
# the qemu backend's verdicts.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=build/lava-server-check
work=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-lava-server.XXXXXX")
# a failed check's files are kept (the path is printed), for the next look
trap 'images/lava-server-local.sh stop "$dir" > /dev/null 2>&1
      if [ "${failed:-0}" -eq 0 ]; then rm -rf "$work"; else echo "# the files of the checks are kept in $work"; fi' EXIT
passed=0 failed=0

check() { # name, then a command that must succeed
	local name=$1; shift
	if "$@" > "$work/last.out" 2>&1; then
		echo "ok - $name"; passed=$((passed + 1))
	else
		echo "not ok - $name"; failed=$((failed + 1))
		sed 's/^/    /' "$work/last.out"
	fi
}

if [ "$(id -u)" != 0 ] || [ ! -x /usr/bin/lava-server ]; then
	echo "not ok - needs root and lava-server, postgresql, lava-dispatcher (images/install-deps.sh)"
	echo "0 passed, 1 failed"
	exit 1
fi

start() { images/lava-server-local.sh start "$dir" > "$work/start.out"; }
check "the server starts" start
read -r url token < "$work/start.out"
api() { curl -s -H "Authorization: Token $1" "${url}api/v0.2/$2"; }

same_again() {
	images/lava-server-local.sh start "$dir" > "$work/again.out" &&
		[ "$(cat "$work/again.out")" = "$url $token" ]
}
check "a second start finds it running" same_again
check "status says it runs" images/lava-server-local.sh status "$dir"

whoami() { api "$token" system/whoami/ > "$work/who" && grep -q '"user":"oomtest-admin"' "$work/who"; }
check "the API knows the admin's token" whoami
bad_token() { api nosuchtoken system/whoami/ > "$work/bad" && grep -qF '"detail":"Invalid token."' "$work/bad"; }
check "the API refuses another token" bad_token

refused() {
	/usr/bin/python3 -c 'import json; print(json.dumps({"definition": "job_name: x\ndevice_type: nosuch\nvisibility: public\ntimeouts: {job: {minutes: 1}}\nactions: []\n"}))' > "$work/job.json"
	curl -s -X POST -H "Authorization: Token $token" -H "Content-Type: application/json" \
		--data @"$work/job.json" "${url}api/v0.2/jobs/" > "$work/refused"
	grep -qF "Device type 'nosuch' is unavailable." "$work/refused"
}
check "a job for an unknown device type is refused with LAVA's message" refused

worker_online() { api "$token" workers/oomtest/ > "$work/worker" && grep -q '"state":"Online"' "$work/worker"; }
check "the worker is online" worker_online
device_idle() { api "$token" devices/qemu01/ > "$work/device" && grep -q '"state":"Idle","health":"Good"' "$work/device"; }
check "the qemu device is idle and good" device_idle

# The seed cases as jobs of the server (--backend lava), on its qemu
# device: the verdicts of the qemu backend, each job's page kept, a panic
# that ended QEMU judged from the console; a bad token an error naming it.
seeds="cases/memcg-v2-max-kill.case cases/kmod-order0-backup.case cases/panic-on-oom.case cases/swap-then-kill.case"
verdicts() { grep -E '^(not )?ok' "$1"; }
seed_jobs() {
	# shellcheck disable=SC2086
	# --timeout: a run's clock starts when its job runs, and the worker's
	# own start-up in the job (lava-run, its deploy) is part of it
	OOMTEST_LAVA_TOKEN=$token build/oomtest run -j 2 --timeout 180 --backend lava --lava-url "$url" -t x86_64 \
		--results "$work/lres" $seeds > "$work/lava.tap" 2> "$work/lava.err" || { cat "$work/lava.tap" "$work/lava.err"; return 1; }
	# shellcheck disable=SC2086
	build/oomtest run -j 2 --cold-boot -t x86_64 --results "$work/qres" $seeds > "$work/qemu.tap" 2> /dev/null || return 1
	diff <(verdicts "$work/qemu.tap") <(verdicts "$work/lava.tap") || return 1
	local n
	for n in memcg-v2-max-kill kmod-order0-backup panic-on-oom swap-then-kill; do
		grep -q "^${url}scheduler/job/[0-9]*$" "$work/lres/latest/$n/x86_64/lava-job.url" &&
			test -s "$work/lres/latest/$n/x86_64/lava-job.yaml" || { echo "$n: no job page or job"; return 1; }
	done
	grep -q '"vm.exit": "LAVA job .*: Incomplete: Infrastructure: Connection closed"' \
		"$work/lres/latest/panic-on-oom/x86_64/facts.json" &&
	grep -q '"vm.exit": "LAVA job .*: Complete"' "$work/lres/latest/memcg-v2-max-kill/x86_64/facts.json" &&
	# a swap disk, attached by its path for this host's worker
	grep -q -- "-drive if=none,id=oomtest-swap,format=raw,file=/.*/swap-then-kill/x86_64/swap.img'" \
		"$work/lres/latest/swap-then-kill/x86_64/lava-job.yaml" &&
	grep -q "^job_name: 'oomtest swap-then-kill/x86_64'$" "$work/lres/latest/swap-then-kill/x86_64/lava-job.yaml"
}
check "the seed cases as jobs of the server: the qemu backend's verdicts, each job's page kept, a swap disk attached" seed_jobs

# Ctrl-C while the job runs: oomtest cancels it, LAVA ends it Canceled,
# the device is free again, the TAP ends interrupted.
sigint_cancels() {
	cat > "$work/long.case" <<'CASE'
[case]
description = a guest that sleeps longer than the check waits
timeout = 600s
[step wait]
sleep = 500s
[expect]
oom.count == 0
CASE
	OOMTEST_LAVA_TOKEN=$token build/oomtest run --backend lava --lava-url "$url" -t x86_64 \
		--results "$work/sig" "$work/long.case" > "$work/sig.tap" 2> "$work/sig.err" &
	local pid=$! f id=
	# the run's job, once the server runs it (api's answer read whole: a
	# reader that stops early would cut curl off)
	for _ in $(seq 1 1200); do
		for f in "$work"/sig/2*/long/x86_64/lava-job.url; do :; done
		[ -s "$f" ] && id=$(sed 's|.*/||' "$f") && api "$token" "jobs/$id/" > "$work/sig.job" &&
			grep -q '"state":"Running"' "$work/sig.job" && break
		sleep 0.1
	done
	grep -q '"state":"Running"' "$work/sig.job" || { kill $pid; wait $pid; echo "job ${id:-?} never ran"; return 1; }
	sleep 5
	kill -INT $pid
	wait $pid
	# oomtest waits a minute for LAVA to end the job; LAVA may take longer
	for _ in $(seq 1 120); do
		api "$token" "jobs/$id/" > "$work/sig.job" && grep -q '"state":"Finished"' "$work/sig.job" && break
		sleep 1
	done
	if ! grep -q '"state":"Finished"' "$work/sig.job" || ! grep -q '"health":"Canceled"' "$work/sig.job"; then
		cat "$work/sig.job"; return 1
	fi
	[ "$(tail -n 1 "$work/sig.tap")" = 'Bail out! interrupted' ] || { cat "$work/sig.tap"; return 1; }
	# Idle again; LAVA leaves the health of a device whose job was
	# canceled Unknown (still schedulable) until a health check
	for _ in $(seq 1 120); do
		api "$token" devices/qemu01/ > "$work/device" && grep -q '"state":"Idle"' "$work/device" && return 0
		sleep 1
	done
	cat "$work/device"; return 1
}
check "Ctrl-C cancels the run's job: LAVA ends it Canceled and the device is idle again" sigint_cancels
bad_token_run() {
	build/oomtest run --backend lava --lava-url "$url" --lava-token nope -t x86_64 \
		cases/memcg-v2-max-kill.case > "$work/bad.tap" 2> /dev/null
	grep -q '^not ok 1 ' "$work/bad.tap" && grep -q 'verdict: error' "$work/bad.tap" &&
		grep -q 'refused the token (HTTP 403)' "$work/bad.tap"
}
check "a token the server refuses is the run's error, with the server's words" bad_token_run

pids() { cat "$dir"/*.pid "$dir/pg/postmaster.pid" 2>/dev/null | grep -E '^[0-9]+$'; }
pids > "$work/pids"
stopped() {
	images/lava-server-local.sh stop "$dir" || return 1
	local p st
	while read -r p; do
		st=$(ps -o stat= -p "$p") || continue
		case $st in Z*) ;; *) echo "process $p is still there"; return 1 ;; esac
	done < "$work/pids"
	! images/lava-server-local.sh status "$dir"
}
check "stop leaves none of its processes" stopped

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
