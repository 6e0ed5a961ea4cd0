#!/usr/bin/env bash
# End-to-end benchmark: generates synthetic scenario CSVs and times `subnet-calc eval` on them
# (wall time and peak memory, from GNU time). The figures go in docs/performance.md.
#   scripts/bench.sh            # 1,000,000 scenarios to CSV, 100,000 to an xlsx report
#   scripts/bench.sh 200000     # a smaller run
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
report_n=$(( n < 100000 ? n : 100000 ))

cargo build --quiet --release --bin subnet-calc --example generate_scenarios
bin=target/release/subnet-calc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
catalogs=(--catalog fixtures/instance-types.json --catalog fixtures/instance-types-page2.json --catalog fixtures/max-pods.csv)

target/release/examples/generate_scenarios "$n" > "$work/big.csv"
target/release/examples/generate_scenarios "$report_n" > "$work/report.csv"
echo "inputs: $n scenarios ($(wc -l < "$work/big.csv") rows, $(du -h "$work/big.csv" | cut -f1)); $report_n for the report"

measure() {
  local label=$1; shift
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" -o "$work/time" "$@" 2>/dev/null
  printf '%-46s %s\n' "$label" "$(cat "$work/time")"
}
measure "eval $n, vpc-cni -> CSV" "$bin" eval "$work/big.csv" "${catalogs[@]}" -o "$work/out.csv"
measure "eval $n, both models -> CSV" "$bin" eval "$work/big.csv" "${catalogs[@]}" --model both -o "$work/both.csv"
measure "eval $n, both models -> JSON" "$bin" eval "$work/big.csv" "${catalogs[@]}" --model both -o "$work/out.json"
measure "eval $report_n, both models -> xlsx report" "$bin" eval "$work/report.csv" "${catalogs[@]}" --model both -o "$work/report.xlsx"
ls -la "$work" | awk 'NR>1 && $5 > 0 {printf "  %-14s %8.1f MiB\n", $9, $5/1048576}'
