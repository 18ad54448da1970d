package io.ingesthub.sources;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** How a sender proves a delivery: an HMAC over the delivery's bytes, HTTP Basic, or a fixed token in a header. */
public sealed interface Scheme {

    /** Default tolerance between a signed timestamp and the hub's clock. */
    Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    /** The headers this scheme reads, so the caller can strip them before the delivery travels on. */
    List<String> headers();

    /** The digest an HMAC is computed with. */
    enum Algorithm {
        SHA1("HmacSHA1"), SHA256("HmacSHA256"), SHA512("HmacSHA512");

        final String jca;

        Algorithm(String jca) {
            this.jca = jca;
        }

        /** {@code sha1}, {@code sha-256}, {@code SHA512}, ... */
        public static Algorithm parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT).replace("-", "")) {
                case "sha1" -> SHA1;
                case "sha256" -> SHA256;
                case "sha512" -> SHA512;
                default -> throw new IllegalArgumentException("must be sha1, sha256 or sha512");
            };
        }
    }

    /** How signature bytes (or key bytes) are written as text. */
    enum Encoding {
        HEX, BASE64;

        public static Encoding parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "hex" -> HEX;
                case "base64" -> BASE64;
                default -> throw new IllegalArgumentException("must be hex or base64");
            };
        }
    }

    /**
     * The generic HMAC shape every signing preset expands to.
     *
     * @param header           the header carrying the signature(s)
     * @param prefix           written before each signature ({@code sha256=}, {@code v1=}, {@code v1,}); "" for none
     * @param encoding         how each signature is written
     * @param algorithm        the HMAC digest
     * @param signed           what is signed: a template over {@code {id}}, {@code {ts}} and {@code {body}}
     * @param separator        between several entries of the header; {@code null} when it holds one signature
     * @param timestampHeader  the header carrying the signed timestamp, or {@code null}
     * @param timestampElement the prefix of the header entry carrying the timestamp ({@code t=}), or {@code null}
     * @param idHeader         the header carrying the signed delivery id, or {@code null}
     * @param tolerance        how far a signed timestamp may be from the hub's clock, either way
     * @param keyEncoding      {@code null} to use a secret's bytes as they are; {@code BASE64} to decode it first
     *                         (after an optional {@code whsec_} prefix, as Standard Webhooks writes keys)
     */
    record Hmac(String header, String prefix, Encoding encoding, Algorithm algorithm, SignedContent signed,
                String separator, String timestampHeader, String timestampElement, String idHeader,
                Duration tolerance, Encoding keyEncoding) implements Scheme {

        public Hmac {
            if (header == null || header.isBlank()) {
                throw new IllegalArgumentException("an hmac scheme needs a header");
            }
            prefix = prefix == null ? "" : prefix;
            if (timestampHeader != null && timestampElement != null) {
                throw new IllegalArgumentException("a timestamp comes from a header or a header entry, not both");
            }
            if (signed.usesTimestamp() && timestampHeader == null && timestampElement == null) {
                throw new IllegalArgumentException("what is signed uses {ts}, so the scheme needs a timestamp header");
            }
            if (signed.usesId() && idHeader == null) {
                throw new IllegalArgumentException("what is signed uses {id}, so the scheme needs an id header");
            }
            if (timestampElement != null && separator == null) {
                throw new IllegalArgumentException("a timestamp entry needs a separator between the header's entries");
            }
            tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
        }

        /** Whether a signed timestamp is checked against the clock. */
        public boolean timestamped() {
            return timestampHeader != null || timestampElement != null;
        }

        @Override
        public List<String> headers() {
            return java.util.stream.Stream.of(header, timestampHeader, idHeader)
                    .filter(java.util.Objects::nonNull).distinct().toList();
        }
    }

    /** {@code Authorization: Basic}, each secret being {@code user:password}. */
    record Basic() implements Scheme {
        @Override
        public List<String> headers() {
            return List.of("Authorization");
        }
    }

    /** A fixed token in {@code header}, after an optional {@code prefix} such as {@code Bearer }. */
    record HeaderToken(String header, String prefix) implements Scheme {

        public HeaderToken {
            if (header == null || header.isBlank()) {
                throw new IllegalArgumentException("a header-token scheme needs a header");
            }
            prefix = prefix == null ? "" : prefix;
        }

        @Override
        public List<String> headers() {
            return List.of(header);
        }
    }
}
