package io.ingesthub.monitoring;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Publishes the {@link Execution} of every finished request to {@code <prefix>executions.v1}, keyed
 * {@code <tenant>:<data_source>}, in batches: a request only puts its execution on a bounded queue; every
 * {@code flush-interval} one thread drains the queue and sends each data source's executions as JSON arrays of at
 * most {@code batch} (and about {@value #MAX_RECORD_BYTES} bytes). A slow or absent Kafka never fails or slows a
 * request: a full queue or a failed send drops those executions and counts them.
 */
@Component("executionsPublisher")
public class ExecutionsPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionsPublisher.class);

    /** A record is closed once its array passes this size, well below Kafka's default max.request.size. */
    static final int MAX_RECORD_BYTES = 256 * 1024;

    private final ObjectMapper json;
    private final String topic;
    private final int batch;
    private final KafkaProducer<String, byte[]> producer;
    private final ArrayBlockingQueue<Execution> queue;
    private final ScheduledExecutorService flusher;
    private final AtomicLong dropped = new AtomicLong();

    public ExecutionsPublisher(ObjectMapper json, KafkaClients kafka, MonitoringProperties properties,
            @Value("${hub.topics.prefix}") String prefix) {
        long every = properties.flushInterval().toMillis();
        this.json = json;
        this.topic = prefix + properties.topic();
        this.batch = properties.batch();
        this.queue = new ArrayBlockingQueue<>(properties.queue());
        this.producer = kafka.producer("ingest-hub-executions", 5_000);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "executions-publisher");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** The pipeline's one call at the end of each request; returns at once and never throws. */
    public void publish(Execution execution) {
        if (!queue.offer(execution)) {
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

    /** Sends what is queued, grouped by data source; called by the flusher thread, and once more on stop. */
    void flush() {
        List<Execution> drained = new ArrayList<>(Math.min(queue.size(), 4096));
        queue.drainTo(drained);
        if (drained.isEmpty()) {
            return;
        }
        Map<String, List<Execution>> bySource = new LinkedHashMap<>();
        for (Execution e : drained) {
            bySource.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e);
        }
        bySource.forEach(this::send);
    }

    /** Sends {@code executions} of one data source as arrays of at most {@code batch} and about MAX_RECORD_BYTES. */
    private void send(String key, List<Execution> executions) {
        int from = 0;
        while (from < executions.size()) {
            ByteArrayBuilder bytes = new ByteArrayBuilder(4096);
            int to = from;
            try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
                out.writeStartArray();
                while (to < executions.size() && to - from < batch && bytes.size() < MAX_RECORD_BYTES) {
                    json.writeValue(out, executions.get(to++));
                    out.flush();
                }
                out.writeEndArray();
            } catch (IOException | RuntimeException e) {
                to = Math.max(to, from + 1); // at least the execution it failed on, so the loop always advances
                drop(key, to - from, e);
                from = to;
                continue;
            }
            int count = to - from;
            try {
                producer.send(new ProducerRecord<>(topic, key, bytes.toByteArray()), (md, e) -> {
                    if (e != null) {
                        drop(key, count, e);
                    }
                });
            } catch (RuntimeException e) {
                drop(key, count, e);
            }
            from = to;
        }
    }

    private void drop(String key, int count, Exception why) {
        dropped.addAndGet(count);
        LOG.debug("{} executions of {} not published: {}", count, key, why.getMessage());
    }

    @PreDestroy
    void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        producer.close(Duration.ofSeconds(2));
    }
}
