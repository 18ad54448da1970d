package io.ingesthub.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The RFC 9457 answers Spring MVC writes itself (405 wrong method, 404 unknown path, 406, ...), given the same
 * {@code ingest_id} member and {@code X-Ingest-Id} header as the hub's own problems, so every error can be quoted.
 */
@RestControllerAdvice
public class WebProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        String ingestId = IngestIds.next();
        if (body instanceof ProblemDetail problem) {
            problem.setProperty("ingest_id", ingestId);
        }
        HttpHeaders withId = new HttpHeaders();
        withId.putAll(headers);
        withId.set("X-Ingest-Id", ingestId);
        return super.createResponseEntity(body, withId, status, request);
    }
}
