#!/usr/bin/env bash
# Renders a Driftwatch HTML report in headless Chromium and fails when the page logged console
# errors or JS exceptions, or when its script did not run.
#
# Usage: scripts/check-html-in-chromium.sh REPORT.html [SCREENSHOT.png]
# Exit:  0 page ok; 1 errors found (printed); 2 usage error or chromium missing.
# Env:   CHROMIUM=/path/to/chromium to override the binary (default: chromium, chromium-browser).
#        FRAGMENT=filter=text opens REPORT.html#filter=text (the report pre-fills its filter box).
#        DUMP_DOM=file.html keeps the DOM as rendered (after the page script ran).
#        PROBE=1 also opens a copy of the report with scripts/html-probe.js appended (and the copy's
#          Content-Security-Policy removed so the probe may run; the unmodified report is checked
#          first), which filters, collapses and expands like a reader and prints "probe: key=value"
#          lines: load and paint times, filter/collapse/expand times (ms, forced layout included),
#          matching and visible finding counts. Also prints "time: ..." whole-process times.
#        PROBE_DOM=file.html keeps the probed copy's DOM.
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
       --disable-dev-shm-usage --hide-scrollbars --enable-logging=stderr --v=0)
# Virtual time lets timers (the filter's debounce) run before the DOM is dumped; the probe run goes
# without it, because under virtual time performance.now() stands still after the load event.
settle=(--virtual-time-budget=3000)

run() {
  # $1: log file; rest: extra flags. A fresh profile per run.
  local log=$1
  shift
  timeout 120 "$browser" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" "$@" "$url" 2>"$log"
}

now_ms() { date +%s%3N; }
started=$(now_ms)
if ! run "$work/dom.log" "${settle[@]}" --dump-dom >"$work/dom.html"; then
  echo "chromium failed to render $report:" >&2
  tail -20 "$work/dom.log" >&2
  exit 1
fi

render_ms=$(( $(now_ms) - started ))
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
  run "$work/shot.log" "${settle[@]}" --window-size=1280,1600 --screenshot="$(realpath -m "$shot")" >/dev/null || {
    echo "screenshot failed:" >&2
    tail -20 "$work/shot.log" >&2
    exit 1
  }
fi

if [[ -n ${PROBE:-} && $problems -eq 0 ]]; then
  # The copy sits next to the original so relative behaviour is the same; it is removed on exit.
  probed="$(dirname "$report")/.probe-$$-$(basename "$report")"
  trap 'rm -rf "$work" "$probed"' EXIT
  { sed -e '/http-equiv="Content-Security-Policy"/d' -e '/^<\/body>$/,$d' "$report"
    printf '<script>\n'
    cat "$(dirname "$0")/html-probe.js"
    printf '</script>\n</body>\n</html>\n'; } >"$probed"
  url="file://$(cd "$(dirname "$probed")" && pwd)/$(basename "$probed")${FRAGMENT:+#$FRAGMENT}"
  started=$(now_ms)
  if ! run "$work/probe.log" --dump-dom >"$work/probe.html"; then
    echo "chromium failed to render the probed copy of $report:" >&2
    tail -20 "$work/probe.log" >&2
    exit 1
  fi
  probe_ms=$(( $(now_ms) - started ))
  if [[ -n ${PROBE_DOM:-} ]]; then
    cp "$work/probe.html" "$PROBE_DOM"
  fi
  pbody=$(grep -o '<body[^>]*>' "$work/probe.html" | head -1 || true)
  grep -o 'data-probe-[a-z-]*="[^"]*"' <<<"$pbody" | sed -e 's/^data-probe-/probe: /' -e 's/="/=/' -e 's/"$//' || true
  perrors=$(sed -n 's/.* data-errors="\([^"]*\)".*/\1/p' <<<"$pbody")
  if [[ -n $perrors ]]; then
    echo "probed page recorded errors: $perrors" >&2
    problems=1
  fi
  if [[ $pbody != *'data-probe-done="1"'* ]]; then
    echo "probe did not finish (no data-probe-done=\"1\"; raise --virtual-time-budget?)" >&2
    problems=1
  fi
  echo "time: chromium-dump-dom-ms=$render_ms probed-run-ms=$probe_ms bytes=$(wc -c <"$report")"
fi

if [[ $problems -ne 0 ]]; then
  exit 1
fi
echo "ok: $report rendered in $("$browser" --version 2>/dev/null | head -1) without console errors"
