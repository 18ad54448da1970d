package io.ingesthub.web;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * Gives the answers of Spring Boot's error page (a refusal outside Spring MVC, such as the operator login's 401) an
 * {@code ingest_id} member too, like every other error of the hub.
 */
@Component
public class ErrorPageIds extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        attributes.put("ingest_id", IngestIds.next());
        return attributes;
    }
}
