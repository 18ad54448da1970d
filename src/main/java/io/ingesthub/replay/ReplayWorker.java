package io.ingesthub.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.kafka.RecordHeaders;
import io.ingesthub.mapping.Mapping;
import io.ingesthub.mapping.MappingCatalog;
import io.ingesthub.mapping.MappingResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Runs one replay: assigns every partition of the source topic, seeks each to the first record at {@code since} and
 * stops it at the first at {@code until}, keeps the records whose headers match (always the replay's own tenant), maps
 * each with the mapping as it is now and publishes the accepted ones, at most {@code rate} records a second, reporting
 * its state every heartbeat until it is done, cancelled or failed.
 */
final class ReplayWorker implements Runnable {

    private static final int KEPT_REJECTIONS = 5;

    private final String id;
    private final ReplayRequest request;
    private final String sourceTopic;
    private final String topicPrefix;
    private final MappingCatalog catalog;
    private final ObjectMapper json;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final ReplayBoard board;
    private final Consumer<ReplayState> report;
    private final ReplayProperties properties;
    private final String worker;
    private final Clock clock;
    private final Instant startedAt;

    private long scanned;
    private long matched;
    private long accepted;
    private long rejected;
    private final List<String> rejections = new ArrayList<>();
    private final List<JsonNode> outputs = new ArrayList<>();
    private long nextSlotNanos = System.nanoTime();

    ReplayWorker(String id, ReplayRequest request, String sourceTopic, String topicPrefix, MappingCatalog catalog,
            ObjectMapper json, KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            ReplayBoard board, Consumer<ReplayState> report, ReplayProperties properties, String worker, Clock clock) {
        this.id = id;
        this.request = request;
        this.sourceTopic = sourceTopic;
        this.topicPrefix = topicPrefix;
        this.catalog = catalog;
        this.json = json;
        this.consumer = consumer;
        this.producer = producer;
        this.board = board;
        this.report = report;
        this.properties = properties;
        this.worker = worker;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** The state this replay starts in. */
    ReplayState started() {
        return state(ReplayState.RUNNING, null, null);
    }

    @Override
    public void run() {
        try (consumer) {
            String end = replay();
            report.accept(state(end, null, clock.instant()));
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            report.accept(state(ReplayState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant()));
        }
    }

    private String replay() throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(sourceTopic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        Map<TopicPartition, Long> until = new HashMap<>();
        for (TopicPartition tp : partitions) {
            at.put(tp, request.since().toEpochMilli());
            until.put(tp, request.until().toEpochMilli());
        }
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, Duration.ofSeconds(30));
        Map<TopicPartition, OffsetAndTimestamp> stops = consumer.offsetsForTimes(until, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        Set<TopicPartition> active = new HashSet<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp start = starts.get(tp);
            OffsetAndTimestamp stop = stops.get(tp);
            if (stop != null) {
                ends.put(tp, Math.min(ends.get(tp), stop.offset()));
            }
            if (start != null && start.offset() < ends.get(tp)) {
                active.add(tp);
            }
        }
        consumer.assign(active);
        for (TopicPartition tp : active) {
            consumer.seek(tp, starts.get(tp).offset());
        }
        long heartbeatNanos = properties.heartbeat().toNanos();
        long lastBeat = System.nanoTime();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        while (!active.isEmpty()) {
            if (board.cancelRequested(id)) {
                settle(sent);
                return ReplayState.CANCELLED;
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (!active.contains(tp)) {
                    continue;
                }
                if (r.offset() >= ends.get(tp)) {
                    finish(tp, active);
                    continue;
                }
                scanned++;
                if (matches(r)) {
                    matched++;
                    replay(r, sent);
                }
                if (r.offset() + 1 >= ends.get(tp)) {
                    finish(tp, active);
                }
                if (board.cancelRequested(id)) {
                    break;
                }
                if (System.nanoTime() - lastBeat >= heartbeatNanos) {
                    settle(sent);
                    report.accept(state(ReplayState.RUNNING, null, null));
                    lastBeat = System.nanoTime();
                }
            }
            for (TopicPartition tp : new ArrayList<>(active)) {
                if (consumer.position(tp) >= ends.get(tp)) {
                    finish(tp, active);
                }
            }
            if (System.nanoTime() - lastBeat >= heartbeatNanos) {
                settle(sent);
                report.accept(state(ReplayState.RUNNING, null, null));
                lastBeat = System.nanoTime();
            }
        }
        settle(sent);
        return board.cancelRequested(id) ? ReplayState.CANCELLED : ReplayState.DONE;
    }

    private void finish(TopicPartition tp, Set<TopicPartition> active) {
        active.remove(tp);
        consumer.pause(List.of(tp));
    }

    /** The tenant always, then the optional filters; a record without {@code hub_tenant} is never replayed. */
    private boolean matches(ConsumerRecord<String, byte[]> r) {
        if (!request.tenant().equals(header(r, "hub_tenant")) || !request.dataSource().equals(header(r, "hub_data_source"))) {
            return false;
        }
        if (r.timestamp() < request.since().toEpochMilli() || r.timestamp() >= request.until().toEpochMilli()) {
            return false;
        }
        if (request.entity() != null && !request.entity().equals(header(r, "hub_entity"))) {
            return false;
        }
        if (request.ingestId() != null && !request.ingestId().equals(header(r, "hub_ingest_id"))) {
            return false;
        }
        if (request.errorContains() != null) {
            String error = header(r, "hub_error");
            return error != null && error.toLowerCase().contains(request.errorContains().toLowerCase());
        }
        return true;
    }

    private void replay(ConsumerRecord<String, byte[]> r, List<Future<RecordMetadata>> sent) throws InterruptedException {
        String from = r.topic() + "/" + r.partition() + "/" + r.offset();
        String entity = header(r, "hub_entity");
        if (entity == null) {
            reject(from, "the record names no entity (hub_entity header)");
            return;
        }
        Mapping mapping = catalog.find(request.mappingSet(), entity);
        if (mapping == null) {
            reject(from, "mapping set '" + request.mappingSet() + "' has no mapping for " + entity);
            return;
        }
        List<JsonNode> records;
        try {
            records = records(json.readTree(r.value()));
        } catch (java.io.IOException e) {
            reject(from, "the stored record is not JSON");
            return;
        }
        for (JsonNode record : records) {
            pace();
            MappingResult result = catalog.map(mapping, record);
            if (!result.accepted()) {
                reject(from, RecordHeaders.describe(result.errors()));
                continue;
            }
            ObjectNode out = result.record();
            out.put("tenant", request.tenant());
            out.put("data_source", request.dataSource());
            out.put("entity", entity);
            RecordHeaders contract = new RecordHeaders(request.tenant(), header(r, "hub_app"), request.dataSource(), entity,
                    header(r, "hub_ingest_id"));
            String key = contract.key(result.id());
            String topic = topicPrefix + entity + ".v1";
            if (request.dryRun()) {
                accepted++;
                if (outputs.size() < properties.dryRunOutputs()) {
                    ObjectNode o = json.createObjectNode();
                    o.put("topic", topic).put("key", key).put("replayed_from", from).set("record", out);
                    outputs.add(o);
                }
                continue;
            }
            byte[] value;
            try {
                value = json.writeValueAsBytes(out);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, Object> headers = new LinkedHashMap<>();
            contract.canonical(headers, result.id(), value, clock.instant().toString());
            headers.put("hub_replay_id", id);
            headers.put("hub_replayed_from", from);
            sent.add(producer.send(new ProducerRecord<>(topic, null, key, value,
                    RecordHeaders.toKafka(headers, new org.apache.kafka.common.header.internals.RecordHeaders()))));
        }
    }

    /** A request body of the raw archive holds one object or an array of them; a dead letter is one record. */
    private static List<JsonNode> records(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    /** Waits for Kafka to acknowledge what was sent so far and counts it: accepted means durably published. */
    private void settle(List<Future<RecordMetadata>> sent) throws InterruptedException {
        if (sent.isEmpty()) {
            return;
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(30, TimeUnit.SECONDS);
                accepted++;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge a replayed record: " + e.getMessage(), e);
            }
        }
        sent.clear();
    }

    /** Spaces records 1/rate seconds apart, so a replay leaves the cluster to live traffic. */
    private void pace() {
        long now = System.nanoTime();
        if (nextSlotNanos > now) {
            LockSupport.parkNanos(nextSlotNanos - now);
        }
        nextSlotNanos = Math.max(now, nextSlotNanos) + 1_000_000_000L / properties.rate();
    }

    private void reject(String from, String reason) {
        rejected++;
        if (rejections.size() < KEPT_REJECTIONS) {
            rejections.add(from + ": " + reason);
        }
    }

    private ReplayState state(String status, String error, Instant finishedAt) {
        return new ReplayState(id, request.tenant(), request.dataSource(), request.from(), request.since(),
                request.until(), request.entity(), request.errorContains(), request.ingestId(), request.dryRun(), status,
                scanned, matched, accepted, rejected, List.copyOf(rejections),
                request.dryRun() ? List.copyOf(outputs) : null, error, worker, startedAt, clock.instant(), finishedAt);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
