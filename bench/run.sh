#!/usr/bin/env bash
# Benchmarks the packaged service against an nginx reference in one run and prints a Markdown
# report (bench/README.md says what each figure means). Run after `mvn -B -q package -DskipTests`:
#
#   bench/run.sh | tee bench/RESULTS.md
#
# Progress goes to standard error, the report to standard output, raw output to bench/out/<time>/.
# Installs wrk, nginx and curl from Debian when missing (as root). Every server listens on
# 127.0.0.1 only. Settings (environment):
#   JAR           the jar to measure (target/api-key-auth.jar)
#   BASELINE_JAR  also measure this jar, same run (e.g. a build of main), labelled "before:"
#   BASELINE_DOCKERFILE  the Dockerfile whose ENTRYPOINT flags the baseline runs with (./Dockerfile)
#   ALT_DOCKERFILE       also run JAR with this Dockerfile's flags ("after: JDK 25 alt flags")
#   JDK17, JDK25  the JDK homes (/usr/lib/jvm/java-17-openjdk-amd64, .../temurin-25-jdk-amd64)
#   DURATION      seconds of each measured wrk run (10); WARMUP seconds before them (15)
#   RUNS          cold starts per configuration, the median is reported (7)
#   SERVER_CPU, CLIENT_CPU  the CPUs the server and wrk are pinned to (1 and 0)
#   CONTAINER_MEMORY        the container's memory limit, told to the JVM as -XX:MaxRAM (256m, app.yaml's)
#   LOAD_JDK17    1 to also load-test plain `java -jar` on JDK 17 (1)
#   ROUNDS        load runs of the shipped jar and the reference app, alternating (2)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-target/api-key-auth.jar}
BASELINE_JAR=${BASELINE_JAR:-}
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
RUNS=${RUNS:-7}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
CONTAINER_MEMORY=${CONTAINER_MEMORY:-256m}
LOAD_JDK17=${LOAD_JDK17:-1}
ROUNDS=${ROUNDS:-2}
REFERENCE_MAIN=bench.ReferenceApp
PORT=${BENCH_PORT:-18082}
KEY=bench-key-0123456789-abcdefghijklmnopqrstuvw
# A near miss: the same length, only the last character differs.
WRONG_KEY=bench-key-0123456789-abcdefghijklmnopqrstuvx

OUT=$PWD/bench/out/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
say() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- tools ------------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v curl >/dev/null || need+=(curl)
command -v taskset >/dev/null || need+=(util-linux)
if [ "${#need[@]}" -gt 0 ]; then
  say "installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >&2
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$JAR" ] || die "$JAR is missing: run mvn -B -q package -DskipTests first"
[ -x "$JDK17/bin/java" ] || die "no JDK 17 at $JDK17 (set JDK17)"
[ -x "$JDK25/bin/java" ] || die "no JDK 25 at $JDK25 (set JDK25)"
[ "$(nproc)" -ge 2 ] || { SERVER_CPU=0; CLIENT_CPU=0; }

# The reference app (bench/reference/ReferenceApp.java): bare Javalin, compiled against the jar,
# which carries Javalin, Jetty and Jackson, so both run on the very same libraries.
# A jar, not a folder: an AOT cache takes only jars on the classpath.
REFERENCE_JAR=$OUT/reference.jar
"$JDK17/bin/javac" -nowarn --release 17 -d "$OUT/reference-classes" -cp "$JAR" bench/reference/ReferenceApp.java >&2
"$JDK17/bin/jar" --create --file "$REFERENCE_JAR" -C "$OUT/reference-classes" .

# --- the shipped configuration: the Dockerfile's ENTRYPOINT flags ------------------------------
# Read from the Dockerfile, so the bench follows it; the AOT cache is made here by a training run
# like the Dockerfile's. The container's limits (1 CPU, 256 MiB) become a pinned CPU and
# -XX:MaxRAM, which size the JVM as the cgroup limits would.
entrypoint_flags() { # Dockerfile -> its ENTRYPOINT's JVM flags, one a line, without the AOT cache
  local entry=() arg skip_next=0
  if [ -f "$1" ] && grep -q '^ENTRYPOINT' "$1"; then
    mapfile -t entry < <(sed -n '/^ENTRYPOINT/,/\]/p' "$1" | tr -d '\\\n' | grep -o '"[^"]*"' | tr -d '"')
  else
    die "no ENTRYPOINT in $1"
  fi
  for arg in "${entry[@]:1}"; do
    if [ "$skip_next" = 1 ]; then skip_next=0; continue; fi
    case "$arg" in
      -jar) skip_next=1 ;;
      -XX:AOTCache=*|-XX:AOTMode=*) ;;
      *) printf '%s\n' "$arg" ;;
    esac
  done
}
BASELINE_DOCKERFILE=${BASELINE_DOCKERFILE:-Dockerfile}
ALT_DOCKERFILE=${ALT_DOCKERFILE:-}
mapfile -t SHIPPED_FLAGS < <(entrypoint_flags Dockerfile)
mapfile -t BASELINE_FLAGS < <(entrypoint_flags "$BASELINE_DOCKERFILE")
ALT_FLAGS=()
[ -z "$ALT_DOCKERFILE" ] || mapfile -t ALT_FLAGS < <(entrypoint_flags "$ALT_DOCKERFILE")
CONTAINER_FLAGS=("-XX:MaxRAM=$CONTAINER_MEMORY")

# --- helpers ------------------------------------------------------------------------------------
ticks() { # utime+stime, in clock ticks, of the given pids
  local total=0 pid t
  for pid in "$@"; do
    t=$(sed -E 's/^.*\) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
    total=$((total + t))
  done
  echo "$total"
}
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
to_ms() { # wrk's 850.00us / 1.23ms / 1.20s -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else print "nan" }'
}
await_200() { # port key pid: polls GET / until 200
  for _ in $(seq 3000); do
    kill -0 "$3" 2>/dev/null || die "the server (pid $3) exited; see $OUT"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "http://127.0.0.1:$1/")" = 200 ]; then
      return 0
    fi
    sleep 0.01
  done
  die "no 200 from port $1 within 30 s"
}
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

LOAD_TSV=$OUT/load.tsv
START_TSV=$OUT/start.tsv
MEM_TSV=$OUT/memory.tsv
: >"$LOAD_TSV"; : >"$START_TSV"; : >"$MEM_TSV"

# wrk_run server scenario pids...: one measured wrk run, appended to load.tsv
wrk_run() {
  local server=$1 scenario=$2; shift 2
  local log="$OUT/wrk-${server//[^A-Za-z0-9]/_}-$scenario.txt" before after args=() path=/ connections=64
  case "$scenario" in
    valid) args=(-H "Authorization: Bearer $KEY") ;;
    wrong) args=(-H "Authorization: Bearer $WRONG_KEY") ;;
    mix) args=(-s bench/mix.lua) ;;
    # The largest public file, to a client that accepts gzip: what a caller without a key can
    # make the server do. Fewer connections: each answer is about 0.45 MB.
    asset) args=(-H "Accept-Encoding: gzip") path=/docs/swagger-ui-bundle.js connections=8 ;;
  esac
  before=$(ticks "$@")
  BENCH_KEY=$KEY BENCH_WRONG_KEY=$WRONG_KEY BENCH_WRONG_EVERY=10 \
    taskset -c "$CLIENT_CPU" wrk -t1 -c"$connections" -d"${DURATION}s" --latency "${args[@]}" \
    "http://127.0.0.1:$PORT$path" >"$log" 2>&1
  after=$(ticks "$@")
  local requests rps p50 p99 non2xx errors cpu
  requests=$(awk '/ requests in /{print $1}' "$log")
  rps=$(awk '/^Requests\/sec:/{print $2}' "$log")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$log")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$log")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/{print $NF}' "$log"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors:/{gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$log"); errors=${errors:-0}
  cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "%.2f", t * 1e6 / hz / n }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$scenario" "$rps" "$p50" "$p99" "$non2xx" "$errors" "$cpu" \
    >>"$LOAD_TSV"
  say "$server / $scenario: $rps req/s, p50 ${p50} ms, p99 ${p99} ms, non-2xx $non2xx, socket errors $errors, CPU ${cpu} µs/req"
}

warm_up() {
  say "warm-up ${1}s"
  BENCH_KEY=$KEY BENCH_WRONG_KEY=$WRONG_KEY BENCH_WRONG_EVERY=10 \
    taskset -c "$CLIENT_CPU" wrk -t1 -c64 -d"${1}s" -s bench/mix.lua "http://127.0.0.1:$PORT/" >/dev/null 2>&1
}

load_all() { # server pids...
  local server=$1; shift
  wrk_run "$server" valid "$@"
  wrk_run "$server" wrong "$@"
  wrk_run "$server" mix "$@"
}

# --- nginx ------------------------------------------------------------------------------------
bench_nginx() { # label
  local label=$1 dir="$OUT/nginx"
  mkdir -p "$dir/nginx-tmp"
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$PORT|g" -e "s|@KEY@|$KEY|g" bench/nginx.conf.in >"$dir/nginx.conf"
  say "$label: starting nginx (1 worker) on CPU $SERVER_CPU"
  taskset -c "$SERVER_CPU" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" \
    >"$dir/stdout.log" 2>&1 &
  local master=$!
  await_200 "$PORT" "$KEY" "$master"
  local worker
  worker=$(pgrep -P "$master" | head -1)
  printf '%s\t%s\t%s\n' "$label" "$(( $(rss_kib "$master") + $(rss_kib "$worker") ))" start >>"$MEM_TSV"
  warm_up 3
  load_all "$label" "$master" "$worker"
  printf '%s\t%s\t%s\n' "$label" "$(( $(rss_kib "$master") + $(rss_kib "$worker") ))" load >>"$MEM_TSV"
  stop_pid "$master"
  wait "$master" 2>/dev/null || true
}

# --- the service ------------------------------------------------------------------------------
# A configuration is "label|jar|jvm|flags[|main]": jvm is jdk25 (pinned, container limits, AOT cache,
# the flags in the named array) or jdk17 (plain java -jar; pinned only under load, beside nginx);
# with a main class, the jar is the classpath (with the reference app's classes) instead of -jar.
CONFIGS=()
if [ -n "$BASELINE_JAR" ]; then
  [ -f "$BASELINE_JAR" ] || die "BASELINE_JAR $BASELINE_JAR is missing"
  CONFIGS+=("before: JDK 25 shipped|$BASELINE_JAR|jdk25|BASELINE_FLAGS" "before: JDK 17 java -jar|$BASELINE_JAR|jdk17|")
  AFTER="after: "
else
  AFTER=""
fi
CONFIGS+=("${AFTER}JDK 25 shipped|$JAR|jdk25|SHIPPED_FLAGS")
REFERENCE="reference: bare Javalin, JDK 25 shipped"
REFERENCE_CONFIG="$REFERENCE|$JAR|jdk25|SHIPPED_FLAGS|$REFERENCE_MAIN"
CONFIGS+=("$REFERENCE_CONFIG")
[ -z "$ALT_DOCKERFILE" ] || CONFIGS+=("${AFTER}JDK 25 alt flags|$JAR|jdk25|ALT_FLAGS")
CONFIGS+=("${AFTER}JDK 17 java -jar|$JAR|jdk17|")

slug() { echo "${1//[^A-Za-z0-9]/_}"; }
aot_path() { echo "$OUT/$(slug "$1").aot"; }

# java_cmd config [pin] -> JAVA_CMD, the command line of that configuration
launch() { # jar [main] -> how java is told what to run
  if [ -n "${2:-}" ]; then echo "-cp"; echo "$1:$REFERENCE_JAR"; echo "$2"; else echo "-jar"; echo "$1"; fi
}

java_cmd() {
  local label jar jvm flagsvar main
  IFS='|' read -r label jar jvm flagsvar main <<<"$1"
  local what=()
  mapfile -t what < <(launch "$jar" "$main")
  if [ "$jvm" = jdk25 ]; then
    local -n flags=$flagsvar
    JAVA_CMD=(taskset -c "$SERVER_CPU" "$JDK25/bin/java" "${flags[@]}" "${CONTAINER_FLAGS[@]}"
              "-XX:AOTCache=$(aot_path "$label")" "${what[@]}")
  else
    JAVA_CMD=("$JDK17/bin/java" -jar "$jar")
    if [ -n "${2:-}" ]; then JAVA_CMD=(taskset -c "$SERVER_CPU" "${JAVA_CMD[@]}"); fi
  fi
}

# The Dockerfile's training run: the requests a cold instance gets first, then SIGTERM; the JVM
# writes the AOT cache as it exits.
aot_train() { # config
  local label jar jvm flagsvar main aot
  IFS='|' read -r label jar jvm flagsvar main <<<"$1"
  [ "$jvm" = jdk25 ] || return 0
  local what=()
  mapfile -t what < <(launch "$jar" "$main")
  local -n flags=$flagsvar
  aot=$(aot_path "$label")
  say "$label: AOT training run -> $aot"
  env AUTH_API_KEY="$KEY" HOST=127.0.0.1 PORT="$PORT" \
    taskset -c "$SERVER_CPU" "$JDK25/bin/java" "${flags[@]}" "${CONTAINER_FLAGS[@]}" \
    "-XX:AOTCacheOutput=$aot" "${what[@]}" >"$aot.training.log" 2>&1 &
  local pid=$!
  await_200 "$PORT" "$KEY" "$pid"
  for _ in 1 2 3; do
    curl -s -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/"
    curl -s -o /dev/null -H "Authorization: Bearer $WRONG_KEY" "http://127.0.0.1:$PORT/"
    curl -s -o /dev/null "http://127.0.0.1:$PORT/"
    curl -s -o /dev/null "http://127.0.0.1:$PORT/health"
  done
  kill -TERM "$pid"
  wait "$pid" || die "the AOT training run exited $?; see $aot.training.log"
  [ -s "$aot" ] || die "the training run wrote no AOT cache; see $aot.training.log"
}

cold_start() { # config
  local label log line
  label=${1%%|*}
  java_cmd "$1"
  log="$OUT/coldstart-$(slug "$label").log"
  say "$label: cold start x$RUNS"
  env AUTH_API_KEY="$KEY" HOST=127.0.0.1 PORT="$PORT" \
    "$JDK17/bin/java" bench/ColdStart.java "$RUNS" "$PORT" "$KEY" "$log.server" -- "${JAVA_CMD[@]}" >"$log"
  line=$(tail -1 "$log")
  say "$label: $line"
  printf '%s\t%s\n' "$label" "$line" >>"$START_TSV"
}

bench_java() { # config
  local label pid
  label=${1%%|*}
  java_cmd "$1" pin
  say "$label: starting for load"
  env AUTH_API_KEY="$KEY" HOST=127.0.0.1 PORT="$PORT" "${JAVA_CMD[@]}" >"$OUT/server-$(slug "$label").log" 2>&1 &
  pid=$!
  await_200 "$PORT" "$KEY" "$pid"
  printf '%s\t%s\t%s\n' "$label" "$(rss_kib "$pid")" start >>"$MEM_TSV"
  warm_up "$WARMUP"
  load_all "$label" "$pid"
  case "$1" in *"|$REFERENCE_MAIN") ;; *) wrk_run "$label" asset "$pid" ;; esac
  printf '%s\t%s\t%s\n' "$label" "$(rss_kib "$pid")" load >>"$MEM_TSV"
  stop_pid "$pid"
  wait "$pid" 2>/dev/null || true
}

# --- the run ----------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START_TIME=$(date -u '+%Y-%m-%d %H:%M UTC')
say "output in $OUT; load average $LOAD_BEFORE"

for config in "${CONFIGS[@]}"; do aot_train "$config"; done

# nginx before and after each configuration: the machine's background load drifts within minutes,
# so each configuration is compared with the mean of the two nginx runs around it.
# The shipped jar and the reference app alternate, ROUNDS times each, between the same two nginx
# runs: their ratio is the one the design is judged by.
nginx_runs=1
bench_nginx "nginx #1"
for config in "${CONFIGS[@]}"; do
  case "$config" in
    *"|jdk17|"*) [ "$LOAD_JDK17" = 1 ] || continue ;;
    "$REFERENCE|"*) continue ;;
    "${AFTER}JDK 25 shipped|"*)
      for _ in $(seq "$ROUNDS"); do
        bench_java "$config"
        bench_java "$REFERENCE_CONFIG"
      done
      nginx_runs=$((nginx_runs + 1))
      bench_nginx "nginx #$nginx_runs"
      continue ;;
  esac
  bench_java "$config"
  nginx_runs=$((nginx_runs + 1))
  bench_nginx "nginx #$nginx_runs"
done
for config in "${CONFIGS[@]}"; do cold_start "$config"; done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# Each row with its reference: the mean of the nginx runs just before and after it (for an nginx
# row, itself). Columns: server traffic rps p50 p99 non2xx errors cpu ref_rps ref_cpu ref_p99.
RATIO_TSV=$OUT/load-with-reference.tsv
awk -F'\t' -v OFS='\t' '
  { n++; for (f = 1; f <= 8; f++) col[n, f] = $f }
  END {
    for (i = 1; i <= n; i++) {
      rr = 0; rc = 0; rp = 0; k = 0
      if (col[i, 1] ~ /^nginx/) { rr = col[i, 3]; rc = col[i, 8]; rp = col[i, 5]; k = 1 }
      else {
        for (j = i - 1; j >= 1; j--) if (col[j, 1] ~ /^nginx/ && col[j, 2] == col[i, 2]) { rr += col[j, 3]; rc += col[j, 8]; rp += col[j, 5]; k++; break }
        for (j = i + 1; j <= n; j++) if (col[j, 1] ~ /^nginx/ && col[j, 2] == col[i, 2]) { rr += col[j, 3]; rc += col[j, 8]; rp += col[j, 5]; k++; break }
      }
      if (k == 0) k = 1 # no nginx figure for this traffic (the Swagger UI asset): ratios left out
      print col[i, 1], col[i, 2], col[i, 3], col[i, 4], col[i, 5], col[i, 6], col[i, 7], col[i, 8], rr / k, rc / k, rp / k
    }
  }' "$LOAD_TSV" >"$RATIO_TSV"

# --- the report -------------------------------------------------------------------------------
baseline_note=""
[ -z "$BASELINE_JAR" ] || baseline_note=", baseline \`$BASELINE_JAR\`"
flag_notes=""
[ -z "$BASELINE_JAR" ] || flag_notes="$flag_notes
  before: JDK 25 shipped runs \`${BASELINE_FLAGS[*]}\` (from \`$BASELINE_DOCKERFILE\`)."
[ -z "$ALT_DOCKERFILE" ] || flag_notes="$flag_notes
  after: JDK 25 alt flags runs \`${ALT_FLAGS[*]}\` (from \`$ALT_DOCKERFILE\`)."
cpu_model=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
cat <<EOF
# Benchmark results

- Date: $START_TIME
- Machine: $(nproc) CPUs ($cpu_model), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load average (1/5/15 min) $LOAD_BEFORE before the run, $LOAD_AFTER after
- Command: \`${BENCH_COMMAND:-bench/run.sh}\`
- Jar: \`$JAR\`$baseline_note
- Load: \`wrk -t1 -c64 -d${DURATION}s --latency\` on CPU $CLIENT_CPU, after a ${WARMUP}s warm-up (3 s for nginx); the server pinned to CPU $SERVER_CPU.
  *valid*: every request has the key; *wrong*: every request has a near-miss key (403); *mix*: 9 valid, 1 wrong.
  CPU is the server's utime+stime from \`/proc/<pid>/stat\` over the run, divided by the requests.
- nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'), 1 worker, does the same check in a \`map\` and logs each request (buffered);
  it runs before and after each configuration, and each ratio is to the mean of the two nginx runs around that
  configuration (the background load of this shared machine drifts within minutes).
- JDK 25 shipped: \`$JDK25/bin/java ${SHIPPED_FLAGS[*]} -XX:AOTCache=<trained here> -jar\` (the Dockerfile's ENTRYPOINT),
  with the container's limits stood in for by one pinned CPU and \`${CONTAINER_FLAGS[*]}\`; the AOT cache comes from a
  training run like the Dockerfile's (3 x authorised, wrong key, no key, /health; then SIGTERM).$flag_notes
- JDK 17 java -jar: \`$JDK17/bin/java -jar\`, no flags, not pinned for the cold start (a developer's laptop).

## Load

| server | traffic | requests/s | × nginx | p50 ms | p99 ms | × nginx | non-2xx | socket errors | server CPU µs/request | × nginx |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
awk -F'\t' '
  function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "—" }
  {
    printf "| %s | %s | %.0f | %s | %.2f | %.2f | %s | %d | %d | %.1f | %s |\n",
      $1, $2, $3, ratio($3, $9), $4, $5, ratio($5, $11), $6, $7, $8, ratio($8, $10)
  }' "$RATIO_TSV"

cat <<EOF

## Start and memory

Start: from spawning the process to the first 200 of an authorised \`GET /\`, median of $RUNS runs
(after one discarded run), measured by \`bench/ColdStart.java\`, with the CPU time (utime+stime) the
server had used by then. RSS (VmRSS, \`/proc/<pid>/status\`): at the first 200 (median of the cold
starts), and after the load above.

| configuration | start to first 200, ms (min–max) | CPU used until then, ms | RSS at first 200, MiB | RSS after load, MiB | × nginx |
|---|---:|---:|---:|---:|---:|
EOF
awk -F'\t' -v mem="$MEM_TSV" '
  BEGIN {
    while ((getline line < mem) > 0) {
      split(line, f, "\t")
      if (f[3] == "load") { after[f[1]] = f[2]; if (f[1] ~ /^nginx/) { nsum += f[2]; n++ } }
    }
  }
  {
    split($2, kv, " "); for (k in kv) { split(kv[k], p, "="); v[p[1]] = p[2] }
    load = ($1 in after) ? sprintf("%.1f", after[$1] / 1024) : "—"
    ratio = ($1 in after) ? sprintf("%.1f", after[$1] / (nsum / n)) : "—"
    printf "| %s | %.0f (%.0f–%.0f) | %.0f | %.1f | %s | %s |\n", $1, v["median_ms"], v["min_ms"], v["max_ms"],
      v["median_cpu_ms"], v["median_rss_kib"] / 1024, load, ratio
  }
  END { printf "| nginx (mean of all its runs) | — | — | — | %.1f | 1.0 |\n", nsum / n / 1024 }' "$START_TSV"

# --- the bars, for the measured jar in the shipped configuration --------------------------------
shipped="${AFTER}JDK 25 shipped"
plain="${AFTER}JDK 17 java -jar"
cat <<EOF

## Bars (issue 6), for \`$JAR\` in the shipped configuration

| bar | measured | met |
|---|---|---|
EOF
awk -F'\t' -v shipped="$shipped" -v plain="$plain" -v start="$START_TSV" -v mem="$MEM_TSV" '
  function verdict(ok) { return ok ? "yes" : "**no**" }
  {
    if ($1 == shipped && $2 != "asset") { rps[$2] = $3; p99[$2] = $5; cpu[$2] = $8; rr[$2] = $9; rc[$2] = $10; rp[$2] = $11 }
  }
  END {
    minratio = 99; maxcpu = 0; maxp99 = 0
    for (s in rps) {
      r = rps[s] / rr[s]; if (r < minratio) { minratio = r; rs = s }
      if (cpu[s] > maxcpu) { maxcpu = cpu[s]; cs = s }
      if (p99[s] > maxp99) { maxp99 = p99[s]; ps = s }
    }
    printf "| throughput ≥ 75%% of nginx | lowest %.0f%% (%s) | %s |\n", minratio * 100, rs, verdict(minratio >= 0.75)
    printf "| server CPU ≤ 12 µs/request | highest %.1f µs (%s; nginx beside it: %.1f µs) | %s |\n", maxcpu, cs, rc[cs], verdict(maxcpu <= 12)
    printf "| p99 ≤ 2 ms | highest %.2f ms (%s; nginx beside it: %.2f ms) | %s |\n", maxp99, ps, rp[ps], verdict(maxp99 <= 2)
    printf "| wrong key costs no more than valid | %.1f vs %.1f µs/request (%.2f×) | %s |\n",
      cpu["wrong"], cpu["valid"], cpu["wrong"] / cpu["valid"], verdict(cpu["wrong"] <= cpu["valid"])
    while ((getline line < start) > 0) {
      split(line, f, "\t"); split(f[2], kv, " "); for (k in kv) { split(kv[k], p, "="); v[p[1]] = p[2] }
      if (f[1] == shipped) st = v["median_ms"]
      if (f[1] == plain) sp = v["median_ms"]
    }
    while ((getline line < mem) > 0) { split(line, f, "\t"); if (f[1] == shipped && f[3] == "load") rss = f[2] / 1024 }
    printf "| start ≤ 200 ms, JDK 25 + AOT cache | %.0f ms | %s |\n", st, verdict(st <= 200)
    printf "| start ≤ 500 ms, JDK 17 java -jar | %.0f ms | %s |\n", sp, verdict(sp <= 500)
    printf "| RSS after load ≤ 96 MiB, shipped flags | %.1f MiB | %s |\n", rss, verdict(rss <= 96)
  }' "$RATIO_TSV"
# --- issue 10: the service against the reference app (bare Javalin) in the same run -------------
cat <<EOF

## Bars (issue 10): the shipped jar against the bare-Javalin reference, same JVM, flags and AOT training

Each figure is the mean of the $ROUNDS alternating load runs of each.

| bar | service | reference | ratio | met |
|---|---:|---:|---:|---|
EOF
awk -F'\t' -v shipped="$shipped" -v ref="$REFERENCE" -v start="$START_TSV" -v mem="$MEM_TSV" '
  function verdict(ok) { return ok ? "yes" : "**no**" }
  $1 == shipped && $2 != "asset" { sc[$2] += $8; sn[$2]++ }
  $1 == ref { rc[$2] += $8; rn[$2]++ }
  END {
    split("valid wrong mix", order, " ")
    for (i = 1; i <= 3; i++) {
      t = order[i]; a = sc[t] / sn[t]; b = rc[t] / rn[t]
      printf "| server CPU per request, %s, ≤ 1.15× | %.1f µs | %.1f µs | %.2f× | %s |\n", t, a, b, a / b, verdict(a / b <= 1.15)
    }
    while ((getline line < start) > 0) {
      split(line, f, "\t"); split(f[2], kv, " "); for (k in kv) { split(kv[k], p, "="); v[p[1]] = p[2] }
      if (f[1] == shipped) { ss = v["median_ms"]; scpu = v["median_cpu_ms"] }
      if (f[1] == ref) { rs = v["median_ms"]; rcpu = v["median_cpu_ms"] }
    }
    printf "| start to first 200 ≤ 1.1× | %.0f ms | %.0f ms | %.2f× | %s |\n", ss, rs, ss / rs, verdict(ss / rs <= 1.1)
    printf "| CPU used until the first 200 (not a bar) | %.0f ms | %.0f ms | %.2f× | |\n", scpu, rcpu, scpu / rcpu
    while ((getline line < mem) > 0) {
      split(line, f, "\t")
      if (f[3] == "load" && f[1] == shipped) { sm += f[2]; smn++ }
      if (f[3] == "load" && f[1] == ref) { rm += f[2]; rmn++ }
    }
    a = sm / smn / 1024; b = rm / rmn / 1024
    printf "| RSS after load ≤ 1.1× | %.1f MiB | %.1f MiB | %.2f× | %s |\n", a, b, a / b, verdict(a / b <= 1.1)
  }' "$LOAD_TSV"

cat <<EOF

## Bar (issue 15): a gzip-accepting request for the largest public file

\`wrk -t1 -c8 -H 'Accept-Encoding: gzip'\` on \`/docs/swagger-ui-bundle.js\` (no key), after the load above.

| configuration | requests/s | p99 ms | server CPU per request | under 1 ms |
|---|---:|---:|---:|---|
EOF
awk -F'\t' '$2 == "asset" {
    printf "| %s | %.0f | %.2f | %.3f ms | %s |\n", $1, $3, $5, $8 / 1000, ($8 < 1000 ? "yes" : "**no**")
  }' "$LOAD_TSV"
say "done: $OUT"
