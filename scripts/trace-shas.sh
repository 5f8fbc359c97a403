#!/bin/bash
# Prints, for every shipped scenario, the trace sha256 of `rehearse run --json` and a hash of the
# `--status` view. Refactors and performance work must leave this output unchanged: run it before
# and after (`npm run build` first) and diff the two.
#   bash scripts/trace-shas.sh > before.txt; ...; bash scripts/trace-shas.sh | diff before.txt -
set -euo pipefail
cd "$(dirname "$0")/.."
for f in scenarios/*.yaml; do
  sha=$(node bin/rehearse.js run "$f" --json | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).traceSha256))')
  status=$(node bin/rehearse.js run "$f" --status 2>&1 | sha256sum | cut -c1-16)
  printf '%s trace %s status %s\n' "$(basename "$f")" "$sha" "$status"
done
