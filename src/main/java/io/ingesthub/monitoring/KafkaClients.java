package io.ingesthub.monitoring;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Kafka client settings of the monitoring and replay clients, taken from the same {@code camel.component.kafka.*}
 * block as the pipeline's producer, so one configuration reaches a secured cluster for all of them.
 */
@Component
public class KafkaClients {

    private final String brokers;
    private final Map<String, Object> security = new HashMap<>();

    public KafkaClients(@Value("${camel.component.kafka.brokers}") String brokers,
            @Value("${camel.component.kafka.security-protocol:}") String protocol,
            @Value("${camel.component.kafka.sasl-mechanism:}") String mechanism,
            @Value("${camel.component.kafka.sasl-jaas-config:}") String jaas) {
        this.brokers = brokers;
        if (!protocol.isBlank()) {
            security.put("security.protocol", protocol);
        }
        if (!mechanism.isBlank()) {
            security.put("sasl.mechanism", mechanism);
        }
        if (!jaas.isBlank()) {
            security.put("sasl.jaas.config", jaas);
        }
    }

    public String brokers() {
        return brokers;
    }

    /** Admin client settings, for creating the state topic where it is missing. */
    public Map<String, Object> admin() {
        Map<String, Object> p = new HashMap<>(security);
        p.put("bootstrap.servers", brokers);
        p.put("request.timeout.ms", 10_000);
        p.put("default.api.timeout.ms", 10_000);
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
