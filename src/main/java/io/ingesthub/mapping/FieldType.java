package io.ingesthub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/** The {@code type} of a mapping rule and its lossless conversions; a value that cannot convert yields null. */
enum FieldType {
    STRING("string"), INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean"), DATETIME("datetime"),
    STRING_ARRAY("string[]"), OBJECT("object");

    private final String yaml;

    FieldType(String yaml) {
        this.yaml = yaml;
    }

    String yaml() {
        return yaml;
    }

    static FieldType of(String yaml) {
        for (FieldType t : values()) {
            if (t.yaml.equals(yaml)) {
                return t;
            }
        }
        return null;
    }

    /** Converts one scalar or container to this type ({@code string[]} converts one element); null when lossy. */
    JsonNode convert(JsonNode v, DateTimeReader dates) {
        return switch (this) {
            case STRING, STRING_ARRAY -> v.isTextual() ? v : v.isValueNode() ? TextNode.valueOf(v.asText()) : null;
            case INTEGER -> integer(v);
            case NUMBER -> number(v);
            case BOOLEAN -> bool(v);
            case DATETIME -> {
                String at = dates.readRfc3339(v);
                yield at == null ? null : TextNode.valueOf(at);
            }
            case OBJECT -> v.isContainerNode() ? v : null;
        };
    }

    private static JsonNode integer(JsonNode v) {
        BigDecimal d = decimal(v);
        if (d == null) {
            return null;
        }
        try {
            return integral(d.toBigIntegerExact());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static JsonNode number(JsonNode v) {
        BigDecimal d = decimal(v);
        if (d == null) {
            return null;
        }
        if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
            return integral(d.toBigInteger());
        }
        double asDouble = d.doubleValue();
        return !Double.isInfinite(asDouble) && new BigDecimal(Double.toString(asDouble)).compareTo(d) == 0
                ? DoubleNode.valueOf(asDouble) : DecimalNode.valueOf(d);
    }

    private static JsonNode integral(BigInteger i) {
        if (i.bitLength() < 32) {
            return IntNode.valueOf(i.intValue());
        }
        return i.bitLength() < 64 ? LongNode.valueOf(i.longValue()) : BigIntegerNode.valueOf(i);
    }

    /**
     * The number {@code v} holds (a JSON number or a text), or null when it holds none or one outside
     * {@link MappingLimits}: non-finite, too many digits or too large an exponent, so that no conversion of it can
     * cost more than a few dozen digits of work.
     */
    static BigDecimal decimal(JsonNode v) {
        BigDecimal d;
        if (v.isNumber()) {
            if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
                return null;
            }
            if (v.isBigInteger() && v.bigIntegerValue().bitLength() > 4 * MappingLimits.MAX_NUMBER_DIGITS) {
                return null;
            }
            d = v.decimalValue();
        } else if (v.isTextual()) {
            String t = v.textValue().trim();
            if (t.isEmpty() || t.length() > MappingLimits.MAX_NUMBER_CHARS
                    || !(Character.isDigit(t.charAt(t.length() - 1)))) {
                return null;
            }
            try {
                d = new BigDecimal(t);
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        if (d.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // precision - scale - 1 is the exponent of the leading digit: 1e400 -> 400, 0.001 -> -3.
        long exponent = (long) d.precision() - d.scale() - 1;
        return d.precision() <= MappingLimits.MAX_NUMBER_DIGITS && Math.abs(exponent) <= MappingLimits.MAX_NUMBER_EXPONENT
                ? d : null;
    }

    private static JsonNode bool(JsonNode v) {
        if (v.isBoolean()) {
            return v;
        }
        if (v.isTextual()) {
            String t = v.textValue().trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return BooleanNode.valueOf(t.equals("true"));
            }
        }
        return null;
    }
}
