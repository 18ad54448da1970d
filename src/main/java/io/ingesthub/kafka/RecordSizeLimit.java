package io.ingesthub.kafka;

import io.ingesthub.mapping.FieldError;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * {@code hub.limits.max-record-bytes}: the most a record's value plus key may weigh. The producer's
 * {@code max.request.size} (and the topics' {@code max.message.bytes}) is that plus {@link #ENVELOPE_BYTES} for the
 * headers and Kafka's framing, so a record the hub accepts always fits Kafka.
 */
@Component
public class RecordSizeLimit {

    /** The default limit, 1 MiB: Kafka's own default message size. */
    public static final long DEFAULT_BYTES = 1024 * 1024;
    /** Room for the CloudEvents and hub headers and Kafka's batch and record framing. */
    public static final long ENVELOPE_BYTES = 16 * 1024;

    private final long maxBytes;

    public RecordSizeLimit(@Value("${" + KafkaTimeoutsEnvironment.MAX_RECORD_BYTES + ":" + DEFAULT_BYTES + "}") DataSize maxBytes) {
        this.maxBytes = maxBytes.toBytes();
    }

    /** The producer's {@code max.request.size} and the topics' {@code max.message.bytes} for a record limit. */
    public static long maxRequestSize(long maxRecordBytes) {
        return maxRecordBytes + ENVELOPE_BYTES;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The weight Kafka counts for a record of this value and key, less the headers. */
    public static long size(byte[] value, String key) {
        return value.length + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
    }

    public boolean fits(byte[] value, String key) {
        return size(value, key) <= maxBytes;
    }

    /** The rejection of a record over the limit. */
    public FieldError tooLarge(byte[] value, String key) {
        return new FieldError("$", "record too large: " + size(value, key) + " bytes, over hub.limits.max-record-bytes ("
                + maxBytes + ")");
    }

    /**
     * The dead-letter value of a rejected record: the input itself where it fits, otherwise a small JSON stub saying
     * so (the input's size and content id), as the original cannot be written to Kafka.
     */
    public byte[] deadLetterValue(byte[] input, String key) {
        if (fits(input, key)) {
            return input;
        }
        return ("{\"hub_error\":\"record too large\",\"size_bytes\":" + input.length + ",\"max_record_bytes\":" + maxBytes
                + ",\"content_id\":\"" + RecordHeaders.contentId(input) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
