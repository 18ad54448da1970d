package io.ingesthub.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ingesthub.registry.Registry;
import io.ingesthub.registry.TenantRegistry;
import io.ingesthub.web.HttpAnswer;
import io.ingesthub.web.ProblemException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;

/** What the operator endpoints share: finding a data source in the registry, reading parameters, writing JSON answers. */
public final class Operators {

    /** A data source and the tenant that owns it. */
    record Source(String tenant, Registry.DataSource dataSource) {
        String name() {
            return dataSource.name();
        }
    }

    private Operators() {}

    /** The data source named {@code name} (of {@code tenant} when given); 404 when the registry has none. */
    static Source source(TenantRegistry registry, String tenant, String name) {
        if (name == null || name.isBlank()) {
            throw ProblemException.badRequest("Name the data source.");
        }
        List<Source> found = new ArrayList<>();
        registry.current().tenants().forEach((t, def) -> {
            Registry.DataSource ds = def.dataSources().get(name);
            if (ds != null && (tenant == null || tenant.isBlank() || tenant.equals(t))) {
                found.add(new Source(t, ds));
            }
        });
        if (found.isEmpty()) {
            throw new ProblemException(404, "unknown-data-source", "Unknown data source",
                    "No tenant in the registry has a data source '" + name + "'"
                            + (tenant == null || tenant.isBlank() ? "" : " (tenant '" + tenant + "')") + ".");
        }
        if (found.size() > 1) {
            throw ProblemException.badRequest("Data source '" + name + "' exists in several tenants; add ?tenant=<tenant>.");
        }
        return found.get(0);
    }

    /** Every data source of the registry, tenant by tenant. */
    static List<Source> sources(TenantRegistry registry) {
        List<Source> all = new ArrayList<>();
        registry.current().tenants().forEach((t, def) -> def.dataSources().values().forEach(ds -> all.add(new Source(t, ds))));
        all.sort((a, b) -> (a.tenant() + ":" + a.name()).compareTo(b.tenant() + ":" + b.name()));
        return all;
    }

    static String param(Exchange exchange, String name) {
        String v = exchange.getIn().getHeader(name, String.class);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static int intParam(Exchange exchange, String name, int dflt, int max) {
        String v = param(exchange, name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > max) {
                throw ProblemException.badRequest("'" + name + "' must be between 1 and " + max + ", not " + v + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("'" + name + "' must be a number, not '" + v + "'.");
        }
    }

    /** A window such as {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d} or ISO 8601 {@code PT1H}, at most {@code max}. */
    static Duration window(String text, Duration max) {
        Duration d;
        try {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new NumberFormatException();
                };
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw ProblemException.badRequest("'window' must look like 30s, 15m, 1h or 1d, not '" + text + "'.");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
            throw ProblemException.badRequest("'window' must be positive and at most " + max + " (what the hub keeps).");
        }
        return d;
    }

    /** Answers {@code status} with {@code body} as JSON, dropping every request header first. */
    public static void answer(Exchange exchange, ObjectMapper json, int status, Object body) {
        try {
            HttpAnswer.write(exchange.getMessage(), status, "application/json", json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
