# Sourced by the benchmark scripts that run a DuckDB SQL peer: sets PY to a
# Python with the pinned duckdb wheel (the newest release, the strongest peer;
# it opens registries written in DuckDB 1.2's storage format). The wheel is
# installed from PyPI into SPECTRA_DUCKDB_VENV (default
# ~/.cache/spectra/venv-duckdb) on the first run and reused afterwards.
# Needs python3 with the venv module (Debian: python3-venv).
DUCKDB_VERSION=2.0.1
DUCKDB_VENV=${SPECTRA_DUCKDB_VENV:-$HOME/.cache/spectra/venv-duckdb}
PY=$DUCKDB_VENV/bin/python
if ! { [ -x "$PY" ] && "$PY" -c "import sys, duckdb; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2> /dev/null; }; then
    echo "installing duckdb==$DUCKDB_VERSION into $DUCKDB_VENV" >&2
    python3 -m venv "$DUCKDB_VENV"
    "$DUCKDB_VENV/bin/pip" install -q --disable-pip-version-check "duckdb==$DUCKDB_VERSION" >&2
fi
