#!/bin/bash
# Installs Claude Code with Amazon Bedrock for login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0 (profile entra-cognito).
# Run from the unpacked package folder: ./install.sh   (sudo is only needed for managed settings)
# Safe to run again: files are replaced, ~/.aws/config keeps everything but the keys this package sets.
set -euo pipefail
cd "$(dirname "$0")"

PROFILE_NAME='entra-cognito'
ORGANIZATION='login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0'
DEFAULT_REGION='eu-west-1'
SETTINGS_FILE='managed-settings.json'

# Install for the user who ran the script, also under sudo.
if [ -n "${SUDO_USER:-}" ] && [ "$(id -u)" -eq 0 ]; then
  ACTUAL_USER="$SUDO_USER"
  if command -v getent >/dev/null 2>&1; then
    ACTUAL_HOME=$(getent passwd "$SUDO_USER" | cut -d: -f6)
  else
    ACTUAL_HOME=$(dscl . -read "/Users/$SUDO_USER" NFSHomeDirectory | awk '{print $2}')
  fi
else
  ACTUAL_USER="${USER:-$(id -un)}"
  ACTUAL_HOME="$HOME"
fi
INSTALL_DIR="$ACTUAL_HOME/claude-code-with-bedrock"

give_to_user() {
  if [ -n "${SUDO_USER:-}" ] && [ "$(id -u)" -eq 0 ]; then chown -R "$ACTUAL_USER" "$@"; fi
}

echo "Claude Code with Amazon Bedrock"
echo "Organization: $ORGANIZATION"
echo "Profile:      $PROFILE_NAME"
echo

if [ ! -f config.json ]; then
  echo "ERROR: config.json not found in the package folder." >&2
  exit 1
fi
PYTHON=$(command -v python3 || command -v python || true)
if [ -z "$PYTHON" ]; then
  echo "ERROR: python3 is required to merge settings and edit ~/.aws/config." >&2
  exit 1
fi
case "$ACTUAL_HOME" in
  *\"*|*\\*)
    echo "ERROR: the home folder path contains a quote or backslash, which the configuration files cannot hold." >&2
    exit 1 ;;
esac

case "$(uname -s)" in
  Darwin)
    if [ "$(uname -m)" = "arm64" ]; then SUFFIX=macos-arm64; else SUFFIX=macos-intel; fi ;;
  Linux)
    case "$(uname -m)" in
      aarch64|arm64) SUFFIX=linux-arm64 ;;
      *) SUFFIX=linux-x64 ;;
    esac ;;
  *)
    echo "ERROR: unsupported operating system $(uname -s)." >&2
    exit 1 ;;
esac
# credential-process is a small front that hands every call but the cached one to credential-process-full beside it.
for f in credential-process credential-process-full; do
  if [ ! -f "$f-$SUFFIX" ]; then
    echo "ERROR: Binary not found: $f-$SUFFIX" >&2
    exit 1
  fi
done
# otel-helper, when the package has it, is a small front too: it hands every call but the warm header call to
# otel-helper-full beside it.
if [ -f "otel-helper-$SUFFIX" ] && [ ! -f "otel-helper-full-$SUFFIX" ]; then
  echo "ERROR: Binary not found: otel-helper-full-$SUFFIX" >&2
  exit 1
fi

mkdir -p "$INSTALL_DIR"
cp config.json "$INSTALL_DIR/config.json"
for f in credential-process credential-process-full; do
  cp "$f-$SUFFIX" "$INSTALL_DIR/$f"
  chmod 755 "$INSTALL_DIR/$f"
done
if [ -f "otel-helper-$SUFFIX" ]; then
  for f in otel-helper otel-helper-full; do
    cp "$f-$SUFFIX" "$INSTALL_DIR/$f"
    chmod 755 "$INSTALL_DIR/$f"
  done
  # Settings from earlier installs may name the wrapper script; it runs the binary.
  if [ -f otel-helper.sh ]; then
    cp otel-helper.sh "$INSTALL_DIR/otel-helper.sh"
    chmod 755 "$INSTALL_DIR/otel-helper.sh"
  fi
fi
COLLECTOR_INSTALLED=0
if [ -f collector-config.yaml ] && [ -f "otelcol-$SUFFIX" ]; then
  cp "otelcol-$SUFFIX" "$INSTALL_DIR/otelcol"
  chmod 755 "$INSTALL_DIR/otelcol"
  cp collector-config.yaml "$INSTALL_DIR/collector-config.yaml"
  COLLECTOR_INSTALLED=1
elif [ -f collector-config.yaml ]; then
  echo "WARNING: collector-config.yaml is present but otelcol-$SUFFIX is not; telemetry stays local."
fi
if [ "$(uname -s)" = "Darwin" ]; then
  # Downloaded binaries are quarantined; Gatekeeper would block the first run from Claude Code.
  for f in credential-process credential-process-full otel-helper otel-helper-full otelcol; do
    if [ -f "$INSTALL_DIR/$f" ]; then xattr -d com.apple.quarantine "$INSTALL_DIR/$f" 2>/dev/null || true; fi
  done
  echo "Note: on first use macOS asks for Keychain access; choose 'Always Allow'."
fi

# Claude Desktop expands neither ~ nor variables, so its files get the home folder written in.
for f in cowork-3p-config.json cowork-3p.mobileconfig; do
  if [ -f "$f" ]; then
    "$PYTHON" - "$f" "$INSTALL_DIR/$f" "$ACTUAL_HOME" <<'PY'
import sys
source, target, home = sys.argv[1:4]
with open(source, encoding="utf-8") as f:
    text = f.read()
with open(target, "w", encoding="utf-8", newline="") as f:
    f.write(text.replace("__CCWB_HOME__", home))
PY
  fi
done
if [ -f cowork-credential-helper.sh ]; then
  cp cowork-credential-helper.sh "$INSTALL_DIR/cowork-credential-helper.sh"
  chmod 755 "$INSTALL_DIR/cowork-credential-helper.sh"
fi

# Claude Code settings: placeholders become this machine's paths; existing user settings are merged, not replaced.
SETTINGS_SOURCE="claude-settings/$SETTINGS_FILE"
if [ ! -f "$SETTINGS_SOURCE" ]; then
  echo "WARNING: $SETTINGS_SOURCE not found; Claude Code settings were not installed."
else
  resolve_settings() {
    "$PYTHON" - "$SETTINGS_SOURCE" "$INSTALL_DIR" <<'PY'
import json, sys
source, install_dir = sys.argv[1:3]
paths = {
    "__CREDENTIAL_PROCESS_PATH__": install_dir + "/credential-process",
    "__OTEL_HELPER_PATH__": install_dir + "/otel-helper",
}
def resolve(node):
    if isinstance(node, dict):
        return {k: resolve(v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v) for v in node]
    if isinstance(node, str):
        for placeholder, path in paths.items():
            node = node.replace(placeholder, path)
    return node
with open(source, encoding="utf-8") as f:
    print(json.dumps(resolve(json.load(f)), indent=2))
PY
  }
  if [ -n "${CCWB_MANAGED_SETTINGS_DIR:-}" ]; then
    MANAGED_DIR="$CCWB_MANAGED_SETTINGS_DIR"
  elif [ "$(uname -s)" = "Darwin" ]; then
    MANAGED_DIR="/Library/Application Support/ClaudeCode"
  else
    MANAGED_DIR="/etc/claude-code"
  fi
  mkdir -p "$ACTUAL_HOME/.claude"
  give_to_user "$ACTUAL_HOME/.claude"
  if [ -w "$MANAGED_DIR" ] || { [ ! -e "$MANAGED_DIR" ] && mkdir -p "$MANAGED_DIR" 2>/dev/null; }; then
    resolve_settings > "$MANAGED_DIR/managed-settings.json"
  else
    echo "Managed settings need administrator rights; sudo asks for your password."
    sudo mkdir -p "$MANAGED_DIR"
    resolve_settings | sudo tee "$MANAGED_DIR/managed-settings.json" >/dev/null
  fi
  echo "OK  Managed settings: $MANAGED_DIR/managed-settings.json"
fi

# AWS profiles: this package's keys are set in its own sections as `aws configure set` sets them; everything else in
# the file is kept byte for byte, and running the installer again changes nothing.
"$PYTHON" - "$ACTUAL_HOME/.aws/config" "$DEFAULT_REGION" "$INSTALL_DIR" "$COLLECTOR_INSTALLED" <<'PY'
import fcntl, json, os, re, shlex, sys, tempfile

# ~/.aws/config is edited by the rules of the toolkit's C# editor (Ccwb.Contract AwsIniText.SetKeys), which are those
# of `aws configure set`: a missing section is appended after a blank line; in an existing one each key's line is
# rewritten in place only when its value differs, a missing key goes after the section's last key, and the user's
# other keys, comments, CRLF line ends and a missing final newline stay as they were.
def ini_lines(text):
    return re.findall(r"[^\n]*\n|[^\n]+", text)

def line_end(line):
    return "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""

def section_name(line):
    trimmed = line.strip()
    if len(trimmed) < 2 or trimmed[0] != "[" or "]" not in trimmed:
        return None
    return " ".join(trimmed[1:trimmed.index("]")].split())

def blank_or_comment(line):
    trimmed = line.lstrip()
    return not trimmed or trimmed[0] in "#;"

def key_of(line):
    if blank_or_comment(line) or section_name(line) is not None or line.find("=") <= 0:
        return None, None
    key, value = line.split("=", 1)
    return key.strip(), value.strip()

def set_keys(lines, newline, section, entries):
    wanted = " ".join(section.split())
    start = next((i for i, line in enumerate(lines) if section_name(line) == wanted), None)
    if start is None:
        separator = ""
        if lines and not line_end(lines[-1]):
            separator += newline
        if lines and lines[-1].strip():
            separator += newline
        block = "".join(["[" + section + "]" + newline] + [k + " = " + v + newline for k, v in entries])
        return ini_lines("".join(lines) + separator + block)
    end = start + 1
    while end < len(lines) and section_name(lines[end]) is None:
        end += 1
    for key, value in entries:
        found = next((i for i in range(start + 1, end) if key_of(lines[i])[0] == key), None)
        if found is not None:
            if key_of(lines[found])[1] != value:
                lines[found] = key + " = " + value + line_end(lines[found])
            continue
        at = end
        while at > start + 1 and blank_or_comment(lines[at - 1]):
            at -= 1
        # Added after a last line without a line end, the new line becomes the one without it.
        ending = newline if line_end(lines[at - 1]) else ""
        if not ending:
            lines[at - 1] += newline
        lines.insert(at, key + " = " + value + ending)
        end += 1
    return lines

def update_sections(path, sections):
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    # The same lock file as the toolkit's own programs, so that no concurrent edit is lost.
    lock = os.open(os.path.join(directory, "." + os.path.basename(path) + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    text = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = ini_lines(text)
    for name, values in sections:
        lines = set_keys(lines, newline, name, values)
    updated = "".join(lines)
    if updated == text:
        return False
    # A symlinked config stays a link: its target is replaced.
    target = os.path.realpath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix="." + os.path.basename(target) + ".")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(updated)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return True

def profile_section(name):
    return "default" if name == "default" else "profile " + name

default_region = sys.argv[2]
with open("config.json", encoding="utf-8") as f:
    config = json.load(f)
sections = []
install_dir, collector = sys.argv[3], sys.argv[4] == "1"
helper = shlex.quote(install_dir + "/credential-process")
for name, c in config.items():
    values = [("credential_process", helper + " --profile " + name), ("region", c.get("aws_region") or default_region)]
    sections.append((profile_section(name), values))
    if collector:
        sections.append((profile_section(name + "-collector"), values))
changed = update_sections(sys.argv[1], sections)
print("OK  AWS profiles: " + ", ".join(s[0] for s in sections) + (" (updated)" if changed else " (already up to date)"))
PY
give_to_user "$ACTUAL_HOME/.aws" "$INSTALL_DIR"

echo
echo "Installation complete."
if [ -x "$INSTALL_DIR/credential-process" ] && [ -x "$INSTALL_DIR/credential-process-full" ]; then echo "OK    credential-process"; else echo "FAIL  credential-process"; fi
echo "Then start Claude Code with:  claude"
