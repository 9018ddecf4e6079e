# The two commands of README: `make run` (app with demo data) and `make test` (everything CI runs).
.PHONY: run test lint format screenshots

run:
	scripts/run.sh

test:
	scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

screenshots:
	.venv/bin/python scripts/screenshots.py
