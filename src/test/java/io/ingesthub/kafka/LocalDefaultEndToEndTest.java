package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.IngestHubApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The local default as a user meets it: no Kafka configured, so the hub starts its own KRaft broker, publishes to
 * it, and after a restart on the same data directory the records are still there.
 */
class LocalDefaultEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void startsItsOwnBrokerAndKeepsRecordsAcrossRestarts() throws Exception {
        int kafkaPort = freePort();
        String[] args = {
                "--server.port=0",
                "--hub.kafka.embedded.port=" + kafkaPort,
                "--hub.kafka.embedded.controller-port=" + freePort(),
                "--hub.kafka.embedded.data-dir=" + data.resolve("kafka"),
                "--hub.tokens.secret-file=" + data.resolve("token-secret")};

        JsonNode result;
        try (ConfigurableApplicationContext hub = start(args)) {
            assertThat(hub.getEnvironment().getProperty("camel.component.kafka.brokers"))
                    .isEqualTo("127.0.0.1:" + kafkaPort);
            HttpResponse<String> answer = postIncident(port(hub), "local-default-1");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            result = JSON.readTree(answer.body()).path("results").get(0);
        }

        try (ConfigurableApplicationContext restarted = start(args)) {
            ConsumerRecord<String, byte[]> record = readAt("127.0.0.1:" + kafkaPort,
                    result.path("topic").asText(), result.path("partition").asInt(), result.path("offset").asLong());
            assertThat(record.key()).endsWith(":local-default-1");
            assertThat(JSON.readTree(record.value()).path("entity").asText()).isEqualTo("incidents");
            assertThat(postIncident(port(restarted), "local-default-2").statusCode()).isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start(String[] args) {
        return new SpringApplicationBuilder(IngestHubApplication.class).run(args);
    }

    private static int port(ConfigurableApplicationContext hub) {
        return ((WebServerApplicationContext) hub).getWebServer().getPort();
    }

    private static HttpResponse<String> postIncident(int port, String id) throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/tenant-users/oauth2/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"password\",\"client_id\":\"demo-app-token\","
                        + "\"username\":\"svc-ingest@demo.local\",\"password\":\"demo-password\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String accessToken = JSON.readTree(token.body()).path("access_token").asText();
        String incident = "{\"sys_id\":\"" + id + "\",\"number\":\"INC0000001\",\"short_description\":\"Printer on fire\"}";
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/incidents"))
                .header("Content-Type", "application/json")
                .header("x-app-token", "demo-app-token")
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(incident))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConsumerRecord<String, byte[]> readAt(String brokers, String topic, int partition, long offset) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            Instant deadline = Instant.now().plusSeconds(15);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + topic + "/" + partition + "@" + offset);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
