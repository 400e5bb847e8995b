#!/usr/bin/env bash
# Load benchmark of `spectra serve` (issue 15): a registry of DEVICES
# synthetic devices is published as an EIR snapshot and served on loopback;
# wrk (HTTP/1.1 keep-alive) and h2load (HTTP/2 cleartext, prior knowledge)
# drive N5g-eir equipment-status checks, both installed from Debian's
# packages when missing (wrk, nghttp2-client). Reports requests/s, latency
# percentiles, h2load's latency at half the measured rate, and the
# service's memory per device. Server and load generator share the 2 cores.
#
# Usage:   benches/eir_load.sh [DEVICES]          (default: 1000000)
# Env:     WORK (scratch dir, default /tmp/spectra-eir-load), DURATION (s, default 10),
#          CONNECTIONS (default 64), LOG (RUST_LOG of the service, default info: every
#          request's access-log line is written, to serve.log), CARGO_TARGET_DIR
#          (default ~/.cache/spectra/target).
# Needs:   a release build of the CLI (`cargo build --release -p imei-registry -p spectra-cli -p spectra-python`);
#          apt-get for the load generators on the first run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/spectra/target}
BIN=$CARGO_TARGET_DIR/release/spectra
WORK=${WORK:-/tmp/spectra-eir-load}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
LOG=${LOG:-info}
DEVICES=${1:-1000000}
[ -x "$BIN" ] || { echo "error: no $BIN (cargo build --release -p imei-registry -p spectra-cli -p spectra-python)" >&2; exit 2; }
for tool in wrk h2load; do
    if ! command -v "$tool" > /dev/null; then
        pkg=$tool; [ "$tool" = h2load ] && pkg=nghttp2-client
        echo "installing $pkg (Debian)" >&2
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get install -y -q "$pkg" > /dev/null || { $SUDO apt-get update -q > /dev/null && $SUDO apt-get install -y -q "$pkg" > /dev/null; }
    fi
done

rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"
"$BIN" registry new-key --out owner.key > /dev/null
"$BIN" datasets imei --rows 1000 --out check.csv --registry-out devices.csv --registry-devices "$DEVICES" \
    --tac-out tacs.csv --seed 7 --quiet > /dev/null
"$BIN" registry import devices.csv --key-file owner.key --registry r.duckdb --actor bench > /dev/null
"$BIN" registry import-tac tacs.csv --registry r.duckdb --actor bench > /dev/null
"$BIN" registry publish --out r.snapshot --registry r.duckdb --actor bench
IMEI=$(awk -F, 'NR == 2 { print $1 }' devices.csv)
TOKEN=bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
HASH=$(printf '%s' "$TOKEN" | "$BIN" serve --hash-token)
cat > serve.toml <<EOF
snapshot = "r.snapshot"
[http]
listen = "127.0.0.1:18080"
max_connections = 1024
[[client]]
name = "bench"
token_sha256 = "$HASH"
scopes = ["eir", "metrics"]
requests_per_second = 10000000
EOF
RUST_LOG=$LOG "$BIN" serve --config serve.toml 2> serve.log &
PID=$!
trap 'kill $PID 2> /dev/null || true' EXIT
for _ in $(seq 100); do curl -fs http://127.0.0.1:18080/healthz > /dev/null && break; sleep 0.1; done
URL="http://127.0.0.1:18080/n5g-eir-eic/v1/equipment-status?pei=imei-$IMEI"
curl -fs -H "authorization: Bearer $TOKEN" "$URL"; echo
RSS_KB=$(awk '/VmRSS/ { print $2 }' /proc/$PID/status)

echo "== wrk, HTTP/1.1 keep-alive, $CONNECTIONS connections, ${DURATION} s"
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "authorization: Bearer $TOKEN" "$URL" | tee wrk.out
echo "== h2load, h2c, $CONNECTIONS connections x 10 streams, ${DURATION} s"
h2load -c"$CONNECTIONS" -m10 -D"$DURATION" -H "authorization: Bearer $TOKEN" "$URL" | tee h2.out
RPS=$(awk '/finished in/ { for (i = 1; i <= NF; i++) if ($i ~ /req\/s/) print int($(i-1)) }' h2.out)
HALF=$(( RPS / 2 / CONNECTIONS )); [ "$HALF" -ge 1 ] || HALF=1
echo "== h2load at half that rate ($HALF req/s per connection, $CONNECTIONS connections)"
h2load -c"$CONNECTIONS" -m1 --rps "$HALF" -D"$DURATION" -H "authorization: Bearer $TOKEN" "$URL" | tee h2half.out
echo "== memory: $(( RSS_KB / 1024 )) MiB resident for $DEVICES devices ($(( RSS_KB * 1024 / DEVICES )) bytes per device) before the load; $(awk '/VmHWM/ { print int($2 / 1024) }' /proc/$PID/status) MiB at its peak"
echo "== access log: $(wc -l < serve.log) lines"
