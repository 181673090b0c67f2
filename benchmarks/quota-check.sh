#!/usr/bin/env bash
# The quota check function (linux-x64 native AOT bootstrap, as on provided.al2023): deployment zip size, and its
# handling times under a Runtime API on 127.0.0.1 with DynamoDB from dynalite (one policy and one usage item, an event
# with JWT claims naming a group).
#
#   benchmarks/quota-check.sh [path/to/bootstrap]   (default: publish native AOT linux-x64 first)
#   RUNS=30 WARM=20 benchmarks/quota-check.sh
#
# Figures, each the median and 90th percentile of its runs:
#   cold start   — process spawn to the first answer posted (runtime start, SDK client set-up, first DynamoDB calls);
#   cold handle  — the first invocation alone (from the event handed out to the answer posted);
#   warm handle  — later invocations of the same process;
#   baseline     — spawning /bin/true and seeing it exit, in the same run (what a machine's load adds);
#   store        — the four DynamoDB reads a check makes, sent by the driver itself (dynalite's own share).
# Lambda's own figures add its sandbox start and network latency to DynamoDB; these measure the function's share.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-30}
warm=${WARM:-20}
[ "$runs" -ge 10 ] || { echo "RUNS must be at least 10" >&2; exit 2; }
[ -d "$root/tests/peers/node_modules/dynalite" ] || { echo "npm peers missing: run npm ci in tests/peers" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

binary=${1:-}
if [ -z "$binary" ]; then
  echo "Publishing native AOT (linux-x64)..." >&2
  dotnet publish "$root/src/Ccwb.Functions.QuotaCheck" -c Release -r linux-x64 -o "$work/publish" -v quiet -nologo >&2
  binary="$work/publish/bootstrap"
fi
[ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 2; }

# The deployment package: bootstrap alone at the zip's root, executable, no extra attributes or timestamps that vary.
cp "$binary" "$work/bootstrap"
touch -d @0 "$work/bootstrap"
(cd "$work" && zip -q -X -9 function.zip bootstrap)
printf 'bootstrap          %10d bytes\n' "$(stat -c %s "$binary")"
printf 'function zip       %10d bytes\n' "$(stat -c %s "$work/function.zip")"

node "$root/benchmarks/quota-check-runtime.mjs" "$binary" "$runs" "$warm" > "$work/times"
summary() {
  tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    p = v[int(NR * 0.9 + 0.5)]; printf "median %8.3f ms   p90 %8.3f ms   (%d runs)\n", m, p, NR }'
}
for figure in cold_start_ms cold_handle_ms warm_handle_ms baseline_spawn_ms baseline_store_ms; do
  printf '%-18s ' "${figure%_ms}"
  grep "^$figure " "$work/times" | cut -d' ' -f2- | summary
done
