# Thin wrappers: everything lives in scripts/dev.sh (which also works without make).
# Pass extra arguments with ARGS, e.g.  make test ARGS="tests/unit -x"
ARGS ?=

.PHONY: run test lint package bench setup deps lock

run:
	./scripts/dev.sh run $(ARGS)

test:
	./scripts/dev.sh test -- $(ARGS)

lint:
	./scripts/dev.sh lint

package:
	./scripts/dev.sh package $(ARGS)

bench:
	./scripts/dev.sh bench $(ARGS)

setup:
	./scripts/dev.sh setup test

deps:
	./scripts/dev.sh deps

# Re-resolve requirements/*.txt from pyproject.toml (ARGS: e.g. --upgrade-package boto3).
lock:
	./scripts/dev.sh lock $(ARGS)
