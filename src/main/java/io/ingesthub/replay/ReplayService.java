package io.ingesthub.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.HubProperties;
import io.ingesthub.mapping.MappingCatalog;
import io.ingesthub.monitoring.ExecutionWindow;
import io.ingesthub.kafka.KafkaClients;
import io.ingesthub.web.ProblemException;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts, reports and cancels replays: checks a request, runs it on this replica (at most {@code hub.replay.concurrent}
 * at once) and writes every state change to the compacted {@code <prefix>replays.v1}, which every replica folds into its
 * {@link ReplayBoard}, so any of them answers for any replay and relays a cancel to the one running it.
 */
@Component("replays")
public class ReplayService {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayService.class);

    private final KafkaClients kafka;
    private final MappingCatalog catalog;
    private final ObjectMapper json;
    private final ReplayBoard board;
    private final ReplayProperties properties;
    private final ExecutionWindow executions;
    private final HubProperties.Topics topics;
    private final String stateTopic;
    private final String worker = "replica-" + UUID.randomUUID().toString().substring(0, 8);
    private final KafkaProducer<String, byte[]> producer;
    private final ThreadPoolExecutor runner;
    private final Clock clock = Clock.systemUTC();

    public ReplayService(KafkaClients kafka, MappingCatalog catalog, ObjectMapper json, ReplayBoard board,
            ReplayProperties properties, ExecutionWindow executions, HubProperties hub) {
        this.kafka = kafka;
        this.catalog = catalog;
        this.json = json;
        this.board = board;
        this.properties = properties;
        this.executions = executions;
        this.topics = hub.topics();
        this.stateTopic = topics.prefix() + properties.topic();
        this.producer = kafka.producer("ingest-hub-replay", 30_000);
        AtomicInteger n = new AtomicInteger();
        this.runner = new ThreadPoolExecutor(properties.concurrent(), properties.concurrent(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1), r -> {
                    Thread t = new Thread(r, "replay-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // In the background: an unreachable Kafka must not hold up start-up for the admin client's timeout.
        Thread creator = new Thread(this::ensureStateTopic, "replay-state-topic");
        creator.setDaemon(true);
        creator.start();
    }

    /** Checks {@code request}, starts it and returns its first state. */
    public ReplayState start(ReplayRequest request) {
        if (!ReplayRequest.DLQ.equals(request.from()) && !ReplayRequest.RAW.equals(request.from())) {
            throw new ProblemException(400, "invalid-replay", "Invalid replay",
                    "'from' must be 'dlq' (the dead-letter topic) or 'raw' (the raw archive), not '" + request.from() + "'.");
        }
        if (request.since() == null) {
            throw new ProblemException(400, "invalid-replay", "Invalid replay", "'since' is required (RFC 3339).");
        }
        if (!request.until().isAfter(request.since())) {
            throw new ProblemException(400, "invalid-replay", "Invalid replay",
                    "'until' (" + request.until() + ") must be after 'since' (" + request.since() + ").");
        }
        if (request.errorContains() != null && ReplayRequest.RAW.equals(request.from())) {
            throw new ProblemException(400, "invalid-replay", "Invalid replay",
                    "'error_contains' filters dead letters by their reason; the raw archive has none.");
        }
        if (request.ingestId() != null) {
            String owner = executions.tenantOf(request.ingestId());
            if (owner != null && !owner.equals(request.tenant())) {
                throw new ProblemException(422, "foreign-ingest-id", "Ingest id of another tenant",
                        "Request " + request.ingestId() + " was not made by tenant '" + request.tenant()
                                + "'; a replay only ever takes the records of its own tenant.");
            }
        }
        String id = UUID.randomUUID().toString();
        String source = ReplayRequest.DLQ.equals(request.from()) ? topics.deadLetters() : topics.prefix() + properties.rawTopic();
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer("ingest-hub-replay-" + id));
        ReplayWorker w = new ReplayWorker(id, request, source, topics.prefix(), catalog, json, consumer, producer, board,
                this::write, properties, worker, clock);
        ReplayState first = w.started();
        try {
            runner.execute(w);
        } catch (RejectedExecutionException e) {
            consumer.close();
            throw new ProblemException(503, "replays-busy", "Too many replays",
                    "This replica runs " + properties.concurrent() + " replays already; retry when one is done.");
        }
        write(first);
        LOG.info("Replay {} started: {} of {}/{} from {} to {}{}", id, request.from(), request.tenant(),
                request.dataSource(), request.since(), request.until(), request.dryRun() ? " (dry run)" : "");
        return first;
    }

    /** The replay's state as any replica sees it, or null when it is unknown. */
    public ReplayState get(String id) {
        return board.get(id);
    }

    public List<ReplayState> all() {
        return board.all();
    }

    /** Asks the replica running the replay to stop; returns its state, or null when it is unknown. */
    public ReplayState cancel(String id) {
        ReplayState s = board.get(id);
        if (s == null || !s.running()) {
            return s;
        }
        board.requestCancel(id);
        producer.send(new ProducerRecord<>(stateTopic, id + ReplayBoard.CANCEL, "{}".getBytes(StandardCharsets.UTF_8)));
        LOG.info("Replay {} cancel requested", id);
        return s;
    }

    private void write(ReplayState state) {
        board.put(state);
        try {
            producer.send(new ProducerRecord<>(stateTopic, state.id(), json.writeValueAsBytes(state)), (md, e) -> {
                if (e != null) {
                    LOG.warn("Replay {} state not written to {}: {}", state.id(), stateTopic, e.getMessage());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!state.running()) {
            LOG.info("Replay {} {}: scanned {}, matched {}, accepted {}, rejected {}", state.id(), state.status(),
                    state.scanned(), state.matched(), state.accepted(), state.rejected());
        }
    }

    /** Creates the state topic compacted where it does not exist yet (the local broker creates it up front). */
    private void ensureStateTopic() {
        try (Admin admin = Admin.create(kafka.admin())) {
            admin.createTopics(List.of(new NewTopic(stateTopic, 1, (short) -1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("Could not create {} ({}); create it compacted", stateTopic, e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException e) {
            LOG.warn("Could not create {} ({}); create it compacted", stateTopic, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
