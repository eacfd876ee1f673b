#!/usr/bin/env bash
# The memory one open connection holds, in each state a client can leave it in: the packaged jar
# on JDK 25 with the Dockerfile's ENTRYPOINT flags and the container's 256 MiB told to the JVM as
# -XX:MaxRAM, plus Native Memory Tracking. For each state, N connections are opened and held
# (bench/Connections.java); a heap histogram (jcmd GC.class_histogram, which runs a full GC first)
# and an NMT summary diff are taken before and after, and the difference is divided by N.
#
#   mvn -B -q package -DskipTests && bench/conn-cost.sh
#
# Prints, per state: heap bytes, direct-buffer bytes (NMT "Other") and RSS per connection, the classes
# that grew most and NMT by category. Raw histograms go to bench/out/conn-cost-<time>/.
# Listens on 127.0.0.1 only. Settings (environment):
#   JAR (target/api-key-auth.jar), JDK25 (/usr/lib/jvm/temurin-25-jdk-amd64), N (2000),
#   MODES ("idle partial headers kept reused"; also "tiny"), MEMORY (256m), PORT (a free one), EXTRA_ENV (e.g. MAX_CONNECTIONS=20000)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-target/api-key-auth.jar}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
N=${N:-2000}
MODES=${MODES:-idle partial headers kept reused}
MEMORY=${MEMORY:-256m}
PORT=${PORT:-$((20000 + RANDOM % 15000))}
KEY=conn-cost-key-0123456789abcdef
OUT=$PWD/bench/out/conn-cost-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
say() { printf '[conn-cost %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# The Dockerfile's ENTRYPOINT flags, without the AOT cache (it changes what is loaded at start,
# not what a connection holds) and without -jar.
mapfile -t FLAGS < <(sed -n '/^ENTRYPOINT/,/\]/p' Dockerfile | tr -d '\\\n' | grep -o '"[^"]*"' | tr -d '"' \
  | tail -n +2 | grep -v -e '^-XX:AOTCache=' -e '^-jar$' -e '\.jar$')
say "flags: ${FLAGS[*]} -XX:MaxRAM=$MEMORY -XX:NativeMemoryTracking=summary"

# shellcheck disable=SC2086
env -i PATH="$PATH" AUTH_API_KEY=$KEY HOST=127.0.0.1 PORT="$PORT" ${EXTRA_ENV:-} \
  "$JDK25/bin/java" "${FLAGS[@]}" "-XX:MaxRAM=$MEMORY" -XX:NativeMemoryTracking=summary -jar "$JAR" \
  >"$OUT/server.log" 2>&1 &
server=$!
holder=
cleanup() {
  [ -z "$holder" ] || kill "$holder" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.1; done
# Warm up: every class a request loads is loaded before the first histogram.
for _ in $(seq 200); do
  curl -fs -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/"
done
"$JDK25/bin/java" bench/Connections.java "$PORT" "$KEY" kept 100 </dev/null >/dev/null

histogram() { "$JDK25/bin/jcmd" "$server" GC.class_histogram >"$1"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
# The histogram's total, less jdk.internal.vm.FillerElement: the filler arrays JDK 25 counts for the
# unused ends of the heap's spaces, which are no object anyone holds.
total() { awk '/FillerElement/ { filler += $3 } $1 == "Total" { total = $3 } END { print total - filler }' "$1"; }
# The classes whose bytes grew most between two histograms: instances, bytes, bytes per connection.
grown() {
  awk -v n="$held" 'FNR == 1 { file++ } $1 ~ /^[0-9]+:$/ {
      if (file == 1) { b[$4] = $3; i[$4] = $2 } else { a[$4] = $3; j[$4] = $2 } }
    END { for (c in a) if (a[c] - b[c] > 0) printf "%12d %10d %8.1f  %s\n", a[c] - b[c], j[c] - i[c], (a[c] - b[c]) / n, c }' \
    "$1" "$2" | sort -rn | head -12 || true # head closes the pipe early
}

printf '| state | held by the service | heap B/conn | direct buffers (NMT Other) B/conn | RSS B/conn |\n|---|---:|---:|---:|---:|\n' >"$OUT/table.md"
for mode in $MODES; do
  sleep 2
  histogram "$OUT/$mode-before.txt"
  "$JDK25/bin/jcmd" "$server" VM.native_memory baseline >/dev/null
  rss_before=$(rss_kib)
  fifo=$OUT/$mode.fifo
  mkfifo "$fifo"
  "$JDK25/bin/java" bench/Connections.java "$PORT" "$KEY" "$mode" "$N" <"$fifo" >"$OUT/$mode-client.txt" &
  holder=$!
  exec 7>"$fifo"
  until grep -q '^held' "$OUT/$mode-client.txt"; do
    kill -0 "$holder" || { say "the client died"; exit 1; }
    sleep 0.2
  done
  sleep 2
  histogram "$OUT/$mode-after.txt"
  "$JDK25/bin/jcmd" "$server" VM.native_memory summary.diff >"$OUT/$mode-nmt.txt"
  rss_after=$(rss_kib)
  exec 7>&-
  wait "$holder" || true
  holder=
  rm -f "$fifo"

  # Divided by the connections the service holds (its HTTP connection objects), not by N: some may
  # not be accepted yet, or closed by the service (a head over its limits).
  held=$(awk 'FNR == 1 { file++ } $4 ~ /internal\.HttpConnection$|HeadLimits\$Limited$/ { n[file] += $2 }
    END { print n[2] - n[1] }' "$OUT/$mode-before.txt" "$OUT/$mode-after.txt")
  ((held > 0)) || held=1
  heap=$(( ($(total "$OUT/$mode-after.txt") - $(total "$OUT/$mode-before.txt")) / held ))
  # NMT's committed growth in "Other": the direct (off-heap) buffers. The rest of NMT's growth
  # outside the heap is the JIT compiling (Code, Arena Chunk), which does not scale with connections.
  other_kb=$(sed -n 's/^- *Other .*committed=[0-9]*KB \([+-][0-9]*\)KB.*/\1/p' "$OUT/$mode-nmt.txt" | head -1)
  nmt=$(( ${other_kb:-0} * 1024 / held ))
  rss=$(( (rss_after - rss_before) * 1024 / held ))
  printf '| %s (client: %s) | %d | %d | %d | %d |\n' "$mode" "$(cat "$OUT/$mode-client.txt")" "$held" "$heap" "$nmt" \
    "$rss" >>"$OUT/table.md"
  {
    echo "== $mode: $(cat "$OUT/$mode-client.txt"), $held held by the service; heap $heap B/conn," \
      "direct buffers $nmt B/conn, RSS $rss B/conn"
    echo "   bytes grown  instances  B/conn  class"
    grown "$OUT/$mode-before.txt" "$OUT/$mode-after.txt" | grep -v FillerElement
    echo "   NMT (committed growth by category):"
    grep -E '^-.*committed=.*[+-][0-9]+KB' "$OUT/$mode-nmt.txt" | sed 's/^/   /' | head -20 || true
  } | tee "$OUT/$mode-summary.txt"
done
echo
cat "$OUT/table.md"
say "raw output in $OUT"
