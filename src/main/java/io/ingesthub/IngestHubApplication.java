package io.ingesthub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts ingest-hub: YAML routes from {@code routes/}, beans from this package tree. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngestHubApplication.class, args);
    }
}
