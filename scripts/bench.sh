#!/usr/bin/env bash
# Compares apkaudit with the tools users have today, in one run, on the same
# machine, warm cache. Prints a Markdown table (medians, ratios, peak RSS).
#
#   apkaudit   apkaudit inspect --format json (manifest, every class, SDK matching,
#              the code scan for sensitive-API call sites and its attribution)
#   check      apkaudit check --format json against the demo policy (every rule)
#   floor      scripts/inflate-floor: inflate every DEX entry with klauspost/compress,
#              discard the bytes (the floor the performance bar is defined against)
#   floor-own  scripts/inflate-floor -inflater apkaudit: the same with apkaudit's own
#              inflater (pkg/inflate), so the table also shows the scan's cost beyond
#              its own reading ("× own floor" under the table)
#   aapt       aapt dump permissions (manifest only)
#   dexdump    exodus-core's pipeline: unzip + dexdump + perl class extraction
#   baksmali   baksmali list classes, once per DEX (MobSF's way)
#   androguard androguard 3.4: APK + DalvikVMFormat for every DEX (Debian's python3)
#   androguard-xref  androguard's AnalyzeAPK with cross-references, then the callers of
#              four personal-information APIs: how VioDroid-Finder finds call sites
#
# usage: scripts/bench.sh [PAIRS]     (default 7 alternating apkaudit/floor pairs)
# Needs the external corpus (make corpus); installs the Debian packages it
# compares with (aapt dexdump libsmali-java androguard time) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-7}
ext=testdata/external
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
missing=""
for p in aapt dexdump libsmali-java androguard time; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "bench.sh: installing$missing" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
for t in aapt dexdump baksmali /usr/bin/time; do command -v "$t" >/dev/null || { echo "bench.sh: $t missing (apt-get install aapt dexdump libsmali-java androguard time)" >&2; exit 1; }; done
[ -f "$ext/npm/appium-uiautomator2-server-v10.6.6.apk" ] || { echo "bench.sh: run make corpus first" >&2; exit 1; }

# Static binaries (as released): a cgo build links libc dynamically and starts slower.
export CGO_ENABLED=0
go build -o "$work/apkaudit" ./cmd/apkaudit
go build -o "$work/inflate-floor" ./scripts/inflate-floor
go build -o "$work/synth-apk" ./scripts/synth-apk
appium="$ext/npm/appium-uiautomator2-server-v10.6.6.apk"
synth="$work/synthetic-60mb.apk"
mapfile -t dexsrc < <(find "$ext" -name '*.dex' | sort)
"$work/synth-apk" -base "$appium" -min-mb 60 -out "$synth" "$appium" "$ext/npm/io.appium.settings-8.0.10.apk" "$ext/framework-res.apk" "${dexsrc[@]}" >&2

# measure NAME CMD... : one run, appends "seconds maxrss_kb" to $work/NAME
# (wall time from date +%s%N, nanosecond resolution; peak RSS from /usr/bin/time)
measure() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || { echo "bench.sh: $name failed: $(tail -1 "$work/err")" >&2; return 1; }
  t1=$(date +%s%N)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b-a)/1e9}') $(cat "$work/t")" >> "$work/r_$name"
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$work/r_$1"; }

dexdump_pipeline() {
  local d; d=$(mktemp -d)
  unzip -qo "$1" 'classes*.dex' -d "$d"
  for f in "$d"/classes*.dex; do dexdump "$f"; done | perl -ne 'print "$1\n" if /Class descriptor\s+:\s+.L(.*);./' >/dev/null
  rm -rf "$d"
}
baksmali_list() {
  local n
  for n in $(unzip -Z1 "$1" | grep -E '^classes[0-9]*\.dex$'); do baksmali list classes "$1/$n" >/dev/null; done
}
androguard_run() {
  /usr/bin/python3 - "$1" <<'PY' 2>/dev/null
import sys
from androguard.core.bytecodes.apk import APK
from androguard.core.bytecodes.dvm import DalvikVMFormat
a = APK(sys.argv[1])
n = sum(len(DalvikVMFormat(d).get_classes()) for d in a.get_all_dex())
a.get_permissions()
PY
}
androguard_xref() {
  /usr/bin/python3 - "$1" <<'PY' 2>/dev/null
import sys
from androguard.misc import AnalyzeAPK
a, d, dx = AnalyzeAPK(sys.argv[1])  # every DEX, with cross-references
n = 0
for cls, name in [("Landroid/telephony/TelephonyManager;", "getDeviceId"), ("Landroid/provider/Settings\\$Secure;", "getString"),
                  ("Landroid/content/ClipboardManager;", "getPrimaryClip"), ("Landroid/location/LocationManager;", "getLastKnownLocation")]:
    for m in dx.find_methods(classname=cls, methodname=name):
        n += len(list(m.get_xref_from()))
a.get_permissions()
PY
}
export -f dexdump_pipeline baksmali_list androguard_run androguard_xref

bench_apk() {
  local label=$1 apk=$2 slow_runs=$3 xref_runs=$4
  rm -f "$work"/r_*
  for _ in $(seq "$pairs"); do   # alternate, so drift hits both sides alike
    measure apkaudit "$work/apkaudit" inspect --format json --quiet "$apk"
    measure floor "$work/inflate-floor" -j 2 "$apk"
    measure floor-own "$work/inflate-floor" -j 2 -inflater apkaudit "$apk"
    measure check "$work/apkaudit" check --format json --quiet --fail-on none "$apk" --policy testdata/demo/privacy-policy.html
  done
  for _ in $(seq "$pairs"); do measure aapt aapt dump permissions "$apk"; done
  for _ in $(seq "$slow_runs"); do
    measure dexdump bash -c 'dexdump_pipeline "$0"' "$apk"
    measure baksmali bash -c 'baksmali_list "$0"' "$apk"
    measure androguard bash -c 'androguard_run "$0"' "$apk"
  done
  for _ in $(seq "$xref_runs"); do measure androguard-xref bash -c 'androguard_xref "$0"' "$apk"; done
  local floor_s; floor_s=$(col floor 1 | median)
  local dex_mb; dex_mb=$(unzip -lv "$apk" | awk '$NF ~ /\.dex$/ {s+=$1} END {printf "%.1f", s/1048576}')
  echo
  echo "### $label ($(du -m "$apk" | cut -f1) MB APK, $dex_mb MiB of DEX)"
  echo
  echo "| tool | runs | median s | × floor | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|"
  for t in apkaudit check floor floor-own aapt dexdump baksmali androguard androguard-xref; do
    [ -s "$work/r_$t" ] || continue
    local s rss
    s=$(col "$t" 1 | median); rss=$(col "$t" 2 | sort -n | tail -1)
    printf '| %s | %d | %.4f | %.2f | %.0f |\n' "$t" "$(wc -l < "$work/r_$t")" "$s" "$(awk -v a="$s" -v b="$floor_s" 'BEGIN{print (b>0)?a/b:0}')" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
  done
  local own_s; own_s=$(col floor-own 1 | median)
  echo
  printf 'apkaudit × own floor (pkg/inflate): %.2f; check × own floor: %.2f\n' \
    "$(awk -v a="$(col apkaudit 1 | median)" -v b="$own_s" 'BEGIN{print (b>0)?a/b:0}')" \
    "$(awk -v a="$(col check 1 | median)" -v b="$own_s" 'BEGIN{print (b>0)?a/b:0}')"
}

echo "## apkaudit benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3)"
bench_apk "appium-uiautomator2-server 10.6.6" "$appium" 3 "${XREF_RUNS:-1}"
bench_apk "synthetic multi-DEX APK from real DEX files" "$synth" 1 "${XREF_RUNS:-1}"
