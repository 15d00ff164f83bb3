#!/usr/bin/env bash
# Start-up of parley, native and JIT, against ncat doing the same, measured by hyperfine in one run: medians of
# --runs runs after 3 warm-up runs. The commands: --version, --help, one ping probe against a local echo server, and
# one line through the echo client. Prints a Markdown table of medians and ratios (bench/README.md, "Start-up").
#
#   bench/startup.sh [--runs N] [--native PATH] [--jit PATH] [--out DIR]
#
# Needs: hyperfine, ncat and jq (installed with apt-get when missing). Builds what it is not given: the native binary
# with dotnet publish (linux-x64) and the JIT build in Release.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=50
native=""
jit=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --native) native=$2; shift 2 ;;
    --jit) jit=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "startup.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in hyperfine ncat jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine ncat jq >/dev/null
    break
  fi
done

if [ -z "$native" ]; then
  dotnet publish "$root/src/Parley.Cli" -c Release -r linux-x64 -o "$root/artifacts/native/linux-x64" --verbosity quiet
  native="$root/artifacts/native/linux-x64/parley"
fi
if [ -z "$jit" ]; then
  dotnet build "$root/src/Parley.Cli" -c Release --verbosity quiet
  jit="$root/src/Parley.Cli/bin/Release/net10.0/parley"
fi
out=${out:-$(mktemp -d /tmp/parley-startup.XXXXXX)}
mkdir -p "$out"

# One echo server for every probe, the native build, quiet.
"$native" serve echo --host 127.0.0.1 --port 0 --log-level warning > "$out/server.out" 2> "$out/server.err" < /dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^Listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/server.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "startup.sh: the echo server did not start" >&2; exit 1; }

# measure NAME MODE COMMAND: MODE "direct" runs the command without a shell (hyperfine -N); "shell" runs it in bash
# (for pipes; hyperfine subtracts the shell's own start). Prints the median in milliseconds.
measure() {
  local name=$1 mode=$2 command=$3
  local options=(--runs "$runs" --warmup 3 --export-json "$out/$name.json" --style none)
  if [ "$mode" = direct ]; then options+=(-N); else options+=(--shell bash); fi
  hyperfine "${options[@]}" "$command" > /dev/null 2> "$out/$name.err" \
    || { echo "startup.sh: $command failed:" >&2; cat "$out/$name.err" >&2; exit 1; }
  jq -r '.results[0].median * 1000 | . * 100 | round / 100' "$out/$name.json"
}

row() {
  local what=$1 n=$2 j=$3 c=$4
  printf '| %s | %s | %s | %s | %s | %s |\n' "$what" "$n" "$j" "$c" \
    "$(jq -n "$n / $c * 100 | round / 100")" "$(jq -n "$j / $n * 10 | round / 10")"
}

echo "machine: $(nproc --all) cores, Linux $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
echo "native: $("$native" --version); ncat: $(ncat --version 2>&1 | head -n 1)"
echo
echo "| command | native (ms) | JIT (ms) | ncat (ms) | native / ncat | JIT / native |"
echo "|---|---|---|---|---|---|"
row "--version" "$(measure version-native direct "$native --version")" "$(measure version-jit direct "$jit --version")" \
  "$(measure version-ncat direct "ncat --version")"
row "--help" "$(measure help-native direct "$native --help")" "$(measure help-jit direct "$jit --help")" \
  "$(measure help-ncat direct "ncat --help")"
# ncat has no ping: it sends the same line and waits for the server to close, as a script would use it.
row "ping -c 1 (one probe)" "$(measure ping-native direct "$native ping 127.0.0.1 --port $port -c 1")" \
  "$(measure ping-jit direct "$jit ping 127.0.0.1 --port $port -c 1")" \
  "$(measure ping-ncat shell "printf 'x\n' | ncat 127.0.0.1 $port")"
row "printf 'x\\\\n' \\| client" "$(measure client-native shell "printf 'x\n' | $native client --host 127.0.0.1 --port $port 2>/dev/null")" \
  "$(measure client-jit shell "printf 'x\n' | $jit client --host 127.0.0.1 --port $port 2>/dev/null")" \
  "$(measure client-ncat shell "printf 'x\n' | ncat 127.0.0.1 $port")"
echo
echo "hyperfine's JSON for every command is in $out"
