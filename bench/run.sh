#!/usr/bin/env bash
# Parley's echo server against the Kestrel connection-handler baseline (bench/KestrelEcho), measured by `parley bench`
# in the same run: server pinned to one core, load generator to the other, every case three rounds (alternating which
# server goes first), then the table of medians with the ratios against Kestrel and the targets of issue 10.
#
#   bench/run.sh [--rounds N] [--duration 5s] [--warmup 5s] [--cases pp64,pp1,stream64k,stream1k,framed,logged,metered,idle,flood]
#                [--out DIR] [--native]
#
# Needs: the .NET 10 SDK with the ASP.NET Core runtime, taskset, jq (installed with apt-get when missing), root or a
# hard limit of open files of at least 20,000 (the idle case opens 10,000 connections).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=3
duration=5s
warmup=5s
cases=pp64,pp1,stream64k,stream1k,framed,logged,metered,idle,flood
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --native) native_build=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

server_cpu=0
load_cpu=1
idle_connections=10000
flood_connections=64
out=${out:-$(mktemp -d /tmp/parley-bench.XXXXXX)}
mkdir -p "$out"
results="$out/results.tsv"
: > "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
command -v taskset >/dev/null || { echo "run.sh: taskset is missing (util-linux)" >&2; exit 1; }
[ "$(nproc --all)" -ge 2 ] || { echo "run.sh: needs two cores, one for the server and one for the load generator" >&2; exit 1; }

# 10,000 connections need 10,000 descriptors in the server and as many in the load generator.
ulimit -Hn 65536 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((idle_connections + 1000)) ] || echo "run.sh: warning: ulimit -n is $(ulimit -n); the idle case may fail" >&2

echo "== building (Release)"
dotnet build "$root/src/Parley.Cli/Parley.Cli.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
dotnet build "$root/bench/KestrelEcho/KestrelEcho.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
parley="$root/src/Parley.Cli/bin/Release/net10.0/parley"
kestrel="$root/bench/KestrelEcho/bin/Release/net10.0/KestrelEcho"
# --native: the native (AOT) build of the same server as well, measured beside the JIT build in the ping-pong and
# idle cases (issue 18: no regression beyond the run's noise).
native="$root/artifacts/native/linux-x64/parley"
if [ "${native_build:-0}" = 1 ]; then
  dotnet publish "$root/src/Parley.Cli" -c Release -r linux-x64 -o "$root/artifacts/native/linux-x64" -v quiet -nologo -clp:ErrorsOnly >/dev/null
fi

server_pid=""
server_port=""
server_log=""

# start_server NAME [parley serve echo options...]: starts the server pinned to $server_cpu, waits for its Listening line.
start_server() {
  local name=$1; shift
  server_log="$out/$name.$case_id.r$round"
  local program=$parley
  [ "$name" = native ] && program=$native
  if [ "$name" = kestrel ]; then
    taskset -c "$server_cpu" "$kestrel" 0 >"$server_log.out" 2>"$server_log.err" </dev/null &
  else
    # The connection limits are off: a benchmark measures the server, not its defences (issue 16). Data events are
    # off (-q) unless the case sets a log level of its own: they are measured by the logged case.
    local quiet=-q
    case " $* " in *" --log-level "*) quiet= ;; esac
    taskset -c "$server_cpu" "$program" serve echo --host 127.0.0.1 --port 0 --no-prompt --max-connections 0 $quiet "$@" \
      >"$server_log.out" 2>"$server_log.err" </dev/null &
  fi
  server_pid=$!
  for _ in $(seq 1 300); do
    server_port=$( (sed -n 's/^Listening on .*:\([0-9]*\).*$/\1/p' "$server_log.out" 2>/dev/null || true) | head -n 1)
    [ -n "$server_port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: $name did not start; see $server_log.err" >&2
  cat "$server_log.err" >&2
  exit 1
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

trap '[ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null; true' EXIT

clock_hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# bench FILE [parley bench options...]: runs the load generator pinned to $load_cpu; fails the script on a wrong echo.
bench() {
  local file=$1; shift
  if ! taskset -c "$load_cpu" "$parley" bench 127.0.0.1 --port "$server_port" --json "$@" >"$file" 2>"$file.err"; then
    echo "run.sh: parley bench failed ($case_id, round $round); see $file and $file.err" >&2
    cat "$file.err" >&2
    exit 1
  fi
}

record() { printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$case_id" "$1" "$2" "$3" >>"$results"; }

# ping-pong or stream: one server, one bench, the chosen figures recorded.
load_case() {
  local server=$1 serve_options=$2 bench_options=$3
  local file="$out/$server.$case_id.r$round.json"
  # shellcheck disable=SC2086
  start_server "$server" $serve_options
  local cpu_before cpu_after
  cpu_before=$(cpu_ticks "$server_pid")
  # shellcheck disable=SC2086
  bench "$file" --duration "$duration" --warmup "$warmup" $bench_options
  cpu_after=$(cpu_ticks "$server_pid")
  stop_server
  # Server CPU time over the whole bench (warm-up and drain included) per message echoed and per MiB echoed.
  record "$server" cpu_us_per_msg "$(jq --argjson t $((cpu_after - cpu_before)) --argjson hz "$clock_hz" '$t / $hz * 1e6 / .messagesEchoed' "$file")"
  record "$server" cpu_ms_per_mib "$(jq --argjson t $((cpu_after - cpu_before)) --argjson hz "$clock_hz" '$t / $hz * 1e3 / (.bytesReceived / 1048576)' "$file")"
  record "$server" rtps "$(jq '.roundTripsPerSecond' "$file")"
  record "$server" mibps "$(jq '.mibPerSecond' "$file")"
  record "$server" slowest "$(jq '.perConnectionMiBPerSecond.slowest' "$file")"
  record "$server" median "$(jq '.perConnectionMiBPerSecond.median' "$file")"
  record "$server" fairness "$(jq 'if .perConnectionMiBPerSecond.median > 0 then .perConnectionMiBPerSecond.slowest / .perConnectionMiBPerSecond.median else 0 end' "$file")"
  record "$server" p50 "$(jq '.latencyMicroseconds.p50 // 0' "$file")"
  record "$server" p99 "$(jq '.latencyMicroseconds.p99 // 0' "$file")"
}

# The same ping-pong with every data event logged to a file (the default level, information, with --log-file); then
# every byte is found in the log, or counted in the line that says how many data events were not logged.
logged_case() {
  local file="$out/parley.$case_id.r$round.json" log="$out/parley.$case_id.r$round.log"
  rm -f "$log"
  start_server parley --log-level information --log-file "$log" --log-file-size 100GB
  bench "$file" --duration "$duration" --warmup "$warmup" --connections 64 --size 64
  stop_server
  record parley-logged rtps "$(jq '.roundTripsPerSecond' "$file")"
  local logged_in logged_out sent received
  logged_in=$(awk '/ Received [0-9]+ bytes from client / { for (i = 1; i <= NF; i++) if ($i == "Received") { s += $(i + 1); break } } END { print s + 0 }' "$log")
  logged_out=$(awk '/ Sent [0-9]+ bytes to client / { for (i = 1; i <= NF; i++) if ($i == "Sent") { s += $(i + 1); break } } END { print s + 0 }' "$log")
  sent=$(jq '.bytesSent' "$file")
  received=$(jq '.bytesReceived' "$file")
  record parley-logged lost $(((sent - logged_in) + (received - logged_out)))
  rm -f "$log"
}

# 10,000 idle connections: the server's resident memory before and while it holds them.
idle_case() {
  local server=$1 file="$out/$1.$case_id.r$round.json"
  start_server "$server"
  bench "$file.warm" --duration 1s --warmup 0 --connections 4   # JIT the echo path first
  sleep 1
  local before peak fds
  before=$(rss_kib "$server_pid")
  taskset -c "$load_cpu" "$parley" bench 127.0.0.1 --port "$server_port" --json --mode idle \
    --connections "$idle_connections" --duration 8s --connect-timeout 20s >"$file" 2>"$file.err" &
  local bench_pid=$!
  for _ in $(seq 1 600); do
    fds=$(find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    [ "$fds" -ge "$idle_connections" ] && break
    sleep 0.1
  done
  sleep 3   # let the accept burst settle before reading the figure
  peak=$(rss_kib "$server_pid")
  wait "$bench_pid" || { echo "run.sh: idle bench failed against $server; see $file.err" >&2; cat "$file.err" >&2; exit 1; }
  stop_server
  record "$server" idle_kib "$(awk -v a="$before" -v b="$peak" -v n="$idle_connections" 'BEGIN { printf "%.3f", (b - a) / n }')"
}

# Clients that send and never read: the server's memory must stay bounded.
flood_case() {
  local server=$1 file="$out/$1.$case_id.r$round.json"
  start_server "$server"
  bench "$file.warm" --duration 1s --warmup 0 --connections 4
  sleep 1
  local before peak=0 now
  before=$(rss_kib "$server_pid")
  taskset -c "$load_cpu" "$parley" bench 127.0.0.1 --port "$server_port" --json --mode flood \
    --connections "$flood_connections" --size 65536 --duration 8s --warmup 0 >"$file" 2>"$file.err" &
  local bench_pid=$!
  while kill -0 "$bench_pid" 2>/dev/null; do
    now=$(rss_kib "$server_pid")
    [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.2
  done
  wait "$bench_pid" || { echo "run.sh: flood bench failed against $server; see $file.err" >&2; cat "$file.err" >&2; exit 1; }
  stop_server
  record "$server" flood_kib "$(awk -v a="$before" -v b="$peak" -v n="$flood_connections" 'BEGIN { printf "%.1f", (b - a) / n }')"
  record "$server" flood_total_mib "$(awk -v a="$before" -v b="$peak" 'BEGIN { printf "%.1f", (b - a) / 1024 }')"
  record "$server" flood_sent_mib "$(jq '.bytesSent / 1048576' "$file")"
}

has_case() { [[ ",$cases," == *",$1,"* ]]; }

{
  echo "machine: $(nproc --all) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), .NET $(dotnet --version)"
  echo "started: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
} | tee "$out/conditions.txt"

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="parley kestrel"; else order="kestrel parley"; fi
  with_native=$order
  [ "${native_build:-0}" = 1 ] && if [ $((round % 2)) -eq 1 ]; then with_native="parley native kestrel"; else with_native="kestrel native parley"; fi
  echo "== round $round of $rounds ($order)"
  if has_case pp64; then
    case_id=pp64
    for s in $with_native; do load_case "$s" "" "--connections 64 --size 64"; done
  fi
  if has_case pp1; then
    case_id=pp1
    for s in $with_native; do load_case "$s" "" "--connections 1 --size 64"; done
  fi
  if has_case stream64k; then
    case_id=stream64k
    for s in $order; do
      if [ "$s" = parley ]; then o="--chunk-size 65536"; else o=""; fi
      load_case "$s" "$o" "--mode stream --connections 16 --size 16384"
    done
  fi
  if has_case stream1k; then
    case_id=stream1k
    load_case parley "" "--mode stream --connections 16 --size 16384"
  fi
  # Framed and logged runs are compared with a line-mode run made right next to them, in alternating order.
  if has_case framed; then
    case_id=framed
    for s in $order; do
      if [ "$s" = parley ]; then load_case parley "--framing length" "--connections 64 --size 64 --framing length"
      else load_case parley-line "" "--connections 64 --size 64"; fi
    done
  fi
  if has_case logged; then
    case_id=logged
    for s in $order; do
      if [ "$s" = parley ]; then logged_case; else load_case parley-plain "" "--connections 64 --size 64"; fi
    done
  fi
  # --metrics on (the Parley meter listened to, as a scraped server has it) against off, side by side (issue 20).
  if has_case metered; then
    case_id=metered
    for s in $order; do
      if [ "$s" = parley ]; then load_case parley-metered "--metrics 127.0.0.1:0" "--connections 64 --size 64"
      else load_case parley-unmetered "" "--connections 64 --size 64"; fi
    done
  fi
  if has_case idle; then
    case_id=idle
    for s in $with_native; do idle_case "$s"; done
  fi
  if has_case flood; then
    case_id=flood
    for s in $order; do flood_case "$s"; done
  fi
done
echo "finished: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d ' ' -f 1-3 /proc/loadavg)" | tee -a "$out/conditions.txt"

# median CASE SERVER METRIC: the median over the rounds, or "-" when not measured.
median() {
  awk -F '\t' -v c="$1" -v s="$2" -v m="$3" '$2 == c && $3 == s && $4 == m { print $5 }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# pair_ratio CASE SERVER_A SERVER_B METRIC [CASE_B]: A / B in each round (the two measured side by side), then the median.
pair_ratio() {
  awk -F '\t' -v c="$1" -v a="$2" -v b="$3" -v m="$4" -v cb="${5:-$1}" '
    $2 == c && $3 == a && $4 == m { va[$1] = $5 }
    $2 == cb && $3 == b && $4 == m { vb[$1] = $5 }
    END { for (r in va) if ((r in vb) && vb[r] != 0) print va[r] / vb[r] }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "-") print "-"; else printf "%.*f", d, v }'; }
check() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "-") print "not run"; else if ((op == ">=" && v >= t) || (op == "<=" && v <= t)) print "met"; else print "NOT MET" }'; }

table="$out/table.md"
{
  echo "| case | figure | Parley | Kestrel | ratio | target | |"
  echo "|---|---|---|---|---|---|---|"
  if has_case pp64; then
    p=$(median pp64 parley rtps); k=$(median pp64 kestrel rtps); r=$(pair_ratio pp64 parley kestrel rtps)
    echo "| ping-pong 64 conns × 64 B | round trips/s | $(fmt "$p") | $(fmt "$k") | $r | ≥ 1.6 | $(check "$r" '>=' 1.6) |"
    p=$(median pp64 parley cpu_us_per_msg); k=$(median pp64 kestrel cpu_us_per_msg); r=$(pair_ratio pp64 parley kestrel cpu_us_per_msg)
    echo "| ping-pong 64 conns × 64 B | server CPU per round trip, µs (lower is better) | $(fmt "$p" 1) | $(fmt "$k" 1) | $r | | |"
  fi
  if has_case pp1; then
    p=$(median pp1 parley p50); k=$(median pp1 kestrel p50); r=$(pair_ratio pp1 parley kestrel p50)
    echo "| ping-pong 1 conn × 64 B | p50 latency, µs | $(fmt "$p" 1) | $(fmt "$k" 1) | $r | ≤ 1.0 | $(check "$r" '<=' 1.0) |"
    p=$(median pp1 parley p99); k=$(median pp1 kestrel p99); r=$(pair_ratio pp1 parley kestrel p99)
    echo "| ping-pong 1 conn × 64 B | p99 latency, µs | $(fmt "$p" 1) | $(fmt "$k" 1) | $r | ≤ 1.0 | $(check "$r" '<=' 1.0) |"
  fi
  if has_case stream64k; then
    p=$(median stream64k parley mibps); k=$(median stream64k kestrel mibps); r=$(pair_ratio stream64k parley kestrel mibps)
    echo "| stream 16 conns × 16 KB, server chunk 64 KiB | MiB/s | $(fmt "$p") | $(fmt "$k") | $r | ≥ 2.0 | $(check "$r" '>=' 2.0) |"
    p=$(median stream64k parley cpu_ms_per_mib); k=$(median stream64k kestrel cpu_ms_per_mib); r=$(pair_ratio stream64k parley kestrel cpu_ms_per_mib)
    echo "| stream 16 conns × 16 KB, server chunk 64 KiB | server CPU per MiB echoed, ms (lower is better) | $(fmt "$p" 2) | $(fmt "$k" 2) | $r | | |"
    p=$(median stream64k parley fairness); k=$(median stream64k kestrel fairness)
    echo "| stream 16 conns × 16 KB, server chunk 64 KiB | slowest / median conn ($(fmt "$(median stream64k parley slowest)" 1) / $(fmt "$(median stream64k parley median)" 1) MiB/s for Parley) | $(fmt "$p" 2) | $(fmt "$k" 2) | | ≥ 0.5 | $(check "$p" '>=' 0.5) |"
  fi
  if has_case stream1k; then
    p=$(median stream1k parley mibps); k=$(median stream64k kestrel mibps); r=$(pair_ratio stream1k parley kestrel mibps stream64k)
    echo "| stream 16 conns × 16 KB, server chunk 1 KiB (default) | MiB/s | $(fmt "$p") | $(fmt "$k") | $r | reported | |"
    p=$(median stream1k parley fairness)
    echo "| stream 16 conns × 16 KB, server chunk 1 KiB (default) | slowest / median conn | $(fmt "$p" 2) | | | ≥ 0.5 | $(check "$p" '>=' 0.5) |"
  fi
  if has_case framed; then
    p=$(median framed parley rtps); l=$(median framed parley-line rtps); r=$(pair_ratio framed parley parley-line rtps)
    echo "| framed ping-pong 64 conns × 64 B | round trips/s (ratio: vs line mode, run next to it: $(fmt "$l")) | $(fmt "$p") | | $r | ≥ 1.0 | $(check "$r" '>=' 1.0) |"
  fi
  if has_case logged; then
    p=$(median logged parley-logged rtps); l=$(median logged parley-plain rtps); r=$(pair_ratio logged parley-logged parley-plain rtps)
    echo "| ping-pong 64 × 64 B, every data event logged to a file | round trips/s (ratio: vs not logged, run next to it: $(fmt "$l")) | $(fmt "$p") | | $r | ≥ 0.5 | $(check "$r" '>=' 0.5) |"
    lost=$(awk -F '\t' '$2 == "logged" && $4 == "lost" { s += ($5 < 0 ? -$5 : $5) } END { print s + 0 }' "$results")
    echo "| the same | bytes missing from the log, all rounds | $lost | | | 0 | $(check "$lost" '<=' 0) |"
  fi
  if has_case metered; then
    p=$(median metered parley-metered rtps); l=$(median metered parley-unmetered rtps); r=$(pair_ratio metered parley-metered parley-unmetered rtps)
    echo "| ping-pong 64 × 64 B, --metrics on | round trips/s (ratio: vs --metrics off, run next to it: $(fmt "$l")) | $(fmt "$p") | | $r | reported | |"
    p=$(median metered parley-metered cpu_us_per_msg); l=$(median metered parley-unmetered cpu_us_per_msg); r=$(pair_ratio metered parley-metered parley-unmetered cpu_us_per_msg)
    echo "| the same | server CPU per round trip, µs (ratio: vs --metrics off: $(fmt "$l" 1)) | $(fmt "$p" 1) | | $r | reported | |"
  fi
  if has_case idle; then
    p=$(median idle parley idle_kib); k=$(median idle kestrel idle_kib); r=$(pair_ratio idle parley kestrel idle_kib)
    echo "| 10,000 idle conns | server RSS per conn, KiB | $(fmt "$p" 2) | $(fmt "$k" 2) | $r | ≤ 2 KiB | $(check "$p" '<=' 2) |"
  fi
  if has_case flood; then
    p=$(median flood parley flood_kib); k=$(median flood kestrel flood_kib)
    echo "| $flood_connections conns send 64 KiB writes, never read | server RSS growth per conn, KiB (in all: $(fmt "$(median flood parley flood_total_mib)" 1) MiB Parley, $(fmt "$(median flood kestrel flood_total_mib)" 1) MiB Kestrel) | $(fmt "$p" 0) | $(fmt "$k" 0) | | ≤ 64 KiB | $(check "$p" '<=' 64) |"
  fi
  if [ "${native_build:-0}" = 1 ]; then
    for row in "pp64 rtps round-trips/s,_64_conns 0" "pp64 cpu_us_per_msg server_CPU_per_round_trip_µs,_64_conns 1" \
      "pp1 p50 p50_latency_µs,_1_conn 1" "pp1 p99 p99_latency_µs,_1_conn 1" "idle idle_kib RSS_per_idle_conn_KiB 2"; do
      read -r c m label digits <<<"$row"
      has_case "$c" || continue
      echo "| native (AOT) build vs JIT | ${label//_/ } | native $(fmt "$(median "$c" native "$m")" "$digits"), JIT $(fmt "$(median "$c" parley "$m")" "$digits") | | $(pair_ratio "$c" native parley "$m") | ≈ 1 | |"
    done
  fi
} >"$table"

echo
cat "$out/conditions.txt"
echo "medians of $rounds rounds, ${duration} measured after ${warmup} warm-up; server on CPU $server_cpu, load generator on CPU $load_cpu;"
echo "ratio: Parley / Kestrel (or / the run named in the row) in each round, the two measured side by side, then the median"
echo
cat "$table"
echo
echo "raw figures: $results; JSON of every run: $out"
