import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.lang.management.ManagementFactory;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;

/**
 * CPU and allocation of building one Kafka record batch per codec, on one thread (thread CPU time, so a busy machine
 * does not move it): the bodies of bench/bodies as 1-record and 50-record batches.
 *
 * <p>Run: {@code javac -cp "$(cat target/bench-passthrough/classpath.txt)" -d target/bench-passthrough/classes
 * bench/micro/CodecCost.java && java -cp "target/bench-passthrough/classes:$(cat target/bench-passthrough/classpath.txt)" CodecCost}
 */
public final class CodecCost {
    public static void main(String[] a) throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode arr = m.readTree(new java.io.File("bench/bodies/incidents.50.json"));
        byte[][] vals = new byte[arr.size()][];
        for (int i = 0; i < arr.size(); i++) vals[i] = m.writeValueAsBytes(arr.get(i));
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Compression[] cs = { Compression.NONE, Compression.lz4().build(), Compression.zstd().build(), Compression.snappy().build() };
        for (int round = 0; round < 4; round++) for (Compression c : cs) for (int batch : new int[] {1, 50}) {
            int n = batch == 1 ? 20000 : 1000; long bytes = 0;
            long c0 = mx.getCurrentThreadCpuTime(), a0 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(262144), c, TimestampType.CREATE_TIME, 0L);
                for (int r = 0; r < batch; r++) b.append(0L, ("k" + r).getBytes(), vals[r]);
                bytes += b.build().sizeInBytes();
            }
            long c1 = mx.getCurrentThreadCpuTime(), a1 = mx.getCurrentThreadAllocatedBytes() - 262144L * n;
            if (round == 3) System.out.printf("%-7s %2d records/batch: %7.1f us CPU per record, %6d bytes per batch, %6d B allocated per batch besides the buffer%n", c.type(), batch, (c1 - c0) / 1e3 / n / batch, bytes / n, (a1 - a0) / n);
        }
    }
}
