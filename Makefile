# hyperdesk — run `make help` for the targets.

GO            ?= go
BIN           ?= bin/hyperdesk
HTMX_VERSION  ?= 4.0.1
HTMX_DIR      ?= assets/vendor/htmx

.DEFAULT_GOAL := help

## help: list the targets
.PHONY: help
help:
	@awk -F': ' '/^## / { sub(/^## /, ""); printf "  %-12s %s\n", $$1, substr($$0, length($$1) + 3) }' $(MAKEFILE_LIST)

## run: serve the reference tool on the embedded SQLite database (seeded) at http://127.0.0.1:3000
.PHONY: run
run:
	$(GO) run ./cmd/hyperdesk serve

# FUZZ_TARGETS are the fuzz targets, as package:Target; go test -fuzz runs
# one target of one package at a time.
FUZZ_TARGETS  := app/form:FuzzBindValues app/form:FuzzCents \
                 app/htmx:FuzzRequestFacts app/htmx:FuzzTrigger app/htmx:FuzzRegion \
                 db:FuzzListSpecParse
FUZZTIME      ?= 30s

## test: run every test, with the race detector, on SQLite and PostgreSQL; then 20,000 inputs of each fuzz target
# A count, not a duration: with a duration, Go before 1.27 may fail a target
# with a bare "context deadline exceeded" as time runs out (go.dev/issue/75804).
.PHONY: test
test:
	$(GO) test -race -count=1 -timeout 30m ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=20000x

## fuzz: run each fuzz target for FUZZTIME (default 30s, or a count such as 20000x); a failing input lands in the package's testdata/fuzz
.PHONY: fuzz
fuzz:
	@set -e; for target in $(FUZZ_TARGETS); do \
		pkg=$${target%%:*}; name=$${target#*:}; \
		echo "fuzz: $$name in ./$$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

## bench: throwaway PostgreSQL, seeded (BENCH_ROWS=100000), the real server against a hand-written baseline; writes docs/benchmarks.md (not part of test)
.PHONY: bench
bench:
	$(GO) run ./cmd/hyperdesk-bench

## loadtest: throwaway PostgreSQL, the real server, 128 signed-in clients reading and creating for 60 s; prints req/s, p50, p99 and errors by kind, fails on any error (not part of test)
.PHONY: loadtest
loadtest:
	$(GO) run ./cmd/hyperdesk-loadtest

## bench-go: Go benchmarks with allocations (pages and fragments through the whole app, form binding, list queries); not part of test
.PHONY: bench-go
bench-go:
	$(GO) test -run '^$$' -bench 'ListPage|ListFragment|DetailPage|Create|Bind|ListQuery' -benchmem ./app/form ./db ./handlers/products

## lint: check formatting (gofmt) and run go vet
.PHONY: lint
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## lighthouse: Lighthouse (mobile) accessibility and best-practices scores of key pages; needs npm and chromium (not part of test)
.PHONY: lighthouse
lighthouse:
	.ci/lighthouse

## screenshots: retake the README's screenshots (docs/screenshot-*.png) in headless Chromium
.PHONY: screenshots
screenshots:
	$(GO) test ./handlers -run TestDocsScreenshots -count=1 -args -update-screenshots

## build: build the hyperdesk binary into bin/
.PHONY: build
build:
	$(GO) build -trimpath -o $(BIN) ./cmd/hyperdesk

## vendor-htmx: refresh the vendored htmx from npm (HTMX_VERSION=4.0.x to change it)
.PHONY: vendor-htmx
vendor-htmx:
	@set -eu; \
	tmp=$$(mktemp -d); \
	trap 'rm -rf "$$tmp"' EXIT HUP INT TERM; \
	npm pack --loglevel=error --ignore-scripts --pack-destination "$$tmp" "htmx.org@$(HTMX_VERSION)" >/dev/null; \
	set -- "$$tmp"/htmx.org-*.tgz; \
	test -f "$$1" || { echo "vendor-htmx: npm pack produced no tarball" >&2; exit 1; }; \
	gzip -dc "$$1" | tar -xf - -C "$$tmp" package/package.json package/LICENSE package/dist/htmx.min.js; \
	ver=$$(sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$$tmp/package/package.json" | head -n 1); \
	test -n "$$ver" || { echo "vendor-htmx: no version in package.json" >&2; exit 1; }; \
	if grep -q 'export default' "$$tmp/package/dist/htmx.min.js"; then \
		echo "vendor-htmx: dist/htmx.min.js is an ES module, expected a classic script" >&2; exit 1; \
	fi; \
	mkdir -p "$(HTMX_DIR)"; \
	cp "$$tmp/package/dist/htmx.min.js" "$(HTMX_DIR)/htmx.min.js"; \
	cp "$$tmp/package/LICENSE" "$(HTMX_DIR)/LICENSE"; \
	printf '%s' "$$ver" > "$(HTMX_DIR)/VERSION"; \
	echo "vendor-htmx: htmx.org $$ver -> $(HTMX_DIR)"
