#!/bin/sh
# Run by the gateway image's entrypoint before nginx starts: without the secret the services could not tell
# nginx's requests from any other, so the gateway does not start.
case "${DCC_GATEWAY_SECRET:-}" in
  ''|*[!A-Za-z0-9_-]*|*CHANGE-ME*|*change-me*) echo "DCC_GATEWAY_SECRET is required: 32 or more letters, digits, - or _" >&2; exit 1 ;;
esac
[ "${#DCC_GATEWAY_SECRET}" -ge 32 ] || { echo "DCC_GATEWAY_SECRET is required: 32 or more letters, digits, - or _" >&2; exit 1; }
