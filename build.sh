#!/usr/bin/env bash
# Build entry point: ./build.sh <Target> [options]. Targets and options mirror build.cmd; the target graph is
# build/Build.proj (MSBuild). Run ./build.sh --help for the list.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
proj="$root/build/Build.proj"
targets=$(sed -n 's:.*<PublicTargets>\(.*\)</PublicTargets>.*:\1:p' "$proj")
valid_targets=${targets//;/, }

# option name | MSBuild property | help text
options=(
  "--profile-file|ProfileFile|deployment profile JSON (default: profiles/examples/okta-direct.json)"
  "--output|OutputDir|output folder (default: artifacts/)"
  "--rid|Rids|runtime identifier to publish; repeatable (default: all six)"
  "--configuration|Configuration|Release (default) or Debug"
  "--version|Version|version stamped into binaries and installers (default: 0.1.0)"
  "--verbosity|MSBuildVerbosity|quiet, minimal (default), normal, detailed, diagnostic"
  "--sign-pfx|SignPfx|PFX file with the Authenticode key and chain"
  "--sign-password-env|SignPasswordEnv|name of the environment variable holding the PFX password"
  "--sign-cert|SignCert|PEM certificate chain (with --sign-key instead of --sign-pfx)"
  "--sign-key|SignKey|PEM private key for --sign-cert"
  "--pkg-sign-pfx|PkgSignPfx|PFX file with the Developer ID Installer identity that signs the macOS .pkg"
  "--pkg-sign-cert|PkgSignCert|PEM certificate chain of the Developer ID Installer identity (with --pkg-sign-key)"
  "--pkg-sign-key|PkgSignKey|PEM private key for --pkg-sign-cert"
  "--timestamp-url|TimestampUrl|RFC 3161 timestamp server for Authenticode (optional)"
  "--gpg-key|GpgKey|GPG key id that signs the .deb files and the apt repository"
  "--gpg-homedir|GpgHomedir|GnuPG home directory holding --gpg-key"
  "--prebuilt|PrebuiltDir|folder of bin-<rid>/ binaries built on other hosts (native AOT), used instead of publishing"
  "--manifest|ReleaseManifest|released manifest.json to check (Verify; the released files may sit beside it)"
)

usage() {
  echo "Usage: ./build.sh <Target> [options]"
  echo
  echo "Targets: $valid_targets"
  echo "  Clean    remove artifacts/ and build outputs"
  echo "  Restore  restore NuGet packages"
  echo "  Compile  build the solution"
  echo "  Test     run every test project (installs missing test tools first)"
  echo "  Publish  publish credential-process for each RID (and ccwb-user-setup for the Windows RIDs)"
  echo "  Package  render profile files, build installers, write manifest.json"
  echo "  Sign     sign executables and installers (skipped without a key)"
  echo "  Verify   rebuild the release --manifest names (its commit, profile, RIDs) into --output"
  echo "           (default: artifacts/verify/) and report each artifact equal or different"
  echo "  Functions  build the quota Lambda functions (linux-arm64) into <output>/functions/*.zip for ccwb deploy"
  echo
  echo "Options:"
  for o in "${options[@]}"; do
    IFS='|' read -r name _ text <<<"$o"
    printf '  %-20s %s\n' "$name" "$text"
  done
  printf '  %-20s %s\n' "--skip-prerequisites" "do not install missing Debian/npm tools"
  printf '  %-20s %s\n' "--help" "show this help"
}

fail() { echo "$1" >&2; exit 2; }

target=""
skip_prereqs=false
props=()
rids=()
verbosity=minimal
while [ $# -gt 0 ]; do
  arg=$1
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --skip-prerequisites) skip_prereqs=true; shift; continue ;;
    --*)
      name=${arg%%=*}
      property=""
      for o in "${options[@]}"; do
        IFS='|' read -r oname oprop _ <<<"$o"
        [ "$oname" = "$name" ] && property=$oprop
      done
      if [ -z "$property" ]; then
        valid=$(for o in "${options[@]}"; do printf '%s, ' "${o%%|*}"; done)
        fail "Unknown option '$name'. Valid options: ${valid}--skip-prerequisites, --help."
      fi
      if [[ "$arg" == *=* ]]; then value=${arg#*=}; shift
      else
        [ $# -ge 2 ] || fail "Option '$name' needs a value."
        value=$2; shift 2
      fi
      case "$property" in
        Rids) rids+=("$value") ;;
        MSBuildVerbosity) verbosity=$value ;;
        *) props+=("-p:$property=$value") ;;
      esac
      ;;
    *)
      [ -z "$target" ] || fail "Only one target may be given (got '$target' and '$arg'). Valid targets: $valid_targets."
      target=$arg; shift ;;
  esac
done

if [ -z "$target" ]; then usage; exit 2; fi
match=""
for t in ${targets//;/ }; do
  [ "${t,,}" = "${target,,}" ] && match=$t
done
[ -n "$match" ] || fail "Unknown target '$target'. Valid targets: $valid_targets."

known_rids=$(sed -n 's:.*<KnownRids>\(.*\)</KnownRids>.*:\1:p' "$root/build/Publish.targets")
for r in "${rids[@]}"; do
  [[ ";$known_rids;" == *";$r;"* ]] || fail "Unknown RID '$r'. Valid RIDs: ${known_rids//;/, }."
done
if [ ${#rids[@]} -gt 0 ]; then
  joined=$(IFS=";"; echo "${rids[*]}")
  props+=("-p:Rids=\"$joined\"") # quoted: a bare ";" or "," would split the switch
fi

case "$match" in
  Test|Publish|Package|Sign|Verify) $skip_prereqs || "$root/build/install-prerequisites.sh" ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Findings ("error: field: message", "warning: field: message") are logged by the build as plain messages; they go
# to stderr exactly as written, and the CCWB003 summary error that only fails the build is left out.
set -o pipefail
dotnet msbuild "$proj" -nologo -m -nr:false -clp:NoSummary -t:"$match" -v:"$verbosity" "${props[@]}" |
  awk '/^[[:space:]]*(error|warning): [^[:space:]]/ { sub(/^[[:space:]]+/, ""); print > "/dev/stderr"; fflush("/dev/stderr"); next }
       /: error CCWB003: / { next }
       { print; fflush() }'

