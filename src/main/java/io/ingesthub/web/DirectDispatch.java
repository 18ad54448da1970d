package io.ingesthub.web;

import io.ingesthub.HubProperties;
import io.ingesthub.HubStartupException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.CamelRequestHandlerMapping;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Runs the Camel route of a webhook request on the servlet thread that received it, without Spring MVC in between.
 * Camel's platform-http runs every exchange on the executor given to its engine; here that executor is the calling
 * thread. {@link #serve} finds the consumer of the request's path through Camel's own handler mapping (so paths,
 * spellings and path variables are matched as the router matches them) and calls it directly, which saves Spring
 * MVC's handler invocation, the hand-over to a second thread and the second, asynchronous dispatch of the finished
 * request (docs/benchmark.md). Any other path still goes through Spring MVC, on the calling thread as well.
 */
@Configuration(proxyBeanMethods = false)
public class DirectDispatch {

    /** Servlet threads kept free of ingest requests for health probes, token requests and operators. */
    static final int SPARE_THREADS = 32;

    private final ObjectProvider<CamelRequestHandlerMapping> mapping;
    /** Camel's handler mapping, looked up once, on the first request, rather than when the filters are made. */
    private volatile CamelRequestHandlerMapping camel;

    public DirectDispatch(ObjectProvider<CamelRequestHandlerMapping> mapping, HubProperties hub,
                          @Value("${server.tomcat.threads.max:200}") int servletThreads) {
        this.mapping = mapping;
        checkThreads(hub.limits().maxInFlight(), servletThreads);
    }

    /**
     * Refuses to start when the requests admitted at once ({@code hub.limits.max-in-flight}), each holding its servlet
     * thread until Kafka answers, could take the threads that health probes need: a slow cluster would then fail
     * the liveness probe too.
     */
    static void checkThreads(int maxInFlight, int servletThreads) {
        if ((long) maxInFlight + SPARE_THREADS > servletThreads) {
            throw new HubStartupException("hub.limits.max-in-flight (" + maxInFlight + ") leaves fewer than "
                    + SPARE_THREADS + " of the " + servletThreads + " servlet threads (server.tomcat.threads.max) free:"
                    + " requests waiting for Kafka could hold the threads that health probes and tokens need.",
                    "Raise server.tomcat.threads.max (SERVER_TOMCAT_THREADS_MAX) to at least "
                            + (maxInFlight + SPARE_THREADS) + ", or lower hub.limits.max-in-flight.");
        }
    }

    /** platform-http's engine (by the name Camel looks it up by), running each exchange on the thread that hands it over. */
    @Bean("platform-http-engine")
    static PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }

    /**
     * Serves {@code request} with the Camel route of its path, to the end of the answer; false when no route serves
     * that path and method (the caller then passes the request on).
     */
    public boolean serve(HttpServletRequest request, HttpServletResponse response) throws ServletException {
        CamelRequestHandlerMapping camel = this.camel;
        if (camel == null) {
            camel = mapping.getIfAvailable();
            if (camel == null) {
                return false;
            }
            this.camel = camel;
        }
        ServletRequestPathUtils.parseAndCache(request);
        HandlerExecutionChain chain;
        try {
            chain = camel.getHandler(request);
        } catch (Exception e) {
            throw new ServletException(e);
        }
        if (chain == null || !(chain.getHandler() instanceof HandlerMethod method)
                || !(method.getBean() instanceof SpringBootPlatformHttpConsumer consumer)) {
            return false;
        }
        consumer.service(request, response).join();
        return true;
    }
}
