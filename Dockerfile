# The api-key-auth service as a small, non-root, fast-starting container.
#   docker build -t api-key-auth .
#   export AUTH_API_KEY="$(docker run --rm api-key-auth generate-key 2>/dev/null)"
#   docker run --rm -p 8082:8082 -e AUTH_API_KEY api-key-auth
# docs/deploying.md has the details; scripts/container-smoke.sh builds and checks this image.

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /build
# Dependencies and plugins get a layer of their own, rebuilt only when pom.xml changes.
# Packaging the bare pom fetches exactly what the real package needs; dependency:go-offline
# misses some of it (it left out a transitive jar of Javalin's).
COPY pom.xml ./
RUN mvn -B -q -Dmaven.test.skip=true package && rm -rf target
COPY src/main ./src/main
# Tests run in CI (mvn verify), not here; -o proves the layer above holds everything.
RUN mvn -B -q -o -Dmaven.test.skip=true package


FROM eclipse-temurin:25-jre
# A fixed numeric uid, so that runAsNonRoot can check it without reading /etc/passwd.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin app
WORKDIR /app
# Owned by root, readable by all: the service cannot rewrite its own code or AOT cache.
COPY --from=build /build/target/api-key-auth.jar /app/app.jar

# Training run for the JDK 25 AOT cache (JEP 483/514): start the real jar with a throwaway
# key, send it the requests a cold instance gets first (an authorised GET /, a wrong key,
# no key, the probes), then SIGTERM it. The service drains and exits 0, and the JVM writes
# app.aot, which holds the classes those requests loaded and linked. The JVM flags are
# the ones in ENTRYPOINT: a cache made under other flags may be refused at run time. The
# settings are app.yaml's (JSON logs, a proxy in front), and the requests carry what the
# platform's do (X-Forwarded-For, traceparent), so their classes are in the cache too.
# bash's /dev/tcp is the HTTP client, as the JRE image need not have curl. Where the build
# shares the host's network, the port is the host's: it lies below Linux's range of ports for
# outgoing connections (32768-60999), one of which held 39082 once and failed the build.
ARG TRAINING_PORT=19082
RUN bash -euo pipefail -c ' \
    key=$(head -c 32 /dev/urandom | base64 | tr -d "/+=\n"); \
    AUTH_API_KEY=$key HOST=127.0.0.1 PORT=$TRAINING_PORT LOG_FORMAT=json FORWARDED_ALLOW_IPS="*" \
      java -XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:MaxDirectMemorySize=16m -XX:ReservedCodeCacheSize=24m \
           -Xss512k -XX:TrimNativeHeapInterval=1000 -XX:-UsePerfData \
           -XX:+ExitOnOutOfMemoryError -XX:AOTCacheOutput=/app/app.aot \
           -jar /app/app.jar & pid=$!; \
    get() { \
      exec 3<>/dev/tcp/127.0.0.1/$TRAINING_PORT || return 1; \
      if [ -n "${2:-}" ]; then auth="Authorization: Bearer $2"; else auth="X-No-Key: 1"; fi; \
      printf "GET %s HTTP/1.1\r\nHost: localhost\r\n%s\r\nX-Forwarded-For: 203.0.113.7\r\ntraceparent: %s\r\nConnection: close\r\n\r\n" \
        "$1" "$auth" "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" >&3; \
      read -r _ code _ <&3; cat <&3 >/dev/null; exec 3<&-; echo "$code"; }; \
    expect() { \
      got=$(get "$2" "${3:-}") || got=nothing; \
      [ "$got" = "$1" ] || { echo "AOT training: GET $2 answered $got, expected $1" >&2; exit 1; }; }; \
    for _ in $(seq 300); do get /health >/dev/null 2>&1 && break; sleep 0.1; done; \
    for _ in 1 2 3; do \
      expect 200 / "$key"; expect 403 / "wrong-$key"; expect 401 /; expect 200 /health; \
    done; \
    kill -TERM "$pid"; wait "$pid"; \
    java -XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:MaxDirectMemorySize=16m -XX:ReservedCodeCacheSize=24m \
         -Xss512k -XX:TrimNativeHeapInterval=1000 -XX:-UsePerfData \
         -XX:AOTMode=on -XX:AOTCache=/app/app.aot -jar /app/app.jar --version >/dev/null' \
 && chmod 0644 /app/app.aot

USER 10001:10001
EXPOSE 8082
# Flags for a 1-CPU / 256 MiB container that scales to zero (app.yaml's limits; the smoke
# test runs the image with them). What must fit in 256 MiB, and how each part is bounded:
#   heap            MaxRAMPercentage=60: at most 153 MiB. The service's live data is small
#                   (a few MiB: keys, meters, the OpenAPI document); the rest is room for
#                   connections: the connection cap is derived from it (MAX_CONNECTIONS,
#                   11,433 here), and at 60 % it is above the 10,000-connection flood that
#                   scripts/container-flood.sh holds the image to (50 % gave 9,504).
#   direct buffers  MaxDirectMemorySize=16m: Jetty's buffers come from the heap, so direct
#                   memory holds only the Swagger UI files (about 3 MiB) and the JDK's
#                   socket copies. Left alone it would be the heap's size on top; past it,
#                   a connection fails, not the process.
#   code cache      ReservedCodeCacheSize=24m: compiled code for Jetty, Javalin and the
#                   service fills 15 MiB of it; full, the JIT stops, nothing crashes.
#   the rest        metaspace and the AOT-cached classes, thread stacks (-Xss512k: half the
#                   default, enough for Jetty and Javalin; few threads), GC and JVM
#                   internals (42 MiB measured), and the kernel's socket buffers (15 MiB at
#                   10,000 connections): under the 63 MiB the three bounds above leave.
# The pages of files (the JVM's own code, the jar, the AOT cache) count too, but the kernel
# reclaims them before it kills anything. The smoke test prints the peak the cgroup saw under
# load; docs/deploying.md has the budget with measured figures.
#   SerialGC: one core makes a parallel collector pure overhead (and small heaps start fastest);
#   C1 and C2 (no TieredStopAtLevel=1): C1-only code costs about 3x the server CPU per
#     request of C2 code, for ~20% less time to the first 200 (bench/RESULTS.md has both);
#   TrimNativeHeapInterval=1000: return the C2 compiler's freed native memory to the OS
#     every second, so a burst of compilation does not stay resident;
#   -UsePerfData: no /tmp/hsperfdata file, so a read-only root filesystem works;
#   ExitOnOutOfMemoryError: a heap that is full anyway ends the process, and the platform
#     replaces the instance, rather than limping on;
#   AOTCache: start from the classes the training run above loaded and linked.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60", "-XX:MaxDirectMemorySize=16m", \
            "-XX:ReservedCodeCacheSize=24m", "-Xss512k", "-XX:TrimNativeHeapInterval=1000", \
            "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-XX:AOTCache=/app/app.aot", \
            "-jar", "/app/app.jar"]
