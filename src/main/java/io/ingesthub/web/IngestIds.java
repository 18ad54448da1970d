package io.ingesthub.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Makes ingest ids: random 128-bit ids in UUID text form, cheaper than {@link UUID#randomUUID()} under load. */
public final class IngestIds {

    private IngestIds() {}

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
