#!/usr/bin/env bash
# Fetches the default targets from Debian's archive:
#   x86_64       Linux 6.1  (-amd64)
#   i386         Linux 6.1  (-686, via the i386 architecture)
#   x86_64-6.12  Linux 6.12 (-amd64)
# Image, headers and kbuild are downloaded with apt-get (which checks them
# against the signed archive index) and unpacked under build/images/<abi>/,
# never installed on the host. Writes build/images/targets.list. Does
# nothing when the targets (and busybox for `oomtest shell`) are already there.
#
#   OOMTEST_KERNEL_ABI=6.1.0-50              pin the 6.1 ABI (default: the
#                                            newest Debian has for both
#                                            amd64 and 686)
#   OOMTEST_KERNEL_ABI_6_12=6.12.107+deb12   pin the 6.12 ABI (default: the
#                                            newest with image and headers)
set -euo pipefail
cd "$(dirname "$0")/.."
# build/images here; an installed oomtest keeps them in $OOMTEST_STATE/images
out=${OOMTEST_STATE:-build}/images
list=$out/targets.list

# busybox for `oomtest shell`: Debian's static build, one per guest arch,
# downloaded and unpacked like the kernels (busybox-static:i386 and :arm64
# need those architectures; arm64 serves runs on your own arm64 kernel).
fetch_busybox() {
	local arch deb dir
	for arch in x86_64 i386 arm64; do
		dir=$out/busybox/$arch
		[ -x "$dir/busybox" ] && continue
		case $arch in x86_64) deb=busybox-static:amd64 ;; *) deb=busybox-static:$arch ;; esac
		mkdir -p "$dir/debs"
		if ! (cd "$dir/debs" && apt-get download -q "$deb") > "$dir/download.log" 2>&1; then
			refresh_apt
			(cd "$dir/debs" && apt-get download -q "$deb") > "$dir/download.log" 2>&1 ||
				{ cat "$dir/download.log" >&2; return 1; }
		fi
		rm -rf "$dir/root"
		dpkg-deb -x "$(ls -t "$dir"/debs/busybox-static_*.deb | head -n 1)" "$dir/root"
		cp "$dir/root/bin/busybox" "$dir/busybox.tmp"
		mv "$dir/busybox.tmp" "$dir/busybox"
		rm -rf "$dir/root"
	done
}

abi61=${OOMTEST_KERNEL_ABI:-}
abi612=${OOMTEST_KERNEL_ABI_6_12:-}
have_targets=0
if [ -f "$list" ] && grep -q '^x86_64-6.12 .* 96M$' "$list" &&
   { [ -z "$abi61" ] || grep -q "^# abi $abi61\$" "$list"; } &&
   { [ -z "$abi612" ] || grep -q "^# abi $abi612\$" "$list"; }; then
	have_targets=1
fi

apt_refreshed=0
refresh_apt() {
	[ $apt_refreshed -eq 1 ] && return 0
	apt_refreshed=1
	[ "$(id -u)" = 0 ] || return 0
	./images/apt-update.sh
}

# names PATTERN -> the ABIs in package names matching ^PREFIX(ABI)SUFFIX$
abis() { # prefix-regex suffix-regex
	apt-cache search --names-only "^$1[0-9][^ ]*$2\$" 2>/dev/null |
		sed -n "s/^$1\([0-9][^ ]*\)$2 .*/\1/p" | sort -u
}
newest_common() { comm -12 <(sort -u <<<"$1") <(sort -u <<<"$2") | sort -V | tail -n 1; }

pick() { # -> abi61 abi612 from apt's lists
	# plain flavours only: not -rt-amd64, -cloud-amd64, -686-pae
	local re61='^6\.1\.0-[0-9]+$' re612='^6\.12\.[0-9]+\+deb[0-9]+$'
	[ -n "$abi61" ] || abi61=$(newest_common "$(abis 'linux-image-' '-amd64' | grep -E "$re61")" \
					      "$(abis 'linux-image-' '-686' | grep -E "$re61")")
	[ -n "$abi612" ] || abi612=$(newest_common "$(abis 'linux-image-' '-amd64' | grep -E "$re612")" \
						"$(abis 'linux-headers-' '-amd64' | grep -E "$re612")")
}
# only `oomtest shell` needs it: the runs go on without it
fetch_busybox || echo "oomtest: busybox-static could not be fetched: oomtest shell will not work until it is (make images)" >&2
[ $have_targets = 1 ] && exit 0
pick
if [ -z "$abi61" ] || [ -z "$abi612" ]; then
	refresh_apt
	pick
fi
if [ -z "$abi61" ]; then
	echo "oomtest: no Linux 6.1 ABI found for both amd64 and 686 in apt's lists." >&2
	echo "oomtest: is the i386 architecture enabled (dpkg --add-architecture i386; apt-get update)?" >&2
	exit 1
fi
if [ -z "$abi612" ]; then
	echo "oomtest: no Linux 6.12 amd64 image with headers found in apt's lists (bookworm-security carries them)." >&2
	exit 1
fi

debs=$out/debs
mkdir -p "$debs"

download() { # packages...
	local log=$debs/download.log
	if ! (cd "$debs" && apt-get download -q "$@") > "$log" 2>&1; then
		refresh_apt
		(cd "$debs" && apt-get download -q "$@") > "$log" 2>&1 || { cat "$log" >&2; return 1; }
	fi
	grep -v '^W: Download is performed unsandboxed' "$log" || true
}

unpack() { # dir packages...
	local dir=$1 p name deb
	shift
	: > "$dir/packages.tmp"
	for p in "$@"; do
		name=${p%%:*}
		deb=$(ls -t "$debs/${name}"_*.deb | head -n 1)
		dpkg-deb -x "$deb" "$dir/root"
		echo "# package $name $(dpkg-deb -f "$deb" Version)" >> "$dir/packages.tmp"
	done
	mv "$dir/packages.tmp" "$dir/packages"
}

# The flavour headers include the common ones by absolute path: point them
# at the unpacked tree. Their scripts/tools links are relative and resolve
# to the unpacked linux-kbuild.
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

# Linux 6.1, both arches
d61=$out/$abi61
mkdir -p "$d61"
p61=(linux-image-$abi61-amd64 linux-headers-$abi61-amd64 linux-image-$abi61-686:i386
     linux-headers-$abi61-686:i386 linux-headers-$abi61-common linux-kbuild-6.1)
echo "oomtest: fetching Linux $abi61 for x86_64 and i386 from Debian"
download "${p61[@]}" || { echo "oomtest: apt-get download failed for ABI $abi61 (pin another with OOMTEST_KERNEL_ABI)" >&2; exit 1; }
unpack "$d61" "${p61[@]}"
fix_headers "$d61/root/usr/src/linux-headers-$abi61-amd64"
fix_headers "$d61/root/usr/src/linux-headers-$abi61-686"
read -r k61 b61 < <(extract_vmlinux "$d61/root/boot/vmlinuz-$abi61-amd64" "$d61/vmlinux-$abi61-amd64")

# Linux 6.12, x86_64
d612=$out/$abi612
mkdir -p "$d612"
p612=(linux-image-$abi612-amd64 linux-headers-$abi612-amd64 linux-headers-$abi612-common
      linux-kbuild-$abi612)
echo "oomtest: fetching Linux $abi612 for x86_64 from Debian"
download "${p612[@]}" || { echo "oomtest: apt-get download failed for ABI $abi612 (pin another with OOMTEST_KERNEL_ABI_6_12)" >&2; exit 1; }
unpack "$d612" "${p612[@]}"
fix_headers "$d612/root/usr/src/linux-headers-$abi612-amd64"
read -r k612 b612 < <(extract_vmlinux "$d612/root/boot/vmlinuz-$abi612-amd64" "$d612/vmlinux-$abi612-amd64")

{
	# min-memory: the smallest guest these kernels were seen to run cases in
	# (a 64M x86_64 guest is left with ~11M, or does not boot at all)
	echo "# oomtest targets: name arch release kernel kdir boot min-memory"
	echo "# abi $abi61"
	echo "# abi $abi612"
	cat "$d61/packages" "$d612/packages"
	echo "x86_64 x86_64 $abi61-amd64 $k61 $d61/root/usr/src/linux-headers-$abi61-amd64 $b61 96M"
	echo "i386 i386 $abi61-686 $d61/root/boot/vmlinuz-$abi61-686 $d61/root/usr/src/linux-headers-$abi61-686 bzimage 64M"
	echo "x86_64-6.12 x86_64 $abi612-amd64 $k612 $d612/root/usr/src/linux-headers-$abi612-amd64 $b612 96M"
} > "$list.tmp"
mv "$list.tmp" "$list"
echo "oomtest: targets written to $list"
