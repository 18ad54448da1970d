package io.ingesthub.kafka;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The one Kafka client configuration of the hub: brokers, client id and the security settings (protocol, SASL, TLS
 * trust and key stores) read from the same {@code camel.component.kafka.*} keys as the pipeline's producer, for the
 * readiness probe, the monitoring and the replay clients, so one block reaches a secured cluster for all of them.
 */
@Component
public class KafkaClients {

    static final String PREFIX = "camel.component.kafka.";

    /** The Camel option (after {@code camel.component.kafka.}) → the Kafka client setting. */
    private static final Map<String, String> SECURITY = new LinkedHashMap<>();

    static {
        SECURITY.put("security-protocol", CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        SECURITY.put("sasl-mechanism", "sasl.mechanism");
        SECURITY.put("sasl-jaas-config", "sasl.jaas.config");
        SECURITY.put("sasl-kerberos-service-name", "sasl.kerberos.service.name");
        SECURITY.put("ssl-truststore-location", "ssl.truststore.location");
        SECURITY.put("ssl-truststore-password", "ssl.truststore.password");
        SECURITY.put("ssl-truststore-type", "ssl.truststore.type");
        SECURITY.put("ssl-keystore-location", "ssl.keystore.location");
        SECURITY.put("ssl-keystore-password", "ssl.keystore.password");
        SECURITY.put("ssl-keystore-type", "ssl.keystore.type");
        SECURITY.put("ssl-key-password", "ssl.key.password");
        SECURITY.put("ssl-endpoint-algorithm", "ssl.endpoint.identification.algorithm");
        SECURITY.put("ssl-protocol", "ssl.protocol");
        SECURITY.put("ssl-enabled-protocols", "ssl.enabled.protocols");
    }

    private final String brokers;
    private final String clientId;
    private final Map<String, Object> security = new HashMap<>();

    public KafkaClients(Environment env) {
        this.brokers = env.getRequiredProperty(PREFIX + "brokers");
        this.clientId = env.getProperty(PREFIX + "client-id", "ingest-hub");
        for (Map.Entry<String, String> e : SECURITY.entrySet()) {
            String value = env.getProperty(PREFIX + e.getKey(), "");
            if (!value.isBlank()) {
                security.put(e.getValue(), value);
            }
        }
    }

    public String brokers() {
        return brokers;
    }

    /** The security settings alone (no brokers), as Kafka client properties. */
    public Map<String, Object> security() {
        return Map.copyOf(security);
    }

    /** Admin client settings: the state topic, the readiness probe and topic checks. */
    public Map<String, Object> admin() {
        return admin("admin", 10_000);
    }

    /** Admin client settings with client id {@code <client-id>-<purpose>} and requests bounded by {@code timeoutMs}. */
    public Map<String, Object> admin(String purpose, int timeoutMs) {
        Map<String, Object> p = new HashMap<>(security);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-" + purpose);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        return p;
    }

    /** Consumer settings for an assigned (group-less) consumer reading keys as text and values as bytes. */
    public Map<String, Object> consumer(String clientId) {
        Map<String, Object> p = new HashMap<>(security);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    /** A producer like the pipeline's: acknowledged by all replicas, idempotent, lz4. */
    public KafkaProducer<String, byte[]> producer(String clientId, long maxBlockMs) {
        Map<String, Object> p = new HashMap<>(security);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
