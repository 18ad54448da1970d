package io.ingesthub.ingest;

import io.ingesthub.tokens.TokenGrants;
import io.ingesthub.web.HttpAnswer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The exchange side of the token route ({@code POST /tenant-users/oauth2/token}): hands the request to
 * {@link TokenGrants} and writes its RFC 6749 answer with {@code Cache-Control: no-store}.
 */
@Component("tokenEndpoint")
public class TokenEndpoint {

    private final TokenGrants grants;

    public TokenEndpoint(TokenGrants grants) {
        this.grants = grants;
    }

    /** Entry point of the {@code token} route. */
    public void grant(Exchange exchange) {
        Message in = exchange.getIn();
        HttpServletRequest servlet = in.getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
        TokenGrants.Request request = new TokenGrants.Request(in.getHeader(Exchange.CONTENT_TYPE, String.class),
                in.getBody(String.class), in.getHeader("Host", String.class),
                in.getHeader("Authorization", String.class), servlet == null ? null : servlet.getRemoteAddr());
        write(exchange, grants.grant(request));
    }

    /** The route's {@code oauth-errors} answer to anything that escaped {@link #grant}: {@code server_error}. */
    public void refuse(Exchange exchange) {
        write(exchange, grants.failed(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
    }

    /**
     * Writes the answer; drops every request header first, so no parameter can be echoed back. Camel's HTTP header
     * filter drops {@code Cache-Control} and {@code Pragma} from messages, so they go on the servlet response itself.
     */
    private static void write(Exchange exchange, TokenGrants.Answer answer) {
        HttpServletResponse response = exchange.getIn().getHeader(Exchange.HTTP_SERVLET_RESPONSE,
                HttpServletResponse.class);
        if (response != null) {
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Pragma", "no-cache");
        }
        Message out = exchange.getMessage();
        HttpAnswer.write(out, answer.status(), "application/json", answer.body());
        answer.headers().forEach(out::setHeader);
    }
}
