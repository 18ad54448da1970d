package io.ingesthub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ingesthub.mapping.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A record once sent keeps what the answer and the executions record read, and lets go of its trees. */
class RecordOutcomeTest {

    private static ObjectNode node(String id) {
        return JsonNodeFactory.instance.objectNode().put("sys_id", id);
    }

    @Test
    void anAcceptedRecordKeepsItsIdAndPlacementAfterItIsSent() {
        RecordOutcome r = new RecordOutcome(3, node("INC1"));
        r.accept("INC1", node("INC1"));
        r.sent();
        r.placed("ingest.incidents.v1", 2, 41);

        assertThat(r.input()).isNull();
        assertThat(r.output()).isNull();
        assertThat(r.accepted()).isTrue();
        assertThat(r.id()).isEqualTo("INC1");
        assertThat(r.index()).isEqualTo(3);
        assertThat(r.topic()).isEqualTo("ingest.incidents.v1");
        assertThat(r.offset()).isEqualTo(41);
    }

    @Test
    void aRejectedRecordKeepsItsErrorsAfterItIsSent() {
        RecordOutcome r = new RecordOutcome(0, node("INC2"));
        r.claimId("INC2");
        r.reject(List.of(new FieldError("number", "is required")));
        r.sent();

        assertThat(r.input()).isNull();
        assertThat(r.accepted()).isFalse();
        assertThat(r.id()).isEqualTo("INC2");
        assertThat(r.errors()).extracting(FieldError::field).containsExactly("number");
    }
}
