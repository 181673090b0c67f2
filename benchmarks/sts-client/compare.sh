#!/usr/bin/env bash
# Compares two native-AOT STS clients doing one AssumeRoleWithWebIdentity call against a local responder:
# AWSSDK.SecurityToken (SdkSts) and the toolkit's direct Query-API client (DirectSts). Prints binary size and the
# median cold-start-to-exit time over RUNS runs (default 30) of each, alternating.
#
#   benchmarks/sts-client/compare.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
runs=${RUNS:-30}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$here/sts-responder.py" "$port" &
responder=$!
trap 'kill "$responder" 2>/dev/null; rm -rf "$work"' EXIT

for project in SdkSts DirectSts; do
  echo "Publishing $project (native AOT, linux-x64)..." >&2
  dotnet publish "$here/$project" -c Release -r linux-x64 -o "$work/$project" -v quiet -nologo >/dev/null
done
sleep 0.5

python3 - "$work" "$port" "$runs" <<'PY'
import os, statistics, subprocess, sys, time
work, port, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
binaries = {"AWSSDK.SecurityToken": f"{work}/SdkSts/sts-sdk", "direct Query API": f"{work}/DirectSts/sts-direct"}
token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2ln"
times = {name: [] for name in binaries}
for _ in range(runs):
    for name, path in binaries.items():
        start = time.perf_counter()
        out = subprocess.run([path, f"http://127.0.0.1:{port}/", token], capture_output=True, text=True)
        times[name].append((time.perf_counter() - start) * 1000)
        if out.stdout.strip() != "ASIABENCHMARK":
            sys.exit(f"{name} failed: {out.stdout} {out.stderr}")
print(f"{'client':22} {'binary MB':>10} {'median ms':>10}  ({runs} runs, {os.cpu_count()} CPUs)")
for name, path in binaries.items():
    print(f"{name:22} {os.path.getsize(path) / 1e6:10.2f} {statistics.median(times[name]):10.1f}")
PY
