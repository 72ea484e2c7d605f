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
RUN addgroup -S resync && adduser -S -G resync -h /app resync \
    && mkdir -p /state /config && chown resync:resync /state
WORKDIR /app
COPY --from=build /src/target/mysql-resync.jar /app/mysql-resync.jar
COPY config/mysql-resync.yaml /config/mysql-resync.yaml
USER resync
# The embedded H2 state lives on a volume so pending approvals survive a restart.
ENV MYSQL_RESYNC_CONFIG=/config/mysql-resync.yaml \
    MYSQL_RESYNC_STATE_URL="jdbc:h2:file:/state/mysql-resync;AUTO_SERVER=TRUE" \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/state"]
ENTRYPOINT ["java", "-jar", "/app/mysql-resync.jar"]
CMD ["run"]
