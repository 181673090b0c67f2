@echo off
REM Claude Desktop runs its credential helper without arguments; this wrapper adds them.
REM It lives beside credential-process.exe in the install folder.
"%~dp0credential-process.exe" --desktop --profile google
exit /b %errorlevel%
