#!/bin/sh
# Plays the user's browser for tests: $BROWSER is called with the authorization URL as its last argument; this
# follows the provider's redirect to the loopback callback, as a browser would after a successful sign-in.
for url; do :; done
# Tests of calls that overlap hold the sign-in open a moment (a user takes longer), so that on a loaded machine every
# call has started before the first one's sign-in ends.
if [ -n "${CCWB_TEST_BROWSER_DELAY:-}" ]; then sleep "$CCWB_TEST_BROWSER_DELAY"; fi
exec curl --silent --show-error --location --max-redirs 5 --noproxy '*' --max-time 30 --output /dev/null "$url"
