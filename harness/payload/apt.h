/* apt: what the answers of Debian's tools mean for a guest arch, as pure
 * functions over their text: `apt-cache depends --recurse` output made
 * into the closure of packages to fetch, `dpkg -S` output made into the
 * package that ships a library, multilib package names mapped to their
 * multiarch ones. The tools are run by payload/debian; the text must be
 * from a C locale (apt translates "Depends"). */
#ifndef OOMTEST_PAYLOAD_APT_H
#define OOMTEST_PAYLOAD_APT_H

#include <stddef.h>

/* An arch (any of its names, target/arch.h) as Debian names it: "x86_64"
 * -> "amd64", "i386" -> "i386", "arm64" -> "arm64"; NULL for none. */
const char *apt_debian_arch(const char *arch);
/* Its multiarch triplet: "x86_64" -> "x86_64-linux-gnu", "i386" ->
 * "i386-linux-gnu", "arm64" -> "aarch64-linux-gnu"; NULL for none. */
const char *apt_triplet(const char *arch);
/* How apt names a package of debarch: "NAME:DEBARCH", or NAME alone when
 * debarch is the host's native arch (native != 0). Malloc'd. */
char *apt_qualified(const char *name, const char *debarch, int native);
/* A name without its ":ARCH". Malloc'd. */
char *apt_base_name(const char *apt_name);

struct apt_pkg {
	char *name;                /* apt's name: "libc6:i386"; "libdrm-common" (Arch: all, or native) */
	char **deps;               /* the packages chosen for its Depends and Pre-Depends (apt's names) */
	size_t ndeps;
};

struct apt_closure {
	struct apt_pkg *v;         /* each package once, its dependencies before it */
	size_t n;
};

enum apt_root_status {
	APT_FOUND,
	APT_UNKNOWN,               /* not in the output: apt does not know it */
	APT_VIRTUAL,               /* only a virtual package of that name */
};

/* From `apt-cache depends --recurse --no-recommends ... ROOTS` output,
 * the closure of roots (apt's names, as given to apt-cache) for debarch.
 * For each dependency (alternatives in order, then the real package before
 * those that provide or satisfy it) the first package of debarch is taken;
 * when there is none, an unqualified one (Arch: all, or a native package
 * satisfying a foreign one: the caller checks the .deb). Packages of other
 * arches never. A dependency nothing satisfies is left out. Sets
 * status[i] for each root; returns 0 when every root was found, else -1
 * (out then holds the closure of those found). */
int apt_closure(const char *output, const char *debarch, int native, char *const *roots, size_t nroots,
		enum apt_root_status *status, struct apt_closure *out);
void apt_closure_release(struct apt_closure *c);
/* Moves from's packages that into does not have to its end; from is
 * released. */
void apt_closure_merge(struct apt_closure *into, struct apt_closure *from);

/* The Debian package for a guest of arch ("x86_64", "i386", ...) that ships a
 * library, from `dpkg -S` output for SONAME in any directory (one line per
 * package and path; diversion and error lines skipped), preferring, in this order, a
 * path in the arch's multiarch directories (/lib/TRIPLET, /usr/lib/TRIPLET),
 * in its multilib ones where it has them (/lib32, /usr/lib32 for i386;
 * /lib64, /usr/lib64 for x86_64; none for arm64), in /lib or /usr/lib, or in another arch's multiarch
 * directory (a multiarch package is built for each arch). The name is
 * mapped by apt_multiarch_name. Returns it (malloc'd), or NULL when no
 * line fits. */
char *apt_soname_owner(const char *dpkg_output, const char *arch);

/* A host package's name as the guest arch's multiarch package: ":ARCH"
 * stripped; multilib packages to the package they duplicate (libc6-i386,
 * libc6-amd64 -> libc6; lib32gcc-s1 -> libgcc-s1; lib32stdc++6 ->
 * libstdc++6; lib32z1 -> zlib1g; lib32X, lib64X, libx32X -> libX).
 * Malloc'd. */
char *apt_multiarch_name(const char *host_pkg);

/* The package of glibc's own libraries (ld-linux.so.2, libc.so.6,
 * libm.so.6, ...): "libc6"; NULL for another soname. For a host whose dpkg
 * does not know them for the guest's arch. */
const char *apt_glibc_package(const char *soname);

#endif
