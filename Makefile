# infra — the two commands of the README, and the benchmark.
#   make demo   install what is missing, build release, scan the examples
#   make test   install what is missing, build and run every test
#   make bench  build release and measure (see Benchmarks/README.md)

SWIFT ?= swift
INFRA := .build/release/infra
# The Swift runtime and Foundation linked in: the executable starts in ~6 ms instead of
# ~11 (one file validated in ~13 ms instead of ~20), runs ~4% faster on a country, and
# needs no Swift installed where it is copied to (Benchmarks/OPTIMISATIONS.md).
RELEASE_FLAGS := -c release --static-swift-stdlib

.PHONY: demo test deps release embed bench clean

deps:
	@./scripts/install-deps.sh

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

demo: release
	$(INFRA) scan examples/vasternorrland

test: deps
	./scripts/install-test-deps.sh
	$(SWIFT) build --build-tests
	MERMAID_JS=$(CURDIR)/.build-deps/mermaid/mermaid.min.js JSONSCHEMA_PYTHON=$(CURDIR)/.build-deps/python/bin/python \
		$(SWIFT) test --skip-build
	# The end-to-end tests once more, on the executable users run: release, Swift linked in.
	$(MAKE) --no-print-directory release
	INFRA_EXECUTABLE=$(CURDIR)/$(INFRA) MERMAID_JS=$(CURDIR)/.build-deps/mermaid/mermaid.min.js \
		JSONSCHEMA_PYTHON=$(CURDIR)/.build-deps/python/bin/python \
		$(SWIFT) test --skip-build --filter EndToEndTests

# Re-embed inventory/ into the executable after editing it (a test checks they agree).
embed:
	./scripts/embed-inventory.sh

bench: release
	./Benchmarks/bench.sh

clean:
	rm -rf .build
