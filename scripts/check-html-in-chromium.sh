#!/usr/bin/env bash
# Renders a Driftwatch HTML report in headless Chromium and fails when the page logged console
# errors or JS exceptions, or when its script did not run.
#
# Usage: scripts/check-html-in-chromium.sh REPORT.html [SCREENSHOT.png]
# Exit:  0 page ok; 1 errors found (printed); 2 usage error or chromium missing.
# Env:   CHROMIUM=/path/to/chromium to override the binary (default: chromium, chromium-browser).
#        FRAGMENT=filter=text opens REPORT.html#filter=text (the report pre-fills its filter box).
#        DUMP_DOM=file.html keeps the DOM as rendered (after the page script ran).
#
# The report template records window errors, unhandled rejections and console.error calls in
# <body data-errors="..."> and sets data-ready="1" when its script finished; --dump-dom shows both.
# Chromium's own log (--enable-logging=stderr) is checked as well for "Uncaught" exceptions,
# Content-Security-Policy refusals and failed loads.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2
  exit 2
fi
report=$1
shot=${2:-}
if [[ ! -f $report ]]; then
  echo "no such file: $report" >&2
  exit 2
fi

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser=$candidate
      break
    fi
  done
fi
if [[ -z $browser ]] || ! command -v "$browser" >/dev/null 2>&1; then
  echo "chromium not found: install it with 'apt-get install -y chromium' (Debian) or set CHROMIUM" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")${FRAGMENT:+#$FRAGMENT}"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --disable-dev-shm-usage --hide-scrollbars --enable-logging=stderr --v=0
       --virtual-time-budget=3000)

run() {
  # $1: log file; rest: extra flags. A fresh profile per run.
  local log=$1
  shift
  timeout 120 "$browser" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" "$@" "$url" 2>"$log"
}

if ! run "$work/dom.log" --dump-dom >"$work/dom.html"; then
  echo "chromium failed to render $report:" >&2
  tail -20 "$work/dom.log" >&2
  exit 1
fi

if [[ -n ${DUMP_DOM:-} ]]; then
  cp "$work/dom.html" "$DUMP_DOM"
fi

problems=0
body=$(grep -o '<body[^>]*>' "$work/dom.html" | head -1 || true)
if [[ -z $body ]]; then
  echo "no <body> in the rendered DOM" >&2
  problems=1
else
  errors=$(sed -n 's/.* data-errors="\([^"]*\)".*/\1/p' <<<"$body")
  if [[ -n $errors ]]; then
    echo "page recorded errors: $errors" >&2
    problems=1
  fi
  if [[ $body != *'data-ready="1"'* ]]; then
    echo "page script did not finish (no data-ready=\"1\" on <body>)" >&2
    problems=1
  fi
fi
# Chromium logs every console message as INFO:CONSOLE without its level, so console.error is caught
# by the page hook above; here we catch what the hook cannot see: exceptions thrown before it ran,
# resources blocked by the Content-Security-Policy, and failed loads.
if grep -E ':CONSOLE' "$work/dom.log" \
    | grep -E 'Uncaught|violates the following Content Security Policy|Refused to|Failed to load|net::ERR_' \
    >"$work/console.txt"; then
  echo "browser log shows console errors:" >&2
  cat "$work/console.txt" >&2
  problems=1
fi

if [[ -n $shot ]]; then
  run "$work/shot.log" --window-size=1280,1600 --screenshot="$(realpath -m "$shot")" >/dev/null || {
    echo "screenshot failed:" >&2
    tail -20 "$work/shot.log" >&2
    exit 1
  }
fi

if [[ $problems -ne 0 ]]; then
  exit 1
fi
echo "ok: $report rendered in $("$browser" --version 2>/dev/null | head -1) without console errors"
