#!/usr/bin/env bash
# Benchmark of rendering what a package carries besides binaries.
#
#   benchmarks/render.sh            RUNS=40 benchmarks/render.sh
#
# 1. `ccwb cowork generate` for one profile, all formats, process start included, alternated RUNS times (at least 20)
#    with `ccwb --version` as the baseline (the cost of starting .NET and ccwb itself). Target: median <= 300 ms.
# 2. The Package target's render step for every example profile in one process: the first (cold) round, then the
#    median over RUNS warm rounds, rendered in memory (PackageFiles.Render) and written (ProfileArtifacts.Write).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-40}
[ "$runs" -ge 20 ] || { echo "RUNS must be at least 20" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "Building ccwb (Release), and publishing it ReadyToRun (precompiled, as a shipped tool would be)..." >&2
dotnet build "$root/src/Ccwb.Cli" -c Release -v quiet -nologo >&2
ccwb="$root/src/Ccwb.Cli/bin/Release/net10.0/ccwb.dll"
dotnet publish "$root/src/Ccwb.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/r2r" -v quiet -nologo >&2
ccwb_r2r="$work/r2r/ccwb.dll"
profile="$root/profiles/examples/okta-direct.json"

# One checked run: the command must produce the six files.
dotnet "$ccwb" cowork generate --profile-file "$profile" -o "$work/check" >/dev/null
[ "$(find "$work/check" -type f | wc -l)" -eq 6 ] || { echo "cowork generate did not write six files" >&2; exit 1; }

python3 - "$ccwb" "$ccwb_r2r" "$profile" "$work" "$runs" <<'PY'
import os, statistics, subprocess, sys, time

ccwb, ccwb_r2r, profile, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
devnull = os.open(os.devnull, os.O_WRONLY)
generate = ["cowork", "generate", "--profile-file", profile, "-o", os.path.join(work, "out")]
commands = {
    "baseline: ccwb --version": ["dotnet", ccwb, "--version"],
    "ccwb cowork generate (all formats)": ["dotnet", ccwb] + generate,
    "baseline: ccwb --version (R2R)": ["dotnet", ccwb_r2r, "--version"],
    "ccwb cowork generate (R2R)": ["dotnet", ccwb_r2r] + generate,
}
times = {name: [] for name in commands}
for _ in range(runs):
    for name, argv in commands.items():
        start = time.perf_counter()
        subprocess.run(argv, stdout=devnull, stderr=devnull, check=True)
        times[name].append((time.perf_counter() - start) * 1000)
for name, values in times.items():
    values.sort()
    p90 = values[int(len(values) * 0.9) - 1]
    print(f"{name:40s} median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms   ({runs} runs)")
PY

echo "Render step for every example profile (in process)..." >&2
mkdir -p "$work/render-all"
cat > "$work/render-all/render-all.cs" <<CS
#:project $root/src/Ccwb.Rendering/Ccwb.Rendering.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
using System.Diagnostics;
using Ccwb.Profiles;
using Ccwb.Rendering;

var profiles = Directory.GetFiles(args[0], "*.json").Order(StringComparer.Ordinal)
    .Select(p => ProfileLoader.LoadFile(p).Profile!).ToList();
var output = args[1];
var runs = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
void RenderAll()
{
    foreach (var p in profiles) ProfileArtifacts.Write(p, Path.Combine(output, p.Name));
}
var coldWatch = Stopwatch.StartNew();
RenderAll(); // the first round pays for JIT and template parsing, as one Package run does
var cold = coldWatch.Elapsed.TotalMilliseconds;
double Median(Action action)
{
    var rounds = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        rounds.Add(watch.Elapsed.TotalMilliseconds);
    }
    rounds.Sort();
    return rounds[rounds.Count / 2];
}
var render = Median(() => { foreach (var p in profiles) PackageFiles.Render(p, RenderOptions.ForProfile(p)); });
var write = Median(RenderAll);
Console.WriteLine(\$"render step, {profiles.Count} example profiles, first round (cold) {cold,7:F1} ms");
Console.WriteLine(\$"render step, {profiles.Count} example profiles, in memory  median {render,7:F1} ms   ({render / profiles.Count:F2} ms per profile, {runs} rounds)");
Console.WriteLine(\$"render step, {profiles.Count} example profiles, written   median {write,7:F1} ms   ({write / profiles.Count:F2} ms per profile, {runs} rounds)");
CS
dotnet run --file "$work/render-all/render-all.cs" -c Release -- "$root/profiles/examples" "$work/render-out" "$runs" 2>&1 | tail -3
