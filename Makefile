# GovAudit. `make demo` and `make test` are all a new machine needs (with the Swift toolchain).
SWIFT        ?= swift
BIN          := .build/debug/govaudit
# Debian packages the build needs: libcurl (OpenSSL flavour) and OpenSSL headers, pkg-config.
APT_PACKAGES := libcurl4-openssl-dev libssl-dev pkgconf
DEMO_INVENTORY := Policies/inventory/angiang.yaml

.PHONY: setup build test demo golden clean

## setup: install the system packages the project needs (idempotent; quiet when present)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
	  { echo "setup: apt-get failed for$$missing" >&2; exit 1; }; \
	fi

## build: compile govaudit (debug)
build: setup
	$(SWIFT) build

## test: unit and CLI tests (builds first)
test: setup
	$(SWIFT) build
	$(SWIFT) test

## demo: the main job on the embedded default: evaluate the example 64-system inventory
demo: build
	$(BIN) evaluate --inventory $(DEMO_INVENTORY) --fail-on none

## golden: accept the current CLI output as the new golden files (review the diff!)
golden: build
	GOVAUDIT_UPDATE_GOLDEN=1 $(SWIFT) test --filter CLITests

## clean: remove build products and generated reports
clean:
	rm -rf .build
	find Reports -mindepth 1 -maxdepth 1 ! -name README.md ! -name schema -exec rm -rf {} +
