package io.ingesthub.ops;

import io.ingesthub.kafka.KafkaClients;
import io.ingesthub.kafka.KafkaWriteHealth;
import io.ingesthub.kafka.LocalKafkaBroker;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code kafka}, part of the readiness group: DOWN while the cluster does not answer (with the
 * producer's client settings, security included) or while the hub's own writes fail. The {@code kafka-health} route
 * asks the cluster to describe itself every {@code hub.health.kafka-interval}; a probe only reads the last answer and
 * the write outcomes, so it never waits on Kafka.
 */
@Component("kafkaHealthIndicator")
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealthIndicator.class);

    private final String brokers;
    private final long timeoutMillis;
    private final Admin admin;
    private final KafkaWriteHealth writes;
    private volatile Health last;
    private boolean checked;
    private volatile String reportedWriteFailure;

    public KafkaHealthIndicator(KafkaClients clients, KafkaWriteHealth writes, HealthProperties health,
            ObjectProvider<LocalKafkaBroker> localBroker) {
        // In the local default, check only once the in-process broker is up, so the start logs no false alarm.
        localBroker.ifAvailable(broker -> { });
        this.brokers = clients.brokers();
        this.writes = writes;
        this.timeoutMillis = Math.max(100, health.kafkaTimeout().toMillis());
        this.last = Health.down().withDetail("brokers", brokers).withDetail("error", "not checked yet").build();
        this.admin = Admin.create(clients.admin("health", (int) timeoutMillis));
    }

    @Override
    public Health health() {
        Health cluster = last;
        String failing = writes.failing();
        if (failing == null || !Status.UP.equals(cluster.getStatus())) {
            reportedWriteFailure = null;
            return cluster;
        }
        if (!failing.equals(reportedWriteFailure) && reportedWriteFailure == null) {
            LOG.warn("Kafka at {} answers but the hub's writes fail ({}): not ready", brokers, failing);
        }
        reportedWriteFailure = failing;
        return Health.down()
                .withDetails(cluster.getDetails())
                .withDetail("error", "writes failing: " + failing)
                .build();
    }

    /** Asks the cluster once and keeps the answer. */
    public void check() {
        Health next;
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis));
            Collection<Node> nodes = cluster.nodes().get(timeoutMillis + 500, TimeUnit.MILLISECONDS);
            String clusterId = cluster.clusterId().get(timeoutMillis + 500, TimeUnit.MILLISECONDS);
            next = Health.up()
                    .withDetail("brokers", brokers)
                    .withDetail("clusterId", String.valueOf(clusterId))
                    .withDetail("nodes", nodes.size())
                    .withDetail("checkedAt", Instant.now().toString())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            next = Health.down()
                    .withDetail("brokers", brokers)
                    .withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .withDetail("checkedAt", Instant.now().toString())
                    .build();
        }
        boolean up = Status.UP.equals(next.getStatus());
        writes.clusterAnswers(up);
        if (!checked || up != Status.UP.equals(last.getStatus())) {
            if (up) {
                LOG.info("Kafka at {} is reachable: ready", brokers);
            } else {
                LOG.warn("Kafka at {} does not answer the readiness check ({}): not ready", brokers, next.getDetails().get("error"));
            }
        }
        checked = true;
        last = next;
    }

    @Override
    public void destroy() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
