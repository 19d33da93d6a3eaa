#!/usr/bin/env bash
# Install Debian's headless Chromium for the report's browser tests (tests/test_report_browser.py: rendering,
# printing and the review loop, driven over the DevTools protocol on a pipe; no driver is needed).
# Needs root and Debian's package registry; quick when Chromium is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: not root or no apt-get; the browser test will be skipped" >&2
  exit 0
fi
echo "==> installing chromium (Debian) for the report's browser test"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
