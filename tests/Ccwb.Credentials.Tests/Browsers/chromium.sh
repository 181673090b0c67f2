#!/bin/sh
# Drives a real headless Chromium through the sign-in URL (the last argument). The page the browser ends on
# (the callback's answer page) is written to $CHROMIUM_DOM_OUT.
for url; do :; done
profile=$(mktemp -d)
timeout 90 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --dump-dom "$url" > "${CHROMIUM_DOM_OUT:-/dev/null}" 2>/dev/null
status=$?
rm -rf "$profile"
exit $status
