#!/usr/bin/env bash
# Installs the Debian packages and npm tools the build and the tests use.
# Idempotent: does nothing for what is already present. Needs root (or sudo) for apt-get.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# Packages the build needs (publish, installers, signing) and the tests' real peers.
packages=(
  clang lld                       # native AOT link, also for linux-arm64
  llvm binutils                   # llvm-objcopy strips the native AOT binaries; readelf reads their dependencies
  libc6:arm64                     # arm64 C library: the tests run the arm64 helper with qemu-aarch64-static -L /
  msitools wixl osslsigncode      # MSI (msiinfo; wixl is its own package) and Authenticode
  dpkg-dev lintian fakeroot       # deb packages
  debootstrap debian-archive-keyring # Debian sysroots the Linux binaries link against; throw-away roots for the deb tests
  gnupg apt-utils                 # signed apt repository
  libplist-utils libarchive-tools # plistutil; bsdtar (also reads the macOS pkg's xar)
  cpio                            # reads back the macOS pkg's Payload
  wine64 qemu-user-static         # run win-x64 and linux-arm64 binaries
  awscli                          # the real AWS CLI v2 against local endpoints
  gnome-keyring dbus dbus-x11 libsecret-tools # Secret Service for the keyring store
  libgcr-base-3-1                 # gcr's mock prompter answers GNOME Keyring's prompts in the keyring tests
  shellcheck chromium             # script lint; headless browser for sign-in tests
  python3 openssl xxd
  diffoscope-minimal              # explains a binary difference in the Verify report (3 small packages)
  faketime                        # wixl on a clock frozen at the source date; ccwb with a later clock in the tests
  tmux                            # a real terminal for the ccwb init wizard tests
  curl                            # downloads a presigned distribution URL in the ccwb distribute tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js and npm may come from elsewhere than Debian (a newer Node.js conflicts with Debian's npm).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${sudo_cmd[@]}" dpkg --add-architecture arm64
  fi
  echo "Installing: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# arm64 programs (the deb tests' arm64 Debian root, its maintainer scripts) run under qemu through binfmt_misc. A
# container without systemd-binfmt has nothing registered: register qemu-aarch64 from the qemu-user-static package's
# own binfmt.d entry (F: the interpreter is opened now, so it works inside chroots too).
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/qemu-aarch64" ] && [ -f /usr/lib/binfmt.d/qemu-aarch64.conf ]; then
  [ -e "$binfmt/register" ] || "${sudo_cmd[@]}" mount -t binfmt_misc binfmt_misc "$binfmt" ||
    echo "warning: binfmt_misc: cannot be mounted; the arm64 Debian root tests will fail" >&2
  if [ -e "$binfmt/register" ]; then
    grep -v '^#' /usr/lib/binfmt.d/qemu-aarch64.conf | "${sudo_cmd[@]}" tee "$binfmt/register" >/dev/null ||
      echo "warning: binfmt_misc: qemu-aarch64 could not be registered; the arm64 Debian root tests will fail" >&2
  fi
fi

# npm peers for the tests (OpenID provider, HTTP proxy); versions pinned in tests/peers/package-lock.json. Installed
# again when a peer added to package.json is missing from node_modules (npm ls fails).
# Templates are linted with AWS's cfn-lint (Python), which this machine image provides under pyenv.
if [ -f "$root/tests/peers/package.json" ] && ! (cd "$root/tests/peers" && npm ls --depth=0 >/dev/null 2>&1); then
  (cd "$root/tests/peers" && npm ci --no-audit --no-fund --loglevel=error)
fi
