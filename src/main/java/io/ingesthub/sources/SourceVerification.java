package io.ingesthub.sources;

import java.util.List;

/**
 * How one data source's deliveries are verified: the scheme (as {@code name}, a preset or {@code hmac}), its one or
 * two secrets, and where its delivery ids are ({@code null} for none).
 */
public record SourceVerification(String name, Scheme scheme, List<SourceSecret> secrets, DeliveryIdSource deliveryId) {

    public SourceVerification {
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("needs one or two secrets (two while rotating)");
        }
    }
}
