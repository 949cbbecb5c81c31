# dcr: the daemon (dcrd) and its control CLI (dcrctl).
#
#   make run        the daemon on its embedded defaults, fed by a simulated room
#   make test       everything CI checks (this is what .ci/run calls)
#   make proto      regenerate the protoc-c output committed under Sources/DCRProtoC
#   make install    binaries, units, man pages, completions (honours DESTDIR and PREFIX)
#   make man        regenerate Deploy/man/dcrctl.1 and dcrd.8 from the argument parsers
#   make completions  regenerate Deploy/completions/ (bash, zsh, fish) from dcrctl's parser
#   make fuzz       long libFuzzer campaigns, FUZZ_SECONDS per target (Fuzz/README.md)

PREFIX    ?= /usr/local
DESTDIR   ?=
SWIFT     ?= swift
PROTO_SRC := Proto/dcr/v1/dcr.proto
PROTO_OUT := Sources/DCRProtoC
BIN       := .build/debug
RELEASE   := .build/release

.PHONY: deps proto proto-check build build-release test test-unit test-peer test-dashboard test-forward test-leaks \
        test-release-warnings test-systemd run install clean man completions docs-check \
        fuzz-build test-fuzz fuzz

deps:
	@bash scripts/install-deps

# protoc-c writes dcr/v1/dcr.pb-c.{c,h}; the header goes under include/ so that the C target
# exports it. Never edit the output by hand: change the .proto and run `make proto`.
proto: deps
	@tmp=$$(mktemp -d) && protoc-c --c_out=$$tmp -IProto $(PROTO_SRC) && \
	  mkdir -p $(PROTO_OUT)/dcr/v1 $(PROTO_OUT)/include/dcr/v1 && \
	  cp $$tmp/dcr/v1/dcr.pb-c.c $(PROTO_OUT)/dcr/v1/dcr.pb-c.c && \
	  cp $$tmp/dcr/v1/dcr.pb-c.h $(PROTO_OUT)/include/dcr/v1/dcr.pb-c.h && rm -rf $$tmp
	@echo "proto: regenerated $(PROTO_OUT) from $(PROTO_SRC)"

proto-check: deps
	@tmp=$$(mktemp -d) && protoc-c --c_out=$$tmp -IProto $(PROTO_SRC) && \
	  if cmp -s $$tmp/dcr/v1/dcr.pb-c.c $(PROTO_OUT)/dcr/v1/dcr.pb-c.c && \
	     cmp -s $$tmp/dcr/v1/dcr.pb-c.h $(PROTO_OUT)/include/dcr/v1/dcr.pb-c.h; then \
	    rm -rf $$tmp; echo "proto-check: generated code is up to date"; \
	  else rm -rf $$tmp; echo "proto-check: $(PROTO_OUT) is stale; run 'make proto' and commit" >&2; exit 1; fi

build: deps
	$(SWIFT) build --build-tests

build-release: deps
	$(SWIFT) build -c release

# Unit and integration tests share one build; integration tests start $(BIN)/dcrd. One test at a
# time: timing checks (watchdog pace, idle timeouts) must not compete for 2 cores with a crash test.
test-unit: build
	$(SWIFT) test --skip-build --no-parallel

# A peer that shares no code with dcr: Python with Google's protobuf runtime; and over TLS,
# Python's ssl module (OpenSSL) with certificates from Deploy/dcr-tls-certs.
test-peer: build
	/usr/bin/python3 Tests/PeerTests/peer_test.py --dcrd $(BIN)/dcrd --proto-dir Proto
	/usr/bin/python3 Tests/PeerTests/tls_peer_test.py --dcrd $(BIN)/dcrd --proto-dir Proto

# The HTTP side as operators and rooms use it: a real Prometheus (Debian's) scraping the real
# dcrd, promtool on the metrics, the alert rules and the example config, the Grafana dashboard's
# queries against what is exposed, and the wall screen in real headless Chromium
# (screenshots in .build/test-output/).
test-dashboard: build
	/usr/bin/python3 Tests/DashboardTests/dashboard_test.py --dcrd $(BIN)/dcrd --proto-dir Proto

# Many rooms, one city: two dcrd forwarding to a real PostgreSQL (Debian's; initdb and pg_ctl in
# a temporary directory) through an outage and a SIGKILL; the central views against local reports.
FORWARD_EVENTS ?= 50000
test-forward: build
	/usr/bin/python3 Tests/ForwardTests/forward_test.py --dcrd $(BIN)/dcrd --proto-dir Proto --events $(FORWARD_EVENTS)

# Every unpacked protobuf-c message is freed: valgrind over many decodes of valid and hostile input.
test-leaks: build
	bash Tests/LeakTests/codec-leaks.sh $(BIN)/dcr-codec-check

# Warnings are errors in every dcr target (Package.swift); a release build proves it for -O too.
test-release-warnings: build-release
	@echo "release build: no warnings (treated as errors)"

# The shipped files under a real systemd: PID 1 in a systemd-nspawn container, the release build
# staged exactly as `make install PREFIX=/usr DESTDIR=…` stages it (needs root, as CI has).
# Then the same test with a planted fault each (an unknown directive, a dropped SystemCallFilter=
# allowance) must fail and name it.
test-systemd: build-release
	bash Tests/SystemTests/nspawn-deploy.sh $(RELEASE)
	bash Tests/SystemTests/nspawn-faults.sh $(RELEASE)

# libFuzzer targets (Fuzz/, a package of its own so the sanitizer flags never reach the normal
# build): (a) frame decoder + codec + event rules, (b) the connection pipeline, (c) dcrd.conf.
# -enable-testing lets the session target build the daemon's internal Session.
FUZZ_SCRATCH := .build-fuzz
FUZZ_FLAGS   := -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing
# SwiftPM plans a path dependency's sources only when a manifest changes: a file added to or
# removed from a dcr module (a directory newer than the plan) forces a new plan.
fuzz-build: deps
	@if [ -f $(FUZZ_SCRATCH)/release.yaml ] && [ -n "$$(find Sources -type d -newer $(FUZZ_SCRATCH)/release.yaml)" ]; then touch Fuzz/Package.swift; fi
	$(SWIFT) build -c release --package-path Fuzz --scratch-path $(FUZZ_SCRATCH) $(FUZZ_FLAGS)

# Bounded and seeded, so `make test` takes the same path every time (about 20-60 s in all).
FUZZ_SEED          ?= 1
FUZZ_RUNS_DECODE   ?= 200000
FUZZ_RUNS_SESSION  ?= 20000
FUZZ_RUNS_CONFIG   ?= 40000
test-fuzz: fuzz-build
	bash Fuzz/scripts/fuzz.sh decode runs $(FUZZ_RUNS_DECODE) $(FUZZ_SEED)
	bash Fuzz/scripts/fuzz.sh session runs $(FUZZ_RUNS_SESSION) $(FUZZ_SEED)
	bash Fuzz/scripts/fuzz.sh config runs $(FUZZ_RUNS_CONFIG) $(FUZZ_SEED)
	@echo "test-fuzz: no crash, leak or invariant failure"

# Long campaigns; the grown corpus stays in .build-fuzz/corpus/ for the next run.
FUZZ_SECONDS ?= 600
fuzz: fuzz-build
	nice bash Fuzz/scripts/fuzz.sh decode time $(FUZZ_SECONDS) $(FUZZ_SEED)
	nice bash Fuzz/scripts/fuzz.sh session time $(FUZZ_SECONDS) $(FUZZ_SEED)
	nice bash Fuzz/scripts/fuzz.sh config time $(FUZZ_SECONDS) $(FUZZ_SEED)

test: proto-check test-unit test-peer test-dashboard test-forward test-leaks test-release-warnings test-systemd test-fuzz
	@echo "make test: all checks passed"

run: deps
	$(SWIFT) build
	bash scripts/run-demo

# Man pages come from the argument parsers themselves (swift-argument-parser's generate-manual
# plugin, which works offline once the package is resolved); dcrd is a daemon: section 8.
# MAN_DATE is fixed so that regenerating without changes gives the same bytes.
MAN_DATE ?= 2026-03-13
MAN_OUT  := .build/plugins/GenerateManual/outputs
man: build
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --configuration debug --date $(MAN_DATE)
	@mkdir -p Deploy/man
	cp $(MAN_OUT)/dcrctl/dcrctl.1 Deploy/man/dcrctl.1
	sed 's/^\.Dt DCRD 1$$/.Dt DCRD 8/' $(MAN_OUT)/dcrd/dcrd.1 > Deploy/man/dcrd.8
	@echo "man: Deploy/man/dcrctl.1 Deploy/man/dcrd.8"

completions: build
	@mkdir -p Deploy/completions
	$(BIN)/dcrctl --generate-completion-script bash > Deploy/completions/dcrctl.bash
	$(BIN)/dcrctl --generate-completion-script zsh > Deploy/completions/_dcrctl
	$(BIN)/dcrctl --generate-completion-script fish > Deploy/completions/dcrctl.fish
	@echo "completions: Deploy/completions/{dcrctl.bash,_dcrctl,dcrctl.fish}"

# The committed pages and scripts match the parsers (run by hand or in CI after `make build`).
docs-check: man completions
	@git diff --exit-code -- Deploy/man Deploy/completions >/dev/null || \
	  { echo "docs-check: Deploy/man or Deploy/completions is stale; commit the regenerated files" >&2; exit 1; }
	@echo "docs-check: man pages and completions are up to date"

install: build-release
	bash scripts/install.sh "$(DESTDIR)" "$(PREFIX)" "$(RELEASE)"

clean:
	rm -rf .build
