package io.ingesthub.ingest;

import io.ingesthub.Endpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * The webhook endpoints the running routes serve, by path: every route made from the {@code webhook} template,
 * including one added at run time, so admission control covers each path the moment a route serves it.
 */
@Component("webhookEndpoints")
public class WebhookEndpoints extends EventNotifierSupport implements CamelContextConfiguration {

    private final Map<String, Endpoint> byPath = new ConcurrentHashMap<>();

    public WebhookEndpoints() {
        setIgnoreExchangeEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getManagementStrategy().addEventNotifier(this);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    /** The endpoint served at {@code path}, or null when no webhook route serves it. */
    public Endpoint at(String path) {
        return byPath.get(path);
    }

    /** Every endpoint served now, by path. */
    public Map<String, Endpoint> all() {
        return Map.copyOf(byPath);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteAddedEvent || event instanceof CamelEvent.RouteRemovedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Route route = ((CamelEvent.RouteEvent) event).getRoute();
        if (!(route.getRoute() instanceof RouteDefinition definition)) {
            return;
        }
        Endpoint endpoint = Endpoint.of(route.getRouteId(), definition.getTemplateParameters());
        if (endpoint == null) {
            return;
        }
        if (event instanceof CamelEvent.RouteAddedEvent) {
            byPath.put(endpoint.path(), endpoint);
        } else {
            byPath.remove(endpoint.path(), endpoint);
        }
    }
}
