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

    private static String reason(Throwable c, String topic) {
        String t = topic == null ? "the topic" : "topic " + topic;
        if (c instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
            return "the hub's Kafka principal may not write to " + t + " (TopicAuthorizationException); grant it Write";
        }
        if (c instanceof org.apache.kafka.common.errors.ClusterAuthorizationException
                || c instanceof org.apache.kafka.common.errors.TransactionalIdAuthorizationException) {
            return "the hub's Kafka principal is not authorised (" + c.getClass().getSimpleName()
                    + "); the idempotent producer needs IdempotentWrite on the cluster";
        }
        if (c instanceof org.apache.kafka.common.errors.RecordTooLargeException
                || c instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException) {
            return t + " refused a record as too large (" + c.getClass().getSimpleName()
                    + "); the topic's max.message.bytes must be at least the producer's max.request.size";
        }
        if (c instanceof org.apache.kafka.common.errors.InvalidTopicException) {
            return t + " is not a valid Kafka topic name (InvalidTopicException)";
        }
        if (c instanceof org.apache.kafka.common.errors.SerializationException) {
            return "a record could not be serialised for " + t + " (SerializationException)";
        }
        if (c instanceof org.apache.kafka.common.errors.UnsupportedVersionException
                || c instanceof org.apache.kafka.common.errors.PolicyViolationException
                || c instanceof org.apache.kafka.common.errors.InvalidRequiredAcksException) {
            return "Kafka refused the write to " + t + " (" + c.getClass().getSimpleName() + ": " + c.getMessage() + ")";
        }
        return null;
    }
}
