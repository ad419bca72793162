# infra — the two commands of the README, and the benchmark.
#   make demo   install what is missing, build release, scan the examples
#   make test   install what is missing, build and run every test
#   make bench  build release and measure (see Benchmarks/README.md)

SWIFT ?= swift
INFRA := .build/release/infra

.PHONY: demo test deps release embed bench clean

deps:
	@./scripts/install-deps.sh

release: deps
	$(SWIFT) build -c release

demo: release
	$(INFRA) scan examples/vasternorrland

test: deps
	./scripts/install-test-deps.sh
	$(SWIFT) build --build-tests
	MERMAID_JS=$(CURDIR)/.build-deps/mermaid/mermaid.min.js $(SWIFT) test --skip-build

# Re-embed inventory/ into the executable after editing it (a test checks they agree).
embed:
	./scripts/embed-inventory.sh

bench: release
	./Benchmarks/bench.sh

clean:
	rm -rf .build
