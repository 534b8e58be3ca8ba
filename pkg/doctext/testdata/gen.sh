#!/bin/sh
# gen.sh rebuilds the derived doctext fixtures from the committed sources in
# this folder with real tools (iconv, LibreOffice headless). Run it from
# anywhere; the outputs are committed, so tests never run it.
#
#   sources:  seed002-excerpt.txt (lines 340-560 of shared/seeds/002_*.txt,
#             refreshed from there when shared/ is present), sdk-table.html
#             and sdk-table.md (written by hand from that seed's SDK list).
#   needs:    iconv, soffice (apt-get install -y libreoffice-writer-nogui
#             fonts-wqy-microhei)
set -eu
cd "$(dirname "$0")"

seed=$(ls ../../../../shared/seeds/002_*.txt 2>/dev/null | head -n 1 || true)
if [ -n "$seed" ]; then
	sed -n '340,560p' "$seed" >seed002-excerpt.txt
fi

for tool in iconv soffice; do
	command -v "$tool" >/dev/null || { echo "gen.sh: $tool is missing" >&2; exit 1; }
done

# Plain text in other encodings.
iconv -f UTF-8 -t GB18030 seed002-excerpt.txt >seed002-excerpt.gb18030.txt
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE seed002-excerpt.txt; } >seed002-excerpt.utf16le.txt
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE seed002-excerpt.txt; } >seed002-excerpt.utf16be.txt

# The HTML page served as GBK with a meta charset declaration.
sed 's/<meta charset="utf-8">/<meta http-equiv="Content-Type" content="text\/html; charset=gbk">/' sdk-table.html |
	iconv -f UTF-8 -t GBK >sdk-table.gbk.html

# DOCX and PDF converted by LibreOffice from the HTML.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp sdk-table.html "$tmp/"
soffice --headless -env:UserInstallation=file://"$tmp"/profile \
	--convert-to 'docx:MS Word 2007 XML' --outdir "$tmp/docx" "$tmp/sdk-table.html" >/dev/null
soffice --headless -env:UserInstallation=file://"$tmp"/profile \
	--convert-to pdf:writer_web_pdf_Export --outdir "$tmp/pdf" "$tmp/sdk-table.html" >/dev/null
cp "$tmp/docx/sdk-table.docx" sdk-table.docx
cp "$tmp/pdf/sdk-table.pdf" sdk-table.pdf
ls -l seed002-excerpt.* sdk-table.*
