# GovAudit. `make demo` and `make test` are all a new machine needs (with the Swift toolchain).
SWIFT        ?= swift
BIN          := .build/debug/govaudit
# Debian packages: the build (libcurl in its OpenSSL flavour, OpenSSL, SQLite for the history,
# pkg-config) and the lab (real servers and the standard tools its smoke test uses); aiosmtpd is
# the alert tests' SMTP sink; publicsuffix is the Public Suffix List a scan's drift groups
# outbound links by (read at run time).
APT_PACKAGES := publicsuffix libcurl4-openssl-dev libssl-dev libsqlite3-dev libunbound-dev libevent-dev libgumbo-dev libxlsxwriter-dev pkgconf \
                nginx nsd ldnsutils bind9-dnsutils socat nftables gnutls-bin lighttpd lighttpd-mod-gnutls \
                unbound curl openssl python3 python3-yaml python3-openpyxl iproute2 procps \
                python3-aiosmtpd
LAB := /usr/bin/python3 Tests/Lab/lab.py
DEMO_INVENTORY := Policies/inventory/angiang.yaml
# How a client reaches the lab: its resolver, its CA, its DNSSEC anchors, its networks.
LAB_OPTIONS := --resolver 127.0.10.1:53 --ca-file Tests/Lab/state/pki/root.pem \
               --trust-anchor Tests/Lab/state/dns/trust-anchors.ds --allow-net 127.0.10.0/24 --allow-net fd10::/16

.PHONY: install install-build uninstall setup setup-browser build test unit-test browser-test office-test integration-test lab-up lab-down lab-status lab-smoke crosscheck fuzz demo golden clean measure-memory bench

## setup: install the system packages the project needs (idempotent; quiet when present)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  log=$$(mktemp); \
	  { $$sudo apt-get update -qq && \
	    RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; } >$$log 2>&1 || \
	  { cat $$log >&2; echo "setup: apt-get failed for$$missing" >&2; rm -f $$log; exit 1; }; \
	  rm -f $$log; \
	fi

## build: compile govaudit (debug)
build: setup
	$(SWIFT) build

## install: a release build (Swift runtime linked in: --static-swift-stdlib) into $(DESTDIR)$(PREFIX):
## bin/govaudit, share/govaudit/Policies, man pages, bash/zsh/fish completions; SYSTEMD=1 adds the
## units of contrib/systemd to lib/systemd/system. Listed in share/govaudit/install-manifest.
## uninstall: removes exactly what that manifest lists.
PREFIX        ?= /usr/local
DESTDIR       ?=
SYSTEMD       ?=
# A build folder of its own: a release build with a static runtime shares nothing with .build,
# and `swift test` holds .build's lock while the install test runs.
INSTALL_BUILD ?= .build-install
install-build: setup
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(INSTALL_BUILD) --product govaudit
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(INSTALL_BUILD) --product generate-manual
install: install-build
	PREFIX_FOR_UNITS="$(PREFIX)" contrib/install.sh install "$(DESTDIR)$(PREFIX)" "$(INSTALL_BUILD)/release" "$(SYSTEMD)"
uninstall:
	contrib/install.sh uninstall "$(DESTDIR)$(PREFIX)"

## test: unit and CLI tests, the official DOCX through LibreOffice, then the lab's integration
## tests (lab started and always stopped)
test: unit-test office-test integration-test

## unit-test: the tests that need no lab
unit-test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip GovAuditLabTests --skip OfficeTests

## setup-browser: headless Chromium, a font with Vietnamese glyphs and pdftotext (poppler-utils),
## for the report checks (a large download, so only the targets that render install it:
## integration-test and browser-test, hence make test)
setup-browser:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null && dpkg-query -W fonts-liberation2 >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  { $$sudo apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
	    $$sudo apt-get install -y -qq --no-install-recommends chromium fonts-liberation2 poppler-utils; } >/dev/null; }

## browser-test: the HTML report of the hostile fixture in headless Chromium, and the PDF report
## it prints (the unit tests skip these checks without chromium; the integration tests render a
## lab scan's report in any case)
browser-test: setup setup-browser
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter ChromiumTests

## office-test: the official report (DOCX) converted to PDF by headless LibreOffice and read back
## with pdftotext (Debian libreoffice-writer-nogui, fonts-liberation2, poppler-utils: a large
## install, made once). Run alone, without soffice, the test skips, saying so.
office-test: setup
	@command -v soffice >/dev/null && command -v pdftotext >/dev/null && dpkg-query -W fonts-liberation2 >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  { $$sudo apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
	    $$sudo apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-liberation2 poppler-utils; } >/dev/null; }
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter 'OfficeTests|DOCXTests'

## integration-test: start the lab, run the smoke and integration tests, stop the lab (the release
## build for the install test is made first, outside the lab's machine-wide lock)
integration-test: setup setup-browser install-build
	$(SWIFT) build --build-tests
	Tests/Lab/run-integration

## lab-up / lab-down / lab-status: the simulated province on 127.0.10.0/24 and fd10::/16 (root);
## SCALE=N adds N scale hosts on a few addresses (Tests/Lab/scale.py; inventory: Tests/Lab/scale-inventory.py N)
lab-up: setup
	$(LAB) up $(if $(SCALE),--scale $(SCALE))
lab-down:
	$(LAB) down
lab-status:
	$(LAB) status

## lab-smoke: check the running lab against Tests/Lab/scenarios.yaml with dig, curl, openssl
lab-smoke:
	/usr/bin/python3 Tests/Lab/smoke.py

## demo: the main job on the embedded default: scan the example province (64 systems) served by
## the lab, offline, into a history under the build folder (never the user's); then the diff
## against the previous demo scan when there is one; last, the scan's reports (paths printed).
## The lab is stopped afterwards.
DEMO_DB := .build/demo/history.sqlite
demo: build
	@exec 9>/tmp/govaudit-lab.lock; flock 9; trap '$(LAB) down >/dev/null' EXIT; \
	$(LAB) up >/dev/null && \
	$(BIN) scan --inventory $(DEMO_INVENTORY) $(LAB_OPTIONS) --db $(DEMO_DB) --fail-on none && \
	if [ "$$($(BIN) history --db $(DEMO_DB) --format json | grep -c '"status" : "complete"')" -ge 2 ]; then \
	  $(BIN) diff --db $(DEMO_DB); \
	else echo "(first demo scan stored: run make demo again for the diff against it)"; fi && \
	echo "History: $(BIN) history --db $(DEMO_DB)    Diff: $(BIN) diff --db $(DEMO_DB)" && \
	echo "Reports of this scan (HTML, XLSX, CSV, Markdown, JSON):" && $(BIN) report --db $(DEMO_DB) --format html,xlsx,csv,md,json

## crosscheck: GovAudit's TLS facts against sslyze (PyPI, in a venv) and testssl.sh (Debian) on the
## lab's TLS hosts; not part of `make test` (testssl.sh takes about half a minute per host)
CROSSCHECK_VENV := .venv-crosscheck
crosscheck: build
	@command -v testssl >/dev/null || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends testssl.sh bsdextrautils python3-venv >/dev/null; }
	@[ -x $(CROSSCHECK_VENV)/bin/python ] || { /usr/bin/python3 -m venv $(CROSSCHECK_VENV) && \
	  $(CROSSCHECK_VENV)/bin/pip install -q sslyze==6.3.1; }
	@exec 9>/tmp/govaudit-lab.lock; flock 9; trap '$(LAB) down >/dev/null' EXIT; $(LAB) up >/dev/null && \
	SSLYZE=$(CROSSCHECK_VENV)/bin/python /usr/bin/python3 Tests/Lab/crosscheck.py

## measure-memory: peak RSS and wall time of scans of the lab's scale hosts (1,000 endpoints with every
## check, 10,000 narrowed; SIZES, CHECKS_<N>, FORMAT override); not part of `make test`
measure-memory: build
	BIN=$(BIN) Tests/Lab/measure-memory.sh

## bench: GovAudit beside sslyze, sslscan, testssl.sh (a sample, scaled), pshtt (skipped when it
## cannot be installed) and linkchecker on the same lab targets, plus the province and the scale
## runs (Tests/Bench/bench.py; release build; takes the lab lock). SIZES="200 1000" by default;
## results also in .build/bench/results.json. Not part of `make test`: it takes minutes.
SIZES ?= 200 1000
BENCH_PACKAGES := sslscan testssl.sh linkchecker bsdextrautils python3-venv time linux-perf
bench: setup
	@missing=""; for p in $(BENCH_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; [ -z "$$missing" ] || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }
	$(SWIFT) build -c release
	SIZES="$(SIZES)" /usr/bin/python3 Tests/Bench/bench.py

## fuzz: libFuzzer (with AddressSanitizer) on the parsers of untrusted input, two harnesses at a
## time: html, tls and dns for SECONDS each, headers, inventory, csv and policy for min(SECONDS, 120);
## fails on any crash, hang or memory blow-up (inputs in .build-fuzz/fuzz/findings/); not part of
## `make test`. FUZZ_TARGETS="dns tls" runs some only.
SECONDS ?= 600
FUZZ_TARGETS ?=
fuzz: setup
	Tests/Fuzz/run $(SECONDS) $(FUZZ_TARGETS)

## golden: accept the current CLI output as the new golden files (review the diff!)
golden: build
	GOVAUDIT_UPDATE_GOLDEN=1 $(SWIFT) test --filter 'CLITests|ReportModelTests'

## clean: remove build products, the lab's generated state and generated reports
clean:
	-$(LAB) down 2>/dev/null
	rm -rf .build .build-fuzz .build-install Tests/Lab/state
	find Reports -mindepth 1 -maxdepth 1 ! -name README.md ! -name schema -exec rm -rf {} +
