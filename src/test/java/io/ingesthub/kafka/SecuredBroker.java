package io.ingesthub.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One in-process broker per test run with a SASL_SSL listener (PLAIN over TLS, a self-signed certificate for
 * 127.0.0.1 made by {@code keytool} at test time) for the hub, and a PLAINTEXT listener for the tests' own clients.
 */
final class SecuredBroker {

    static final String STORE_PASSWORD = "test-store-pass";
    static final String HUB_USER = "hub";
    static final String HUB_PASSWORD = "hub-secret-4711";

    private static LocalKafkaBroker broker;
    private static int saslPort;
    private static Path truststore;

    private SecuredBroker() {}

    static synchronized LocalKafkaBroker get() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("hub-test-tls-");
                Path keystore = dir.resolve("broker.p12");
                Path cert = dir.resolve("broker.crt");
                truststore = dir.resolve("truststore.p12");
                TestBrokers.run(List.of("keytool", "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
                        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
                        "-keypass", STORE_PASSWORD));
                TestBrokers.run(List.of("keytool", "-exportcert", "-alias", "broker", "-keystore", keystore.toString(),
                        "-storepass", STORE_PASSWORD, "-file", cert.toString()));
                TestBrokers.run(List.of("keytool", "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(),
                        "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
                int plain = TestBrokers.freePort();
                int controller = TestBrokers.freePort();
                saslPort = TestBrokers.freePort();
                Map<String, String> config = Map.of(
                        "listeners", "PLAINTEXT://127.0.0.1:" + plain + ",CONTROLLER://127.0.0.1:" + controller
                                + ",SASL_SSL://127.0.0.1:" + saslPort,
                        "advertised.listeners", "PLAINTEXT://127.0.0.1:" + plain + ",SASL_SSL://127.0.0.1:" + saslPort,
                        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
                        "sasl.enabled.mechanisms", "PLAIN",
                        "listener.name.sasl_ssl.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\""
                                + " password=\"broker-secret\" user_broker=\"broker-secret\" user_" + HUB_USER + "=\""
                                + HUB_PASSWORD + "\";",
                        "ssl.keystore.location", keystore.toString(),
                        "ssl.keystore.password", STORE_PASSWORD,
                        "ssl.key.password", STORE_PASSWORD,
                        "ssl.keystore.type", "PKCS12");
                broker = new LocalKafkaBroker(plain, controller, dir.resolve("data"), TestBrokers.hubTopics(), 1, Map.of(),
                        config);
                broker.start();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("secured test broker did not start", e);
            }
        }
        return broker;
    }

    /** The hub's Kafka settings for the SASL_SSL listener, signing in with {@code password}. */
    static void register(DynamicPropertyRegistry registry, String password) {
        get();
        registry.add("camel.component.kafka.brokers", () -> "127.0.0.1:" + saslPort);
        registry.add("camel.component.kafka.security-protocol", () -> "SASL_SSL");
        registry.add("camel.component.kafka.sasl-mechanism", () -> "PLAIN");
        registry.add("camel.component.kafka.sasl-jaas-config",
                () -> "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + HUB_USER
                        + "\" password=\"" + password + "\";");
        registry.add("camel.component.kafka.ssl-truststore-location", truststore::toString);
        registry.add("camel.component.kafka.ssl-truststore-password", () -> STORE_PASSWORD);
        registry.add("camel.component.kafka.ssl-truststore-type", () -> "PKCS12");
    }
}
