#!/usr/bin/env bash
# Converts policies to the other formats users submit, with LibreOffice
# (libreoffice-writer-nogui, fonts-wqy-microhei): seed 002 (plain text, from
# ../shared/seeds; not copied into the repo) and the demo policy (HTML) each
# become HTML, DOCX and PDF in OUTDIR (git-ignored).
# usage: build.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh OUTDIR}; mkdir -p "$out"; out=$(cd "$out" && pwd)
command -v soffice >/dev/null || { echo "policies/build.sh: soffice is missing (make deps installs libreoffice-writer-nogui)" >&2; exit 1; }
profile=$(mktemp -d); trap 'rm -rf "$profile"' EXIT
lo() { soffice -env:UserInstallation=file://$profile --headless --norestore "$@" >/dev/null 2>&1; }

seed="$root/../shared/seeds/002_8cf391e277f1a318.txt"
if [ -f "$seed" ]; then
  if [ ! -s "$out/seed002.pdf" ] || [ "$seed" -nt "$out/seed002.pdf" ]; then
    cp "$seed" "$profile/seed002.txt"
    lo --infilter="Text (encoded):UTF8,LF,,," --convert-to 'html:HTML (StarWriter)' --outdir "$out" "$profile/seed002.txt"
    lo --infilter="Text (encoded):UTF8,LF,,," --convert-to 'docx:MS Word 2007 XML' --outdir "$out" "$profile/seed002.txt"
    lo --infilter="Text (encoded):UTF8,LF,,," --convert-to pdf --outdir "$out" "$profile/seed002.txt"
  fi
else
  echo "policies/build.sh: $seed is absent; seed conversions skipped" >&2
fi
demo="$root/testdata/demo/privacy-policy.html"
if [ ! -s "$out/demo.pdf" ] || [ "$demo" -nt "$out/demo.pdf" ]; then
  cp "$demo" "$profile/demo.html"
  lo --convert-to 'docx:MS Word 2007 XML' --outdir "$out" "$profile/demo.html"
  lo --convert-to pdf --outdir "$out" "$profile/demo.html"
fi
# The layout fixtures (layouts/, one document per SDK-list layout): HTML
# and flat ODF (.fodt, for what HTML cannot say, such as automatic
# numbering) sources become DOCX, PDF and LibreOffice's plain text (tables
# one cell per line); plain-text sources become DOCX and PDF; every PDF also
# becomes pdftotext's text. Markdown has no LibreOffice filter and is read as is.
mkdir -p "$out/layouts"
for src in "$here"/layouts/*.html "$here"/layouts/*.fodt "$here"/layouts/*.txt; do
  base=$(basename "$src"); stem=${base%.*}; ext=${base##*.}
  dst="$out/layouts/$stem.$ext"
  [ -s "$dst.pdf" ] && [ "$dst.pdf" -nt "$src" ] && continue
  cp "$src" "$profile/$stem.$ext"
  if [ "$ext" = html ] || [ "$ext" = fodt ]; then
    lo --convert-to 'docx:MS Word 2007 XML' --outdir "$profile/out" "$profile/$stem.$ext"
    lo --convert-to pdf --outdir "$profile/out" "$profile/$stem.$ext"
    lo --convert-to 'txt:Text (encoded):UTF8' --outdir "$profile/out" "$profile/$stem.$ext"
    mv "$profile/out/$stem.txt" "$dst.txt"
  else
    lo --infilter="Text (encoded):UTF8,LF,,," --convert-to 'docx:MS Word 2007 XML' --outdir "$profile/out" "$profile/$stem.$ext"
    lo --infilter="Text (encoded):UTF8,LF,,," --convert-to pdf --outdir "$profile/out" "$profile/$stem.$ext"
  fi
  mv "$profile/out/$stem.docx" "$dst.docx"
  if command -v pdftotext >/dev/null; then pdftotext -enc UTF-8 "$profile/out/$stem.pdf" "$dst.pdftotext.txt"; fi
  mv "$profile/out/$stem.pdf" "$dst.pdf"
done
# bench-30pages.pdf: the two HTML layout fixtures repeated into a policy of
# about 30 pages, for the PDF reading benchmark (pkg/policy BenchmarkReadPDF).
if [ ! -s "$out/bench-30pages.pdf" ] || [ "$out/bench-30pages.pdf" -ot "$here/layouts/tables.html" ]; then
  { echo '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>bench</title></head><body>'
    for i in $(seq 1 15); do
      sed -n '/<body>/,/<\/body>/p' "$here/layouts/tables.html" "$here/layouts/kv-blocks.html" | grep -v '</\?body>'
    done
    echo '</body></html>'; } > "$profile/bench-30pages.html"
  lo --convert-to pdf --outdir "$profile/out" "$profile/bench-30pages.html"
  mv "$profile/out/bench-30pages.pdf" "$out/bench-30pages.pdf"
fi
ls "$out" "$out/layouts"
