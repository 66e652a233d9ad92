#!/usr/bin/env bash
# Set up, lint, type-check and run the test suite (the command CI runs, via .ci/run).
#
# Stages: ruff, mypy, the import contracts (lint-imports, configured in pyproject.toml), no
# import cycles and no unexplained function-local import (scripts/import_graph.py), the suite on
# SQLite, then — when OWNERVOICE_TEST_PG_URL is set — the same suite on PostgreSQL,
# then the `slow` suite (fault, multi-replica and long scenarios).
# Extra arguments go to every pytest stage, e.g. `bash scripts/test.sh -x tests/surveys`.
# The quick stages run on pytest-xdist workers (see `parallel` below; `-n 0` runs in-process).
# OWNERVOICE_TEST_SLOW=0 skips the slow stage (quicker local runs; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports
.venv/bin/python scripts/import_graph.py --check

failed=0

# pytest exit code 5 means "no tests ran": treat it as a failure, never as a pass.
stage() {
  local name="$1"
  shift
  echo "=== ${name}"
  local start=$SECONDS rc=0
  "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "!!! ${name}: no tests were collected (pytest exit 5)" >&2
  fi
  echo "=== ${name}: exit ${rc} in $((SECONDS - start)) s"
  if [ "$rc" -ne 0 ]; then
    failed=1
  fi
}

pytest_cmd=(.venv/bin/pytest -q -p no:cacheprovider)
# pytest-xdist workers: the e2e tests mostly wait on the emulator, so several workers pay off
# even on 2 cores. `-n auto` starts tests/fixtures/workers.py's count (none for a single test
# file; PYTEST_XDIST_AUTO_NUM_WORKERS=N overrides); an `-n N` of yours comes later and wins.
parallel=(-n auto)
case " $* " in *no:xdist*) parallel=() ;; esac

stage "suite on SQLite" \
  env OWNERVOICE_TEST_DB=sqlite "${pytest_cmd[@]}" "${parallel[@]}" -m "not slow" "$@"

if [ -n "${OWNERVOICE_TEST_PG_URL:-}" ]; then
  stage "suite on PostgreSQL" \
    env OWNERVOICE_TEST_DB=postgres "${pytest_cmd[@]}" "${parallel[@]}" -m "not slow" "$@"
else
  echo "=== suite on PostgreSQL: skipped (OWNERVOICE_TEST_PG_URL is not set)"
  if [ "${CI:-}" = "true" ]; then
    echo "!!! CI=true needs OWNERVOICE_TEST_PG_URL" >&2
    failed=1
  fi
fi

if [ "${OWNERVOICE_TEST_SLOW:-1}" != "0" ] || [ "${CI:-}" = "true" ]; then
  # In-process, no workers: its replica, kill and outage tests start processes of their own and
  # hold timing bounds; they are not proven under workers.
  stage "slow suite" env OWNERVOICE_TEST_DB=sqlite "${pytest_cmd[@]}" -m slow "$@"
fi

exit "$failed"
