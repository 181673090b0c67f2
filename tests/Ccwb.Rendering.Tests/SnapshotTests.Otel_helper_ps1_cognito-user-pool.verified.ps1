# Claude Code's otelHeadersHelper, for settings that name this script: runs otel-helper.exe from this folder and
# answers {} (no headers) when it cannot, so telemetry is never dropped for a missing helper.
$helper = Join-Path $PSScriptRoot 'otel-helper.exe'
if (Test-Path -LiteralPath $helper) {
    $output = & $helper @args 2>$null
    if ($LASTEXITCODE -eq 0 -and $output) {
        $output
        exit 0
    }
}
'{}'
exit 0
