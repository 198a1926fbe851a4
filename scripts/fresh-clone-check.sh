#!/usr/bin/env bash
# A new user's first five minutes: clones this repository (its committed HEAD) into an empty directory with nothing
# beside it (no data folders), runs the README's quick start there (`npm ci && npm start`, then `npm test`), and checks
# that install prints no engine warning, that `/` lists sample papers within START_LIMIT_S seconds of `npm start`, and
# that the tests pass. Prints the install and start times.
set -euo pipefail

START_LIMIT_S=10
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/fresh-XXXXXX)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { local micros=${EPOCHREALTIME/./}; echo $((micros / 1000)); }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
# Whether / lists papers (node rather than curl: nothing to install).
lists_papers() {
  node -e 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.exit(/href="\/papers\/\d{4}\.\d{5}"/.test(t) ? 0 : 1), () => process.exit(1))' "$1"
}

git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
unset DAILYPAPERS_TEST_DATA DATABASE_URL

started=$(now_ms)
npm ci --no-audit --no-fund >"$work/npm-ci.log" 2>&1 || { cat "$work/npm-ci.log"; exit 1; }
echo "fresh clone: npm ci took $(seconds_since "$started") s"
if grep -q EBADENGINE "$work/npm-ci.log"; then
  grep EBADENGINE "$work/npm-ci.log"
  echo "fresh clone: npm ci warned about engines" >&2
  exit 1
fi

port=$((20000 + RANDOM % 20000))
started=$(now_ms)
set -m # the server gets a process group of its own, so that cleanup stops npm and node together
PORT=$port npm start >"$work/serve.log" 2>&1 &
server=$!
set +m
answered=""
while [ $(($(now_ms) - started)) -lt $((START_LIMIT_S * 1000)) ]; do
  if lists_papers "http://127.0.0.1:$port/"; then
    answered=$(seconds_since "$started")
    break
  fi
  sleep 0.2
done
if [ -z "$answered" ]; then
  cat "$work/serve.log"
  echo "fresh clone: npm start did not list sample papers at / within $START_LIMIT_S s" >&2
  exit 1
fi
echo "fresh clone: npm start listed the sample papers at / after $answered s"
# The quick start's second command runs on its own: the server (still training its model in the background) stops.
kill -- "-$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
server=""

if ! npm test >"$work/npm-test.log" 2>&1; then
  tail -n 200 "$work/npm-test.log"
  # The failing tests themselves, which the tail above may not reach.
  grep -n -A 40 -E '^ *not ok ' "$work/npm-test.log" | head -n 400
  echo "fresh clone: npm test failed" >&2
  exit 1
fi
grep -E '^# (tests|pass|fail|skipped)' "$work/npm-test.log" | sed 's/^# /fresh clone: npm test: /'
