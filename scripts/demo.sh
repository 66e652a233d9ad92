#!/usr/bin/env bash
# Set up and run the offline demo: `ownervoice demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/ownervoice demo "$@"
