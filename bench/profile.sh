#!/usr/bin/env bash
# Profiles one server's per-request path under load with JFR and prints, per request, where the
# CPU samples fall (top frames, self and inclusive) and what is allocated, by site and by type.
# Allocation per request hardly moves with the machine's load, unlike CPU time: it is the figure
# to compare two builds by on a busy machine. Run after `mvn -B -q package -DskipTests`:
#
#   bench/profile.sh service                 # the jar, JDK 25, the Dockerfile's flags
#   bench/profile.sh reference               # bench/reference/ReferenceApp.java on the same
#
# Settings (environment): JAR (target/api-key-auth.jar), JDK25, PROFILE_SECONDS (15), SERVER_CPU (1),
# CLIENT_CPU (0). Raw recordings go to bench/out/profile-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:?usage: bench/profile.sh service|reference}
JAR=${JAR:-target/api-key-auth.jar}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
PROFILE_SECONDS=${PROFILE_SECONDS:-15}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${BENCH_PORT:-18083}
KEY=bench-key-0123456789-abcdefghijklmnopqrstuvw
OUT=$PWD/bench/out/profile-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }

# The Dockerfile's JVM flags, without the AOT cache (a profile needs no fast start).
mapfile -t FLAGS < <(sed -n '/^ENTRYPOINT/,/\]/p' Dockerfile | tr -d '\\\n' | grep -o '"-[^"]*"' | tr -d '"' \
  | grep -v -e '^-jar$' -e '^-XX:AOTCache=')
case "$which" in
  service) WHAT=(-jar "$JAR") ;;
  reference)
    "$JDK25/bin/javac" -nowarn --release 17 -d "$OUT/reference-classes" -cp "$JAR" bench/reference/ReferenceApp.java
    WHAT=(-cp "$JAR:$OUT/reference-classes" bench.ReferenceApp) ;;
  *) echo "usage: bench/profile.sh service|reference" >&2; exit 2 ;;
esac

env AUTH_API_KEY="$KEY" HOST=127.0.0.1 PORT="$PORT" taskset -c "$SERVER_CPU" \
  "$JDK25/bin/java" "${FLAGS[@]}" -XX:MaxRAM=1g "${WHAT[@]}" >"$OUT/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -s -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/" && break
  sleep 0.05
done
load() { taskset -c "$CLIENT_CPU" wrk -t1 -c64 -d"$1s" -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/"; }
load 10 >/dev/null # warm-up: the JIT has compiled the path before the recording starts
"$JDK25/bin/jcmd" "$pid" JFR.start name=profile settings=profile filename="$OUT/profile.jfr" >/dev/null
requests=$(load "$PROFILE_SECONDS" | awk '/ requests in /{print $1}')
"$JDK25/bin/jcmd" "$pid" JFR.stop name=profile >/dev/null
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
"$JDK25/bin/jfr" print --json --events jdk.ExecutionSample,jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics "$OUT/profile.jfr" \
  >"$OUT/profile.json"

python3 - "$OUT/profile.json" "$requests" "$which" <<'PY'
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
requests = int(sys.argv[2])
def frames(e, n=None):
    st = e["values"]["stackTrace"]
    fr = st["frames"] if st else []
    return [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in fr[:n]]
cpu = [e for e in events if e["type"] == "jdk.ExecutionSample"]
alloc = [e for e in events if e["type"] == "jdk.ObjectAllocationSample"]
self_, incl = collections.Counter(), collections.Counter()
for e in cpu:
    f = frames(e)
    if not f:
        continue
    self_[f[0]] += 1
    for name in set(f):
        incl[name] += 1
n = max(1, len(cpu))
print(f"# {sys.argv[3]}: {requests} requests profiled, {len(cpu)} CPU samples\n")
print("## CPU samples, self (top 15)\n")
for k, v in self_.most_common(15):
    print(f"- {100 * v / n:4.1f}% {k}")
print("\n## CPU samples, inclusive, in the app, Javalin and the servlet layer (top 20)\n")
keep = ("apikeyauth", "javalin", "Servlet", "Session", "logback", "micrometer", "ReferenceApp", "jackson")
for k, v in [kv for kv in incl.most_common() if any(s in kv[0] for s in keep)][:20]:
    print(f"- {100 * v / n:4.1f}% {k}")
# Exact: every thread's allocated bytes, at the recording's start and end (JFR writes them at each
# end of a chunk), summed; threads that ran only in between count from zero.
stats = collections.defaultdict(list)
for e in events:
    if e["type"] == "jdk.ThreadAllocationStatistics":
        stats[e["values"]["thread"]["javaThreadId"] if e["values"]["thread"] else None].append(e["values"]["allocated"])
exact = sum(max(v) - (min(v) if len(v) > 1 else 0) for v in stats.values())
total = sum(e["values"]["weight"] for e in alloc)
sites, types = collections.Counter(), collections.Counter()
for e in alloc:
    w = e["values"]["weight"]
    sites[" < ".join(frames(e, 3))] += w
    types[e["values"]["objectClass"]["name"]] += w
print(f"\n## Allocation: {exact / max(1, requests):.0f} bytes per request (all threads, exact)\n")
print(f"By site, from JFR's weighted samples ({total / max(1, requests):.0f} bytes per request sampled):\n")
for k, w in sites.most_common(12):
    print(f"- {w / requests:6.0f} B  {k}")
PY
echo "(recording: $OUT/profile.jfr)"
