#!/usr/bin/env bash
# The benchmark of docs/performance.md: every speed and memory target measured side by side with
# its floor, in one run, on inputs generated here (deterministically). Prints one table.
#
#   scripts/bench.sh            # 1,000,000 scenarios; 100,000 for the xlsx report
#   scripts/bench.sh 200000     # a smaller run (the report takes min(N, 100,000))
#
# Wall time and peak resident memory come from GNU time; the floors from examples/floor.rs
# (the csv crate's ByteRecord pass over the same file; rust_xlsxwriter writing the same cells with
# no formats; calamine reading every sheet of the same workbooks) and dd (writing as many bytes).
# The engine figures come from benches/engine.rs.
#
# The workbooks job reads 2,000 copies of the real legacy workbook when the shared reference
# material is beside the repository (../shared/fixtures/subnet-calc.xlsx, or SUBNET_CALC_SHARED),
# else 2,000 copies of the workbooks exported below.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
report_n=$(( n < 100000 ? n : 100000 ))
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

cargo build --quiet --release --bin subnet-calc --example generate_scenarios --example floor
bin=target/release/subnet-calc
gen=target/release/examples/generate_scenarios
floor=target/release/examples/floor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
catalogs=(--catalog fixtures/instance-types.json --catalog fixtures/instance-types-page2.json --catalog fixtures/max-pods.csv)

# Runs a command quietly; sets $secs (wall) and $mib (peak RSS).
# Dirty pages of an earlier job's output are flushed first: their write-back would be charged to
# whatever runs next.
# GNU time gives the wall time in hundredths, too coarse for a job of a quarter second: the clock is
# read around it in nanoseconds (`date` itself takes about a millisecond).
measure() {
  sync
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  end=$(date +%s%N)
  read -r _ kib < "$work/time"
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  mib=$(( kib / 1024 ))
}
# The seconds a floor run printed first.
floor_secs() { "$floor" "$@" | awk '{print $1}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = (dir == "<=") ? (v <= t) : (v >= t); print ok ? "met" : "MISSED" }'; }
row() { printf '%-48s %9s %9s %7s %8s  %s\n' "$@"; }

"$gen" "$n" > "$work/big.csv"
"$gen" "$report_n" > "$work/report.csv"
"$gen" 500 --legacy > "$work/legacy.csv"
"$bin" convert -q "$work/legacy.csv" "${catalogs[@]}" --to legacy -o "$work/workbooks"
# 2,000 workbooks (copies, not links: links to one file are read once), and the first 500 and
# 1,000 of them in folders of their own (hard links to the same copies).
real="${SUBNET_CALC_SHARED:-../shared}/fixtures/subnet-calc.xlsx"
mkdir "$work/copies"
if [ -f "$real" ]; then
  copies="copies of the real legacy workbook"
  for i in $(seq -w 1 2000); do cp "$real" "$work/copies/w$i.xlsx"; done
else
  copies="copies of the exported workbooks"
  for r in a b c d; do
    for f in "$work/workbooks"/*.xlsx; do cp "$f" "$work/copies/$r-$(basename "$f")"; done
  done
fi
all_copies=("$work/copies"/*.xlsx)
for k in 500 1000; do
  mkdir "$work/copies$k"
  cp -l -t "$work/copies$k" "${all_copies[@]:0:$k}"
done

echo "subnet-calc benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "inputs: $n scenarios ($(( $(wc -l < "$work/big.csv") - 1 )) node-group rows, $(( $(stat -c %s "$work/big.csv") / 1048576 )) MiB); $report_n for the report; 500 legacy workbooks; 2,000 $copies"
echo
row "job" "time s" "floor s" "ratio" "peak MiB" "targets"

# 1. Scenario CSV -> summary CSV, beside the csv crate's pass over the same file.
f=$(floor_secs csv "$work/big.csv")
measure "$bin" eval "$work/big.csv" "${catalogs[@]}" -o "$work/out.csv"
f2=$(floor_secs csv "$work/big.csv")
f=$(awk -v a="$f" -v b="$f2" 'BEGIN { print (a < b) ? a : b }')
r=$(ratio "$secs" "$f")
row "$n scenarios -> summary CSV" "$secs" "$f" "$r" "$mib" "ratio <= 2: $(verdict "$r" 2 "<="); <= 300 MiB: $(verdict "$mib" 300 "<=")"

# 2. The same -> JSON; its floor is the CSV pass plus writing as many bytes (dd). Writing 3 GB
# takes whatever the kernel's write-back allows at that moment: the job and dd alternate twice
# and each keeps its faster run (memory: the higher peak).
json_secs="" json_peak=0 w="" wd=""
for _ in 1 2; do
  measure "$bin" eval "$work/big.csv" "${catalogs[@]}" -o "$work/out.json"
  json_secs=$(awk -v a="$secs" -v b="${json_secs:-$secs}" 'BEGIN { print (a < b) ? a : b }')
  json_peak=$(( mib > json_peak ? mib : json_peak ))
  json_mib=$(( $(stat -c %s "$work/out.json") / 1048576 ))
  rm -f "$work/out.json"
  sync
  /usr/bin/time -f "%e %M" -o "$work/time" dd if=/dev/zero of="$work/zeros" bs=1M count="$json_mib" status=none
  read -r dd_secs _ < "$work/time"
  w=$(awk -v a="$dd_secs" -v b="${w:-$dd_secs}" 'BEGIN { print (a < b) ? a : b }')
  rm -f "$work/zeros"
  # subnet-calc syncs its output before renaming it into place; dd conv=fsync does the same.
  sync
  /usr/bin/time -f "%e %M" -o "$work/time" dd if=/dev/zero of="$work/zeros" bs=1M count="$json_mib" conv=fsync status=none
  read -r dd_secs _ < "$work/time"
  wd=$(awk -v a="$dd_secs" -v b="${wd:-$dd_secs}" 'BEGIN { print (a < b) ? a : b }')
  rm -f "$work/zeros"
done
secs=$json_secs mib=$json_peak
fj=$(awk -v a="$f" -v b="$w" 'BEGIN { printf "%.2f", a + b }')
r=$(ratio "$secs" "$fj")
row "$n scenarios -> JSON ($json_mib MiB, best of 2)" "$secs" "$fj" "$r" "$mib" "ratio <= 2: $(verdict "$r" 2 "<="); <= 300 MiB: $(verdict "$mib" 300 "<=")"
fjd=$(awk -v a="$f" -v b="$wd" 'BEGIN { printf "%.2f", a + b }')
row "  the same, floor writing durably (dd conv=fsync)" "" "$fjd" "$(ratio "$secs" "$fjd")" "" "(shown for context; the target is judged above)"

# 3. The xlsx report, both models, beside rust_xlsxwriter writing the same cells unformatted.
measure "$bin" eval "$work/report.csv" "${catalogs[@]}" --model both -o "$work/report.xlsx"
fx=$(floor_secs xlsx "$work/report.xlsx" "$work/floor.xlsx")
r=$(ratio "$secs" "$fx")
row "$report_n scenarios, both models -> xlsx report" "$secs" "$fx" "$r" "$mib" "ratio <= 2: $(verdict "$r" 2 "<="); <= 500 MiB: $(verdict "$mib" 500 "<=")"

# 4. 500 legacy workbooks -> one CSV, one thread against two: five rounds, one thread then two in
# each, each keeping its best run (the machine is shared: a run that another process slowed says
# nothing about the threads, and taking turns spreads a busy spell over both).
t1="" t2="" wb_peak=0
for _ in 1 2 3 4 5; do
  measure "$bin" eval "$work/workbooks" -o "$work/wb1.csv" --threads 1
  t1=$(awk -v a="$secs" -v b="${t1:-$secs}" 'BEGIN { print (a < b) ? a : b }')
  measure "$bin" eval "$work/workbooks" -o "$work/wb2.csv" --threads 2
  t2=$(awk -v a="$secs" -v b="${t2:-$secs}" 'BEGIN { print (a < b) ? a : b }')
  wb_peak=$(( mib > wb_peak ? mib : wb_peak ))
done
r=$(ratio "$t1" "$t2")
row "500 workbooks -> CSV, --threads 2 (best of 5)" "$t2" "$t1" "$r" "$wb_peak" "speed-up >= 1.7: $(verdict "$r" 1.7 ">=")"
cmp -s "$work/wb1.csv" "$work/wb2.csv" || { echo "one and two threads wrote different CSVs" >&2; exit 1; }

# 5. 2,000 workbooks -> one summary CSV, beside calamine opening the same files and reading every
# sheet (the floor, on as many threads), measured before and after the job; the lower is kept.
measure "$floor" workbooks "$work/copies"
fw=$secs
measure "$bin" eval "$work/copies" -o "$work/copies.csv"
wb_secs=$secs wb_mib=$mib
measure "$floor" workbooks "$work/copies"
fw=$(awk -v a="$fw" -v b="$secs" 'BEGIN { print (a < b) ? a : b }')
r=$(ratio "$wb_secs" "$fw")
row "2,000 workbooks -> summary CSV" "$wb_secs" "$fw" "$r" "$wb_mib" "ratio <= 1.5: $(verdict "$r" 1.5 "<="); <= 300 MiB: $(verdict "$wb_mib" 300 "<=")"

# 6. Linear time, flat memory.
echo
row "scaling (-> summary CSV)" "time s" "" "" "peak MiB" ""
for k in 10000 100000 1000000; do
  [ "$k" -le "$n" ] || continue
  head -n "$(( $(grep -n "^s$k," "$work/big.csv" | head -1 | cut -d: -f1) - 1 ))" "$work/big.csv" > "$work/part.csv" 2>/dev/null || cp "$work/big.csv" "$work/part.csv"
  [ "$k" -eq "$n" ] && cp "$work/big.csv" "$work/part.csv"
  measure "$bin" eval "$work/part.csv" "${catalogs[@]}" -o "$work/part-out.csv"
  row "$k scenarios" "$secs" "" "" "$mib" ""
done
echo
row "scaling (workbooks -> summary CSV)" "time s" "" "" "peak MiB" ""
for k in 500 1000; do
  measure "$bin" eval "$work/copies$k" -o "$work/part-out.csv"
  row "$k workbooks" "$secs" "" "" "$mib" ""
done
row "2000 workbooks (job 5)" "$wb_secs" "" "" "$wb_mib" ""

# 7. The engine alone, on one core.
echo
cargo bench --quiet --bench engine -- "$n" 2>/dev/null | sed -n '/node-group/p' | while read -r line; do
  rate=$(echo "$line" | sed -E 's/.* ([0-9]+) node-group evaluations\/s/\1/')
  case "$line" in
    *workbook:*) echo "$line  (target >= 10,000,000: $(verdict "$rate" 10000000 ">="))" ;;
    *vpc-cni:*) echo "$line  (target >= 2,000,000: $(verdict "$rate" 2000000 ">="))" ;;
    *) echo "$line" ;;
  esac
done
