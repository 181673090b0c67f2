@echo off
REM Claude Code's otelHeadersHelper on Windows (settings name this file). It runs otel-helper.exe from this folder,
REM which never fails Claude Code; if it cannot run, otel-helper.ps1 answers instead.
"%~dp0otel-helper.exe" %* 2>nul
if %errorlevel% equ 0 exit /b 0
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0otel-helper.ps1" %*
exit /b 0
