package io.ingesthub.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Publishes one {@link Execution} per finished request to {@code <prefix>executions.v1}, keyed
 * {@code <tenant>:<data_source>}: handed to a bounded queue and sent from there, so a slow or absent Kafka never
 * fails or slows the request (a full queue or a failed send drops the record and counts it).
 */
@Component("executionsPublisher")
public class ExecutionsPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionsPublisher.class);

    private final ObjectMapper json;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final ThreadPoolExecutor sender;
    private final AtomicLong dropped = new AtomicLong();

    public ExecutionsPublisher(ObjectMapper json, KafkaClients kafka, MonitoringProperties properties,
            @Value("${hub.topics.prefix}") String prefix) {
        this.json = json;
        this.topic = prefix + properties.topic();
        this.producer = kafka.producer("ingest-hub-executions", 5_000);
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.queue()), r -> {
                    Thread t = new Thread(r, "executions-publisher");
                    t.setDaemon(true);
                    return t;
                }, (r, pool) -> dropped.incrementAndGet());
    }

    /** The pipeline's one call at the end of each request; returns at once and never throws. */
    public void publish(Execution execution) {
        try {
            sender.execute(() -> send(execution));
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
        }
    }

    /** Executions not published since start (queue full, or Kafka refused them). */
    public long dropped() {
        return dropped.get();
    }

    public String topic() {
        return topic;
    }

    private void send(Execution execution) {
        try {
            byte[] value = json.writeValueAsBytes(execution);
            producer.send(new ProducerRecord<>(topic, execution.source(), value), (md, e) -> {
                if (e != null) {
                    dropped.incrementAndGet();
                    LOG.debug("Executions record of {} not published: {}", execution.ingestId(), e.getMessage());
                }
            });
        } catch (Exception e) {
            dropped.incrementAndGet();
            LOG.debug("Executions record of {} not published: {}", execution.ingestId(), e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
