#!/usr/bin/env bash
# Fetches the default targets from Debian's archive:
#   x86_64       Linux 6.1  (-amd64)
#   i386         Linux 6.1  (-686)
#   x86_64-6.12  Linux 6.12 (-amd64)
#   arm64        Linux 6.1  (-arm64)
#   arm64-6.12   Linux 6.12 (-arm64)
# Image, headers and kbuild are downloaded with apt-get (which checks them
# against the signed archive index) and unpacked under build/images/<abi>/,
# never installed on the host. apt reads the host's sources but keeps its
# index of each architecture in build/images/apt/<arch>/, so the host needs
# no foreign architecture, no root, and one architecture's index failing
# while a mirror syncs (seen: bookworm-security's i386) cannot drop the
# others'. Writes build/images/targets.list. Does nothing when the targets
# (and busybox for `oomtest shell`) are already there.
#
#   OOMTEST_KERNEL_ABI=6.1.0-50              pin the 6.1 ABI (default: the one
#                                            targets.list names, else the
#                                            newest Debian has for amd64, 686
#                                            and arm64)
#   OOMTEST_KERNEL_ABI_6_12=6.12.118+deb12   pin the 6.12 ABI (default: as
#                                            above, with image and headers
#                                            for amd64 and arm64)
set -euo pipefail
cd "$(dirname "$0")/.."
# build/images here; an installed oomtest keeps them in $OOMTEST_STATE/images
out=${OOMTEST_STATE:-build}/images
list=$out/targets.list
targets=(x86_64 i386 x86_64-6.12 arm64 arm64-6.12)

# apt_in ARCH apt-get|apt-cache ARGS...: apt with ARCH's own index
apt_in() {
	local arch=$1 tool=$2 dir=$out/apt/$1
	shift 2
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	"$tool" -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
		-o Dir::State::status=/dev/null -o Debug::NoLocking=1 \
		-o APT::Architecture="$arch" -o APT::Architectures::="$arch" "$@"
}

# the index of ARCH, fetched once per run of this script; a source that
# fails (a mirror mid-sync) is judged by what then resolves
declare -A updated=()
apt_update() { # arch
	[ -n "${updated[$1]:-}" ] && return 0
	updated[$1]=1
	mkdir -p "$out/apt/$1"
	apt_in "$1" apt-get update -qq > "$out/apt/$1.update.log" 2>&1 ||
		echo "oomtest: apt-get update for $1 reported errors (see $out/apt/$1.update.log); going on with what resolves" >&2
}

download() { # dir arch packages...
	local dir=$1 arch=$2 log
	shift 2
	apt_update "$arch"
	mkdir -p "$dir"
	log=$dir/download.log
	(cd "$dir" && apt_in "$arch" apt-get download -q "$@") > "$log" 2>&1 || { cat "$log" >&2; return 1; }
	grep -v '^W: Download is performed unsandboxed' "$log" || true
}

# busybox for `oomtest shell`: Debian's static build, one per guest arch,
# downloaded and unpacked like the kernels
fetch_busybox() {
	local arch deb dir
	for arch in x86_64 i386 arm64; do
		dir=$out/busybox/$arch
		[ -x "$dir/busybox" ] && continue
		case $arch in x86_64) deb=amd64 ;; *) deb=$arch ;; esac
		download "$dir/debs" "$deb" busybox-static || return 1
		rm -rf "$dir/root"
		dpkg-deb -x "$(ls -t "$dir"/debs/busybox-static_*.deb | head -n 1)" "$dir/root"
		cp "$dir/root/bin/busybox" "$dir/busybox.tmp"
		mv "$dir/busybox.tmp" "$dir/busybox"
		rm -rf "$dir/root"
	done
}

listed_abi() { # regex -> the ABI targets.list was written for
	[ -f "$list" ] && sed -n 's/^# abi //p' "$list" | grep -E "$1" | head -n 1 || true
}
re61='^6\.1\.0-[0-9]+$'
re612='^6\.12\.[0-9]+\+deb[0-9]+$'
abi61=${OOMTEST_KERNEL_ABI:-$(listed_abi "$re61")}
abi612=${OOMTEST_KERNEL_ABI_6_12:-$(listed_abi "$re612")}

have_targets() {
	[ -f "$list" ] && [ -n "$abi61" ] && [ -n "$abi612" ] &&
		grep -q "^# abi $abi61\$" "$list" && grep -q "^# abi $abi612\$" "$list" || return 1
	local t
	for t in "${targets[@]}"; do grep -q "^$t " "$list" || return 1; done
}

# only `oomtest shell` needs it: the runs go on without it
fetch_busybox || echo "oomtest: busybox-static could not be fetched: oomtest shell will not work until it is (make images)" >&2
have_targets && exit 0
# each index once, here: abis below runs in subshells
for arch in amd64 i386 arm64; do apt_update "$arch"; done

# abis ARCH PREFIX SUFFIX -> the ABIs X of ARCH's packages named PREFIX X SUFFIX
abis() {
	apt_update "$1"
	apt_in "$1" apt-cache search --names-only "^$2[0-9][^ ]*$3\$" 2>/dev/null |
		sed -n "s/^$2\([0-9][^ ]*\)$3 .*/\1/p" | sort -u
}
# newest REGEX LIST... -> the newest ABI matching REGEX in every list
newest() {
	local re=$1 common
	shift
	common=$(grep -E "$re" <<<"$1" || true)
	shift
	for l in "$@"; do common=$(comm -12 <(sort -u <<<"$common") <(grep -E "$re" <<<"$l" | sort -u)); done
	sort -V <<<"$common" | sed '/^$/d' | tail -n 1
}
# plain flavours only: not -rt-amd64, -cloud-amd64, -686-pae
[ -n "$abi61" ] || abi61=$(newest "$re61" "$(abis amd64 linux-image- -amd64)" "$(abis i386 linux-image- -686)" \
				  "$(abis arm64 linux-image- -arm64)")
[ -n "$abi612" ] || abi612=$(newest "$re612" "$(abis amd64 linux-image- -amd64)" "$(abis amd64 linux-headers- -amd64)" \
				    "$(abis arm64 linux-image- -arm64)" "$(abis arm64 linux-headers- -arm64)")
if [ -z "$abi61" ]; then
	echo "oomtest: no Linux 6.1 ABI with images for amd64, 686 and arm64 in Debian's index (see $out/apt/*.update.log)" >&2
	exit 1
fi
if [ -z "$abi612" ]; then
	echo "oomtest: no Linux 6.12 ABI with images and headers for amd64 and arm64 in Debian's index (bookworm-security carries them; see $out/apt/*.update.log)" >&2
	exit 1
fi

unpack() { # dir packages...
	local dir=$1 p deb
	shift
	: > "$dir/packages.tmp"
	for p in "$@"; do
		deb=$(ls -t "$dir/debs/${p}"_*.deb | head -n 1)
		dpkg-deb -x "$deb" "$dir/root"
		echo "# package $p $(dpkg-deb -f "$deb" Version)" >> "$dir/packages.tmp"
	done
	cat "$dir/packages.tmp" >> "$dir/packages.new"
	rm "$dir/packages.tmp"
}

# The flavour headers include the common ones by absolute path: point them
# at the unpacked tree. Their scripts/tools links are relative and resolve
# to the unpacked linux-kbuild, which is the host's (amd64) build of the
# tools for every flavour.
fix_headers() { # headers-dir
	sed -i "s|^include /usr/src/|include $(cd "$(dirname "$1")" && pwd)/|" "$1/Makefile"
}

# x86_64 kernels carry a PVH entry: the uncompressed vmlinux boots through
# it and skips decompression. Finds the xz or zstd stream in the bzImage;
# prints the vmlinux path, or the bzImage when there is none.
extract_vmlinux() { # bzImage out
	local bz=$1 vm=$2 off
	if [ ! -s "$vm" ]; then
		off=$(grep -abo $'\xfd7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1 || true)
		if [ -n "$off" ]; then
			tail -c +$((off + 1)) "$bz" | xz -dc > "$vm.tmp" 2>/dev/null || true
		else
			off=$(grep -abo $'\x28\xb5\x2f\xfd' "$bz" | head -n 1 | cut -d: -f1 || true)
			[ -n "$off" ] && { tail -c +$((off + 1)) "$bz" | zstd -dcq > "$vm.tmp" 2>/dev/null || true; }
		fi
		# the stream is followed by other data: judge by the result
		if [ -s "$vm.tmp" ] && [ "$(head -c 4 "$vm.tmp")" = $'\x7fELF' ]; then
			mv "$vm.tmp" "$vm"
		else
			rm -f "$vm.tmp"
		fi
	fi
	if [ -s "$vm" ]; then echo "$vm pvh"; else echo "$bz bzimage"; fi
}

fetch_abi() { # dir pin-variable kbuild-package amd64-packages -- i386-packages -- arm64-packages
	local dir=$1 pin=$2 arch pkgs=()
	shift 2
	rm -f "$dir/packages.new"
	for arch in amd64 i386 arm64; do
		pkgs=()
		while [ $# -gt 0 ] && [ "$1" != -- ]; do pkgs+=("$1"); shift; done
		[ $# -gt 0 ] && shift
		[ ${#pkgs[@]} -gt 0 ] || continue
		download "$dir/debs" "$arch" "${pkgs[@]}" ||
			{ echo "oomtest: apt-get download failed for $arch (pin another ABI with $pin)" >&2; exit 1; }
		unpack "$dir" "${pkgs[@]}"
	done
	mv "$dir/packages.new" "$dir/packages"
}

d61=$out/$abi61
echo "oomtest: fetching Linux $abi61 for x86_64, i386 and arm64 from Debian"
fetch_abi "$d61" OOMTEST_KERNEL_ABI \
	linux-image-$abi61-amd64 linux-headers-$abi61-amd64 linux-headers-$abi61-common linux-kbuild-6.1 -- \
	linux-image-$abi61-686 linux-headers-$abi61-686 -- \
	linux-image-$abi61-arm64 linux-headers-$abi61-arm64
for flavour in amd64 686 arm64; do fix_headers "$d61/root/usr/src/linux-headers-$abi61-$flavour"; done
read -r k61 b61 < <(extract_vmlinux "$d61/root/boot/vmlinuz-$abi61-amd64" "$d61/vmlinux-$abi61-amd64")

d612=$out/$abi612
echo "oomtest: fetching Linux $abi612 for x86_64 and arm64 from Debian"
fetch_abi "$d612" OOMTEST_KERNEL_ABI_6_12 \
	linux-image-$abi612-amd64 linux-headers-$abi612-amd64 linux-headers-$abi612-common linux-kbuild-$abi612 -- \
	-- \
	linux-image-$abi612-arm64 linux-headers-$abi612-arm64
for flavour in amd64 arm64; do fix_headers "$d612/root/usr/src/linux-headers-$abi612-$flavour"; done
read -r k612 b612 < <(extract_vmlinux "$d612/root/boot/vmlinuz-$abi612-amd64" "$d612/vmlinux-$abi612-amd64")

hdr() { echo "$1/root/usr/src/linux-headers-$2"; }
{
	# min-memory: the smallest guest these kernels were seen to run cases in
	# (a 64M x86_64 guest is left with ~11M, or does not boot at all; arm64's
	# 6.12 runs out of memory at boot in 64M, its 6.1 runs cases there)
	echo "# oomtest targets: name arch release kernel kdir boot min-memory"
	echo "# abi $abi61"
	echo "# abi $abi612"
	cat "$d61/packages" "$d612/packages"
	echo "x86_64 x86_64 $abi61-amd64 $k61 $(hdr "$d61" "$abi61-amd64") $b61 96M"
	echo "i386 i386 $abi61-686 $d61/root/boot/vmlinuz-$abi61-686 $(hdr "$d61" "$abi61-686") bzimage 64M"
	echo "x86_64-6.12 x86_64 $abi612-amd64 $k612 $(hdr "$d612" "$abi612-amd64") $b612 96M"
	echo "arm64 arm64 $abi61-arm64 $d61/root/boot/vmlinuz-$abi61-arm64 $(hdr "$d61" "$abi61-arm64") image 64M"
	echo "arm64-6.12 arm64 $abi612-arm64 $d612/root/boot/vmlinuz-$abi612-arm64 $(hdr "$d612" "$abi612-arm64") image 96M"
} > "$list.tmp"
mv "$list.tmp" "$list"
echo "oomtest: targets written to $list"
