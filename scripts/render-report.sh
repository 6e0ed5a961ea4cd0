#!/usr/bin/env bash
# Renders the fixtures' xlsx report to docs/report-summary.png (its first page, the Summary sheet):
# subnet-calc writes the report, LibreOffice prints it to PDF, pdftoppm turns page 1 into a PNG.
# Needs: libreoffice-calc-nogui (soffice) and poppler-utils (pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo run --quiet --release -- eval fixtures/scenarios.csv \
  --catalog fixtures/instance-types.json --catalog fixtures/instance-types-page2.json \
  --catalog fixtures/max-pods.csv --model both -o "$work/fixtures-report.xlsx"

mkdir -p "$work/profile"
soffice "-env:UserInstallation=file://$work/profile" --headless --norestore \
  --convert-to pdf --outdir "$work" "$work/fixtures-report.xlsx" >/dev/null
pdftoppm -f 1 -l 1 -r 110 -png -singlefile "$work/fixtures-report.pdf" docs/report-summary
echo "wrote docs/report-summary.png"
