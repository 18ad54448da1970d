package io.ingesthub.auth;

import io.ingesthub.HubProperties;
import io.ingesthub.ingest.IngestContext;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Decides who is calling an ingestion endpoint and records it on the request's {@link IngestContext}. */
@Component("authenticator")
public class Authenticator {

    private final String defaultTenant;

    public Authenticator(HubProperties hub) {
        this.defaultTenant = hub.defaultTenant();
    }

    public void authenticate(Exchange exchange) {
        IngestContext.of(exchange).caller(defaultTenant, "anonymous", "demo-servicenow", "servicenow");
    }
}
