@echo off
SETLOCAL ENABLEDELAYEDEXPANSION
cd /d "%~dp0"
REM Installs Claude Code with Amazon Bedrock (profile entra-cognito). Safe to run again.

set "PROFILE_NAME=entra-cognito"
set "INSTALL_DIR=%USERPROFILE%\claude-code-with-bedrock"

echo Claude Code with Amazon Bedrock
echo Organization: login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0
echo.

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
REM ccwb-user-setup.exe writes this user's Claude Code settings and AWS profiles, as the MSI does; kept for uninstall.
copy /Y "ccwb-user-setup-windows.exe" "%INSTALL_DIR%\ccwb-user-setup.exe" >nul
if errorlevel 1 (
    echo ERROR: could not install ccwb-user-setup.exe.
    pause
    exit /b 1
)
copy /Y "config.json" "%INSTALL_DIR%\config.json" >nul

if exist "otel-helper-windows.exe" copy /Y "otel-helper-windows.exe" "%INSTALL_DIR%\otel-helper.exe" >nul
REM otel-helper.exe is a small front that runs otel-helper-full.exe beside it for every call but the warm header call.
if exist "otel-helper-full-windows.exe" copy /Y "otel-helper-full-windows.exe" "%INSTALL_DIR%\otel-helper-full.exe" >nul
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
if exist "cowork-credential-helper.cmd" copy /Y "cowork-credential-helper.cmd" "%INSTALL_DIR%\cowork-credential-helper.cmd" >nul

REM Managed Claude Code settings: placeholders become this machine's paths.
net session >nul 2>&1
if errorlevel 1 (
    echo Managed settings require Administrator privileges. Right-click install.bat and choose "Run as administrator".
    pause
    exit /b 1
)
"%INSTALL_DIR%\ccwb-user-setup.exe" managed-settings --settings "claude-settings\managed-settings.json" --output "C:\Program Files\ClaudeCode\managed-settings.json"
if errorlevel 1 (
    echo ERROR: could not write the managed settings; see the message above.
    pause
    exit /b 1
)

REM This user's files: the AWS
REM profiles set in %USERPROFILE%\.aws\config (only this package's keys), the Claude Desktop policy with this
REM home folder written in. Everything is read and checked before anything is written.
if "%COLLECTOR_INSTALLED%"=="1" (
    "%INSTALL_DIR%\ccwb-user-setup.exe" install --profile entra-cognito=eu-west-1 --cowork-reg cowork-3p.reg --profile entra-cognito-collector=eu-west-1
) else (
    "%INSTALL_DIR%\ccwb-user-setup.exe" install --profile entra-cognito=eu-west-1 --cowork-reg cowork-3p.reg
)
if errorlevel 1 (
    echo ERROR: could not set up Claude Code for this user; see the message above.
    pause
    exit /b 1
)
echo OK Created AWS profile entra-cognito
echo To apply the Claude Desktop policy run:  reg import "%INSTALL_DIR%\cowork-3p.reg"  then restart Claude.

echo.
echo Installation complete. Start Claude Code with:  claude
pause
exit /b 0
