#!/usr/bin/env bash
# Builds the container image and checks it from outside, as a platform would run it:
# read-only root filesystem, no capabilities, 1 CPU / 1 GiB, a key from the environment.
#   - GET / with the key: 200 {"message":"Hello, World!"}; no key: 401; a wrong key: 403
#   - GET /health without a key: 200 {"status":"UP"}
#   - the service's process (PID 1) does not run as root
#   - stop (SIGTERM) ends it with exit status 0 within a few seconds
# and prints the image size and the time to the first 200, with and without the AOT cache.
#
# Engine: $CONTAINER_ENGINE, else docker when its daemon answers, else podman. With podman
# the container shares the host network (as the local stand-in setup requires) and gets
# its port through PORT; with docker the port is published on 127.0.0.1.
# Environment: IMAGE (default api-key-auth:smoke), SMOKE_PORT (default: a free one from
# 20000-34999), SMOKE_STARTS (cold starts timed each way, default 3; 0 skips), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

engine=${CONTAINER_ENGINE:-}
if [[ -z $engine ]]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    engine=docker
  elif command -v podman >/dev/null; then
    engine=podman
  else
    echo "smoke: neither a running docker nor podman found; set CONTAINER_ENGINE" >&2
    exit 1
  fi
fi
image=${IMAGE:-api-key-auth:smoke}
starts=${SMOKE_STARTS:-3}
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
  echo "--- container log ---" >&2
  "$engine" logs "$name" >&2 2>&1 || true
  exit 1
}

echo "smoke: engine $engine ($("$engine" --version))"
build_args=()
[[ $engine == podman ]] && build_args+=(--network=host)
if [[ ${SKIP_BUILD:-} != 1 ]]; then
  t=$(now_ms)
  "$engine" build "${build_args[@]}" -t "$image" .
  echo "smoke: built $image in $(($(now_ms) - t)) ms"
fi
size=$("$engine" image inspect --format '{{.Size}}' "$image")
echo "smoke: image size $((size / 1000000)) MB ($size bytes)"

# A throwaway key, passed by name so it never shows on a command line.
AUTH_API_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
export AUTH_API_KEY

# Starts a container and prints ms from `run` to the first 200, and ms from the moment
# the engine started the process to the first 200 (the service's own cold start).
start_and_time() {
  local t0 t1 started tries=0
  pick_port
  # Same restrictions as app.yaml's securityContext and resources.
  local run_args=(--read-only --cap-drop=ALL --security-opt=no-new-privileges --cpus=1 --memory=1g
    -e AUTH_API_KEY)
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
      [[ $("$engine" inspect --format '{{.State.Running}}' "$name") == true ]] || fail "the container exited"
      (($(now_ms) - t0 < 60000)) || fail "no 200 within 60 s"
    fi
    sleep 0.01
  done
  t1=$(now_ms)
  started=$("$engine" inspect --format '{{.State.StartedAt}}' "$name")
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

start_and_time >"$tmp/first"
read -r to_200 in_container <"$tmp/first"
echo "smoke: first 200 after ${to_200} ms from '$engine run', ${in_container} ms after the process started"

expect "GET / with the key" 200 '{"message":"Hello, World!"}' / "$AUTH_API_KEY"
expect "GET / without a key" 401 '{"detail":"Not authenticated"}' /
expect "GET / with a wrong key" 403 '{"detail":"Could not validate credentials"}' / "wrong-$AUTH_API_KEY"
expect "GET /health without a key" 200 '{"status":"UP"}' /health

uid=$("$engine" exec "$name" cat /proc/1/status | sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p')
[[ -n $uid && $uid != 0 ]] || fail "PID 1 runs as uid '${uid}'"
echo "smoke: ok  PID 1 runs as uid $uid"

t=$(now_ms)
"$engine" stop -t 10 "$name" >/dev/null
stop_ms=$(($(now_ms) - t))
exit_code=$("$engine" inspect --format '{{.State.ExitCode}}' "$name")
[[ $exit_code == 0 ]] || fail "exit status $exit_code after stop, expected 0"
((stop_ms < 5000)) || fail "stop took $stop_ms ms, expected under 5000"
echo "smoke: ok  stop (SIGTERM) -> exit status 0 in $stop_ms ms"
"$engine" rm "$name" >/dev/null

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
if ((starts > 0)); then
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
fi
echo "smoke: all passed"
