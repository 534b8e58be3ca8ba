# apkaudit — build, fixtures and tests.
#
#   make test      install what the tests need (Debian packages, the external
#                  corpus), rebuild the fixtures from source, run every test
#   make generate  run every generator, in order (catalogue, embedded tables, fixtures, cases)
#   make fixtures  rebuild testdata APKs and policy documents with the real toolchain
#   make fuzz      run every fuzz target for FUZZTIME (default 60s) each
#   make bench     Go benchmarks; scripts/bench.sh compares with other tools
#   make build     build ./bin/apkaudit
#   make release   static -trimpath binaries for linux, darwin and windows on amd64 and arm64, and SHA256SUMS (dist/)

GO        ?= go
FUZZTIME  ?= 60s
SMOKETIME ?= 10s
EXTERNAL  := testdata/external
APT_PKGS  := aapt dexdump libsmali-java zipalign apksigner android-framework-res \
             libreoffice-writer-nogui fonts-wqy-microhei chromium protobuf-compiler binutils \
             openjdk-17-jdk-headless zip unzip
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build release test deps corpus generate catalogue tables fixtures malformed synthetic policy-docs vet unit fuzz-smoke fuzz bench validate-sdkdb clean

all: build

## build: static, as released (CGO_ENABLED=0): a cgo build links glibc, whose
## per-thread malloc arenas reserve so much address space that it cannot start
## under prlimit --as=1GiB.
build:
	CGO_ENABLED=0 $(GO) build -o bin/apkaudit ./cmd/apkaudit

## release: the release binaries, version-stamped (VERSION=v1.2.3 make release), with SHA256SUMS.
## make test builds only linux/amd64, in tests/release, and runs it.
release:
	bash scripts/release.sh dist

## deps: Debian packages the fixtures and oracles need (installed only when missing).
deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## corpus: the large real corpus (androguard examples, framework-res, npm APKs, JPush jars, SDK binaries), git-ignored.
corpus:
	@if [ -d ../shared/corpus ]; then bash ../shared/corpus/fetch-external.sh $(EXTERNAL); \
	else echo "../shared/corpus is absent: corpus tests will skip"; fi
	bash scripts/fetch-sdk-binaries.sh $(EXTERNAL)/sdk-binaries

## generate: every generator, in the order their inputs need: the catalogue from its specs and
## the reference data, the embedded tables and snapshot (go generate), the fixture APKs and DEX
## files, the policy documents, the malformed cases and the synthetic APK. On a clean checkout it
## changes no committed file.
generate: catalogue tables fixtures synthetic

## tables: go generate: the catalogue snapshot, the permission and policy-field tables.
tables:
	$(GO) generate ./sdkdb ./pkg/permissions ./pkg/policy

## fixtures: APKs from testdata/fixtures/src (aapt + smali + cc + zipalign + apksigner), the
## SDK fixtures of testdata/fixtures/sdk (javac + zip + cc), the DEX fixtures of pkg/dex,
## policy documents and the malformed cases.
fixtures: policy-docs malformed
	bash testdata/fixtures/build.sh testdata/fixtures/apk miitee miitee-v2 packed
	@# A config split (issue 12: a bundle that names it as its base): apart, so batches of fixtures/apk keep their counts.
	bash testdata/fixtures/build.sh testdata/fixtures/split miitee-config
	@# Code evidence (issue 16): kept apart so the tests that batch testdata/fixtures/apk keep their counts.
	bash testdata/fixtures/build.sh testdata/fixtures/code codereads codeloader codereflect
	bash testdata/fixtures/build.sh testdata/demo demo
	@# SDKs as they ship (issue 13): an AAR, a JAR and a bare .so built by javac, zip and cc.
	bash testdata/fixtures/sdk/build.sh testdata/fixtures/sdk
	sh pkg/dex/testdata/gen.sh

## malformed: the hostile-input cases of tests/malformed, generated from real files (git-ignored).
malformed:
	$(GO) run ./scripts/gen-malformed testdata/malformed >/dev/null

## synthetic: a 60 MiB multi-DEX APK of real DEX files for the memory test (git-ignored; needs make corpus).
synthetic:
	@if [ -f $(EXTERNAL)/npm/appium-uiautomator2-server-v10.6.6.apk ]; then \
	  mkdir -p testdata/synthetic && \
	  find -L $(EXTERNAL) -name '*.dex' | sort | xargs $(GO) run ./scripts/synth-apk -base $(EXTERNAL)/npm/appium-uiautomator2-server-v10.6.6.apk \
	    -min-mb 60 -out testdata/synthetic/synthetic-60mb.apk $(EXTERNAL)/npm/appium-uiautomator2-server-v10.6.6.apk; \
	else echo "$(EXTERNAL) is absent: no synthetic APK (the memory test skips)"; fi

## policy-docs: seed 002 and the demo policy converted by LibreOffice to HTML, DOCX and PDF (git-ignored).
policy-docs:
	bash testdata/policies/build.sh testdata/policies/generated

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

## catalogue: regenerate sdkdb/sdks/*.yaml from the specs and the reference data (../shared/reference).
catalogue:
	@if [ -d ../shared/reference ]; then $(GO) run ./scripts/gen-sdkdb -ref ../shared/reference -out sdkdb/sdks; \
	else echo "../shared/reference is absent: sdkdb/sdks/*.yaml kept as committed"; fi

validate-sdkdb:
	$(GO) run ./cmd/apkaudit sdkdb validate --embedded

unit:
	$(GO) test -count=1 -timeout 20m ./...
	@# The policy reader's scores on the github dev set (issue 11), printed.
	@$(GO) test -count=1 -run '^TestDevSet$$' -v ./pkg/policy | grep -E 'TOTAL|\(min' || true
	@# The scan pool, the lazily read local headers and the page drops run on
	@# several goroutines, and the inflater's pooled decoders are shared by them:
	@# run those packages again under the race detector.
	$(GO) test -count=1 -race -timeout 10m ./pkg/inflate ./pkg/inventory/collect ./pkg/scan ./cmd/apkaudit/internal/cli

## fuzz-smoke: every fuzz target for SMOKETIME, so CI notices a parser that panics on its seeds or near them.
fuzz-smoke:
	@bash scripts/fuzz.sh $(SMOKETIME)

fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

test: deps corpus fixtures synthetic vet validate-sdkdb unit fuzz-smoke

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./pkg/...

clean:
	rm -rf bin dist testdata/policies/generated testdata/malformed testdata/synthetic
