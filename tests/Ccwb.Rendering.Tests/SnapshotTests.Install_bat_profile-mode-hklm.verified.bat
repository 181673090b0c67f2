@echo off
SETLOCAL ENABLEDELAYEDEXPANSION
cd /d "%~dp0"
REM Installs Claude Code with Amazon Bedrock (profile profile-mode-hklm). Safe to run again.

set "PROFILE_NAME=profile-mode-hklm"
set "INSTALLER=%~f0"
set "INSTALL_DIR=%USERPROFILE%\claude-code-with-bedrock"

echo Claude Code with Amazon Bedrock
echo Organization: login.example.org
echo.

set HAS_AWS_CLI=0
where aws >nul 2>&1 && set HAS_AWS_CLI=1

if not exist "config.json" (
    echo ERROR: config.json not found in the package folder.
    pause
    exit /b 1
)
if not exist "%INSTALL_DIR%" mkdir "%INSTALL_DIR%"
copy /Y "credential-process-windows.exe" "%INSTALL_DIR%\credential-process.exe" >nul
if errorlevel 1 (
    echo ERROR: could not install credential-process.exe.
    pause
    exit /b 1
)
REM credential-process.exe is a small front that runs credential-process-full.exe beside it for every call but the cached one.
copy /Y "credential-process-full-windows.exe" "%INSTALL_DIR%\credential-process-full.exe" >nul
if errorlevel 1 (
    echo ERROR: could not install credential-process-full.exe.
    pause
    exit /b 1
)
copy /Y "config.json" "%INSTALL_DIR%\config.json" >nul

if exist "otel-helper-windows.exe" copy /Y "otel-helper-windows.exe" "%INSTALL_DIR%\otel-helper.exe" >nul
REM otel-helper.exe is a small front that runs otel-helper-full.exe beside it for every call but the warm header call.
if exist "otel-helper-full-windows.exe" copy /Y "otel-helper-full-windows.exe" "%INSTALL_DIR%\otel-helper-full.exe" >nul
set COLLECTOR_INSTALLED=0
if exist "collector-config.yaml" if exist "otelcol-windows.exe" (
    copy /Y "otelcol-windows.exe" "%INSTALL_DIR%\otelcol.exe" >nul
    copy /Y "collector-config.yaml" "%INSTALL_DIR%\collector-config.yaml" >nul
    powershell -NoProfile -Command "Unblock-File -LiteralPath $env:INSTALL_DIR\otelcol.exe"
    set COLLECTOR_INSTALLED=1
)

REM Claude Desktop policy: the home folder is written into a copy of the .reg (plain values and JSON text differ).
if exist "cowork-3p.reg" (
    powershell -NoProfile -Command "$h = $env:USERPROFILE; $t = [IO.File]::ReadAllText('cowork-3p.reg'); $t = $t.Replace('__CCWB_HOME_JSON__', $h.Replace('\', '\\\\')).Replace('__CCWB_HOME__', $h.Replace('\', '\\')); [IO.File]::WriteAllText(\"$env:INSTALL_DIR\cowork-3p.reg\", $t)"
    echo To apply the Claude Desktop policy run:  reg import "%INSTALL_DIR%\cowork-3p.reg"  then restart Claude.
)

REM Claude Code settings: placeholders become this machine's paths.
if not exist "%USERPROFILE%\.claude" mkdir "%USERPROFILE%\.claude"
powershell -NoProfile -Command "$ErrorActionPreference='Stop'; $cp = ($env:INSTALL_DIR + '\credential-process.exe').Replace('\', '/'); $oh = ($env:INSTALL_DIR + '\otel-helper.cmd').Replace('\', '\\'); $new = [IO.File]::ReadAllText('claude-settings\settings.json').Replace('__CREDENTIAL_PROCESS_PATH__', $cp).Replace('__OTEL_HELPER_PATH__', $oh) | ConvertFrom-Json; $target = Join-Path $env:USERPROFILE '.claude\settings.json'; if (Test-Path $target) { $old = Get-Content -Raw $target | ConvertFrom-Json; foreach ($p in $new.PSObject.Properties) { if ($p.Name -eq 'env' -and $old.env) { foreach ($e in $p.Value.PSObject.Properties) { $old.env | Add-Member -NotePropertyName $e.Name -NotePropertyValue $e.Value -Force } } else { $old | Add-Member -NotePropertyName $p.Name -NotePropertyValue $p.Value -Force } }; $new = $old }; [IO.File]::WriteAllText($target, ($new | ConvertTo-Json -Depth 10))"
if errorlevel 1 (
    echo ERROR: could not merge Claude Code settings.
    pause
    exit /b 1
)

REM AWS profiles: only this package's own settings are written.
for /f "usebackq delims=" %%P in (`powershell -NoProfile -Command "(Get-Content -Raw config.json | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $_.Name + '=' + $_.Value.aws_region }"`) do (
    for /f "tokens=1,2 delims==" %%A in ("%%P") do (
        call :configure_profile "%%A" "%%B"
        if "!COLLECTOR_INSTALLED!"=="1" call :configure_profile "%%A-collector" "%%B"
    )
)

echo.
echo Installation complete. Start Claude Code with:  claude
pause
exit /b 0

:configure_profile
set "P=%~1"
set "R=%~2"
if "%HAS_AWS_CLI%"=="1" (
    aws configure set credential_process "\"%INSTALL_DIR%\credential-process.exe\" --profile %P%" --profile %P% && aws configure set region %R% --profile %P% && echo OK Created AWS profile %P%
) else (
    REM The PowerShell at the end of this file: the same rules as install.sh and aws configure set.
    powershell -NoProfile -Command "$s = [IO.File]::ReadAllText($env:INSTALLER); Invoke-Expression $s.Substring($s.LastIndexOf('<# AWS config'))"
    if errorlevel 1 (
        echo ERROR: could not set AWS profile %P% in %USERPROFILE%\.aws\config.
        exit /b 1
    )
    echo OK Created AWS profile %P%
)
exit /b 0

<# AWS config: sets this package's keys for profile $env:P (region $env:R) in %USERPROFILE%\.aws\config the way
   `aws configure set` does, by the rules every installer of the toolkit follows: a missing section is appended after
   a blank line; in an existing one a key's line is rewritten in place only when its value differs and a missing key
   goes after the section's last key, so the user's other keys, comments, line ends and a missing final newline stay.
   cmd never reaches these lines (every path above ends in exit); install.bat hands them to PowerShell. #>
$ErrorActionPreference = 'Stop'

function Get-SectionName([string]$line) {
    $t = $line.Trim()
    if ($t.Length -lt 2 -or $t[0] -ne '[' -or $t.IndexOf(']') -lt 0) { return $null }
    return (($t.Substring(1, $t.IndexOf(']') - 1) -split '\s+') | Where-Object { $_ }) -join ' '
}
function Get-LineEnd([string]$line) {
    if ($line.EndsWith("`r`n")) { return "`r`n" }
    if ($line.EndsWith("`n")) { return "`n" }
    return ''
}
function Test-BlankOrComment([string]$line) {
    $t = $line.TrimStart()
    return $t.Length -eq 0 -or $t[0] -eq '#' -or $t[0] -eq ';'
}
function Get-KeyValue([string]$line) {
    if ((Test-BlankOrComment $line) -or $null -ne (Get-SectionName $line)) { return $null }
    $eq = $line.IndexOf('=')
    if ($eq -le 0) { return $null }
    return , @($line.Substring(0, $eq).Trim(), $line.Substring($eq + 1).Trim())
}

$section = 'profile ' + $env:P
if ($env:P -ceq 'default') { $section = 'default' }
$entries = [ordered]@{
    credential_process = '"' + $env:INSTALL_DIR + '\credential-process.exe" --profile ' + $env:P
    region             = $env:R
}
$cfg = Join-Path $env:USERPROFILE '.aws\config'
$dir = Split-Path $cfg
if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Force $dir | Out-Null }
# The same lock file as the toolkit's own programs, so that no concurrent edit is lost.
$deadline = (Get-Date).AddSeconds(10)
while ($true) {
    try { $lock = [IO.File]::Open((Join-Path $dir '.config.lock'), 'OpenOrCreate', 'ReadWrite', 'None'); break }
    catch [IO.IOException] { if ((Get-Date) -gt $deadline) { throw }; Start-Sleep -Milliseconds 20 }
}
try {
    $text = ''
    if (Test-Path -LiteralPath $cfg) { $text = [IO.File]::ReadAllText($cfg) }
    # New lines get the line end the file already uses; a new file gets Windows' own.
    $nl = "`r`n"
    if (-not $text.Contains("`r`n") -and $text.Contains("`n")) { $nl = "`n" }
    $lines = New-Object 'Collections.Generic.List[string]'
    foreach ($l in [regex]::Split($text, '(?<=\n)')) { if ($l.Length -gt 0) { $lines.Add($l) } }
    $start = -1
    for ($i = 0; $i -lt $lines.Count; $i++) { if ((Get-SectionName $lines[$i]) -ceq $section) { $start = $i; break } }
    if ($start -lt 0) {
        if ($lines.Count -gt 0 -and (Get-LineEnd $lines[$lines.Count - 1]) -eq '') { $lines[$lines.Count - 1] += $nl }
        if ($lines.Count -gt 0 -and $lines[$lines.Count - 1].Trim().Length -gt 0) { $lines.Add($nl) }
        $lines.Add('[' + $section + ']' + $nl)
        foreach ($key in $entries.Keys) { $lines.Add($key + ' = ' + $entries[$key] + $nl) }
    } else {
        $end = $start + 1
        while ($end -lt $lines.Count -and $null -eq (Get-SectionName $lines[$end])) { $end++ }
        foreach ($key in $entries.Keys) {
            $found = -1
            for ($i = $start + 1; $i -lt $end; $i++) {
                $kv = Get-KeyValue $lines[$i]
                if ($null -ne $kv -and $kv[0] -ceq $key) { $found = $i; break }
            }
            if ($found -ge 0) {
                if ($kv[1] -cne $entries[$key]) { $lines[$found] = $key + ' = ' + $entries[$key] + (Get-LineEnd $lines[$found]) }
                continue
            }
            $at = $end
            while ($at -gt $start + 1 -and (Test-BlankOrComment $lines[$at - 1])) { $at-- }
            # Added after a last line without a line end, the new line becomes the one without it.
            $ending = $nl
            if ((Get-LineEnd $lines[$at - 1]) -eq '') { $ending = ''; $lines[$at - 1] += $nl }
            $lines.Insert($at, $key + ' = ' + $entries[$key] + $ending)
            $end++
        }
    }
    $new = -join $lines
    # WriteAllText writes through a symbolic link, so a linked config stays a link.
    if ($new -cne $text) { [IO.File]::WriteAllText($cfg, $new) }
} finally {
    $lock.Dispose()
}
