#!/usr/bin/env bash
# Installs the Debian packages oomtest needs to build, fetch targets and run
# guests. As root it runs apt-get (adding the i386 and arm64 architectures,
# for the Debian packages cases bring into those guests: `packages =`);
# otherwise it prints the exact commands and fails. The kernels need no
# foreign architecture: images/fetch-targets.sh keeps apt indexes of its own.
set -euo pipefail

PKGS=(make gcc gcc-12 gcc-i686-linux-gnu libc6-dev-i386-cross gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      libcmocka-dev libkmod-dev
      qemu-system-x86 qemu-system-arm cpio xz-utils zstd kmod clang lld llvm dwarves procps perl
      libvirt-dev libvirt-daemon libvirt-daemon-driver-qemu
	libxml2-dev libxml2-utils libjson-c-dev libyaml-dev chromium groff-base man-db
	e2fsprogs util-linux lava-dispatcher
	libcurl4-openssl-dev lava-server postgresql curl u-boot-tools)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# a case's packages for i386 and arm64 guests are Debian packages of those architectures
need_arches=0
dpkg --print-foreign-architectures | grep -qx i386 || need_arches=1
dpkg --print-foreign-architectures | grep -qx arm64 || need_arches=1

[ ${#missing[@]} -eq 0 ] && [ $need_arches -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "oomtest: missing packages: ${missing[*]:-none}${need_arches:+ (and the i386 and arm64 architectures)}" >&2
	echo "oomtest: run as root:" >&2
	[ $need_arches -eq 1 ] && echo "  dpkg --add-architecture i386; dpkg --add-architecture arm64" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

[ $need_arches -eq 1 ] && dpkg --add-architecture i386 && dpkg --add-architecture arm64
"$(dirname "$0")/apt-update.sh"
if [ ${#missing[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
