import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's yardstick: the least a webhook-to-Kafka server can do. The JDK's HttpServer reads a
 * JSON object or array with Jackson, sends one Kafka record per JSON record with Kafka's default producer settings
 * except {@code acks=all}, idempotence and {@code linger.ms=5}, waits once for all of them and answers 200 with where
 * each landed. {@code GET /bench/allocated} answers the bytes the JVM's threads allocated so far.
 *
 * <p>Settings as system properties: {@code port} (8089), {@code brokers} (127.0.0.1:19092), {@code topic}
 * (bench.passthrough.v1), {@code threads} (64), {@code partitions} (3, when it creates the topic), {@code compression}
 * (Kafka's default, none; the "same settings as the hub" column passes the hub's codec).
 */
public final class Passthrough {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACK_TIMEOUT_MS = 10_000;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    private Passthrough(KafkaProducer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("port", 8089);
        String brokers = System.getProperty("brokers", "127.0.0.1:19092");
        String topic = System.getProperty("topic", "bench.passthrough.v1");
        int threads = Integer.getInteger("threads", 64);
        int partitions = Integer.getInteger("partitions", 3);

        createTopic(brokers, topic, partitions);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(brokers));
        producer.partitionsFor(topic); // metadata before the first request, as the hub has it after start-up

        ExecutorService pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        Passthrough handler = new Passthrough(producer, topic);
        server.createContext("/", handler::handle);
        server.setExecutor(pool);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            pool.shutdown();
            producer.close(java.time.Duration.ofSeconds(5));
        }));
        System.out.println("passthrough listening on 127.0.0.1:" + port + ", topic " + topic + " on " + brokers
                + ", " + threads + " threads");
    }

    /** Kafka's defaults except acks, idempotence and linger (DESIGN.md §10); the codec only when asked for. */
    static Properties producerConfig(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        String compression = System.getProperty("compression", "");
        if (!compression.isEmpty()) {
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        }
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static void createTopic(String brokers, String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!existing.contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("/bench/allocated".equals(exchange.getRequestURI().getPath())) {
                answer(exchange, 200, Long.toString(((com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes()));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 200, "{\"status\":\"UP\"}");
                return;
            }
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            } catch (IOException e) {
                answer(exchange, 400, "{\"error\":\"malformed JSON\"}");
                return;
            }
            List<JsonNode> records = new ArrayList<>();
            if (body instanceof ArrayNode array) {
                array.forEach(records::add);
            } else if (body instanceof ObjectNode) {
                records.add(body);
            } else {
                answer(exchange, 400, "{\"error\":\"send a JSON object or array\"}");
                return;
            }
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (JsonNode record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, key(record), JSON.writeValueAsBytes(record))));
            }
            StringBuilder out = new StringBuilder(32 + 32 * records.size()).append("{\"accepted\":")
                    .append(records.size()).append(",\"offsets\":[");
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MS);
            try {
                for (int i = 0; i < sent.size(); i++) {
                    RecordMetadata md = sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    out.append(i == 0 ? "" : ",").append("{\"partition\":").append(md.partition())
                            .append(",\"offset\":").append(md.offset()).append('}');
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                answer(exchange, 503, "{\"error\":\"Kafka did not acknowledge in time\"}");
                return;
            }
            answer(exchange, 200, out.append("]}").toString());
        }
    }

    private static String key(JsonNode record) {
        JsonNode id = record.get("sys_id");
        if (id == null) {
            id = record.get("id");
        }
        return id == null || id.isNull() ? null : id.asText();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
