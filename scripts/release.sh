#!/usr/bin/env bash
# Builds the release binaries of apkaudit: static (CGO_ENABLED=0), -trimpath,
# stripped, with the version, commit and date stamped in (apkaudit version
# prints them), and a SHA256SUMS file beside them.
#
# usage: scripts/release.sh OUTDIR [GOOS/GOARCH ...]
#   default targets: linux, darwin and windows on amd64 and arm64
#   VERSION (default: git describe --tags --always --dirty) names the release.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/release.sh OUTDIR [GOOS/GOARCH ...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)
fi
version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo devel)}
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi
date=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
pkg=github.com/apkaudit/apkaudit/cmd/apkaudit/internal/cli
ldflags="-s -w -X $pkg.Version=$version -X $pkg.Commit=$commit -X $pkg.Date=$date"

mkdir -p "$out"
names=()
for t in "${targets[@]}"; do
  goos=${t%/*} goarch=${t#*/}
  name="apkaudit-$version-$goos-$goarch"
  [ "$goos" = windows ] && name="$name.exe"
  echo "build $name"
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -ldflags "$ldflags" -o "$out/$name" ./cmd/apkaudit
  names+=("$name")
done
(cd "$out" && sha256sum "${names[@]}" > SHA256SUMS)
echo "$out/SHA256SUMS"
