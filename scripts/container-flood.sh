#!/usr/bin/env bash
# Floods the service's container image with connections, run as app.yaml runs it (1 CPU, 256 MiB,
# read-only, no capabilities, the image's own JVM flags), and checks that it stays up and bounded
# (issue 13; docs/operations.md, "Connection cap"):
#   flood      FLOOD_CONNECTIONS (10,000) wrk connections with a valid key for FLOOD_SECONDS (60):
#              the container keeps running, is not OOM-killed, logs no OutOfMemoryError, and
#              its cgroup's memory peak stays below the limit; during it, /health answers
#              within 1 s at least once in every second (a probe every 250 ms, each on a new
#              connection, each latency recorded); right after it, a new connection with the
#              key gets 200 within 1 s, and the heap after a full collection is back within
#              HEAP_MARGIN_MIB (8) of where it was before the flood
#   slowloris  SLOWLORIS_CONNECTIONS (5,000) connections sending a request's head a byte a
#              second each (bench/Connections.java); meanwhile a caller with the key gets 200
#              within 1 s, every half second for SLOWLORIS_SECONDS (15)
# and prints the cgroup's peak memory, the probes' latencies and the heap before and after.
#
#   scripts/container-flood.sh [IMAGE]        # default api-key-auth:smoke (built by container-smoke.sh)
#
# Engine: $CONTAINER_ENGINE, else docker when its daemon answers, else podman (host network,
# as the local stand-ins require). Needs wrk, curl, a JDK's java (to run bench/Connections.java)
# and a JDK 25 jcmd ($JCMD, else /usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd, else jcmd on PATH),
# which reads the heap of the container's JVM from the host, as root. Unlike container-smoke.sh,
# /tmp in the container is a small writable tmpfs: the JVM's attach socket for jcmd lives there.
# Settings (environment): FLOOD_CONNECTIONS, FLOOD_SECONDS, SLOWLORIS_CONNECTIONS,
# SLOWLORIS_SECONDS, HEAP_MARGIN_MIB, FLOOD_PORT, FLOOD_PHASES ("flood slowloris").
set -euo pipefail
cd "$(dirname "$0")/.."

image=${1:-${IMAGE:-api-key-auth:smoke}}
connections=${FLOOD_CONNECTIONS:-10000}
seconds=${FLOOD_SECONDS:-60}
slowloris=${SLOWLORIS_CONNECTIONS:-5000}
slowloris_seconds=${SLOWLORIS_SECONDS:-15}
heap_margin_mib=${HEAP_MARGIN_MIB:-8}
read -r -a phases <<<"${FLOOD_PHASES:-flood slowloris}"
# app.yaml's resources.limits, as container-smoke.sh runs them.
MEMORY=256m
MEMORY_BYTES=$((256 * 1024 * 1024))
CPUS=1

say() { echo "flood: $*"; }
fail() {
  echo "flood: FAIL: $*" >&2
  if [[ -n ${engine:-} ]]; then
    echo "--- container log: the service's own lines, not the access log (last 30) ---" >&2
    "$engine" logs "$name" 2>&1 | grep -v '"logger":"access"' | tail -30 >&2 || true
  fi
  exit 1
}

# shellcheck source=scripts/lib/container-engine.sh
source scripts/lib/container-engine.sh
engine=$(container_engine) || fail "neither a running docker nor podman found; set CONTAINER_ENGINE"
for tool in wrk curl java; do
  command -v "$tool" >/dev/null || fail "$tool is missing (.ci/run installs wrk, curl comes with it, java is the JDK)"
done
jcmd=${JCMD:-}
for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd "$(command -v jcmd || true)"; do
  [[ -z $jcmd && -x $candidate ]] && jcmd=$candidate
done
[[ -n $jcmd ]] || fail "no jcmd (a JDK 25's, for the container's JVM): set JCMD"
"$engine" image inspect "$image" >/dev/null 2>&1 || fail "no image $image: build it (scripts/container-smoke.sh does)"

name=api-key-auth-flood-$$
tmp=$(mktemp -d)
background=()
cleanup() {
  local pid
  for pid in "${background[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  "$engine" rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Below Linux's ephemeral ports (32768 and up), which the flood's own clients take by the thousand.
port=${FLOOD_PORT:-$((20000 + RANDOM % 12000))}
while [[ -z ${FLOOD_PORT:-} ]] && ! port_is_free "$port"; do port=$((20000 + RANDOM % 12000)); done
base=http://127.0.0.1:$port
now_ms() { echo $(($(date +%s%N) / 1000000)); }
state() { "$engine" inspect --format "{{.State.$1}}" "$name"; }
mib() { echo "$(($1 / 1048576))"; }

# The container's memory cgroup, read from the host: cgroup v2 (memory.peak, Linux 5.19+) or
# v1 (memory.max_usage_in_bytes). Both count the page cache and the kernel's socket memory the
# container caused. Prints "PEAK CURRENT" in bytes.
cgroup_memory() {
  local path dir
  path=$("$engine" inspect --format '{{.State.CgroupPath}}' "$name" 2>/dev/null || true)
  if [[ -z $path ]]; then # docker: the container's own id under the engine's parent
    path=$(sed -n 's/^0::\(.*\)$/\1/p; s/^[0-9]*:memory:\(.*\)$/\1/p' "/proc/$pid/cgroup" | head -1)
  fi
  for dir in "/sys/fs/cgroup$path" "/sys/fs/cgroup/memory$path" "/sys/fs/cgroup/unified$path"; do
    if [[ -r $dir/memory.peak ]]; then
      echo "$(<"$dir/memory.peak") $(<"$dir/memory.current")"
      return
    elif [[ -r $dir/memory.max_usage_in_bytes ]]; then
      echo "$(<"$dir/memory.max_usage_in_bytes") $(<"$dir/memory.usage_in_bytes")"
      return
    fi
  done
  fail "can't find the container's memory cgroup under /sys/fs/cgroup (path '$path')"
}

# The live heap of the container's JVM in bytes: GC.class_histogram collects fully first. Less
# jdk.internal.vm.FillerElement, the arrays JDK 25 counts for the unused ends of the heap's spaces.
heap_after_gc() {
  "$jcmd" "$pid" GC.class_histogram 2>&1 | awk '/FillerElement/ { filler += $3 }
    $1 == "Total" { total = $3; found = 1 } END { print total - filler; exit !found }' \
    || fail "jcmd could not read the heap of PID $pid"
}

AUTH_API_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
export AUTH_API_KEY

run_args=(--read-only --cap-drop=ALL --security-opt=no-new-privileges --cpus="$CPUS" --memory="$MEMORY"
  -e AUTH_API_KEY -e LOG_FORMAT=json -e 'FORWARDED_ALLOW_IPS=*')
read -r -a extra_args <<<"${FLOOD_EXTRA_ARGS:-}" # e.g. "-e JDK_JAVA_OPTIONS=..." for experiments
run_args+=("${extra_args[@]}")
if [[ $engine == podman ]]; then
  # podman's --read-only gives the container a writable /tmp tmpfs by default: jcmd needs it.
  run_args+=(--network=host -e HOST=127.0.0.1 -e "PORT=$port")
else
  run_args+=(-p "127.0.0.1:$port:8082" --tmpfs /tmp:size=1m)
fi
say "engine $engine; image $image; --cpus=$CPUS --memory=$MEMORY"
"$engine" run -d --name "$name" "${run_args[@]}" "$image" >/dev/null
t0=$(now_ms)
until [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $AUTH_API_KEY" "$base/") == 200 ]]; do
  [[ $(state Running) == true ]] || fail "the container exited"
  (($(now_ms) - t0 < 60000)) || fail "no 200 within 60 s"
  sleep 0.1
done
pid=$(state Pid)
cap_line=$("$engine" logs "$name" 2>&1 | grep -o 'At most [0-9]* connections[^"]*' | head -1 || true)
say "up: ${cap_line:-no connection cap in the log}"

# Every file the flood opens is a descriptor in the container and one in wrk.
nofile=$(awk '/^Max open files/ { print $4 }' "/proc/$pid/limits")
need=$((connections > slowloris ? connections : slowloris))
((nofile > need + 100)) || fail "the container may open $nofile files, fewer than the $need connections"
ulimit -n $((need + 1000)) 2>/dev/null || fail "can't raise this shell's open-files limit to $((need + 1000)) (hard: $(ulimit -Hn))"
say "open files: the container may open $nofile, wrk $(ulimit -n)"

# A probe every 250 ms, each on a new connection, at most 1 s, whether the one before has ended or
# not (as a platform's periodic probe): "epoch-ms status seconds" lines.
probe_from() {
  local at
  while :; do
    at=$(now_ms)
    { printf '%s %s\n' "$at" "$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 1 "$base/health")"; } &
    sleep 0.25
  done >"$1"
}
# Every one-second window from START to END (epoch ms) holds a probe answered 200 within 1 s.
check_probes() { # FILE START END WHAT
  local counts latencies missed
  awk -v start="$2" -v end="$3" '$1 >= start && $1 < end' "$1" >"$1.window"
  awk '$2 == 200 && $3 < 1 { print $3 }' "$1.window" | sort -n >"$1.ok"
  counts="$(wc -l <"$1.window") probes, $(wc -l <"$1.ok") answered 200 within 1 s"
  latencies=$(awk '{ v[NR] = $1 } END { p99 = int(NR * 0.99); if (p99 < 1) p99 = 1
    if (NR) printf "p50 %.3f s, p99 %.3f s, max %.3f s", v[int((NR + 1) / 2)], v[p99], v[NR] }' "$1.ok")
  missed=$(awk -v start="$2" -v end="$3" '
    $2 == 200 && $3 < 1 { good[int(($1 - start) / 1000)] = 1 }
    END { for (w = 0; w < int((end - start) / 1000); w++) if (!(w in good)) list = list " " w; print list }' "$1.window")
  if [[ -n $missed ]]; then
    awk -v start="$2" '{ printf "flood: probe at +%.2f s: status %s in %s s\n", ($1 - start) / 1000, $2, $3 }' \
      "$1.window" >&2
    fail "$4: /health was not answered within 1 s in second(s)$missed ($counts)"
  fi
  say "ok  $4: /health answered within 1 s in every second: $counts (${latencies:-none})"
}
# GET / with the key on a new connection: prints "STATUS SECONDS"; succeeds if 200 within 1 s.
caller() {
  local out code seconds
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 -H "Authorization: Bearer $AUTH_API_KEY" \
    "$base/") || true
  echo "$out"
  read -r code seconds <<<"$out"
  [[ $code == 200 ]] && awk -v s="$seconds" 'BEGIN { exit !(s < 1) }'
}
alive() { # WHAT
  [[ $(state OOMKilled) == false ]] || fail "$1: the container was OOM-killed"
  [[ $(state Running) == true ]] || fail "$1: the container exited ($(state ExitCode))"
  if "$engine" logs "$name" 2>&1 | grep -q OutOfMemoryError; then
    fail "$1: OutOfMemoryError in the log"
  fi
}

phase_flood() {
  local before after peak current start end after_flood after_failed=0
  before=$(heap_after_gc)
  say "flood: $connections connections for $seconds s (wrk -t2 --latency, the key on every request); heap" \
    "after a full GC before it: $(mib "$before") MiB"
  probe_from "$tmp/probes" &
  background+=($!)
  start=$(now_ms)
  wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s --latency -H "Authorization: Bearer $AUTH_API_KEY" \
    "$base/" >"$tmp/wrk" 2>&1 || fail "wrk failed: $(cat "$tmp/wrk")"
  end=$(now_ms)
  kill "${background[-1]}"
  after_flood=$(caller) || after_failed=1
  alive "the flood"
  grep -E 'Requests/sec|Socket errors|Non-2xx|  (50|99)%' "$tmp/wrk" | sed 's/^ */flood: wrk: /'
  check_probes "$tmp/probes" "$start" "$end" "during the flood"
  read -r peak current <<<"$(cgroup_memory)"
  ((peak < MEMORY_BYTES)) || fail "the cgroup's memory peaked at $(mib "$peak") MiB, the limit is $MEMORY"
  say "ok  the container ran throughout, not OOM-killed, no OutOfMemoryError; cgroup memory peak" \
    "$(mib "$peak") MiB of $MEMORY (page cache and socket buffers included), $(mib "$current") MiB now"
  ((after_failed == 0)) || fail "right after the flood, GET / with the key on a new connection answered" \
    "'$after_flood' (status, seconds)"
  say "ok  right after the flood a new connection with the key got 200 in ${after_flood#* } s"
  after=$(heap_after_gc)
  ((after <= before + heap_margin_mib * 1048576)) \
    || fail "the heap after a full GC is $((after / 1024)) KiB, $(((after - before) / 1024)) KiB above the" \
      "$((before / 1024)) KiB before the flood (margin: $heap_margin_mib MiB)"
  say "ok  heap after a full GC: $((before / 1024)) KiB before the flood, $((after / 1024)) KiB after" \
    "($(((after - before) / 1024)) KiB more; the margin is $heap_margin_mib MiB)"
}

phase_slowloris() {
  local start end took slowest=0 peak current
  mkfifo "$tmp/hold"
  java bench/Connections.java "$port" "$AUTH_API_KEY" trickle "$slowloris" <"$tmp/hold" >"$tmp/slowloris" 2>&1 &
  background+=($!)
  exec 7>"$tmp/hold" # the trickling lasts as long as this stays open
  start=$(now_ms)
  until grep -q '^held' "$tmp/slowloris"; do
    kill -0 "${background[-1]}" 2>/dev/null || fail "the slowloris client ended: $(cat "$tmp/slowloris")"
    (($(now_ms) - start < 60000)) || fail "no $slowloris slowloris connections within 60 s"
    sleep 0.2
  done
  say "slowloris: $(head -1 "$tmp/slowloris"), a byte a second each; a caller every 0.5 s for $slowloris_seconds s"
  probe_from "$tmp/slow-probes" &
  background+=($!)
  start=$(now_ms)
  for _ in $(seq $((slowloris_seconds * 2))); do
    took=$(caller) || fail "with $slowloris slowloris connections, GET / with the key answered '$took'"
    slowest=$(awk -v a="$slowest" -v b="${took#* }" 'BEGIN { print (b > a ? b : a) }')
    sleep 0.5
  done
  end=$(now_ms)
  kill "${background[-1]}"
  alive "the slowloris"
  check_probes "$tmp/slow-probes" "$start" "$end" "during the slowloris"
  exec 7>&-
  wait "${background[-2]}" 2>/dev/null || true
  read -r peak current <<<"$(cgroup_memory)"
  ((peak < MEMORY_BYTES)) || fail "the cgroup's memory peaked at $(mib "$peak") MiB, the limit is $MEMORY"
  say "ok  $((slowloris_seconds * 2)) callers with the key got 200, the slowest in $slowest s; $(tail -1 "$tmp/slowloris");" \
    "cgroup memory peak $(mib "$peak") MiB of $MEMORY"
}

for phase in "${phases[@]}"; do
  declare -F "phase_$phase" >/dev/null || fail "no phase '$phase' (phases: flood slowloris)"
  "phase_$phase"
done
# What the service said of the cap and the heap (docs/operations.md, "Connection cap").
"$engine" logs "$name" 2>&1 | grep -E 'connection cap|Connection cap|heap is nearly|heap has room' \
  | sed 's/^/flood: service: /' | tail -8 || true
say "all passed"
