#!/usr/bin/env bash
# Package benchmark: a clean `./build.sh Package` for all six RIDs, then the same command again with nothing changed.
#
#   benchmarks/package.sh            (RUNS=3 by default; each run is a clean build followed by a no-change build)
#   RUNS=5 benchmarks/package.sh
#
# Prints the median wall time of each, with `./build.sh --help` as the baseline in the same run (the cost of starting
# the script itself), and the size of each RID's binary. Targets: clean <= 240 s, no-change <= 10 s, AOT helper <= 5 MB.
# Builds into a temporary output folder; the repository's artifacts/ is not touched.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
[ "$runs" -ge 1 ] || { echo "RUNS must be at least 1" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$root/build/install-prerequisites.sh" >/dev/null

seconds() { local start end; start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N); awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

baseline=() clean=() nochange=()
for i in $(seq "$runs"); do
  rm -rf "$out/artifacts"
  baseline+=("$(seconds "$root/build.sh" --help)")
  clean+=("$(seconds "$root/build.sh" Package --skip-prerequisites --output "$out/artifacts")")
  nochange+=("$(seconds "$root/build.sh" Package --skip-prerequisites --output "$out/artifacts")")
  echo "run $i/$runs: clean ${clean[-1]} s, no change ${nochange[-1]} s" >&2
done

printf 'baseline (build.sh --help)   median %6.2f s\n' "$(printf '%s\n' "${baseline[@]}" | median)"
printf 'clean Package, six RIDs      median %6.2f s   (target <= 240 s)\n' "$(printf '%s\n' "${clean[@]}" | median)"
printf 'Package again, no change     median %6.2f s   (target <= 10 s)\n' "$(printf '%s\n' "${nochange[@]}" | median)"
echo "binary sizes (kind from manifest.json; target for AOT <= 5 MB):"
python3 - "$out/artifacts/manifest.json" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
sizes = {a["path"]: a["size"] for a in manifest["artifacts"]}
for b in manifest["binaries"]:
    size = sizes.get(b["path"])
    print(f'  {b["rid"]:<12} {b["kind"]:<14} {size / 1048576:6.2f} MiB' if size else f'  {b["rid"]:<12} {b["kind"]}')
PY
