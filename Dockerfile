# syntax=docker/dockerfile:1
# Cairn member image: etcd's flags and ETCD_* variables, data in the /var/lib/cairn volume, client port 2379,
# peer port 2380.
#
#   docker build -t cairn .
#   docker run -d --name cairn -p 2379:2379 -v cairn-data:/var/lib/cairn cairn
#   ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:2379 put foo bar
#
# Settings are etcd's ETCD_* variables (docker run -e ETCD_NAME=m1 ...) or flags after the image name (docker run
# ... cairn --backend-engine xodus). The image sets ETCD_DATA_DIR and the listen/advertise URLs below: change those
# with -e, not with flags, since Cairn (like etcd) refuses a flag that repeats a variable that is set. JVM options go
# in JAVA_TOOL_OPTIONS (e.g. -e JAVA_TOOL_OPTIONS=-Xmx2g). docker-compose.yaml beside this file runs three members.
# The image also has `cairnutl` (bin/cairnutl's offline tools) on the PATH.

# ---- build: the Maven Wrapper, as on a developer machine ----------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The server module and cairnutl's tools module with the modules they use (-am), then each one's runtime
# dependencies: bin/cairn runs target/classes plus target/classpath.txt (absolute ~/.m2 paths that do not travel),
# so the image uses copy-dependencies into target/dependency instead, and the module jars. Tests are compiled (the
# tools module needs the WAL test-jar) but not run: CI runs them (.ci/run). The Maven repository is a build cache,
# not a layer.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl server/member,tools -am -DskipTests -Dcheckstyle.skip \
      package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/lib \
 && cp server/member/target/dependency/*.jar tools/target/dependency/*.jar /out/lib/ \
 && cp server/member/target/cairn-server-*.jar tools/target/cairn-tools-*.jar /out/lib/ \
 && rm -f /out/lib/*-tests.jar \
 && ls /out/lib/cairn-server-*.jar /out/lib/cairn-tools-*.jar /out/lib/cairn-backend-rocksdb-*.jar

# ---- runtime -------------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK (installed explicitly: the base image does not promise it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 cairn \
 && useradd --system --uid 10001 --gid cairn --home-dir /var/lib/cairn --shell /usr/sbin/nologin cairn \
 && mkdir -p /var/lib/cairn \
 && chown cairn:cairn /var/lib/cairn \
 && chmod 0700 /var/lib/cairn \
 && printf '#!/bin/sh\nexec java -cp "/opt/cairn/lib/*" io.cairn.tools.CairnUtl "$@"\n' >/usr/local/bin/cairnutl \
 && chmod 0755 /usr/local/bin/cairnutl
COPY --from=build /out/lib/ /opt/cairn/lib/

# Inside a container the member must listen on every interface; advertise what clients and peers can reach
# (docker-compose.yaml sets the service name). The data dir is the volume itself.
ENV ETCD_DATA_DIR=/var/lib/cairn \
    ETCD_LISTEN_CLIENT_URLS=http://0.0.0.0:2379 \
    ETCD_ADVERTISE_CLIENT_URLS=http://127.0.0.1:2379 \
    ETCD_LISTEN_PEER_URLS=http://0.0.0.0:2380
VOLUME ["/var/lib/cairn"]
EXPOSE 2379 2380
USER cairn
WORKDIR /var/lib/cairn

# /health is etcd's: 200 and {"health":"true"} when this member has a leader and serves a linearizable read, so it
# turns unhealthy while the cluster has no quorum. (/health?serializable=true or /livez would check this member
# alone.) It assumes the client port stays 2379.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS --max-time 4 http://127.0.0.1:2379/health | grep -q '"health":"true"' || exit 1

# bin/cairn's java command: the same --add-opens, G1 pause goal and C2 options, the server's main class, the
# classpath from the jar directory. SIGTERM (docker stop) drains clients and closes the member.
ENTRYPOINT ["java", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", \
  "-XX:MaxGCPauseMillis=20", "-XX:MaxInlineLevel=6", "-XX:InlineSmallCode=800", "-XX:LoopUnrollLimit=10", \
  "-XX:-UseSuperWord", "-cp", "/opt/cairn/lib/*", "io.cairn.server.CairnMain"]
