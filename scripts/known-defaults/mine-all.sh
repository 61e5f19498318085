#!/usr/bin/env bash
# Maintainer tool: runs mine.ts over every repository of a list (default repos.txt) that has a local
# snapshot (MIRROR/owner+name/repo), three at a time, writing candidates to OUT.
# Usage: mine-all.sh MIRROR OUT [LIST]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirror=${1:?mirror dir}; out=${2:?out file}; list=${3:-$here/repos.txt}
tmp=$(mktemp -d)
grep -v '^#' "$list" | grep . | while IFS='|' read -r repo product eco; do
  repo=$(echo "$repo" | xargs); product=$(echo "$product" | xargs); eco=$(echo "$eco" | xargs)
  dir="$mirror/${repo/\//+}/repo"
  [ -d "$dir" ] || { echo "skip $repo (no snapshot)" >&2; continue; }
  printf '%s\0%s\0%s\0%s\0%s\0' "$dir" "$repo" "$product" "$eco" "$tmp/${repo/\//+}.jsonl"
done | xargs -0 -n 5 -P 3 node --import tsx "$here/mine.ts"
cat "$tmp"/*.jsonl > "$out"
rm -rf "$tmp"
