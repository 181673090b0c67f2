#!/bin/sh
# Claude Code's otelHeadersHelper for settings written by earlier installers, which name this script. The binary
# beside it starts fast enough to be run directly; without it, Claude Code gets no headers rather than an error.
helper="$(dirname "$0")/otel-helper"
if [ -x "$helper" ]; then
  exec "$helper" "$@"
fi
echo '{}'
