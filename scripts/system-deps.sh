#!/usr/bin/env bash
# The system packages the tests need beside the Python ones: LibreOffice (DOC/WPS reports),
# Chromium (browser tests of the HTML report and the web app), a CJK font (page rendering).
# As root with apt-get: installs what is missing. Otherwise: names the one command to run and fails.
set -euo pipefail
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  $cmd -qq >/dev/null
else
  echo "missing system packages: ${missing[*]}" >&2
  echo "run:  sudo $cmd" >&2
  exit 1
fi
