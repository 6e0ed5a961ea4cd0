#!/usr/bin/env bash
# Renders the xlsx report as LibreOffice prints it, for docs/report.md: the fixtures' report (10
# scenarios), a report of their first 2 scenarios and one of 200 generated scenarios, each with
# both models. subnet-calc writes the reports, LibreOffice prints them to PDF, pdftoppm turns the
# Summary page (and, for the fixtures, the first page of Outputs and of the VPC CNI model sheet)
# into PNGs at 100 dpi. The reports use the built-in instance catalogue, as the README's commands
# do (the fixture catalogues give the fixtures' types the same figures):
#
#   docs/report-summary.png          the fixtures' Summary (vpc-cni section)
#   docs/report-summary-workbook.png the fixtures' Summary, second page (workbook section)
#   docs/report-outputs.png          the fixtures' Outputs, first page
#   docs/report-vpc-cni.png          the fixtures' VPC CNI model sheet, first page
#   docs/report-summary-2.png        the Summary of 2 scenarios
#   docs/report-summary-200.png      the Summary of 200 generated scenarios
#   docs/report-fixtures.pdf         the fixtures' whole report, when under 300 KB
#
# Needs: libreoffice-calc-nogui (soffice) and poppler-utils (pdftoppm, pdftotext).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --quiet --release --bin subnet-calc --example generate_scenarios
bin=$PWD/target/release/subnet-calc

# The reports name their inputs as given: run where fixtures/ and the inputs have short names.
ln -s "$PWD/fixtures" "$work/fixtures"
# The first two scenarios of the fixtures: the header, and the rows of the first two ids.
awk -F, 'NR == 1 { print; next } !($1 in seen) { n++; seen[$1] } n <= 2' \
  fixtures/scenarios.csv > "$work/two-scenarios.csv"
target/release/examples/generate_scenarios 200 > "$work/200-scenarios.csv"
(
  cd "$work"
  "$bin" eval -q fixtures/scenarios.csv --model both -o fixtures.xlsx
  "$bin" eval -q two-scenarios.csv --model both -o two.xlsx
  "$bin" eval -q 200-scenarios.csv --model both -o generated.xlsx
)

mkdir -p "$work/profile"
soffice "-env:UserInstallation=file://$work/profile" --headless --norestore \
  --convert-to pdf --outdir "$work" "$work/fixtures.xlsx" "$work/two.xlsx" "$work/generated.xlsx" \
  >/dev/null

# The first page whose text starts with the header of a sheet.
page_of() {
  local pdf=$1 first=$2 pages
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
  for ((p = 1; p <= pages; p++)); do
    if pdftotext -f "$p" -l "$p" -layout "$pdf" - | grep -m1 -v '^\s*$' | grep -q "$first"; then
      echo "$p"
      return
    fi
  done
  echo "no page starts with $first in $pdf" >&2
  exit 1
}
png() { pdftoppm -f "$2" -l "$2" -r 100 -png -singlefile "$work/$1.pdf" "docs/$3"; echo "wrote docs/$3.png"; }

png fixtures 1 report-summary
png fixtures 2 report-summary-workbook
png fixtures "$(page_of "$work/fixtures.pdf" 'Scenario *Model *Status')" report-outputs
png fixtures "$(page_of "$work/fixtures.pdf" 'Node group')" report-vpc-cni
png two 1 report-summary-2
png generated 1 report-summary-200
size=$(stat -c %s "$work/fixtures.pdf")
if (( size < 300 * 1024 )); then
  cp "$work/fixtures.pdf" docs/report-fixtures.pdf
  echo "wrote docs/report-fixtures.pdf ($(( size / 1024 )) KB)"
else
  echo "left out the fixtures' PDF: $(( size / 1024 )) KB"
fi
