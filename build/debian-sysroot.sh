#!/usr/bin/env bash
# Makes a Debian sysroot (C library headers, crt files, libgcc, zlib) for one architecture in a folder, unless the
# folder already holds a complete one:
#
#   build/debian-sysroot.sh <amd64|arm64> <folder> [suite]        (suite: bullseye, the default)
#
# The Linux binaries are linked against it rather than against the build machine's C library, so they run on every
# distribution whose glibc is at least the suite's (bullseye: glibc 2.31, the same as Ubuntu 20.04). build/Publish.targets
# calls it with a folder under /var/cache/ccwb-build, so each sysroot is made once per machine.
#
# Made with debootstrap's first stage, which downloads and resolves packages without running any of them, so an
# arm64 sysroot is made on an x64 machine without emulation; every downloaded package is then unpacked and absolute
# symbolic links are made relative, so nothing in the sysroot points back at the build machine's own files.
set -euo pipefail

arch=${1:?usage: debian-sysroot.sh <amd64|arm64> <folder> [suite]}
sysroot=${2:?usage: debian-sysroot.sh <amd64|arm64> <folder> [suite]}
suite=${3:-bullseye}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# libgcc-N-dev: crtbegin.o and libgcc.a, which clang finds under usr/lib/gcc/<triplet>/N of the sysroot.
case "$suite" in
  bullseye) gcc_dev=libgcc-10-dev ;;
  bookworm) gcc_dev=libgcc-12-dev ;;
  *) echo "error: suite: no libgcc development package known for '$suite'" >&2; exit 1 ;;
esac
case "$arch" in
  amd64|arm64) ;;
  *) echo "error: architecture: '$arch' is not amd64 or arm64" >&2; exit 1 ;;
esac

if [ -f "$sysroot/.complete" ]; then exit 0; fi

command -v debootstrap >/dev/null || { echo "error: debootstrap: not installed (build/install-prerequisites.sh installs it)" >&2; exit 1; }
# debootstrap and the cache folder need root: a build run as a user (a CI runner) makes the sysroot through sudo.
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=DEBIAN_MIRROR "$0" "$arch" "$sysroot" "$suite"; fi
mkdir -p "$(dirname "$sysroot")"
# One maker per sysroot: parallel builds (or the x64 and arm64 publishes of one build) wait for each other.
exec 9>"$sysroot.lock"
flock 9
if [ -f "$sysroot/.complete" ]; then exit 0; fi

temp="$sysroot.tmp-$$"
rm -rf "$temp" "$sysroot"
trap 'rm -rf "$temp"' EXIT
echo "Making the $suite $arch sysroot in $sysroot (once)..." >&2
debootstrap --foreign --arch="$arch" --variant=minbase --include="libc6-dev,$gcc_dev,zlib1g-dev" \
  "$suite" "$temp" "$mirror" >&2
# --keep-directory-symlink: the merged /usr links (lib -> usr/lib) stay links.
for deb in "$temp"/var/cache/apt/archives/*.deb; do
  dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$temp"
done
rm -rf "$temp/var/cache/apt/archives" "$temp/debootstrap"
find "$temp" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
  ln -sfn "$(realpath -s -m --relative-to="$(dirname "$link")" "$temp$(readlink "$link")")" "$link"
done
touch "$temp/.complete"
mv "$temp" "$sysroot"
trap - EXIT
