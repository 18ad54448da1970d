package io.ingesthub.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;

/**
 * The pipeline's producer with one deadline per request: every send of one ingest (the records carrying the same
 * {@code hub_ingest_id}) shares {@code hub.kafka.ack-timeout}, so once it passed the rest fail at once instead of each
 * waiting {@code max.block.ms} for metadata. It also turns failures no retry fixes into {@link KafkaWriteRefused} and
 * reports every outcome to {@link KafkaWriteHealth}.
 */
class GuardedProducer implements Producer<Object, Object> {

    private static final ThreadLocal<Deadline> DEADLINE = new ThreadLocal<>();

    /** The ingest id's header bytes (compared, never decoded, on the way) and when its sends must have begun. */
    private record Deadline(byte[] ingestId, long atNanos) {}

    private final Producer<Object, Object> delegate;
    private final long ackNanos;
    private final KafkaWriteHealth health;
    private final Function<String, Boolean> topicMissing;

    /** {@code topicMissing} answers whether the cluster says a topic does not exist (null: could not tell). */
    GuardedProducer(Producer<Object, Object> delegate, Duration ackTimeout, KafkaWriteHealth health,
            Function<String, Boolean> topicMissing) {
        this.delegate = delegate;
        this.ackNanos = ackTimeout.toNanos();
        this.health = health;
        this.topicMissing = topicMissing;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
        Header ingestId = record.headers().lastHeader("hub_ingest_id");
        if (ingestId != null) {
            long now = System.nanoTime();
            Deadline d = DEADLINE.get();
            if (d == null || !Arrays.equals(d.ingestId(), ingestId.value())) {
                DEADLINE.set(new Deadline(ingestId.value(), now + ackNanos));
            } else if (now - d.atNanos() > 0) {
                TimeoutException late = new TimeoutException("hub.kafka.ack-timeout (" + Duration.ofNanos(ackNanos).toMillis()
                        + " ms) passed for ingest " + new String(ingestId.value(), StandardCharsets.UTF_8)
                        + " before this record was sent");
                if (callback != null) {
                    callback.onCompletion(null, late);
                }
                return CompletableFuture.failedFuture(late);
            }
        }
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        // The callback keeps only the topic: the record itself (value, headers) is garbage once it is in a batch.
        String topic = record.topic();
        try {
            delegate.send(record, (metadata, error) -> complete(topic, metadata, error, result, callback));
        } catch (KafkaException e) {
            // Thrown rather than reported (a value the serializer refuses, a closed producer): reported the same way.
            complete(topic, null, e, result, callback);
        }
        return result;
    }

    private void complete(String topic, RecordMetadata metadata, Exception error,
            CompletableFuture<RecordMetadata> result, Callback callback) {
        Exception outcome = error;
        if (error == null) {
            health.succeeded();
            result.complete(metadata);
        } else {
            outcome = translate(error, topic);
            health.failed(outcome);
            result.completeExceptionally(outcome);
        }
        if (callback != null) {
            callback.onCompletion(metadata, outcome);
        }
    }

    private Exception translate(Exception error, String topic) {
        KafkaWriteRefused refused = KafkaWriteRefused.of(error, topic);
        if (refused != null) {
            return refused;
        }
        // A topic missing on a cluster that does not create topics looks like Kafka being away: metadata never comes.
        // Only the send's own thread sees this timeout, so asking the cluster here blocks no network thread.
        if (error instanceof TimeoutException && String.valueOf(error.getMessage()).contains("not present in metadata")
                && health.clusterAnswers() && Boolean.TRUE.equals(topicMissing.apply(topic))) {
            return new KafkaWriteRefused("topic " + topic + " does not exist and the cluster does not create topics on"
                    + " first write (auto.create.topics.enable=false); create it (see docs/operations.md)", error);
        }
        return error;
    }

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        delegate.beginTransaction();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
        delegate.sendOffsetsToTransaction(offsets, consumerGroupId);
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        delegate.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        delegate.abortTransaction();
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void close(Duration timeout) {
        delegate.close(timeout);
    }
}
