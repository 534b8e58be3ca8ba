#!/bin/sh
# Rebuilds the DEX fixtures in this folder from the smali sources with the
# real toolchain (Debian: apt-get install libsmali-java). smali 2.5 maps the API
# level to the DEX version: 15 -> 035, 24 -> 037, 26 -> 038, 28 -> 039.
# No installed tool writes DEX 041 containers; container_test.go builds those in
# test code from these real images.
set -eu
cd "$(dirname "$0")"
command -v smali >/dev/null || { echo "gen.sh: smali is not installed (apt-get install libsmali-java)" >&2; exit 1; }
smali a --api 15 -o classes035.dex smali/main
smali a --api 24 -o classes037.dex smali/main
smali a --api 26 -o classes038.dex smali/main
smali a --api 28 -o classes039.dex smali/main
smali a --api 28 -o second039.dex smali/second
# The code-walker fixture: this package's instruction-format and static-value
# classes, with the app and SDK code of the codereads APK fixture.
smali a --api 28 -o code039.dex smali/code ../../../testdata/fixtures/smali/codereads ../../../testdata/fixtures/smali/codereads-sdks
