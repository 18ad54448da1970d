package io.ingesthub.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local default's Kafka: a single-node KRaft broker (Kafka's own server code) on loopback, formatting its data
 * directory on first start and keeping it across restarts, with the hub's topics created up front.
 */
public class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final List<String> topics;
    private final int partitions;
    private final Map<String, Map<String, String>> topicConfigs;
    private final Map<String, String> brokerConfig;
    private KafkaRaftServer server;

    public LocalKafkaBroker(int port, int controllerPort, Path dataDir, List<String> topics, int partitions) {
        this(port, controllerPort, dataDir, topics, partitions, Map.of(), Map.of());
    }

    /** As above, with topic settings (such as {@code cleanup.policy=compact}) for the topics named in {@code topicConfigs}. */
    public LocalKafkaBroker(int port, int controllerPort, Path dataDir, List<String> topics, int partitions,
            Map<String, Map<String, String>> topicConfigs) {
        this(port, controllerPort, dataDir, topics, partitions, topicConfigs, Map.of());
    }

    /**
     * As above, with broker settings that replace the defaults (more listeners, security, {@code message.max.bytes},
     * {@code auto.create.topics.enable}, ...); the topics are created through the PLAINTEXT listener on {@code port}.
     */
    public LocalKafkaBroker(int port, int controllerPort, Path dataDir, List<String> topics, int partitions,
            Map<String, Map<String, String>> topicConfigs, Map<String, String> brokerConfig) {
        this.brokerConfig = brokerConfig;
        this.topicConfigs = topicConfigs;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir.toAbsolutePath();
        this.topics = topics;
        this.partitions = partitions;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public void start() throws Exception {
        Files.createDirectories(dataDir);
        Map<String, Object> props = config();
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format();
        }
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        createTopics();
        LOG.info("Local Kafka broker (KRaft) listening on {}, data in {}", bootstrapServers(), dataDir);
    }

    private Map<String, Object> config() {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", Integer.toString(partitions));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.putAll(brokerConfig);
        return p;
    }

    private void format() throws Exception {
        String clusterId = Uuid.randomUuid().toString();
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setClusterId(clusterId)
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(List.of(dataDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        LOG.info("Formatted {} for a new local Kafka cluster {}", dataDir, clusterId);
    }

    private void createTopics() throws InterruptedException {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, (short) 1).configs(topicConfigs.getOrDefault(t, Map.of())));
                }
            }
            if (!missing.isEmpty()) {
                client.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Could not create the hub's topics up front ({}); they are created on first use", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

}
