# syntax=docker/dockerfile:1
# Build: docker build -t mysql-resync .
# Run:   docker run --rm -v "$PWD/config:/config:ro" -v mysql-resync-state:/state \
#          -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN -e MYSQL_RESYNC_PASSWORD ... mysql-resync

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a code change does not download the world again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre-alpine
# A numeric user, so Kubernetes' runAsNonRoot can verify it (deploy/kubernetes uses 10001).
RUN addgroup -S -g 10001 resync && adduser -S -u 10001 -G resync -h /app resync \
    && mkdir -p /state /config && chown resync:resync /state
WORKDIR /app
COPY --from=build /src/target/mysql-resync.jar /app/mysql-resync.jar
COPY config/mysql-resync.yaml /config/mysql-resync.yaml
USER 10001:10001
# The embedded H2 state lives on a volume so pending approvals survive a restart.
# The HTTP port (/metrics, /healthz, /readyz) listens on every interface of the container, so a
# published port (-p 9464:9464) reaches it; the container's network is its own.
ENV MYSQL_RESYNC_CONFIG=/config/mysql-resync.yaml \
    MYSQL_RESYNC_HTTP_BIND=0.0.0.0 \
    MYSQL_RESYNC_HTTP_PORT=9464 \
    MYSQL_RESYNC_STATE_URL="jdbc:h2:file:/state/mysql-resync;AUTO_SERVER=TRUE" \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/state"]
EXPOSE 9464
# Alive = the HTTP server answers; busybox wget is in the Alpine image. Readiness (Slack
# connected) is not liveness: a Slack outage must not get the container restarted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${MYSQL_RESYNC_HTTP_PORT:-9464}/healthz" || exit 1
ENTRYPOINT ["java", "-jar", "/app/mysql-resync.jar"]
CMD ["run"]
