package io.ingesthub.kafka;

import io.ingesthub.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** In-process KRaft brokers with settings of their own (security, no auto-create, topic configs) for the Kafka tests. */
final class TestBrokers {

    private TestBrokers() {}

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hub's topics ({@code ingest.<entity>.v1}, dead letters, executions, raw, replays), less {@code without}. */
    static List<String> hubTopics(String... without) {
        List<String> topics = new ArrayList<>();
        for (String entity : Endpoint.entities()) {
            topics.add("ingest." + entity + ".v1");
        }
        topics.addAll(List.of("ingest.dlq.v1", "ingest.executions.v1", "ingest.raw.v1", "ingest.replays.v1"));
        topics.removeAll(List.of(without));
        return topics;
    }

    /** Starts a broker; its PLAINTEXT listener is {@code bootstrapServers()}, extra listeners come from {@code config}. */
    static LocalKafkaBroker start(int port, List<String> topics, Map<String, Map<String, String>> topicConfigs,
            Map<String, String> config) {
        try {
            Path dir = Files.createTempDirectory("hub-test-kafka-");
            LocalKafkaBroker broker = new LocalKafkaBroker(port, freePort(), dir, topics, 1, topicConfigs, config);
            broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("test broker did not start", e);
        }
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Runs {@code command} and fails unless it exits 0 within a minute. */
    static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
