# ingest-hub image: the jar built with Maven on JDK 17, run on a JRE 17 as a non-root user.
# Build with `docker build -t ingest-hub .`; docker-compose.yml shows two replicas against one Kafka cluster.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY docs docs
RUN mvn -B -q -DskipTests package && cp target/ingest-hub-*.jar /src/ingest-hub.jar
# The extracted layout: the application jar with its libraries as plain jars in lib/ beside it (its manifest names
# them). Loading classes from plain jars instead of jars nested in one made the start about a quarter faster
# (docs/benchmark.md, "Start").
RUN java -Djarmode=tools -jar /src/ingest-hub.jar extract --destination /src/app

FROM eclipse-temurin:17-jre
RUN groupadd --system hub && useradd --system --gid hub --home-dir /app --shell /usr/sbin/nologin hub
WORKDIR /app
COPY --from=build /src/app/ ./
# The hub reads routes/ and mappings/ relative to its working directory; compose mounts newer copies read-only.
COPY routes routes
COPY mappings mappings
# No registry in the image (the repository's config/tenants.yaml is the local demo's): mount yours at this path.
RUN mkdir data /etc/ingest-hub && chown hub:hub data
# Heap: 60 % of the container's memory limit (run it with one, e.g. --memory 768m). GCTimeRatio=4 lets G1 spend up to
# a fifth of the time collecting (its default: 1/13) before it grows the heap, so the heap stays smaller under load
# (docs/benchmark.md, "Memory").
ENV SPRING_PROFILES_ACTIVE=prod \
    HUB_REGISTRY_FILE=/etc/ingest-hub/tenants.yaml \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:GCTimeRatio=4 -XX:+ExitOnOutOfMemoryError"
# Class data sharing: a training run of this JVM on these jars writes the archive every start then maps, a quarter
# less start time (docs/benchmark.md, "Class data sharing for start time"). The run uses a random registry and secret
# of its own, publishes nothing and leaves nothing but the archive. A start with another JVM or other jars warns and
# runs without it.
COPY docker/cds-archive.sh /app/cds-archive.sh
RUN bash /app/cds-archive.sh /app/ingest-hub.jar /app/ingest-hub.jsa
USER hub
EXPOSE 8080
# Ready means Kafka answers too; bash's /dev/tcp keeps the image free of an HTTP client. Start to readiness took
# 15 s on a 2-core host at load 2.9 and 185 s at load 30: 300 s of start period, probed every 2 s meanwhile, so a
# fast start is healthy within 2 s of being ready and a starved one is not killed by its own probe.
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --start-interval=2s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200'"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/ingest-hub.jsa", "-jar", "/app/ingest-hub.jar"]
