package io.ingesthub.web;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one writer of the hub's HTTP answers on a Camel message (records, problems, tokens, admin and preview JSON,
 * a remembered source answer): every header the request brought is dropped, so none is echoed back, then the status,
 * content type and body are set. Callers add their own answer headers (such as {@code X-Ingest-Id}) after it.
 */
public final class HttpAnswer {

    private HttpAnswer() {}

    public static void write(Message out, int status, String contentType, Object body) {
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        // With its length declared, the answer leaves in one write; chunked, its closing chunk took a second one.
        out.setHeader(Exchange.HTTP_CHUNKED, false);
        out.setBody(body);
    }
}
