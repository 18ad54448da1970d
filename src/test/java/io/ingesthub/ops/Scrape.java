package io.ingesthub.ops;

import java.util.Map;

/** Reads samples out of a Prometheus text exposition, summing every series of a name whose labels include the given ones. */
final class Scrape {

    private Scrape() {}

    static double sum(String exposition, String name, Map<String, String> labels) {
        double total = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String metric = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
            if (!metric.equals(name)) {
                continue;
            }
            String labelText = brace < 0 ? "" : line.substring(brace, line.lastIndexOf('}') + 1);
            boolean matches = labels.entrySet().stream()
                    .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (matches) {
                total += Double.parseDouble(line.substring(space + 1));
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }
}
