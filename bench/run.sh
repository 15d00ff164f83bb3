#!/usr/bin/env bash
# Parley's echo server against three baselines measured by `parley bench` in the same run: a Go echo server
# (bench/GoEcho), a Node.js one (bench/NodeEcho) and Kestrel's connection handler (bench/KestrelEcho). Server pinned
# to one core, load generator to the other; every case N rounds, the servers' order rotated each round; then the
# table of medians with the ratios against Go and the targets of issue 21. Server CPU (user and system apart) is read
# from /proc/PID/stat over the measured window only.
#
#   bench/run.sh [--rounds N] [--duration 5s] [--warmup 5s] [--out DIR] [--native]
#                [--cases pp64,pp1,stream64k,stream1k,framed,logged,metered,idle,idlemax,flood,chat] [--compare PARLEY]
#                [--servers parley,sockets,polling,native,before,go,node,kestrel] [--report DIR]
#                [--generator-busy-poll µs]
#
# --native: the native (AOT) build measured as well; --compare: another build of parley (say, of the commit before a
# change) measured as "before" in every case the servers share, so that a change is proven in the same run;
# --report DIR: no measuring, the table again from DIR's results.tsv (an earlier run's --out);
# --generator-busy-poll µs: the load generator polls for echoes instead of sleeping (parley bench --busy-poll), so that
# it costs less per round trip and sets the pace less often; the same for every server.
# --servers parley,before: only those servers, for a quick look while iterating. "parley" is the server on its own
# epoll engine (the default on Linux), "sockets" the same build with --engine sockets (the runtime's sockets),
# "polling" the same build with --busy-poll 50 (ping-pong cases only).
#
# Needs: the .NET 10 SDK with the ASP.NET Core runtime, Go (golang-go) and jq (both installed with apt-get when
# missing), node, taskset, perf (for the system calls of stream1k; skipped without it), root or a hard limit of open
# files of at least 20,000 (idle opens 10,000 connections; idlemax as many as that limit allows).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=3
duration=5s
warmup=5s
cases=pp64,pp1,stream64k,stream1k,framed,logged,metered,idle,idlemax,flood,chat
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --native) native_build=1; shift ;;
    --compare) compare=$2; shift 2 ;;
    --servers) only_servers=$2; shift 2 ;;
    --report) report_only=1; out=$2; shift 2 ;;
    --generator-busy-poll) generator_poll=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

has_case() { [[ ",$cases," == *",$1,"* ]]; }

server_cpu=0
load_cpu=1
idle_connections=10000
flood_connections=64
out=${out:-$(mktemp -d /tmp/parley-bench.XXXXXX)}
mkdir -p "$out"
results="$out/results.tsv"
[ -n "${report_only:-}" ] || : > "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
command -v go >/dev/null || { apt-get update -qq && apt-get install -y -qq golang-go >/dev/null; }
command -v node >/dev/null || { echo "run.sh: node is missing (the Node.js baseline)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "run.sh: taskset is missing (util-linux)" >&2; exit 1; }
[ "$(nproc --all)" -ge 2 ] || { echo "run.sh: needs two cores, one for the server and one for the load generator" >&2; exit 1; }

# 10,000 connections need 10,000 descriptors in the server and as many in the load generator.
ulimit -Hn 65536 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((idle_connections + 1000)) ] || echo "run.sh: warning: ulimit -n is $(ulimit -n); the idle case may fail" >&2
# idlemax: as many connections as the open-files limit allows each process (the server and the load generator each
# need one descriptor a connection), less a margin for what else they open.
max_connections=$(($(ulimit -n) - 1000))

# Everything up to the table: building, then every case of every round. Skipped with --report, which prints the
# table again from an earlier run's raw figures.
measure() {
echo "== building (Release)"
dotnet build "$root/src/Parley.Cli/Parley.Cli.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
dotnet build "$root/bench/KestrelEcho/KestrelEcho.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
has_case chat && dotnet build "$root/bench/Parley.Benchmarks.Chat/Parley.Benchmarks.Chat.csproj" -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
(cd "$root/bench/GoEcho" && GOCACHE=${GOCACHE:-/tmp/parley-bench-gocache} go build -o "$out/goecho" .)
parley="$root/src/Parley.Cli/bin/Release/net10.0/parley"
kestrel="$root/bench/KestrelEcho/bin/Release/net10.0/KestrelEcho"
goecho="$out/goecho"
nodeecho="$root/bench/NodeEcho/echo.js"
chat="$root/bench/Parley.Benchmarks.Chat/bin/Release/net10.0/Parley.Benchmarks.Chat"
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
  [ "$name" = before ] && program=$compare
  # sockets: the same build on the runtime's sockets (--engine sockets) instead of its own epoll loops; polling: the
  # same build with its loops polling 50 µs before they sleep (--busy-poll 50), measured in the ping-pong cases.
  local engine=()
  [ "$name" = sockets ] && engine=(--engine sockets)
  [ "$name" = polling ] && engine=(--busy-poll 50)
  if [ "$name" = kestrel ]; then
    taskset -c "$server_cpu" "$kestrel" 0 >"$server_log.out" 2>"$server_log.err" </dev/null &
  elif [ "$name" = go ]; then
    taskset -c "$server_cpu" "$goecho" 127.0.0.1:0 >"$server_log.out" 2>"$server_log.err" </dev/null &
  elif [ "$name" = node ]; then
    taskset -c "$server_cpu" node "$nodeecho" 0 127.0.0.1 >"$server_log.out" 2>"$server_log.err" </dev/null &
  else
    # The connection limits are off: a benchmark measures the server, not its defences (issue 16). Data events are
    # off (-q) unless the case sets a log level of its own: they are measured by the logged case.
    local quiet=-q
    case " $* " in *" --log-level "*) quiet= ;; esac
    taskset -c "$server_cpu" "$program" serve echo --host 127.0.0.1 --port 0 --no-prompt --max-connections 0 $quiet "${engine[@]}" "$@" \
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
# cpu_ticks PID: "USER SYSTEM" clock ticks the process has used so far (/proc/PID/stat fields 14 and 15).
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
seconds() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) print d / 1000; else if (d ~ /m$/) print d * 60; else print d + 0 }'; }
now() { date +%s.%N; }

# bench FILE [parley bench options...]: runs the load generator pinned to $load_cpu; fails the script on a wrong echo.
bench() {
  local file=$1; shift
  if ! taskset -c "$load_cpu" "$parley" bench 127.0.0.1 --port "$server_port" --json ${generator_poll:+--busy-poll "$generator_poll"} "$@" >"$file" 2>"$file.err"; then
    echo "run.sh: parley bench failed ($case_id, round $round); see $file and $file.err" >&2
    cat "$file.err" >&2
    exit 1
  fi
}

record() { printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$case_id" "$1" "$2" "$3" >>"$results"; }

# ping-pong or stream: one server, one bench, the chosen figures recorded. The server's CPU time is read at the start
# and the end of a window inside the measured phase (half a second in from each end), and divided by the round trips
# (or MiB) of that window at the measured rate: warm-up, connecting and draining are not counted.
load_case() {
  local server=$1 serve_options=$2 bench_options=$3 count_syscalls=${4:-0}
  local file="$out/$server.$case_id.r$round.json"
  # shellcheck disable=SC2086
  start_server "$server" $serve_options
  local warm measured syscalls_pid=""
  warm=$(seconds "$warmup"); measured=$(seconds "$duration")
  # shellcheck disable=SC2086
  bench "$file" --duration "$duration" --warmup "$warmup" $bench_options &
  local bench_pid=$!
  sleep "$(awk -v w="$warm" 'BEGIN { print w + 0.5 }')"
  local before after t0 t1
  before=$(cpu_ticks "$server_pid"); t0=$(now)
  if [ "$count_syscalls" = 1 ] && command -v perf >/dev/null; then
    perf stat -x, -e raw_syscalls:sys_enter -p "$server_pid" -o "$file.syscalls" -- sleep "$(awk -v m="$measured" 'BEGIN { print m - 1 }')" &
    syscalls_pid=$!
  fi
  sleep "$(awk -v m="$measured" 'BEGIN { print m - 1 }')"
  after=$(cpu_ticks "$server_pid"); t1=$(now)
  [ -n "$syscalls_pid" ] && wait "$syscalls_pid"
  wait "$bench_pid" || exit 1
  stop_server
  local window user system
  window=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  read -r user system <<<"$(awk -v b="$before" -v a="$after" -v hz="$clock_hz" 'BEGIN { split(b, x, " "); split(a, y, " "); print (y[1] - x[1]) / hz, (y[2] - x[2]) / hz }')"
  local per_rt="--argjson w $window --argjson u $user --argjson s $system"
  # shellcheck disable=SC2086
  record "$server" user_us_per_msg "$(jq $per_rt '$u * 1e6 / (.roundTripsPerSecond * $w)' "$file")"
  # shellcheck disable=SC2086
  record "$server" sys_us_per_msg "$(jq $per_rt '$s * 1e6 / (.roundTripsPerSecond * $w)' "$file")"
  # shellcheck disable=SC2086
  record "$server" user_ms_per_mib "$(jq $per_rt '$u * 1e3 / (.mibPerSecond * $w)' "$file")"
  # shellcheck disable=SC2086
  record "$server" sys_ms_per_mib "$(jq $per_rt '$s * 1e3 / (.mibPerSecond * $w)' "$file")"
  record "$server" cpu_busy "$(awk -v u="$user" -v s="$system" -v w="$window" 'BEGIN { print (u + s) / w }')"
  if [ -n "$syscalls_pid" ]; then
    local calls
    calls=$(awk -F, '/raw_syscalls/ { print $1 + 0 }' "$file.syscalls")
    record "$server" syscalls_per_mib "$(jq --argjson c "${calls:-0}" --argjson w "$window" '$c / (.mibPerSecond * $w)' "$file")"
  fi
  record "$server" rtps "$(jq '.roundTripsPerSecond' "$file")"
  record "$server" mibps "$(jq '.mibPerSecond' "$file")"
  record "$server" slowest "$(jq '.perConnectionMiBPerSecond.slowest' "$file")"
  record "$server" median "$(jq '.perConnectionMiBPerSecond.median' "$file")"
  record "$server" fairness "$(jq 'if .perConnectionMiBPerSecond.median > 0 then .perConnectionMiBPerSecond.slowest / .perConnectionMiBPerSecond.median else 0 end' "$file")"
  record "$server" p50 "$(jq '.latencyMicroseconds.p50 // 0' "$file")"
  record "$server" p90 "$(jq '.latencyMicroseconds.p90 // 0' "$file")"
  record "$server" p99 "$(jq '.latencyMicroseconds.p99 // 0' "$file")"
  record "$server" p999 "$(jq '.latencyMicroseconds.p999 // 0' "$file")"
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

# COUNT idle connections: the server's resident memory before and while it holds them; then each must still echo
# (`parley bench --mode idle` sends one message on every connection at the end and checks its echo).
idle_case() {
  local server=$1 connections=$2 file="$out/$1.$case_id.r$round.json"
  start_server "$server"
  bench "$file.warm" --duration 1s --warmup 0 --connections 4   # JIT the echo path first
  sleep 1
  local before peak fds
  before=$(rss_kib "$server_pid")
  taskset -c "$load_cpu" "$parley" bench 127.0.0.1 --port "$server_port" --json --mode idle \
    --connections "$connections" --duration 8s --connect-timeout 20s >"$file" 2>"$file.err" &
  local bench_pid=$!
  for _ in $(seq 1 600); do
    fds=$(find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    [ "$fds" -ge "$connections" ] && break
    sleep 0.1
  done
  sleep 3   # let the accept burst settle before reading the figure
  peak=$(rss_kib "$server_pid")
  wait "$bench_pid" || { echo "run.sh: idle bench failed against $server; see $file.err" >&2; cat "$file.err" >&2; exit 1; }
  stop_server
  record "$server" idle_kib "$(awk -v a="$before" -v b="$peak" -v n="$connections" 'BEGIN { printf "%.3f", (b - a) / n }')"
  record "$server" idle_echoed "$(jq '.messagesEchoed' "$file")"
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

# The chat server against the bare relay (bench/Parley.Benchmarks.Chat: both in one process, ROUNDS rounds, alternating
# which goes first): datagrams relayed per second in each round.
chat_case() {
  local file="$out/chat.txt"
  if ! "$chat" 200 10 100 "$rounds" >"$file" 2>"$file.err"; then
    echo "run.sh: the chat benchmark lost deliveries or failed; see $file and $file.err" >&2
    exit 1
  fi
  awk -v OFS='\t' '
    /^round [0-9]+, Parley/ { r = $2 + 0; who = "parley" }
    /^round [0-9]+, baseline/ { r = $2 + 0; who = "bare" }
    / datagrams relayed per second/ { print r, "chat", who, "dgps", $1 }' "$file" >>"$results"
}

{
  echo "machine: $(nproc --all) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), .NET $(dotnet --version), $(go version | cut -d ' ' -f 3), node $(node --version)"
  echo "started: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
  if [ -n "${generator_poll:-}" ]; then echo "load generator: parley bench --busy-poll $generator_poll"; fi
} | tee "$out/conditions.txt"

servers="parley sockets polling go node kestrel"
[ "${native_build:-0}" = 1 ] && servers="parley sockets polling native go node kestrel"
[ -n "${compare:-}" ] && servers="before $servers"
# --servers LIST (comma-separated): only these, for a quick look while iterating.
[ -n "${only_servers:-}" ] && servers=${only_servers//,/ }
for round in $(seq 1 "$rounds"); do
  # Rotate the order each round, so that no server always runs first (or right after the same neighbour).
  read -r -a all <<<"$servers"
  shift_by=$(((round - 1) % ${#all[@]}))
  order="${all[*]:$shift_by} ${all[*]:0:$shift_by}"
  echo "== round $round of $rounds ($order)"
  if has_case pp64; then
    case_id=pp64
    for s in $order; do load_case "$s" "" "--connections 64 --size 64"; done
  fi
  if has_case pp1; then
    case_id=pp1
    for s in $order; do load_case "$s" "" "--connections 1 --size 64"; done
  fi
  if has_case stream64k; then
    case_id=stream64k
    for s in $order; do
      [ "$s" = polling ] && continue
      case $s in parley|native|before|sockets) o="--chunk-size 65536" ;; *) o="" ;; esac
      load_case "$s" "$o" "--mode stream --connections 16 --size 16384"
    done
  fi
  if has_case stream1k; then
    case_id=stream1k
    load_case parley "" "--mode stream --connections 16 --size 16384" 1
  fi
  # Framed and logged runs are compared with a line-mode run made right next to them, in alternating order.
  pair="parley other"
  [ $((round % 2)) -eq 0 ] && pair="other parley"
  if has_case framed; then
    case_id=framed
    for s in $pair; do
      if [ "$s" = parley ]; then load_case parley "--framing length" "--connections 64 --size 64 --framing length"
      else load_case parley-line "" "--connections 64 --size 64"; fi
    done
  fi
  if has_case logged; then
    case_id=logged
    # At least 8 s of warm-up, for both: the logging path is far more code than the echo path, and until the tiered
    # JIT has compiled it at tier 1 (a background thread, on the server's one core) it runs at half speed or less:
    # measured after 2 s the ratio was 0.26-0.62, after 8 s 0.59-0.99 (issue 21).
    saved_warmup=$warmup
    [ "$(seconds "$warmup" | cut -d . -f 1)" -lt 8 ] && warmup=8s
    for s in $pair; do
      if [ "$s" = parley ]; then logged_case; else load_case parley-plain "" "--connections 64 --size 64"; fi
    done
    warmup=$saved_warmup
  fi
  # --metrics on (the Parley meter listened to, as a scraped server has it) against off, side by side (issue 20).
  if has_case metered; then
    case_id=metered
    for s in $pair; do
      if [ "$s" = parley ]; then load_case parley-metered "--metrics 127.0.0.1:0" "--connections 64 --size 64"
      else load_case parley-unmetered "" "--connections 64 --size 64"; fi
    done
  fi
  if has_case idle; then
    case_id=idle
    for s in $order; do [ "$s" = polling ] || idle_case "$s" "$idle_connections"; done
  fi
  if has_case idlemax; then
    case_id=idlemax
    for s in $order; do [ "$s" = polling ] || idle_case "$s" "$max_connections"; done
  fi
  if has_case flood; then
    case_id=flood
    for s in $pair; do if [ "$s" = parley ]; then flood_case parley; else flood_case kestrel; fi; done
  fi
done
if has_case chat; then
  round=0 case_id=chat
  chat_case
fi
echo "finished: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d ' ' -f 1-3 /proc/loadavg)" | tee -a "$out/conditions.txt"
}

if [ -n "${report_only:-}" ]; then
  servers=$(awk -F '\t' '{ print $3 }' "$results" | grep -E '^(parley|sockets|polling|native|before|go|node|kestrel)$' | sort -u | tr '\n' ' ')
  rounds=$(awk -F '\t' '$1 > 0 { print $1 }' "$results" | sort -n | tail -n 1)
else
  measure
fi

# Capacity: the round trips a second each server would do on a whole core of its own (round trips/s divided by the
# cores it used), for when the load generator, not the server, sets the pace.
awk -F '\t' -v OFS='\t' '$4 == "rtps" { r[$1 FS $2 FS $3] = $5 } $4 == "cpu_busy" { b[$1 FS $2 FS $3] = $5 }
  END { for (k in r) if ((k in b) && b[k] > 0) { split(k, f, FS); print f[1], f[2], f[3], "capacity", r[k] / b[k] } }' "$results" >"$results.capacity"
grep -v $'\tcapacity\t' "$results" >"$results.tmp" || true
cat "$results.tmp" "$results.capacity" >"$results"
rm -f "$results.tmp" "$results.capacity"

# median CASE SERVER METRIC: the median over the rounds, or "-" when not measured.
median() {
  awk -F '\t' -v c="$1" -v s="$2" -v m="$3" '$2 == c && $3 == s && $4 == m { print $5 }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# pair_ratio CASE SERVER_A SERVER_B METRIC [CASE_B]: A / B in each round (the two measured in the same round), then
# the median.
pair_ratio() {
  awk -F '\t' -v c="$1" -v a="$2" -v b="$3" -v m="$4" -v cb="${5:-$1}" '
    $2 == c && $3 == a && $4 == m { va[$1] = $5 }
    $2 == cb && $3 == b && $4 == m { vb[$1] = $5 }
    END { for (r in va) if ((r in vb) && vb[r] != 0) print va[r] / vb[r] }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "-") print "-"; else printf "%.*f", d, v }'; }
check() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "-") print "not run"; else if ((op == ">=" && v >= t) || (op == "<=" && v <= t)) print "met"; else print "NOT MET" }'; }
# row CASE METRIC DIGITS LABEL [TARGET_OP TARGET]: one line of the table, every server's median and Parley / Go
# (the median of the per-round ratios), checked against the target when there is one.
row() {
  local c=$1 m=$2 d=$3 label=$4 op=${5:-} target=${6:-}
  local cells="" s r
  for s in parley go node kestrel; do cells="$cells $(fmt "$(median "$c" "$s" "$m")" "$d") |"; done
  r=$(pair_ratio "$c" parley go "$m")
  if [ -n "$op" ]; then
    echo "| $c | $label |$cells $r | $op $target | $(check "$r" "$op" "$target") |"
  else
    echo "| $c | $label |$cells $r | | |"
  fi
}

table="$out/table.md"
{
  echo "| case | figure | Parley | Go | Node | Kestrel | Parley / Go | target | |"
  echo "|---|---|---|---|---|---|---|---|---|"
  if has_case pp64; then
    row pp64 rtps 0 "round trips/s" ">=" 1.1
    row pp64 capacity 0 "round trips per second of server CPU (round trips/s ÷ cores busy)" ">=" 1.1
    row pp64 user_us_per_msg 2 "server user CPU per round trip, µs" "<=" 1.0
    row pp64 sys_us_per_msg 2 "server system CPU per round trip, µs"
    row pp64 cpu_busy 2 "server CPU busy (cores)"
    row pp64 p50 1 "p50 latency, µs"
    row pp64 p99 1 "p99 latency, µs"
  fi
  if has_case pp1; then
    row pp1 p50 1 "p50 latency, µs" "<=" 1.0
    row pp1 p99 1 "p99 latency, µs" "<=" 1.0
    if [[ " $servers " == *" polling "* ]]; then
      for m in p50 p99; do
        r=$(pair_ratio pp1 polling go "$m")
        echo "| pp1 | $m latency, µs, Parley with --busy-poll 50 | $(fmt "$(median pp1 polling "$m")" 1) | $(fmt "$(median pp1 go "$m")" 1) | | | $r | <= 1.0 | $(check "$r" '<=' 1.0) |"
      done
    fi
    row pp1 p999 1 "p99.9 latency, µs"
    row pp1 rtps 0 "round trips/s"
    row pp1 user_us_per_msg 2 "server user CPU per round trip, µs"
    row pp1 sys_us_per_msg 2 "server system CPU per round trip, µs"
  fi
  if has_case stream64k; then
    row stream64k mibps 0 "MiB/s (Parley with --chunk-size 65536)" ">=" 1.0
    row stream64k fairness 2 "slowest / median connection"
    row stream64k user_ms_per_mib 3 "server user CPU per MiB, ms"
    row stream64k sys_ms_per_mib 3 "server system CPU per MiB, ms"
  fi
  if has_case stream1k; then
    echo "| stream1k | MiB/s, Parley at its default 1 KiB chunk (reported) | $(fmt "$(median stream1k parley mibps)") | | | | | | |"
    p=$(median stream1k parley fairness)
    echo "| stream1k | slowest / median connection | $(fmt "$p" 2) | | | | | ≥ 0.5 | $(check "$p" '>=' 0.5) |"
    echo "| stream1k | system calls per MiB echoed | $(fmt "$(median stream1k parley syscalls_per_mib)") | | | | | | |"
    echo "| stream1k | server user / system CPU per MiB, ms | $(fmt "$(median stream1k parley user_ms_per_mib)" 3) / $(fmt "$(median stream1k parley sys_ms_per_mib)" 3) | | | | | | |"
  fi
  if has_case framed; then
    p=$(median framed parley rtps); l=$(median framed parley-line rtps); r=$(pair_ratio framed parley parley-line rtps)
    echo "| framed | round trips/s, --framing length (line mode next to it: $(fmt "$l")) | $(fmt "$p") | | | | $r vs line | ≥ 1.0 | $(check "$r" '>=' 1.0) |"
  fi
  if has_case logged; then
    p=$(median logged parley-logged rtps); l=$(median logged parley-plain rtps); r=$(pair_ratio logged parley-logged parley-plain rtps)
    echo "| logged | round trips/s, every data event logged to a file (-q next to it: $(fmt "$l")) | $(fmt "$p") | | | | $r vs -q | ≥ 0.5 | $(check "$r" '>=' 0.5) |"
    lost=$(awk -F '\t' '$2 == "logged" && $4 == "lost" { s += ($5 < 0 ? -$5 : $5) } END { print s + 0 }' "$results")
    echo "| logged | bytes missing from the log, all rounds | $lost | | | | | 0 | $(check "$lost" '<=' 0) |"
  fi
  if has_case metered; then
    p=$(median metered parley-metered rtps); l=$(median metered parley-unmetered rtps); r=$(pair_ratio metered parley-metered parley-unmetered rtps)
    echo "| metered | round trips/s, --metrics on (off next to it: $(fmt "$l")) | $(fmt "$p") | | | | $r vs off | reported | |"
    p=$(median metered parley-metered cpu_us_per_msg); l=$(median metered parley-unmetered cpu_us_per_msg); r=$(pair_ratio metered parley-metered parley-unmetered cpu_us_per_msg)
    echo "| metered | server CPU per round trip, µs, --metrics on (off: $(fmt "$l" 1)) | $(fmt "$p" 1) | | | | $r vs off | reported | |"
  fi
  if has_case idle; then
    row idle idle_kib 2 "server RSS per connection, $idle_connections idle, KiB"
    p=$(median idle parley idle_kib)
    echo "| idle | Parley itself at most 2 KiB | $(fmt "$p" 2) | | | | | ≤ 2 | $(check "$p" '<=' 2) |"
  fi
  if has_case idlemax; then
    row idlemax idle_kib 2 "server RSS per connection, $max_connections idle, KiB"
    row idlemax idle_echoed 0 "connections that echoed afterwards (of $max_connections)"
    p=$(median idlemax parley idle_kib)
    echo "| idlemax | Parley itself at most 2 KiB | $(fmt "$p" 2) | | | | | ≤ 2 | $(check "$p" '<=' 2) |"
  fi
  if has_case flood; then
    echo "| flood | $flood_connections conns send 64 KiB writes, never read: server RSS growth per conn, KiB (in all: Parley $(fmt "$(median flood parley flood_total_mib)" 1) MiB, Kestrel $(fmt "$(median flood kestrel flood_total_mib)" 1) MiB) | $(fmt "$(median flood parley flood_kib)") | | | $(fmt "$(median flood kestrel flood_kib)") | | ≤ 64 | $(check "$(median flood parley flood_kib)" '<=' 64) |"
  fi
  if has_case chat; then
    r=$(pair_ratio chat parley bare dgps)
    echo "| chat | datagrams relayed/s, 200 members, 10 × 100 (bare relay: $(fmt "$(median chat bare dgps)")) | $(fmt "$(median chat parley dgps)") | | | | $r vs bare | ≥ 0.9 | $(check "$r" '>=' 0.9) |"
  fi
  for other in sockets polling native before; do
    [[ " $servers " == *" $other "* ]] || continue
    for line in "pp64 rtps round-trips/s,_64_conns 0" "pp64 user_us_per_msg user_CPU_per_round_trip_µs,_64_conns 2" \
      "pp64 sys_us_per_msg system_CPU_per_round_trip_µs,_64_conns 2" "pp1 p50 p50_latency_µs,_1_conn 1" \
      "pp1 p99 p99_latency_µs,_1_conn 1" "pp1 user_us_per_msg user_CPU_per_round_trip_µs,_1_conn 2" \
      "stream64k mibps stream_MiB/s 0" "stream64k user_ms_per_mib stream_user_CPU_per_MiB_ms 3" \
      "idle idle_kib RSS_per_idle_conn_KiB 2" "idlemax idle_kib RSS_per_conn_at_the_descriptor_limit_KiB 2"; do
      read -r c m label digits <<<"$line"
      has_case "$c" || continue
      [ "$(median "$c" "$other" "$m")" = - ] && continue
      echo "| $c | $other: ${label//_/ } | $(fmt "$(median "$c" "$other" "$m")" "$digits") (this build $(fmt "$(median "$c" parley "$m")" "$digits")) | | | | $(pair_ratio "$c" "$other" parley "$m") $other / this | | |"
    done
  done
} >"$table"

echo
cat "$out/conditions.txt"
echo "medians of $rounds rounds, ${duration} measured after ${warmup} warm-up; server on CPU $server_cpu, load generator on CPU $load_cpu;"
echo "Parley / Go: the ratio in each round (the two measured in the same round), then the median; CPU from /proc/PID/stat"
echo "over the measured window only"
echo
cat "$table"
echo
echo "raw figures: $results; JSON of every run: $out"
