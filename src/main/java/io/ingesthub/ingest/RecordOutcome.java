package io.ingesthub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.mapping.FieldError;
import java.util.List;

/** One record of a request on its way through the pipeline: input, mapped output or errors, and where Kafka put it. */
public final class RecordOutcome {

    private final int index;
    private JsonNode input;
    private ObjectNode output;
    private String id;
    private List<FieldError> errors = List.of();
    private String topic;
    private int partition = -1;
    private long offset = -1;

    public RecordOutcome(int index, JsonNode input) {
        this.index = index;
        this.input = input;
    }

    public int index() {
        return index;
    }

    public JsonNode input() {
        return input;
    }

    public ObjectNode output() {
        return output;
    }

    public String id() {
        return id;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public boolean accepted() {
        return errors.isEmpty();
    }

    public void accept(String id, ObjectNode output) {
        this.id = id;
        this.output = output;
        this.errors = List.of();
    }

    public void reject(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a rejected record needs at least one error");
        }
        this.output = null;
        this.errors = List.copyOf(errors);
    }

    /** The id the record claims, even when rejected: used for the dead-letter key. */
    public void claimId(String id) {
        this.id = id;
    }

    /**
     * Lets go of the input and mapped trees once the record is bytes in its Kafka message: the rest of the request
     * (the wait for Kafka, the answer, the executions record) reads only the id, the errors and where it landed.
     */
    public void sent() {
        this.input = null;
        this.output = null;
    }

    public void placed(String topic, int partition, long offset) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
