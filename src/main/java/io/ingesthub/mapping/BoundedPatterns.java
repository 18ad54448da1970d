package io.ingesthub.mapping;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps {@code pattern} rules linear: {@link #problem} refuses at load the shapes that backtrack (lazy quantifiers,
 * backreferences, a repeated group holding a quantifier unless the repetition is possessive or the group atomic),
 * and {@link #matcher} gives every match a budget of character reads proportional to its input.
 */
final class BoundedPatterns {

    /** Thrown from inside a match that has read more characters than its budget. */
    static final class Exhausted extends RuntimeException {
        private Exhausted() {
            super("pattern budget exhausted", null, false, false);
        }
    }

    private static final Exhausted EXHAUSTED = new Exhausted();

    private BoundedPatterns() {}

    /** A matcher over {@code text} that throws {@link Exhausted} once it has read more than its budget. */
    static Matcher matcher(Pattern pattern, String text) {
        long budget = (long) text.length() * MappingLimits.PATTERN_STEPS_PER_CHAR + MappingLimits.PATTERN_BASE_STEPS;
        return pattern.matcher(new Budgeted(text, budget));
    }

    /** What makes {@code regex} (already compiled) unbounded, or null when nothing does. */
    static String problem(String regex) {
        Deque<boolean[]> open = new ArrayDeque<>(); // per open group: {holds a quantifier, atomic}
        boolean[] root = {false, false};
        open.push(root);
        boolean[] closed = null; // the group just closed, when the next token may quantify it
        int n = regex.length();
        int i = 0;
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '\\') {
                char d = i + 1 < n ? regex.charAt(i + 1) : 0;
                if ((d >= '1' && d <= '9') || d == 'k') {
                    return "a backreference cannot be matched in linear time";
                }
                if (d == 'Q') {
                    int end = regex.indexOf("\\E", i + 2);
                    i = end < 0 ? n : end + 2;
                } else if ((d == 'p' || d == 'P' || d == 'x' || d == 'N') && i + 2 < n && regex.charAt(i + 2) == '{') {
                    i = regex.indexOf('}', i) + 1;
                } else {
                    i += 2;
                }
                closed = null;
            } else if (c == '[') {
                i = endOfClass(regex, i);
                closed = null;
            } else if (c == '(') {
                int flags = inlineFlagsEnd(regex, i);
                if (flags > 0) {
                    i = flags;
                } else {
                    open.push(new boolean[] {false, regex.startsWith("(?>", i)});
                    i++;
                }
                closed = null;
            } else if (c == ')') {
                closed = open.size() > 1 ? open.pop() : root;
                open.peek()[0] |= closed[0];
                i++;
            } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                int start = i;
                int end = c == '{' ? regex.indexOf('}', i) : i;
                if (end < 0) {
                    return null;
                }
                String braces = c == '{' ? regex.substring(i + 1, end) : null;
                boolean unbounded = c == '*' || c == '+' || (braces != null && braces.endsWith(","));
                boolean repeats = unbounded || (braces != null && maxOf(braces) > 1);
                i = end + 1;
                char next = i < n ? regex.charAt(i) : 0;
                if (next == '?') {
                    return "a lazy quantifier ('" + regex.substring(start, i + 1)
                            + "') rescans the rest of the input at every step; use a greedy or possessive one";
                }
                boolean possessive = next == '+';
                if (possessive) {
                    i++;
                }
                if (closed != null && repeats && closed[0] && !possessive && !closed[1]) {
                    return "a repeated group that holds a quantifier backtracks; make the repetition possessive"
                            + " ('*+', '++', '{n,m}+') or the group atomic ('(?>…)')";
                }
                if (unbounded) {
                    open.peek()[0] = true;
                }
                closed = null;
            } else {
                i++;
                closed = null;
            }
        }
        return null;
    }

    private static int maxOf(String braces) {
        String max = braces.contains(",") ? braces.substring(braces.indexOf(',') + 1) : braces;
        try {
            return Integer.parseInt(max.trim());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Where a {@code (?flags)} group without content, starting at {@code at}, ends; 0 when there is none. */
    private static int inlineFlagsEnd(String regex, int at) {
        if (!regex.startsWith("(?", at)) {
            return 0;
        }
        int i = at + 2;
        while (i < regex.length() && (Character.isLetter(regex.charAt(i)) || regex.charAt(i) == '-')) {
            i++;
        }
        return i > at + 2 && i < regex.length() && regex.charAt(i) == ')' ? i + 1 : 0;
    }

    /** The index after the character class starting at {@code at}, nested classes included. */
    private static int endOfClass(String regex, int at) {
        int depth = 0;
        int i = at;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                depth++;
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    i++; // a ']' first in a class is a literal
                }
            } else if (c == ']' && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return regex.length();
    }

    /** The text a matcher reads, counting every character read against a budget. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private long budget;

        Budgeted(String text, long budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw EXHAUSTED;
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
