#!/usr/bin/env bash
# make check-slow: a real kernel built with oomtest build-kernel from
# Debian's linux-source-6.1 (fetched with apt-get download into build/, not
# installed), then the seed cases run on it. Minutes on two cores; opt-in.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
oomtest=$root/build/oomtest
src=build/linux-source/linux-source-6.1
passed=0 failed=0

check() { # name, then a command that must succeed
	local name=$1; shift
	if "$@" > build/slow-last.out 2>&1; then
		echo "ok - $name"; passed=$((passed + 1))
	else
		echo "not ok - $name"; failed=$((failed + 1))
		sed 's/^/    /' build/slow-last.out | tail -n 40
	fi
}

fetch_source() {
	[ -f "$src/Makefile" ] && return 0
	mkdir -p build/linux-source
	(cd build/linux-source && rm -f linux-source-6.1_*.deb && apt-get download -q linux-source-6.1 &&
	 rm -rf pkg && dpkg-deb -x linux-source-6.1_*.deb pkg &&
	 tar -xaf pkg/usr/src/linux-source-6.1.tar.xz && rm -rf pkg) || return 1
	[ -f "$src/Makefile" ]
}
check "linux-source-6.1 fetched from Debian and unpacked" fetch_source

built() {
	local start=$SECONDS
	rm -rf build/kernels/slow-x86_64
	"$oomtest" build-kernel -o build/kernels/slow-x86_64 "$src" > build/slow-build.out || return 1
	echo "built in $((SECONDS - start)) s"
	grep -qx "oomtest run --kernel $root/build/kernels/slow-x86_64/arch/x86/boot/bzImage --kdir $root/build/kernels/slow-x86_64 --arch x86_64 CASE..." build/slow-build.out &&
	[ -f build/kernels/slow-x86_64/oomtest-built ] &&
	"$oomtest" kconfig --kdir build/kernels/slow-x86_64
}
check "oomtest build-kernel builds it (tinyconfig and the cases' fragment) and its config passes oomtest kconfig" built

# the seed cases that do not depend on the Debian kernel's size or zones
seeds() {
	"$oomtest" run -j 2 --kernel build/kernels/slow-x86_64/arch/x86/boot/bzImage --kdir build/kernels/slow-x86_64 \
		--arch x86_64 --results build/slow-results cases/memcg-v1-kill.case cases/memcg-v1-oom-control.case \
		cases/memcg-v2-max-kill.case cases/kmod-order4-no-oom-killer.case cases/memcg-v2-oom-group.case \
		> build/slow.tap || { cat build/slow.tap; return 1; }
	cat build/slow.tap
	! grep -q '^not ok\|# SKIP' build/slow.tap && [ "$(grep -c '^ok' build/slow.tap)" -eq 5 ]
}
check "the seed cases pass on it" seeds

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
