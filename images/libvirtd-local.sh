#!/usr/bin/env bash
# A private libvirt daemon for oomtest's libvirt backend and its tests:
#   images/libvirtd-local.sh start DIR   starts one, prints its URI
#   images/libvirtd-local.sh stop DIR    stops it (by its PID file)
# It is a session-mode libvirtd whose home, config, run and cache dirs all
# live in DIR, with its own socket: it never touches a system daemon or
# /etc/libvirt. As root it runs as the unprivileged libvirt-qemu user
# (created when missing); otherwise as the caller. Its qemu.conf sets
# stdio_handler = "file" (no virtlogd needed). Needs libvirt-daemon and
# libvirt-daemon-driver-qemu (images/install-deps.sh installs them).
#
# The daemon's own files live in a short directory, /tmp/oomtest-lv-NAME.XXXXXX
# (NAME is DIR's last component, cut to 16 bytes), which DIR/state points to: libvirt puts
# each domain's monitor socket several levels below its config dir, and a
# Unix socket path has at most 107 bytes, which a clone in a deep directory
# would exceed. DIR keeps the link and the daemon's log.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
cmd=$1 dir=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
state=$dir/state

case $cmd in
stop)
	if [ -L "$state" ]; then
		target=$(readlink "$state")
		pidfile=$target/run/libvirt/libvirtd.pid
		if [ -f "$pidfile" ]; then
			pid=$(cat "$pidfile")
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -9 "$pid" 2>/dev/null || true
		fi
		case $target in /tmp/oomtest-lv-*) rm -rf "$target" ;; esac
		rm -f "$state"
	fi
	exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

command -v libvirtd > /dev/null || [ -x /usr/sbin/libvirtd ] || {
	echo "oomtest: libvirtd missing: run images/install-deps.sh" >&2; exit 1; }
if [ -L "$state" ]; then
	sock=$(readlink "$state")/run/libvirt/libvirt-sock
	pidfile=$(readlink "$state")/run/libvirt/libvirtd.pid
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		echo "qemu:///session?socket=$sock"
		exit 0
	fi
	"$0" stop "$dir"
fi
run_as=()
if [ "$(id -u)" = 0 ]; then
	id libvirt-qemu > /dev/null 2>&1 ||
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
			--user-group libvirt-qemu
	run_as=(runuser -u libvirt-qemu --)
fi
name=${dir##*/}
short=$(mktemp -d "/tmp/oomtest-lv-${name:0:16}.XXXXXX")
ln -sfn "$short" "$state"
pidfile=$short/run/libvirt/libvirtd.pid
sock=$short/run/libvirt/libvirt-sock
mkdir -p "$short"/{home,run,config/libvirt,cache}
chmod 700 "$short/run"
echo 'stdio_handler = "file"' > "$short/config/libvirt/qemu.conf"
: > "$short/config/libvirt/libvirtd.conf"
if [ "$(id -u)" = 0 ]; then
	chown -R libvirt-qemu: "$short" "$dir"
	runuser -u libvirt-qemu -- test -w "$dir" || {
		echo "oomtest: the libvirt-qemu user cannot reach $dir: give a directory whose parents it may enter (e.g. under build/)" >&2
		"$0" stop "$dir"; exit 1; }
fi
# The guests' kernel and initramfs must be readable by the daemon's user:
# they are under build/, which is world-readable by default.
(cd "$short" && exec "${run_as[@]}" env -i HOME="$short/home" XDG_RUNTIME_DIR="$short/run" \
	XDG_CONFIG_HOME="$short/config" XDG_CACHE_HOME="$short/cache" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	setsid /usr/sbin/libvirtd --timeout 0 > "$dir/libvirtd.log" 2>&1 < /dev/null &)
for _ in $(seq 1 100); do
	[ -S "$sock" ] && [ -f "$pidfile" ] && { echo "qemu:///session?socket=$sock"; exit 0; }
	sleep 0.1
done
echo "oomtest: libvirtd did not start (see $dir/libvirtd.log)" >&2
tail -n 5 "$dir/libvirtd.log" >&2 || true
"$0" stop "$dir"
exit 1
