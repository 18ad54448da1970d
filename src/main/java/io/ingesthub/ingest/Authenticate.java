package io.ingesthub.ingest;

import io.ingesthub.auth.Authenticator;
import io.ingesthub.registry.Registry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The pipeline's authentication step: hands the request's credentials to the {@link Authenticator}, records the
 * caller on the {@link IngestContext}, and removes every credential from the exchange, refused or not.
 */
@Component("authenticate")
public class Authenticate {

    private static final String[] CREDENTIAL_HEADERS = {"Authorization", "x-app-token", "apptoken", "key", "at",
            Exchange.HTTP_QUERY, Exchange.HTTP_RAW_QUERY};

    private final Authenticator authenticator;

    public Authenticate(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    public void authenticate(Exchange exchange) {
        Message in = exchange.getIn();
        try {
            IngestContext ctx = IngestContext.of(exchange);
            String raw = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
            Registry.App app = authenticator.authenticate(new Authenticator.Credentials(
                    "key".equals(exchange.getVariable("credentials", String.class)), ctx.path(),
                    in.getHeader("x-app-token", String.class), in.getHeader("Authorization", String.class),
                    in.getHeader("Host", String.class), raw != null ? raw : in.getHeader(Exchange.HTTP_QUERY, String.class)));
            ctx.caller(app.tenant(), app.name(), app.dataSource().name(), app.dataSource().mappings());
            ctx.archive(app.dataSource().archive());
        } finally {
            for (String name : CREDENTIAL_HEADERS) {
                in.removeHeader(name);
            }
        }
    }
}
