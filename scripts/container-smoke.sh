#!/usr/bin/env bash
# Builds the container image and checks it from outside, as a platform would run it:
# read-only root filesystem, no capabilities, app.yaml's 1 CPU / 256 MiB and settings
# (LOG_FORMAT=json, FORWARDED_ALLOW_IPS=*), a key from the environment. In phases, in order:
#   start      run the container; print the time to the first 200
#   contract   GET / with the key: 200 {"message":"Hello, World!"}; no key: 401; a wrong key:
#              403; GET /health without a key: 200 {"status":"UP"}
#   nonroot    the service's process (PID 1) does not run as root
#   load       SMOKE_LOAD_SECONDS (60) of mixed valid and wrong-key traffic with wrk: every
#              valid request 2xx, every wrong one 403, no socket errors; then the container
#              still runs, was not OOM-killed, still answers; prints the cgroup's peak memory
#   stop       stop (SIGTERM) ends it with exit status 0 within 5 s
#   coldstarts the time to the first 200, with and without the AOT cache (SMOKE_STARTS each)
# and prints the image size. A phase is a function phase_<name>; to add one, write it and
# name it in PHASES, after `start` if it needs the running container and before `stop`.
#
# Engine: $CONTAINER_ENGINE, else docker when its daemon answers, else podman. With podman
# the container shares the host network (as the local stand-in setup requires) and gets
# its port through PORT; with docker the port is published on 127.0.0.1.
# Environment: IMAGE (default api-key-auth:smoke), SMOKE_PORT (default: a free one from
# 20000-34999), SMOKE_STARTS (cold starts timed each way, default 3; 0 skips),
# SMOKE_LOAD_SECONDS (default 60; 0 skips the load), SMOKE_PHASES (default: all, in order),
# SKIP_BUILD=1. The load needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."

PHASES=(start contract nonroot load stop coldstarts)
read -r -a phases <<<"${SMOKE_PHASES:-${PHASES[*]}}"

# app.yaml's resources.limits; DeploymentFilesTest keeps the two in step.
MEMORY=256m
CPUS=1

# shellcheck source=scripts/lib/container-engine.sh
source scripts/lib/container-engine.sh
engine=$(container_engine) || { echo "smoke: neither a running docker nor podman found; set CONTAINER_ENGINE" >&2; exit 1; }
image=${IMAGE:-api-key-auth:smoke}
starts=${SMOKE_STARTS:-3}
load_seconds=${SMOKE_LOAD_SECONDS:-60}
name=api-key-auth-smoke-$$
tmp=$(mktemp -d)
trap '"$engine" rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

# A free loopback port for each start: with podman the container shares the host's ports,
# and on a shared machine a fixed one may be taken between two starts.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  if [[ -n ${SMOKE_PORT:-} ]]; then
    port=$SMOKE_PORT
  else
    port=$((20000 + RANDOM % 15000))
    while ! port_is_free "$port"; do port=$((20000 + RANDOM % 15000)); done
  fi
  base=http://127.0.0.1:$port
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
fail() {
  echo "smoke: FAIL: $*" >&2
  echo "--- container log (last 50 lines) ---" >&2
  "$engine" logs "$name" 2>&1 | tail -50 >&2 || true
  exit 1
}
state() { "$engine" inspect --format "{{.State.$1}}" "$name"; }

# A throwaway key, passed by name so it never shows on a command line.
AUTH_API_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
export AUTH_API_KEY

# Starts a container and prints ms from `run` to the first 200, and ms from the moment
# the engine started the process to the first 200 (the service's own cold start).
start_and_time() {
  local t0 t1 started tries=0
  pick_port
  # Same restrictions, resources and settings as app.yaml.
  local run_args=(--read-only --cap-drop=ALL --security-opt=no-new-privileges --cpus="$CPUS" --memory="$MEMORY"
    -e AUTH_API_KEY -e LOG_FORMAT=json -e 'FORWARDED_ALLOW_IPS=*')
  if [[ $engine == podman ]]; then
    # podman's --read-only mounts a writable /tmp unless told not to; Kubernetes doesn't.
    run_args+=(--network=host --read-only-tmpfs=false -e HOST=127.0.0.1 -e "PORT=$port")
  else
    run_args+=(-p "127.0.0.1:$port:8082")
  fi
  t0=$(now_ms)
  "$engine" run -d --name "$name" "${run_args[@]}" "$@" "$image" >/dev/null
  until [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $AUTH_API_KEY" "$base/") == 200 ]]; do
    # inspect is slow: look at the container now and then, not on every try.
    if ((++tries % 50 == 0)); then
      [[ $(state Running) == true ]] || fail "the container exited"
      (($(now_ms) - t0 < 60000)) || fail "no 200 within 60 s"
    fi
    sleep 0.01
  done
  t1=$(now_ms)
  started=$(state StartedAt)
  started=$(($(date -d "${started% UTC}" +%s%N) / 1000000))
  echo "$((t1 - t0)) $((t1 - started))"
}

request() { # PATH [KEY]: sets code and body
  local args=(-sS --max-time 5 -o "$tmp/body" -w '%{http_code}')
  [[ -n ${2:-} ]] && args+=(-H "Authorization: Bearer $2")
  code=$(curl "${args[@]}" "$base$1") || code=000
  body=$(cat "$tmp/body" 2>/dev/null || true)
}
expect() { # WHAT STATUS BODY PATH [KEY]
  request "$4" "${5:-}"
  [[ $code == "$2" ]] || fail "$1: status $code, expected $2 (body: $body)"
  [[ $body == "$3" ]] || fail "$1: body $body, expected $3"
  echo "smoke: ok  $1 -> $code $body"
}

# The memory the container's cgroup reports: "PEAK CURRENT" in bytes (either may be "-").
# cgroup v2 has memory.peak (Linux 5.19+), v1 memory.max_usage_in_bytes; both count the
# page cache the container caused. Read from the host through the path the engine reports
# (podman), else from inside the container, where the cgroup namespace shows its own.
cgroup_memory() {
  local path dir peak=- current=-
  path=$("$engine" inspect --format '{{.State.CgroupPath}}' "$name" 2>/dev/null || true)
  for dir in "/sys/fs/cgroup$path" "/sys/fs/cgroup/memory$path"; do
    [[ -n $path && -d $dir ]] || continue
    if [[ -r $dir/memory.peak ]]; then
      peak=$(<"$dir/memory.peak") current=$(<"$dir/memory.current")
    elif [[ -r $dir/memory.max_usage_in_bytes ]]; then
      peak=$(<"$dir/memory.max_usage_in_bytes") current=$(<"$dir/memory.usage_in_bytes")
    else
      continue
    fi
    echo "$peak $current"
    return
  done
  # shellcheck disable=SC2016 # expanded by the container's shell
  "$engine" exec "$name" sh -c 'cd /sys/fs/cgroup 2>/dev/null || exit 0
    if [ -r memory.peak ]; then echo "$(cat memory.peak) $(cat memory.current)"
    elif [ -r memory/memory.max_usage_in_bytes ]; then
      echo "$(cat memory/memory.max_usage_in_bytes) $(cat memory/memory.usage_in_bytes)"
    else echo "- -"; fi' 2>/dev/null || echo "- -"
}
mib() { [[ $1 == - ]] && echo "?" || echo "$(($1 / 1048576))"; }

phase_start() {
  start_and_time >"$tmp/first"
  read -r to_200 in_container <"$tmp/first"
  echo "smoke: first 200 after ${to_200} ms from '$engine run', ${in_container} ms after the process started" \
    "(--cpus=$CPUS --memory=$MEMORY)"
}

phase_contract() {
  expect "GET / with the key" 200 '{"message":"Hello, World!"}' / "$AUTH_API_KEY"
  expect "GET / without a key" 401 '{"detail":"Not authenticated"}' /
  expect "GET / with a wrong key" 403 '{"detail":"Could not validate credentials"}' / "wrong-$AUTH_API_KEY"
  expect "GET /health without a key" 200 '{"status":"UP"}' /health
}

phase_nonroot() {
  local uid
  uid=$("$engine" exec "$name" cat /proc/1/status | sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p')
  [[ -n $uid && $uid != 0 ]] || fail "PID 1 runs as uid '${uid}'"
  echo "smoke: ok  PID 1 runs as uid $uid"
}

phase_load() {
  if ((load_seconds == 0)); then
    echo "smoke: load skipped (SMOKE_LOAD_SECONDS=0)"
    return
  fi
  command -v wrk >/dev/null || fail "the load phase needs wrk (apt-get install wrk), or SMOKE_LOAD_SECONDS=0"
  local report sent_valid sent_wrong valid_2xx valid_other wrong_403 wrong_other errors peak current
  # Latency is not the point: 64 connections (near app.yaml's containerConcurrency of 80), a
  # tenth of the requests with a wrong key. Each request says which kind it is in its
  # X-Request-Id, which the service echoes, so every answer is checked against its kind.
  SMOKE_KEY=$AUTH_API_KEY SMOKE_WRONG_KEY="wrong-$AUTH_API_KEY" wrk -t2 -c64 -d"${load_seconds}s" --timeout 5s \
    -s scripts/container-smoke.lua "$base/" >"$tmp/wrk" 2>&1 || fail "wrk failed: $(cat "$tmp/wrk")"
  report=$(grep '^MIX ' "$tmp/wrk" || true)
  [[ -n $report ]] || fail "wrk printed no counts: $(cat "$tmp/wrk")"
  field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$report"; }
  sent_valid=$(field sent_valid) sent_wrong=$(field sent_wrong)
  valid_2xx=$(field valid_2xx) valid_other=$(field valid_other)
  wrong_403=$(field wrong_403) wrong_other=$(field wrong_other)
  errors=$(($(field connect) + $(field read) + $(field write) + $(field timeout)))
  echo "smoke: load: ${load_seconds} s, $((sent_valid + sent_wrong)) requests sent ($sent_valid valid," \
    "$sent_wrong wrong key): valid 2xx=$valid_2xx other=$valid_other, wrong 403=$wrong_403 other=$wrong_other," \
    "socket errors=$errors; $(grep 'Requests/sec' "$tmp/wrk" | tr -s ' ')"
  ((valid_other == 0)) || fail "valid keys got non-2xx answers: $(grep 'status_' <<<"$report")"
  ((wrong_other == 0)) || fail "wrong keys got answers other than 403: $(grep 'status_' <<<"$report")"
  ((errors == 0)) || fail "socket errors under load: $report"
  ((valid_2xx > 1000)) || fail "too little traffic to mean anything: $report"

  [[ $(state OOMKilled) == false ]] || fail "the container was OOM-killed"
  [[ $(state Running) == true ]] || fail "the container stopped under load (exit $(state ExitCode))"
  read -r peak current <<<"$(cgroup_memory)"
  echo "smoke: ok  under load: still running, not OOM-killed; cgroup memory peak $(mib "$peak") MiB" \
    "of $MEMORY (page cache included), $(mib "$current") MiB now"
  expect "GET / with the key after the load" 200 '{"message":"Hello, World!"}' / "$AUTH_API_KEY"
}

phase_stop() {
  local t stop_ms exit_code
  t=$(now_ms)
  "$engine" stop -t 10 "$name" >/dev/null
  stop_ms=$(($(now_ms) - t))
  exit_code=$(state ExitCode)
  [[ $exit_code == 0 ]] || fail "exit status $exit_code after stop, expected 0"
  [[ $(state OOMKilled) == false ]] || fail "the container was OOM-killed"
  ((stop_ms < 5000)) || fail "stop took $stop_ms ms, expected under 5000"
  echo "smoke: ok  stop (SIGTERM) -> exit status 0 in $stop_ms ms"
  "$engine" rm "$name" >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
phase_coldstarts() {
  local mode extra
  ((starts > 0)) || return 0
  for mode in on off; do
    # JDK_JAVA_OPTIONS comes before the ENTRYPOINT's flags. AOTMode=off ignores the cache;
    # AOTMode=on makes the JVM fail rather than start without it, so "on" is really on.
    extra=(-e "JDK_JAVA_OPTIONS=-XX:AOTMode=$mode")
    : >"$tmp/times"
    for _ in $(seq "$starts"); do
      start_and_time "${extra[@]}" >>"$tmp/times"
      "$engine" rm -f "$name" >/dev/null
    done
    echo "smoke: AOT cache $mode: median of $starts cold starts: first 200 after" \
      "$(cut -d' ' -f1 "$tmp/times" | median) ms from '$engine run'," \
      "$(cut -d' ' -f2 "$tmp/times" | median) ms after the process started"
  done
}

echo "smoke: engine $engine ($("$engine" --version))"
build_args=()
if [[ $engine == podman ]]; then
  build_args+=(--network=host)
  # The build's AOT training run listens on the host's network too: if another build holds
  # the Dockerfile's port, train on a free one (a changed port retrains; the default hits the cache).
  training_port=$(sed -n 's/^ARG TRAINING_PORT=\([0-9]*\)$/\1/p' Dockerfile)
  if [[ -n $training_port ]] && ! port_is_free "$training_port"; then
    pick_port
    build_args+=(--build-arg "TRAINING_PORT=$port")
  fi
fi
if [[ ${SKIP_BUILD:-} != 1 ]]; then
  t=$(now_ms)
  "$engine" build "${build_args[@]}" -t "$image" .
  echo "smoke: built $image in $(($(now_ms) - t)) ms"
fi
size=$("$engine" image inspect --format '{{.Size}}' "$image")
echo "smoke: image size $((size / 1000000)) MB ($size bytes)"

for phase in "${phases[@]}"; do
  declare -F "phase_$phase" >/dev/null || fail "no phase '$phase' (phases: ${PHASES[*]})"
  "phase_$phase"
done
echo "smoke: all passed"
