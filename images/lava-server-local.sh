#!/usr/bin/env bash
# A private LAVA server on this machine, for oomtest's `--backend lava` and
# its tests, from Debian's lava-server, postgresql and lava-dispatcher:
#   images/lava-server-local.sh start [DIR]   starts it (or finds it running), prints
#                                             "URL TOKEN" on one line
#   images/lava-server-local.sh stop [DIR]    stops all it started
#   images/lava-server-local.sh status [DIR]  exit 0 and "URL TOKEN" when it runs
# DIR (default build/lava-server) holds everything: a PostgreSQL cluster of
# its own (pg/, on 127.0.0.1 and a free port, owned by the postgres user),
# LAVA's settings (env: given to every lava-server command through the
# environment, so /etc/lava-server is neither read for the database nor
# written), the job outputs (media/), the device dictionaries (devices/),
# logs, pid files, the API's URL (url) and an admin's API token (token).
# It runs, each in a session of its own: postgres, gunicorn (the web UI and
# REST API, on 127.0.0.1), lava-scheduler, and one lava-worker (worker
# "oomtest", root: it runs lava-run and QEMU) with one device "qemu01" of
# type qemu whose dictionary only extends lava-server's qemu.jinja2: a
# job's context sets arch, memory, machine, cpu and extra_options (as
# harness/lava/lava_job.c writes them). Needs root. Idempotent.
set -euo pipefail
cmd=${1:-} dir=${2:-build/lava-server}
case $cmd in start|stop|status) ;; *) echo "usage: $0 start|stop|status [DIR]" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "oomtest: $0 needs root (postgres and lava-worker run as their users)" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
PGBIN=/usr/lib/postgresql/15/bin
WORKER=oomtest DEVICE=qemu01 ADMIN=oomtest-admin
DAEMONS=(lava-worker lava-scheduler gunicorn)

# A process that exists and is not a zombie (PID 1 here may be slow to reap).
live() {
	local p st
	for p; do
		st=$(ps -o stat= -p "$p" 2>/dev/null) || continue
		case $st in Z*) ;; *) return 0 ;; esac
	done
	return 1
}
alive() { [ -f "$dir/$1.pid" ] && live "$(cat "$dir/$1.pid")"; }
descendants() {
	local c
	for c in $(pgrep -P "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done
}
# A daemon with all its descendants: lava-worker's jobs (lava-run, and
# QEMU under pexpect) run in sessions of their own, out of its group.
stop_daemon() {
	local name=$1 pid pids
	[ -f "$dir/$name.pid" ] || return 0
	pid=$(cat "$dir/$name.pid")
	if live "$pid"; then
		pids="$pid $(descendants "$pid" | tr '\n' ' ')"
		kill -TERM -- "-$pid" 2>/dev/null || true
		# shellcheck disable=SC2086
		kill -TERM $pids 2>/dev/null || true
		for _ in $(seq 1 100); do
			# shellcheck disable=SC2086
			live $pids || break
			sleep 0.1
		done
		kill -KILL -- "-$pid" 2>/dev/null || true
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null || true
	fi
	rm -f "$dir/$name.pid"
}
pg_running() { [ -f "$dir/pg/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/pg" status > /dev/null 2>&1; }
running() {
	pg_running || return 1
	local d
	for d in "${DAEMONS[@]}"; do alive "$d" || return 1; done
	[ -s "$dir/url" ] && [ -s "$dir/token" ]
}
say() { echo "$(cat "$dir/url") $(cat "$dir/token")"; }

case $cmd in
status)
	running && { say; exit 0; }
	exit 1 ;;
stop)
	for d in "${DAEMONS[@]}"; do stop_daemon "$d"; done
	if pg_running; then
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/pg" -m fast -w stop > /dev/null
	fi
	exit 0 ;;
esac

if running; then say; exit 0; fi
"$0" stop "$dir"
for p in /usr/bin/lava-server /usr/bin/lava-worker /usr/bin/gunicorn3 "$PGBIN/postgres"; do
	[ -x "$p" ] || { echo "oomtest: $p missing: run images/install-deps.sh" >&2; exit 1; }
done
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fail() {
	echo "oomtest: $1 (see $dir/$2)" >&2
	tail -n 15 "$dir/$2" >&2 || true
	"$0" stop "$dir"
	exit 1
}
umask 022

# PostgreSQL: a cluster of its own, TCP on loopback only, password auth.
if [ ! -f "$dir/pg/PG_VERSION" ]; then
	rm -rf "$dir/pg" "$dir/token" "$dir/worker-token" "$dir/media"
	install -d -o postgres -g postgres -m 700 "$dir/pg"
	head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$dir/db-password"
	chmod 600 "$dir/db-password"
	install -o postgres -m 600 "$dir/db-password" "$dir/pg-pwfile"
	runuser -u postgres -- "$PGBIN/initdb" -D "$dir/pg" -U lavaserver --pwfile="$dir/pg-pwfile" \
		--auth-host=scram-sha-256 --auth-local=reject -E UTF-8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 ||
		fail "initdb failed" initdb.log
	rm -f "$dir/pg-pwfile"
fi
pg_port=$(free_port)
touch "$dir/postgres.log" && chown postgres "$dir/postgres.log"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/pg" -l "$dir/postgres.log" -w -t 60 \
	-o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=''" start > /dev/null ||
	fail "PostgreSQL did not start" postgres.log
db_password=$(cat "$dir/db-password")
PGPASSWORD=$db_password "$PGBIN/psql" -h 127.0.0.1 -p "$pg_port" -U lavaserver -d postgres -tAq \
	-c "SELECT 1 FROM pg_database WHERE datname = 'lavaserver'" | grep -q 1 ||
	PGPASSWORD=$db_password "$PGBIN/createdb" -h 127.0.0.1 -p "$pg_port" -U lavaserver lavaserver

# LAVA's settings, all through the environment (lava_server/settings/prod.py).
mkdir -p "$dir"/{media,devices,device-types,health-checks,dispatcher.d,worker}
[ -s "$dir/secret-key" ] || { head -c 48 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/secret-key"; chmod 600 "$dir/secret-key"; }
api_port=$(free_port)
url=http://127.0.0.1:$api_port/
settings=$(DIR=$dir /usr/bin/python3 -c '
import base64, json, os
d = os.environ["DIR"]
print(base64.b64encode(json.dumps({
    "MEDIA_ROOT": d + "/media/",
    "DEVICES_PATH": d + "/devices",
    "DEVICE_TYPES_PATHS": [d + "/device-types", "/usr/share/lava-server/device-types"],
    "HEALTH_CHECKS_PATH": d + "/health-checks",
    "DISPATCHER_CONFIG_PATH": d + "/dispatcher.d",
    "DJANGO_LOGFILE": d + "/django.log",
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
}).encode()).decode())')
cat > "$dir/env" <<EOF
DATABASE_URL=postgres://lavaserver:$db_password@127.0.0.1:$pg_port/lavaserver
SECRET_KEY=$(cat "$dir/secret-key")
LAVA_JSON_SETTINGS=$settings
DJANGO_SETTINGS_MODULE=lava_server.settings.prod
EOF
chmod 600 "$dir/env"
lava_env() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir" LANG=C.UTF-8 $(cat "$dir/env") "$@"; }
manage() { lava_env /usr/bin/lava-server manage "$@"; }

manage migrate --noinput > "$dir/migrate.log" 2>&1 || fail "lava-server manage migrate failed" migrate.log

# The admin, its API token, the worker, the device type and the device.
manage users list 2>/dev/null | grep -q "$ADMIN" ||
	manage users add --superuser --staff --email root@localhost "$ADMIN" > /dev/null
if [ ! -s "$dir/token" ] || ! manage tokens list --user "$ADMIN" 2>/dev/null | grep -qF "$(cat "$dir/token")"; then
	token=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
	manage tokens add --user "$ADMIN" --description oomtest --secret "$token" > /dev/null
	echo "$token" > "$dir/token"
	chmod 600 "$dir/token"
fi
if ! manage workers details "$WORKER" > "$dir/worker-details" 2>/dev/null; then
	manage workers add --description "oomtest's local worker" "$WORKER" > /dev/null
	manage workers details "$WORKER" > "$dir/worker-details"
fi
sed -n 's/^token *: *//p' "$dir/worker-details" > "$dir/worker-token"
chmod 600 "$dir/worker-token" "$dir/worker-details"
manage device-types list 2>/dev/null | grep -qw qemu || manage device-types add qemu > /dev/null
echo "{% extends 'qemu.jinja2' %}" > "$dir/devices/$DEVICE.jinja2"
manage devices details "$DEVICE" > /dev/null 2>&1 ||
	manage devices add --device-type qemu --worker "$WORKER" "$DEVICE" > /dev/null
manage devices update --health GOOD "$DEVICE" > /dev/null 2>&1 || true

# The daemons, each a session leader with its pid file.
launch() {
	local name=$1; shift
	(cd "$dir" && exec setsid "$@" > "$dir/$name.out" 2>&1 < /dev/null & echo $! > "$dir/$name.pid")
}
launch gunicorn env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir" LANG=C.UTF-8 $(cat "$dir/env") \
	/usr/bin/gunicorn3 lava_server.wsgi --bind "127.0.0.1:$api_port" --workers 2 --timeout 120 \
	--log-level info --log-file "$dir/gunicorn.log"
launch lava-scheduler env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir" LANG=C.UTF-8 $(cat "$dir/env") \
	/usr/bin/lava-server manage lava-scheduler --level DEBUG --log-file "$dir/lava-scheduler.log"
for _ in $(seq 1 300); do
	curl -fs -o /dev/null "${url}api/v0.2/system/version/" && break
	alive gunicorn || fail "gunicorn died" gunicorn.log
	sleep 0.2
done
curl -fs -o /dev/null "${url}api/v0.2/system/version/" || fail "the API did not answer at $url" gunicorn.log
launch lava-worker /usr/bin/lava-worker --name "$WORKER" --url "$url" --token-file "$dir/worker-token" \
	--worker-dir "$dir/worker" --log-file "$dir/lava-worker.log" --level DEBUG
echo "$url" > "$dir/url"
# The device is usable once its worker is online.
for _ in $(seq 1 150); do
	curl -fs -H "Authorization: Token $(cat "$dir/token")" "${url}api/v0.2/workers/$WORKER/" |
		grep -q '"state":"Online"' && break
	alive lava-worker || fail "lava-worker died" lava-worker.log
	sleep 0.2
done
for d in "${DAEMONS[@]}"; do alive "$d" || fail "$d died" "$d.out"; done
say
