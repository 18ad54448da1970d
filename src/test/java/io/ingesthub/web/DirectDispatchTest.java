package io.ingesthub.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ingesthub.HubStartupException;
import org.junit.jupiter.api.Test;

class DirectDispatchTest {

    @Test
    void refusesToStartWhenAdmittedRequestsCouldHoldTheThreadsProbesNeed() {
        // Spring Boot's own default of 200 servlet threads is below the default 256 requests in flight.
        assertThatThrownBy(() -> DirectDispatch.checkThreads(256, 200))
                .isInstanceOf(HubStartupException.class)
                .hasMessageContaining("hub.limits.max-in-flight (256)")
                .satisfies(e -> assertThat(((HubStartupException) e).action())
                        .contains("SERVER_TOMCAT_THREADS_MAX").contains("288"));
        assertThatThrownBy(() -> DirectDispatch.checkThreads(289, 320)).isInstanceOf(HubStartupException.class);
        assertThatThrownBy(() -> DirectDispatch.checkThreads(Integer.MAX_VALUE, Integer.MAX_VALUE))
                .isInstanceOf(HubStartupException.class);
    }

    @Test
    void startsWithTheShippedSettingsAndWheneverThirtyTwoThreadsStayFree() {
        assertThatCode(() -> DirectDispatch.checkThreads(256, 320)).doesNotThrowAnyException();
        assertThatCode(() -> DirectDispatch.checkThreads(288, 320)).doesNotThrowAnyException();
        assertThatCode(() -> DirectDispatch.checkThreads(1, 33)).doesNotThrowAnyException();
    }
}
