@echo off
SETLOCAL ENABLEDELAYEDEXPANSION
cd /d "%~dp0"
REM Installs Claude Code with Amazon Bedrock (profile websearch-everything). Safe to run again.

set "PROFILE_NAME=websearch-everything"
set "INSTALL_DIR=%USERPROFILE%\claude-code-with-bedrock"

echo Claude Code with Amazon Bedrock
echo Organization: example-corp.okta.com
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
copy /Y "config.json" "%INSTALL_DIR%\config.json" >nul
> "%INSTALL_DIR%\websearch-headers.cmd" echo @echo off
>> "%INSTALL_DIR%\websearch-headers.cmd" echo "%INSTALL_DIR%\credential-process.exe" --profile %PROFILE_NAME% --get-mcp-auth-header

if exist "otel-helper-windows.exe" copy /Y "otel-helper-windows.exe" "%INSTALL_DIR%\otel-helper.exe" >nul
for %%F in (otel-helper.cmd otel-helper.ps1) do (
    if not exist "%%F" (
        echo ERROR: %%F not found in package.
        pause
        exit /b 1
    )
    copy /Y "%%F" "%INSTALL_DIR%\%%F" >nul
)
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
if exist "cowork-credential-helper.cmd" copy /Y "cowork-credential-helper.cmd" "%INSTALL_DIR%\cowork-credential-helper.cmd" >nul

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
    REM Same rule as install.sh: replace our own [profile] block in place or append it; nothing else changes.
    powershell -NoProfile -Command "$ErrorActionPreference='Stop'; $cfg = Join-Path $env:USERPROFILE '.aws\config'; New-Item -ItemType Directory -Force (Split-Path $cfg) | Out-Null; $text = ''; if (Test-Path $cfg) { $text = [IO.File]::ReadAllText($cfg) }; $nl = [string][char]10; if ($text.Contains([string][char]13 + [char]10) -or $text.Length -eq 0) { $nl = [string][char]13 + [char]10 }; $cp = ($env:INSTALL_DIR + '\credential-process.exe').Replace('\', '/'); $block = @(('[profile ' + $env:P + ']'), ('region = ' + $env:R), ('credential_process = ' + $cp + ' --profile ' + $env:P)) | ForEach-Object { $_ + $nl }; $lines = [Collections.Generic.List[string]]::new(); foreach ($l in [regex]::Split($text, '(?<=\n)')) { if ($l.Length -gt 0) { $lines.Add($l) } }; $start = -1; for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i].Trim() -eq ('[profile ' + $env:P + ']')) { $start = $i; break } }; if ($start -lt 0) { if ($lines.Count -gt 0 -and -not $lines[$lines.Count - 1].EndsWith([string][char]10)) { $lines[$lines.Count - 1] += $nl }; if ($lines.Count -gt 0 -and $lines[$lines.Count - 1].Trim().Length -gt 0) { $lines.Add($nl) }; $lines.AddRange([string[]]$block) } else { $end = $start + 1; while ($end -lt $lines.Count -and $lines[$end] -notmatch '^\s*\[') { $end++ }; while ($end -gt $start + 1 -and ($lines[$end - 1].Trim().Length -eq 0 -or $lines[$end - 1].TrimStart().StartsWith('#') -or $lines[$end - 1].TrimStart().StartsWith(';'))) { $end-- }; $lines.RemoveRange($start, $end - $start); $lines.InsertRange($start, [string[]]$block) }; $new = -join $lines; if ($new -ne $text) { [IO.File]::WriteAllText($cfg, $new) }"
    echo OK Created AWS profile %P%
)
exit /b 0
