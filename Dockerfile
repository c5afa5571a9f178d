# Switchboard image: build the jar with the Maven Wrapper, run it on a JRE as a non-root user.
#   docker build -t switchboard .
#   docker run -p 8080:8080 -v switchboard-data:/data switchboard
# Two build arguments, for builds that cannot reach a registry or Maven Central (.ci/docker.sh uses both):
#   JAR_FROM=prebuilt       take target/switchboard.jar (./mvnw package made it) instead of building from source
#   RUNTIME_IMAGE=<image>   another base with a JRE 21 or newer on the PATH, and apt-get
# BuildKit builds only the stages the chosen jar needs, so a prebuilt jar never pulls the JDK image.
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble
ARG JAR_FROM=source

# --- build: a full JDK and Maven, thrown away after the jar is made ---------------------------------
FROM eclipse-temurin:25-jdk-noble AS build
WORKDIR /src
# Dependencies first, so that a change to the sources alone reuses this cached layer.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -ntp dependency:go-offline -DskipTests
COPY src src
RUN ./mvnw -B -ntp package -DskipTests && cp target/switchboard.jar /switchboard.jar

# --- where the jar comes from: the build stage above, or the context's target/ --------------------------
FROM scratch AS jar-source
COPY --from=build /switchboard.jar /switchboard.jar
FROM scratch AS jar-prebuilt
COPY target/switchboard.jar /switchboard.jar
FROM jar-${JAR_FROM} AS jar

# --- runtime: the JRE only (no compiler, no Maven), plus curl for the health check ---------------------
# Java 25, for its AOT cache (below), which the cache must be used with: it is made by this very JVM.
FROM ${RUNTIME_IMAGE}
# curl is installed here on purpose rather than relied on from the base image, which may drop it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin switchboard \
 && mkdir -p /app /data \
 && chown 10001:10001 /data
# The jar extracted, and a cache of the classes that start-up loads, made by a training run that stops once the
# application context is up (on a throwaway SQLite database and key). On Java 25 that is an AOT cache
# (-XX:AOTCacheOutput); on an older JVM, such as Debian's 21 in CI, a CDS archive (-XX:ArchiveClassesAtExit), as
# Spring Boot documents. The flags that use it go into /app/jvm.args, which the entry point reads; -Xlog prints one
# line at start-up naming the cache it opened. The benchmark measured start-up to /ready at about half of plain
# java -jar (docs/benchmarks.md). Were the cache unusable, the JVM would start without it (and log no such line).
# The jar is mounted for this step only (not copied), so the image holds it once, extracted, not twice.
RUN --mount=type=bind,from=jar,source=/switchboard.jar,target=/tmp/switchboard.jar \
    java -Djarmode=tools -jar /tmp/switchboard.jar extract --destination /app \
 && if java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then \
      train="-XX:AOTCacheOutput=/app/switchboard.aot"; \
      printf '%s\n' -XX:AOTCache=/app/switchboard.aot -Xlog:aot=info:stdout:tags >/app/jvm.args; \
    else \
      train="-XX:ArchiveClassesAtExit=/app/switchboard.jsa"; \
      printf '%s\n' -XX:SharedArchiveFile=/app/switchboard.jsa -Xlog:cds=info:stdout:tags >/app/jvm.args; \
    fi \
 && DATABASE_URL=sqlite:////tmp/training.db SWITCHBOARD_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" \
    java $train -Dspring.context.exit=onRefresh -jar /app/switchboard.jar \
 && rm -f /tmp/training.db*

# SQLite lives in the volume; set DATABASE_URL to use PostgreSQL, MariaDB or MySQL instead.
ENV DATABASE_URL=sqlite:////data/switchboard.db
# The data directory: without SWITCHBOARD_SECRET_KEY, a gateway on a server engine keeps its generated key file here.
ENV SWITCHBOARD_DATA_DIR=/data
ENV SERVER_PORT=8080
# The JVM sizes its heap from the container's memory limit rather than the host's.
ENV JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75
VOLUME ["/data"]
WORKDIR /app
# A numeric user, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080

# Liveness only: /health never touches the database, so a slow database does not restart the container.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT:-8080}/health" || exit 1

ENTRYPOINT ["java", "@/app/jvm.args", "-jar", "/app/switchboard.jar"]
