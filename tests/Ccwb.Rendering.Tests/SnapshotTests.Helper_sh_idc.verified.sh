#!/bin/bash
# Claude Desktop runs its credential helper without arguments — this wrapper adds them.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$SCRIPT_DIR/credential-process" --desktop --profile 'idc'
