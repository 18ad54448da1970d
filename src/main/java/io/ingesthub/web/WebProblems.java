package io.ingesthub.web;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The RFC 9457 answers Spring MVC writes itself (405 wrong method, 404 unknown path, 406, ...), given the same
 * {@code ingest_id} member and {@code X-Ingest-Id} header as the hub's own problems, so every error can be quoted.
 */
@RestControllerAdvice
public class WebProblems extends ResponseEntityExceptionHandler {

    private final long retryAfterSeconds;

    public WebProblems(@Value("${hub.limits.retry-after:1s}") Duration retryAfter) {
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    /** The request executor's queue is full (spring.task.execution.pool.queue-capacity): a 503 to retry, not a 500. */
    @ExceptionHandler(TaskRejectedException.class)
    public ResponseEntity<Object> executorFull(TaskRejectedException e, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(503),
                "Too many requests queued; retry shortly.");
        problem.setTitle("Service unavailable");
        HttpHeaders headers = new HttpHeaders();
        headers.set("Retry-After", Long.toString(retryAfterSeconds));
        return createResponseEntity(problem, headers, HttpStatusCode.valueOf(503), request);
    }

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
