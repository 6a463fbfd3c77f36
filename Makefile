# authlib — see README.md. `make test` runs every suite that exists now.
SHELL := /bin/bash
GO    ?= go
ADDR  ?= 127.0.0.1:8080
FUZZTIME ?= 5s
FUZZ_TARGETS := FuzzParseChallenges FuzzCheckHeaderValue FuzzParseBasic

.PHONY: all test vet unit fuzz fuzz-long demo

all: test

## test: vet, the native suites under the race detector, and a short run of each fuzz target
test: vet unit fuzz
	@echo "make test: all suites passed"

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	@# The core stays pure Go: no net/http, no syscall/js.
	@if $(GO) list -deps ./authlib | grep -qxE 'net/http|syscall/js'; then echo "package authlib must not depend on net/http or syscall/js"; exit 1; fi

unit:
	$(GO) test -race -count=1 ./...

## fuzz: each target for FUZZTIME (make fuzz-long runs each for 60s)
fuzz:
	@for f in $(FUZZ_TARGETS); do \
		$(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(FUZZTIME) ./authlib || exit 1; \
	done

fuzz-long:
	$(MAKE) fuzz FUZZTIME=60s

## demo: serve the mock auth API on loopback (the demo page comes with its issue)
demo:
	$(GO) run ./authlib/cmd/authtest -addr $(ADDR)
