#!/usr/bin/env bash
# Warm-path benchmark of the two programs Claude Code and Claude Desktop run most often (linux-x64):
#   otel-helper --profile ClaudeCode            header cache and monitoring token present (Claude Code's otelHeadersHelper;
#                                               the front, with otel-helper-full beside it, as installed)
#   credential-process --desktop                valid cached AWS credentials and the token made from them on the
#                                               previous call (Claude Desktop's credential helper)
#
#   benchmarks/desktop-and-otel-helper.sh [otel-helper credential-process]   (default: publish native AOT first; each
#                                               given front needs its full program, otel-helper-full or
#                                               credential-process-full, beside it)
#   RUNS=50 benchmarks/desktop-and-otel-helper.sh
#   SIDECAR=1 benchmarks/desktop-and-otel-helper.sh   otel-helper of a sidecar-mode install: a stand-in otelcol and
#                                                     collector-config.yaml installed, the collector running (every
#                                                     call checks that the recorded pid is still the collector)
#
# Runs /bin/true and both programs alternately RUNS times (at least 20), prints the median and 90th percentile of
# each, each program's median as a multiple of /bin/true's from the same run, the user-space instructions of one call
# (callgrind, when valgrind is installed; independent of machine load) and the binary sizes.
# Targets per program: median <= 4.5 x /bin/true, <= 6 M instructions.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-50}
[ "$runs" -ge 20 ] || { echo "RUNS must be at least 20" >&2; exit 2; }

work=$(mktemp -d)
sidecar=${SIDECAR:-0}
stop_collector() {
  # The collector leads its own session: the group signal also ends the stand-in's sleep.
  if [ -f "$work/home/claude-code-with-bedrock/collector.pid" ]; then
    kill -- -"$(cat "$work/home/claude-code-with-bedrock/collector.pid")" 2>/dev/null || true
  fi
}
trap 'stop_collector; rm -rf "$work"' EXIT

otel=${1:-}
credential_process=${2:-}
if [ -z "$otel" ] || [ -z "$credential_process" ]; then
  echo "Publishing native AOT (linux-x64)..." >&2
  # otel-helper as installed: the front, which hands every call but the warm one to otel-helper-full beside it.
  dotnet publish "$root/src/Ccwb.OtelHelper.Front" -c Release -r linux-x64 --artifacts-path "$work/artifacts-otel-front" \
    -o "$work/publish" -v quiet -nologo >&2
  dotnet publish "$root/src/Ccwb.OtelHelper" -c Release -r linux-x64 --artifacts-path "$work/artifacts-otel-full" \
    -o "$work/publish" -v quiet -nologo >&2
  # credential-process as installed: the front, with credential-process-full beside it for what it hands over.
  dotnet publish "$root/src/Ccwb.CredentialProcess.Front" -c Release -r linux-x64 --artifacts-path "$work/artifacts-front" \
    -o "$work/publish" -v quiet -nologo >&2
  dotnet publish "$root/src/Ccwb.CredentialProcess" -c Release -r linux-x64 --artifacts-path "$work/artifacts-full" \
    -o "$work/publish" -v quiet -nologo >&2
  otel="$work/publish/otel-helper"
  credential_process="$work/publish/credential-process"
fi
for binary in "$otel" "$(dirname "$otel")/otel-helper-full" "$credential_process"; do
  [ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 2; }
done

home="$work/home"
mkdir -p "$home/claude-code-with-bedrock" "$home/.aws" "$home/.claude-code-session"
chmod 700 "$home/.claude-code-session"
cat > "$home/claude-code-with-bedrock/config.json" <<'JSON'
{"profiles": {"ClaudeCode": {"provider_domain": "dev-123.okta.com", "client_id": "0oa-bench", "aws_region": "us-east-1",
  "federated_role_arn": "arn:aws:iam::123456789012:role/ClaudeCodeBedrock", "credential_storage": "session"}}}
JSON
now=$(date -u +%s)
expiration=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
token=$(head -c 700 /dev/urandom | base64 -w0)
cat > "$home/.aws/credentials" <<INI
[ClaudeCode]
aws_access_key_id = ASIABENCHMARK000001
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
aws_session_token = $token
x-expiration = $expiration
INI
# An id token of realistic size (about 1 KB) and the header cache credential-process writes after a sign-in.
payload=$(printf '{"sub":"alice-0001","email":"alice@example.com","exp":%s}' $((now + 3600)) | base64 -w0 | tr '+/' '-_' | tr -d '=')
jwt="eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIn0.$payload.$(head -c 256 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
printf '{"token":"%s","expires":%s,"email":"alice@example.com","profile":"ClaudeCode"}' "$jwt" $((now + 3600)) \
  > "$home/.claude-code-session/ClaudeCode-monitoring.json"
headers='{"x-cost-center":"general","x-department":"Engineering","x-location":"remote","x-manager":"unassigned","x-organization":"okta","x-role":"user","x-team-id":"platform","x-user-email":"alice@example.com","x-user-id":"0e5d2b1c-9a4f-4c1e-8b7a-3f2d1c0b9a88","x-user-name":"alice"}'
printf '%s' "$headers" > "$home/.claude-code-session/ClaudeCode-otel-headers.raw"
printf '{"schema_version":2,"headers":%s,"token_exp":%s,"cached_at":%s}' "$headers" $((now + 3600)) "$now" \
  > "$home/.claude-code-session/ClaudeCode-otel-headers.json"
chmod 600 "$home/.aws/credentials" "$home/.claude-code-session/"*

if [ "$sidecar" = 1 ]; then
  printf '#!/bin/sh\nwhile :; do sleep 1; done\n' > "$home/claude-code-with-bedrock/otelcol"
  chmod 755 "$home/claude-code-with-bedrock/otelcol"
  printf 'receivers:\n  otlp: {}\n' > "$home/claude-code-with-bedrock/collector-config.yaml"
fi

# One checked run of each first: both must answer from the files, without network.
out=$(HOME="$home" "$otel" --profile ClaudeCode)
case "$out" in
  *'"authorization":"Bearer '"$jwt"'"'*'"x-user-email":"alice@example.com"'*) ;;
  *) echo "unexpected otel-helper output: $out" >&2; exit 1 ;;
esac
if [ "$sidecar" = 1 ]; then
  kill -0 "$(cat "$home/claude-code-with-bedrock/collector.pid")" || { echo "otel-helper started no collector" >&2; exit 1; }
fi
# The first --desktop call makes the token (full helper) and keeps it; the measured calls hand it out again (front).
out=$(HOME="$home" CLAUDE_HELPER_CONTEXT=background "$credential_process" --profile ClaudeCode --desktop)
case "$out" in
  '{"token":"bedrock-api-key-'*'","headers":{}}') ;;
  *) echo "unexpected credential-process --desktop output: $out" >&2; exit 1 ;;
esac

# Instructions of one call each, independent of machine load (binaries copied alone: valgrind cannot read the
# compressed .dbg files published beside them).
otel_instructions=""
desktop_instructions=""
if command -v valgrind >/dev/null; then
  mkdir "$work/alone" && cp "$otel" "$(dirname "$otel")/otel-helper-full" "$credential_process" \
    "$(dirname "$credential_process")/credential-process-full" "$work/alone/"
  # The front answers the warm call itself; should it hand over, valgrind follows otel-helper-full and reports both.
  otel_instructions=$(HOME="$home" valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$work/otel.callgrind.%p" \
    "$work/alone/$(basename "$otel")" --profile ClaudeCode 2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d , | awk '{ total += $1 } END { print total }')
  # Had the front handed the call over, valgrind would follow credential-process-full (--trace-children) and both
  # programs' counts are added up.
  desktop_instructions=$(HOME="$home" CLAUDE_HELPER_CONTEXT=background valgrind --tool=callgrind --trace-children=yes \
    --callgrind-out-file="$work/desktop.callgrind.%p" \
    "$work/alone/$(basename "$credential_process")" --profile ClaudeCode --desktop 2>&1 >/dev/null \
    | sed -n 's/.*refs: *//p' | tr -d , | awk '{ total += $1 } END { print total }')
fi

HOME="$home" CLAUDE_HELPER_CONTEXT=background OTEL_INSTRUCTIONS="$otel_instructions" DESKTOP_INSTRUCTIONS="$desktop_instructions" \
  python3 - "$otel" "$credential_process" "$runs" <<'PY'
import os, statistics, sys, time

otel, credential_process, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
devnull = os.open(os.devnull, os.O_WRONLY)

def run(argv):
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, _ = os.wait4(pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv[0]} failed")
    return elapsed

commands = {
    "/bin/true": ["/bin/true"],
    "otel-helper": [otel, "--profile", "ClaudeCode"],
    "credential-process --desktop": [credential_process, "--profile", "ClaudeCode", "--desktop"],
}
samples = {name: [] for name in commands}
for _ in range(runs):  # interleaved, so all see the same machine load
    for name, argv in commands.items():
        samples[name].append(run(argv))

load = os.getloadavg()[0]
print(f"warm paths, {runs} runs each, {os.cpu_count()} CPUs, load average {load:.1f}"
      + ("; otel-helper with a running sidecar collector" if os.environ.get("SIDECAR") == "1" else ""))
if load > os.cpu_count():
    print("note: the machine is busier than it has CPUs; wall times include waiting for a CPU")
base = statistics.median(samples["/bin/true"])
print(f"{'':30} {'median ms':>10} {'p90 ms':>8} {'x /bin/true':>12}")
for name, times in samples.items():
    times = sorted(times)
    print(f"{name:30} {statistics.median(times):10.2f} {times[int(len(times) * 0.9) - 1]:8.2f} {statistics.median(times) / base:12.2f}")
for name, binary, variable in (("otel-helper", otel, "OTEL_INSTRUCTIONS"), ("credential-process --desktop", credential_process, "DESKTOP_INSTRUCTIONS")):
    ratio = statistics.median(samples[name]) / base
    instructions = os.environ.get(variable, "").replace(",", "")
    size = os.path.getsize(binary)
    full = os.path.join(os.path.dirname(binary), os.path.basename(binary).replace(name.split()[0], name.split()[0] + "-full", 1))
    full_size = f", full program beside it {os.path.getsize(full) / 1e6:.2f} MB" if os.path.exists(full) else ""
    print(f"{name}: binary {size / 1e6:.2f} MB ({size} bytes){full_size}"
          + (f"; instructions (callgrind, one call): {int(instructions):,}" if instructions else ""))
    print(f"  targets: median <= 4.5 x /bin/true: {'met' if ratio <= 4.5 else 'NOT met'} ({ratio:.2f} x)"
          + (f"; <= 6 M instructions: {'met' if int(instructions) <= 6_000_000 else 'NOT met'}" if instructions else ""))
PY
