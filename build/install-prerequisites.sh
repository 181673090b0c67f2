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
  libc6-dev:arm64 zlib1g-dev:arm64 libgcc-12-dev:arm64 # arm64 sysroot (crt files, libgcc) for native AOT cross-linking
  msitools wixl osslsigncode      # MSI (msiinfo; wixl is its own package) and Authenticode
  dpkg-dev lintian fakeroot       # deb packages
  debootstrap                     # throw-away root in which the deb tests install packages
  gnupg apt-utils                 # signed apt repository
  libplist-utils libarchive-tools # plistutil; bsdtar
  wine64 qemu-user-static         # run win-x64 and linux-arm64 binaries
  awscli                          # the real AWS CLI v2 against local endpoints
  gnome-keyring dbus dbus-x11 libsecret-tools # Secret Service for the keyring store
  libgcr-base-3-1                 # gcr's mock prompter answers GNOME Keyring's prompts in the keyring tests
  shellcheck chromium             # script lint; headless browser for sign-in tests
  python3 openssl xxd
  faketime                        # runs ccwb with a later clock (a distribution URL seen after it expired)
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

# npm peers for the tests (OpenID provider, HTTP proxy); versions pinned in tests/peers/package-lock.json. Installed
# again when a peer added to package.json is missing from node_modules (npm ls fails).
# Templates are linted with AWS's cfn-lint (Python), which this machine image provides under pyenv.
if [ -f "$root/tests/peers/package.json" ] && ! (cd "$root/tests/peers" && npm ls --depth=0 >/dev/null 2>&1); then
  (cd "$root/tests/peers" && npm ci --no-audit --no-fund --loglevel=error)
fi
