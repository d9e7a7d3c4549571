.PHONY: run test build autobahn soundness
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
build:
	swift build
autobahn:
	bash scripts/autobahn.sh
soundness:
	bash scripts/soundness.sh
