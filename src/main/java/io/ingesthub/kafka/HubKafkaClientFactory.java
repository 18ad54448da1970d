package io.ingesthub.kafka;

import io.ingesthub.HubProperties;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The Camel Kafka component's client factory ({@code camel.component.kafka.kafka-client-factory}): its producers are
 * {@link GuardedProducer}s, one deadline per request and write outcomes reported for readiness.
 */
@Component("hubKafkaClientFactory")
public class HubKafkaClientFactory extends DefaultKafkaClientFactory implements DisposableBean {

    private static final int TOPIC_CHECK_MS = 2000;

    private final Duration ackTimeout;
    private final KafkaWriteHealth health;
    private final KafkaClients clients;
    private volatile Admin admin;

    public HubKafkaClientFactory(HubProperties hub, KafkaWriteHealth health, KafkaClients clients) {
        this.ackTimeout = hub.kafka().ackTimeout();
        this.health = health;
        this.clients = clients;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Producer getProducer(Properties kafkaProps) {
        return new GuardedProducer(super.getProducer(kafkaProps), ackTimeout, health, this::topicMissing);
    }

    /** Whether the cluster says {@code topic} does not exist; null when it could not tell in time. */
    Boolean topicMissing(String topic) {
        try {
            admin().describeTopics(Set.of(topic)).allTopicNames().get(TOPIC_CHECK_MS, TimeUnit.MILLISECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof UnknownTopicOrPartitionException ? true : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(clients.admin("topics", TOPIC_CHECK_MS));
                }
                a = admin;
            }
        }
        return a;
    }

    @Override
    public void destroy() {
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
