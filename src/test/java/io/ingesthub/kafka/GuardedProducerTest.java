package io.ingesthub.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The pipeline producer's wrapper: failures no retry fixes become KafkaWriteRefused, every outcome reaches health. */
class GuardedProducerTest {

    private final KafkaWriteHealth health = new KafkaWriteHealth(Duration.ofMinutes(1));

    private GuardedProducer guarded(MockProducer<Object, Object> mock) {
        return new GuardedProducer(mock, Duration.ofSeconds(5), health, topic -> null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MockProducer<Object, Object> mock(Serializer values) {
        return new MockProducer<>(false, null, (Serializer) new StringSerializer(), values);
    }

    private static ProducerRecord<Object, Object> record(String ingestId) {
        ProducerRecord<Object, Object> r = new ProducerRecord<>("ingest.alerts.v1", "k", "v");
        r.headers().add("hub_ingest_id", ingestId.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    @Test
    void aRecordTooLargeForTheTopicIsRefusedNamingTheTopicAndMakesWritesFailing() {
        MockProducer<Object, Object> mock = mock(new StringSerializer());
        Future<RecordMetadata> sent = guarded(mock).send(record("a"));
        mock.errorNext(new RecordTooLargeException("too big"));

        assertThatThrownBy(sent::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(KafkaWriteRefused.class).hasMessageContaining("ingest.alerts.v1")
                .hasMessageContaining("max.message.bytes");
        assertThat(health.failing()).contains("1 consecutive sends failed");
    }

    @Test
    void aRetriableFailureStaysRetriableAndASuccessEndsTheFailingStreak() throws Exception {
        MockProducer<Object, Object> mock = mock(new StringSerializer());
        GuardedProducer producer = guarded(mock);
        Future<RecordMetadata> first = producer.send(record("b"));
        mock.errorNext(new NotEnoughReplicasException("isr"));
        assertThatThrownBy(first::get).cause().isInstanceOf(NotEnoughReplicasException.class);
        assertThat(health.failing()).contains("NotEnoughReplicasException");

        Future<RecordMetadata> second = producer.send(record("c"));
        mock.completeNext();

        assertThat(second.get().topic()).isEqualTo("ingest.alerts.v1");
        assertThat(health.failing()).isNull();
    }

    @Test
    void aValueTheSerializerRefusesIsRefusedNotThrown() {
        Serializer<Object> refusing = (topic, data) -> {
            throw new SerializationException("no");
        };
        Future<RecordMetadata> sent = guarded(mock(refusing)).send(record("d"));

        assertThatThrownBy(sent::get).cause().isInstanceOf(KafkaWriteRefused.class).hasMessageContaining("serialis");
    }

    @Test
    void theSendsOfOneIngestShareOneDeadlineAndTheNextIngestStartsItsOwn() throws Exception {
        MockProducer<Object, Object> mock = mock(new StringSerializer());
        GuardedProducer oneNano = new GuardedProducer(mock, Duration.ofNanos(1), health, topic -> null);

        Future<RecordMetadata> first = oneNano.send(record("ingest-a"));
        long sent = System.nanoTime();
        while (System.nanoTime() - sent < 1_000) {
            Thread.onSpinWait(); // past the one-nanosecond deadline
        }
        Future<RecordMetadata> late = oneNano.send(record("ingest-a"));
        Future<RecordMetadata> next = oneNano.send(record("ingest-b"));
        mock.completeNext();
        mock.completeNext();

        assertThat(first.get().topic()).isEqualTo("ingest.alerts.v1");
        assertThatThrownBy(late::get).cause().isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
                .hasMessageContaining("ingest ingest-a");
        assertThat(next.get().topic()).isEqualTo("ingest.alerts.v1");
        assertThat(mock.history()).hasSize(2);
    }
}
