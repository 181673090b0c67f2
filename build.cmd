@echo off
rem Build entry point on Windows: build.cmd <Target> [options]. Same targets and options as build.sh; the target
rem graph is build\Build.proj (MSBuild). Run build.cmd --help for the list.
setlocal EnableExtensions EnableDelayedExpansion

set "ROOT=%~dp0"
set "PROJ=%ROOT%build\Build.proj"
set "TARGETS=Clean Restore Compile Test Publish Package Sign Verify Functions"
set "RIDS_KNOWN=win-x64 win-arm64 osx-x64 osx-arm64 linux-x64 linux-arm64"
rem option=MSBuild property (Rids and MSBuildVerbosity are handled apart)
set "OPTIONS=--profile-file=ProfileFile --output=OutputDir --configuration=Configuration --version=Version --sign-pfx=SignPfx --sign-password-env=SignPasswordEnv --sign-cert=SignCert --sign-key=SignKey --pkg-sign-pfx=PkgSignPfx --pkg-sign-cert=PkgSignCert --pkg-sign-key=PkgSignKey --timestamp-url=TimestampUrl --gpg-key=GpgKey --gpg-homedir=GpgHomedir --prebuilt=PrebuiltDir --manifest=ReleaseManifest"

set "TARGET="
set "PROPS="
set "RIDS="
set "VERBOSITY=minimal"

:parse
if "%~1"=="" goto parsed
set "ARG=%~1"
if /i "%ARG%"=="--help" goto usage
if /i "%ARG%"=="-h" goto usage
if /i "%ARG%"=="--skip-prerequisites" (shift & goto parse)
if not "%ARG:~0,2%"=="--" goto target
if "%~2"=="" (echo Option '%ARG%' needs a value.>&2& exit /b 2)
if /i "%ARG%"=="--rid" (
  set "OK="
  for %%R in (%RIDS_KNOWN%) do if /i "%~2"=="%%R" set "OK=1"
  if not defined OK (echo Unknown RID '%~2'. Valid RIDs: win-x64, win-arm64, osx-x64, osx-arm64, linux-x64, linux-arm64.>&2& exit /b 2)
  if defined RIDS (set "RIDS=!RIDS!;%~2") else (set "RIDS=%~2")
  shift & shift & goto parse
)
if /i "%ARG%"=="--verbosity" (set "VERBOSITY=%~2" & shift & shift & goto parse)
set "PROPERTY="
for %%O in (%OPTIONS%) do (
  for /f "tokens=1,2 delims==" %%A in ("%%O") do if /i "%ARG%"=="%%A" set "PROPERTY=%%B"
)
if not defined PROPERTY (
  echo Unknown option '%ARG%'. Valid options: --profile-file, --output, --rid, --configuration, --version, --verbosity, --sign-pfx, --sign-password-env, --sign-cert, --sign-key, --pkg-sign-pfx, --pkg-sign-cert, --pkg-sign-key, --timestamp-url, --gpg-key, --gpg-homedir, --prebuilt, --manifest, --skip-prerequisites, --help.>&2
  exit /b 2
)
set PROPS=!PROPS! "-p:!PROPERTY!=%~2"
shift & shift & goto parse

:target
if defined TARGET (echo Only one target may be given ^(got '%TARGET%' and '%ARG%'^). Valid targets: Clean, Restore, Compile, Test, Publish, Package, Sign, Verify, Functions.>&2& exit /b 2)
for %%T in (%TARGETS%) do if /i "%ARG%"=="%%T" set "TARGET=%%T"
if not defined TARGET (echo Unknown target '%ARG%'. Valid targets: Clean, Restore, Compile, Test, Publish, Package, Sign, Verify, Functions.>&2& exit /b 2)
shift & goto parse

:parsed
if not defined TARGET goto usage_error
if defined RIDS set PROPS=!PROPS! "-p:Rids=\"!RIDS!\""
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
set "MSBUILD_PROPS=!PROPS!"
rem As build.sh does: findings ("error: field: message", "warning: field: message") go to stderr exactly as written,
rem the CCWB003 summary error that only fails the build is left out, everything else goes to stdout. The left side of
rem the pipe ends with MSBuild's exit code on a marker line (call delays its expansion until MSBuild has run), which the
rem filter turns back into its own exit code.
(dotnet msbuild "%PROJ%" -nologo -m -nr:false -clp:NoSummary -t:%TARGET% -v:%VERBOSITY% %MSBUILD_PROPS% & call echo CCWB-EXIT-%%^ERRORLEVEL%%) | powershell -NoProfile -Command "$rc = 1; foreach ($line in $input) { if ($line -cmatch '^CCWB-EXIT-(\d+)$') { $rc = [int]$Matches[1] } elseif ($line -cmatch '^\s*(error|warning): \S') { [Console]::Error.WriteLine($line.TrimStart()) } elseif ($line -cnotmatch ': error CCWB003: ') { [Console]::Out.WriteLine($line) } }; exit $rc"
exit /b %ERRORLEVEL%

:usage_error
call :usage_text
exit /b 2

:usage
call :usage_text
exit /b 0

:usage_text
echo Usage: build.cmd ^<Target^> [options]
echo.
echo Targets: Clean, Restore, Compile, Test, Publish, Package, Sign, Verify, Functions
echo   Clean    remove artifacts\ and build outputs
echo   Restore  restore NuGet packages
echo   Compile  build the solution
echo   Test     run every test project
echo   Publish  publish credential-process for each RID (native AOT for this host's OS) and ccwb-user-setup for Windows
echo   Package  render profile files, build installers, write manifest.json
echo   Sign     sign executables and installers (skipped without a key)
echo   Verify   rebuild the release --manifest names (its commit, profile, RIDs) into --output
echo            (default: artifacts\verify\) and report each artifact equal or different
echo   Functions  build the quota Lambda functions (linux-arm64) into ^<output^>\functions\*.zip for ccwb deploy
echo.
echo Options:
echo   --profile-file       deployment profile JSON (default: profiles\examples\okta-direct.json)
echo   --output             output folder (default: artifacts\)
echo   --rid                runtime identifier to publish; repeatable (default: all six)
echo   --configuration      Release (default) or Debug
echo   --version            version stamped into binaries and installers (default: 0.1.0)
echo   --verbosity          quiet, minimal (default), normal, detailed, diagnostic
echo   --sign-pfx           PFX file with the Authenticode key and chain
echo   --sign-password-env  name of the environment variable holding the PFX password
echo   --sign-cert          PEM certificate chain (with --sign-key instead of --sign-pfx)
echo   --sign-key           PEM private key for --sign-cert
echo   --pkg-sign-pfx       PFX file with the Developer ID Installer identity that signs the macOS .pkg
echo   --pkg-sign-cert      PEM certificate chain of that identity (with --pkg-sign-key)
echo   --pkg-sign-key       PEM private key for --pkg-sign-cert
echo   --timestamp-url      RFC 3161 timestamp server for Authenticode (optional)
echo   --gpg-key            GPG key id that signs the .deb files and the apt repository
echo   --gpg-homedir        GnuPG home directory holding --gpg-key
echo   --prebuilt           folder of bin-^<rid^>\ binaries built on other hosts (native AOT), used instead of publishing
echo   --manifest           released manifest.json to check (Verify; the released files may sit beside it)
echo   --skip-prerequisites accepted for build.sh compatibility (Windows installs nothing)
echo   --help               show this help
exit /b 0
