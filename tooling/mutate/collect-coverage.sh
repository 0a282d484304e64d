#!/usr/bin/env bash
# Per test file line coverage (PGlite only), so each mutant runs only the tests that reach its line.
# usage: tooling/mutate/collect-coverage.sh <package> [<package> …]   → .tmp/mutate/cov/<package>/<test>/lcov.info
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
for p in "$@"; do
  cd "$root/packages/$p" || exit 1
  for t in test/*.test.ts; do
    name=$(basename "$t" .test.ts)
    out="$root/.tmp/mutate/cov/$p/$name"
    mkdir -p "$out"
    start=$(date +%s)
    env -u DATABASE_URL -u TEST_DATABASE_URL bun test --timeout 60000 --coverage --coverage-reporter=lcov --coverage-dir="$out" "$t" >"$out/log.txt" 2>&1
    echo "$p $name rc=$? $(( $(date +%s) - start ))s" | tee -a "$root/.tmp/mutate/cov/times.txt"
  done
done
