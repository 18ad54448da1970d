package io.ingesthub.mapping;

/** The bounds that keep mapping one record cheap whatever it holds; a value beyond one is a field error. */
final class MappingLimits {

    /** A number given as text longer than this is not read at all. */
    static final int MAX_NUMBER_CHARS = 64;
    /** Significant digits of a number (enough for any 128-bit integer). */
    static final int MAX_NUMBER_DIGITS = 40;
    /** Largest decimal exponent of a number's magnitude either way, double's range ({@code 1e308}). */
    static final int MAX_NUMBER_EXPONENT = 308;
    /** Elements of one field's list: {@code string[]}, {@code each}, and the parts of {@code split} or {@code pattern}. */
    static final int MAX_ARRAY_ELEMENTS = 1000;
    /** Nesting of one field's object or list value ({@code type: object}, {@code parse: json}, {@code custom}). */
    static final int MAX_VALUE_DEPTH = 32;
    /** Characters a pattern may read per character of its input, plus {@link #PATTERN_BASE_STEPS}. */
    static final int PATTERN_STEPS_PER_CHAR = 32;
    static final int PATTERN_BASE_STEPS = 10_000;

    private MappingLimits() {}
}
