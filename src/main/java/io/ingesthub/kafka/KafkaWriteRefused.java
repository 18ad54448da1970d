package io.ingesthub.kafka;

import org.apache.kafka.common.KafkaException;

/**
 * A write Kafka refuses in a way no retry fixes (topic missing without auto-create, not authorised, request too
 * large): the message names the cause for the operator, and the answer is a 500, not a 503.
 */
public class KafkaWriteRefused extends KafkaException {

    public KafkaWriteRefused(String message, Throwable cause) {
        super(message, cause);
    }

    /** The refusal {@code error} stands for, or null when a retry may succeed. */
    public static KafkaWriteRefused of(Throwable error, String topic) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KafkaWriteRefused refused) {
                return refused;
            }
            String reason = reason(c, topic);
            if (reason != null) {
                return new KafkaWriteRefused(reason, c);
            }
        }
        return null;
    }

    /** Kafka's error name for {@code c}, as in its protocol ({@code RECORD_TOO_LARGE}), not a Java class name. */
    static String code(Throwable c) {
        try {
            return org.apache.kafka.common.protocol.Errors.forException(c).name();
        } catch (RuntimeException e) {
            return "UNKNOWN_SERVER_ERROR";
        }
    }

    private static String reason(Throwable c, String topic) {
        String t = topic == null ? "the topic" : "topic " + topic;
        if (c instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
            return "the hub's Kafka principal may not write to " + t + " (TOPIC_AUTHORIZATION_FAILED); grant it Write";
        }
        if (c instanceof org.apache.kafka.common.errors.ClusterAuthorizationException
                || c instanceof org.apache.kafka.common.errors.TransactionalIdAuthorizationException) {
            return "the hub's Kafka principal is not authorised (" + code(c)
                    + "); the idempotent producer needs IdempotentWrite on the cluster";
        }
        if (c instanceof org.apache.kafka.common.errors.RecordTooLargeException
                || c instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException) {
            return t + " refused a record as too large (" + code(c)
                    + "); the topic's max.message.bytes must be at least the producer's max.request.size";
        }
        if (c instanceof org.apache.kafka.common.errors.InvalidTopicException) {
            return t + " is not a valid Kafka topic name (INVALID_TOPIC)";
        }
        if (c instanceof org.apache.kafka.common.errors.SerializationException) {
            return "a record could not be serialised for " + t + " (serialisation error: " + c.getMessage() + ")";
        }
        if (c instanceof org.apache.kafka.common.errors.UnsupportedVersionException
                || c instanceof org.apache.kafka.common.errors.PolicyViolationException
                || c instanceof org.apache.kafka.common.errors.InvalidRequiredAcksException) {
            return "Kafka refused the write to " + t + " (" + code(c) + ": " + c.getMessage() + ")";
        }
        return null;
    }
}
