#!/usr/bin/env bash
# Fuzzes every reader with cargo fuzz (libFuzzer), SECONDS per target (default 600), and prints
# each target's final figures. See docs/testing.md.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Its sanitizer flags need a nightly compiler; on a
# stable toolchain RUSTC_BOOTSTRAP=1 lets them through. Seeds are made from fixtures/, from the
# figures the tests carry in tests/data/ (the upstream instance data, the legacy workbook oracle's
# scenarios), from workbooks the tool exports, and from the legacy workbook file itself when
# ../shared (or SUBNET_CALC_SHARED) holds it, the one seed the repository cannot carry; corpora and
# logs go to FUZZ_WORK (default: $TMPDIR/subnet-calc-fuzz), outside the repository. A failing
# input lands in fuzz/artifacts/<target>/; make it a regression test named after what it found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(scenario_csv legacy_workbook legacy_workbook_xml report report_xml catalog_json catalog_csv
           catalog_max_pods_txt)
fi
work=${FUZZ_WORK:-${TMPDIR:-/tmp}/subnet-calc-fuzz}
shared=${SUBNET_CALC_SHARED:-../shared}
export RUSTC_BOOTSTRAP=1

cargo build --release --quiet
bin=target/release/subnet-calc
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{scenario_csv,legacy_workbook,legacy_workbook_xml,report,report_xml,catalog_json,catalog_csv,catalog_max_pods_txt} "$work/logs"

cp fixtures/scenarios.csv "$seeds/scenario_csv/"
printf 'scenario;subnet_cidr;instance_type;instances;pods_per_node\r\na;10.0.0.0/24;m5.large;3;20\r\n' > "$seeds/scenario_csv/semicolons.csv"
# The first 40 scenarios LibreOffice computed with the legacy workbook, as a scenario CSV.
python3 - tests/data/golden/legacy-workbook-oracle.jsonl "$seeds/scenario_csv/oracle.csv" <<'PY'
import csv, json, sys
with open(sys.argv[1]) as lines, open(sys.argv[2], "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["scenario", "subnet_cidr", "warm_eni_target", "warm_ip_target",
                "host_networking_ips", "daemonset_pods", "instance_type", "instances",
                "pods_per_node"])
    for _, line in zip(range(40), lines):
        s = json.loads(line)
        eni = s["sheet"] == "WarmENI"
        for t, n, pods in s["groups"]:
            w.writerow([s["id"], s["cidr"], s["warm"] if eni else "", "" if eni else s["warm"],
                        s["host_ips"], s["daemonset"], t, n, pods])
PY
cp fixtures/instance-types.json fixtures/instance-types-page2.json "$seeds/catalog_json/"
cp fixtures/max-pods.csv "$seeds/catalog_csv/"
# The upstream instance data the tests carry: the VPC CNI's limits and max pods, the resource
# controller's branch-ENI limits (their first 64 KB), and the max pods as eni-max-pods.txt.
for f in tests/data/upstream/*.csv; do
  head -c 65536 "$f" > "$seeds/catalog_csv/$(basename "$f")"
done
{
  echo '# Mapping is calculated from AWS EC2 API'
  tail -n +2 tests/data/upstream/eni-max-pods.csv | tr ',' ' '
} > "$seeds/catalog_max_pods_txt/eni-max-pods.txt"
[ -f "$shared/fixtures/subnet-calc.xlsx" ] && cp "$shared/fixtures/subnet-calc.xlsx" "$seeds/legacy_workbook/"

# Workbooks in the legacy layout, exported by the tool, and their XML parts for the XML target.
# Their lookup sheets hold the fixture catalogues alone (--no-builtin-catalog), so that the seeds
# stay small.
exported="$work/exported"
rm -rf "$exported"
"$bin" convert fixtures/scenarios.csv --catalog fixtures/instance-types.json \
  --catalog fixtures/instance-types-page2.json --catalog fixtures/max-pods.csv \
  --no-builtin-catalog -o "$exported" --to legacy 2>/dev/null || true
cp "$exported"/*.xlsx "$seeds/legacy_workbook/" 2>/dev/null || true
python3 - "$seeds/legacy_workbook" "$seeds/legacy_workbook_xml" <<'PY'
import pathlib, sys, zipfile
src, dst = map(pathlib.Path, sys.argv[1:])
for book in src.glob("*.xlsx"):
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        def part(prefix):
            hits = sorted(n for n in names if n.startswith(prefix))
            return z.read(hits[0]) if hits else b""
        seed = b"\0".join([part("xl/worksheets/sheet"), z.read("xl/workbook.xml"),
                           part("xl/tables/table"), part("xl/sharedStrings")])
        (dst / (book.stem + ".bin")).write_bytes(seed)
PY

# Reports the tool writes (one model and both), and their XML parts for the XML target: Inputs,
# Catalog and Summary sheets, workbook.xml, shared strings, styles.
for models in workbook vpc-cni both; do
  "$bin" eval fixtures/scenarios.csv --catalog fixtures/instance-types.json \
    --catalog fixtures/instance-types-page2.json --catalog fixtures/max-pods.csv \
    --model "$models" -o "$seeds/report/report-$models.xlsx" -q 2>/dev/null || true
done
python3 - "$seeds/report" "$seeds/report_xml" <<'PY'
import pathlib, re, sys, zipfile
src, dst = map(pathlib.Path, sys.argv[1:])
for book in src.glob("*.xlsx"):
    with zipfile.ZipFile(book) as z:
        workbook = z.read("xl/workbook.xml")
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        def sheet(name):
            rid = re.search(rb'<sheet name="%s"[^>]*r:id="([^"]+)"' % name.encode(), workbook)
            target = rid and re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid.group(1).decode(), rels)
            return z.read("xl/" + target.group(1)) if target else b""
        sheets = [sheet("Inputs"), sheet("Catalog"), sheet("Summary")]
        # The target's package has three sheets: Summary, Inputs, Catalog (rId1 to rId3).
        three = (b'<sheets><sheet name="Summary" sheetId="1" r:id="rId1"/><sheet name="Inputs" '
                 b'sheetId="2" r:id="rId2"/><sheet name="Catalog" sheetId="3" r:id="rId3"/></sheets>')
        workbook = re.sub(rb"<sheets>.*</sheets>", three, workbook, flags=re.S)
        workbook = re.sub(rb"<definedNames>.*</definedNames>", b"", workbook, flags=re.S)
        seed = b"\0".join(sheets + [workbook,
                                     z.read("xl/sharedStrings.xml"), z.read("xl/styles.xml")])
        (dst / (book.stem + ".bin")).write_bytes(seed)
PY

for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  mkdir -p "$corpus"
  log="$work/logs/$target.log"
  echo "== $target: ${seconds}s"
  set +e
  (cd fuzz && cargo fuzz run -O "$target" "$corpus" "$seeds/$target" -- \
     -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=1 -print_final_stats=1) >"$log" 2>&1
  status=$?
  set -e
  grep -E "^#[0-9]+ *DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|stat::new_units_added" "$log" || true
  grep -E "ERROR|SUMMARY|Test unit written" "$log" || true
  echo "exit status $status, corpus $(ls "$corpus" | wc -l) inputs, log $log"
done
