#!/usr/bin/env bash
# ccwb start-up time and distribute's upload throughput against s3rver (tests/peers, on 127.0.0.1).
#
#   benchmarks/ccwb.sh [path/to/ccwb.dll]      (default: src/Ccwb.Cli/bin/Release/net10.0/ccwb.dll, built if missing)
#   RUNS=30 SIZE_MB=128 benchmarks/ccwb.sh
#
# Start-up: `ccwb --version`, `dotnet --version` and /bin/true run alternately RUNS times (at least 10); prints the
# median and 90th-percentile wall time of each. Upload: a SIZE_MB zip of random bytes (stored, so not compressible)
# uploaded UPLOADS times with `ccwb distribute --zip` (16 MiB parts, four at a time); prints the median MB/s.
# Wall times on a shared machine move with its load: compare against the baselines of the same run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-30}
uploads=${UPLOADS:-5}
size_mb=${SIZE_MB:-128}
[ "$runs" -ge 10 ] || { echo "RUNS must be at least 10" >&2; exit 2; }

ccwb=${1:-$root/src/Ccwb.Cli/bin/Release/net10.0/ccwb.dll}
if [ ! -f "$ccwb" ]; then
  echo "Building ccwb (Release)..." >&2
  dotnet build "$root/src/Ccwb.Cli" -c Release -v quiet -nologo >&2
fi

work=$(mktemp -d)
peer_pid=
# "|| true": under set -e a failed kill (s3rver already gone) would end the trap before the folder is removed.
cleanup() { [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

now_ns() { date +%s%N; }
time_ms() { local start end; start=$(now_ns); "$@" >/dev/null 2>&1; end=$(now_ns); echo $(( (end - start) / 1000 )); }
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "median %.1f ms  p90 %.1f ms", v[int((NR + 1) / 2)] / 1000, v[int(NR * 0.9 + 0.5)] / 1000 }'; }

: > "$work/ccwb"; : > "$work/dotnet"; : > "$work/true"
for _ in $(seq "$runs"); do
  time_ms dotnet "$ccwb" --version >> "$work/ccwb"
  time_ms dotnet --version >> "$work/dotnet"
  time_ms /bin/true >> "$work/true"
done
echo "start-up ($runs runs)"
echo "  ccwb --version    $(stats < "$work/ccwb")"
echo "  dotnet --version  $(stats < "$work/dotnet")"
echo "  /bin/true         $(stats < "$work/true")"

# Upload throughput.
# exec: $! is then node itself, which the trap stops (a shell that forks for the last command would leave it running).
(cd "$root/tests/peers" && exec node s3-server.mjs "$work/s3" bench > "$work/peer.log" 2>&1) &
peer_pid=$!
for _ in $(seq 300); do grep -q '^READY ' "$work/peer.log" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^READY //p' "$work/peer.log")
[ -n "$url" ] || { echo "s3rver did not start: $(cat "$work/peer.log")" >&2; exit 1; }
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/payload"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED).write(sys.argv[2], "payload")' "$work/package.zip" "$work/payload"
mkdir -p "$work/home"
bytes=$(stat -c %s "$work/package.zip")
: > "$work/upload"
for _ in $(seq "$uploads"); do
  start=$(now_ns)
  HOME="$work/home" AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_EC2_METADATA_DISABLED=true \
    dotnet "$ccwb" distribute --profile-file "$root/profiles/examples/okta-direct.json" --bucket bench --endpoint-url "$url" \
    --zip "$work/package.zip" >/dev/null
  end=$(now_ns)
  echo $(( (end - start) / 1000 )) >> "$work/upload"
  sleep 1 # a new timestamp, so a new key
done
median_us=$(sort -n "$work/upload" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
awk -v b="$bytes" -v t="$median_us" -v n="$uploads" 'BEGIN { printf "upload of %.1f MB to s3rver (%d runs, whole command incl. hashing and start-up): median %.2f s, %.1f MB/s\n", b / 1048576, n, t / 1e6, b / 1048576 / (t / 1e6) }'
