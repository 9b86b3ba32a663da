#!/usr/bin/env bash
# The private LAVA server of images/lava-server-local.sh, started and
# stopped here (root; Debian's lava-server, postgresql, lava-dispatcher):
# it starts, a second start finds it, its REST API knows the admin's token
# and refuses another, refuses a job for a device type it lacks with
# LAVA's message, its worker is online with the qemu device idle, and stop
# leaves none of its processes behind. No job boots a guest here.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=build/lava-server-check
work=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-lava-server.XXXXXX")
trap 'images/lava-server-local.sh stop "$dir" > /dev/null 2>&1; rm -rf "$work"' EXIT
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
	echo "ok - skipped: needs root and lava-server (images/install-deps.sh)"
	echo "1 passed, 0 failed"
	exit 0
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
