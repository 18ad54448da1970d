package io.ingesthub.mapping;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The {@code html-to-text} transform: the readable text of an HTML fragment, one line per block, with entities
 * decoded and scripts, styles, embedded frames and markup dropped.
 */
final class HtmlText {

    private static final Set<String> SKIPPED = Set.of("script", "style", "noscript", "iframe", "object", "embed",
            "template", "svg", "math", "head", "title");
    private static final Set<String> BLOCKS = Set.of("p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2",
            "h3", "h4", "h5", "h6", "pre", "blockquote", "section", "article", "header", "footer", "hr", "dd", "dt",
            "dl", "form", "fieldset", "figure", "figcaption", "address", "nav", "aside", "main", "body");

    private static final Set<String> CELLS = Set.of("td", "th");

    private HtmlText() {}

    static String of(String html) {
        StringBuilder out = new StringBuilder(html.length());
        NodeTraversor.traverse(new NodeVisitor() {
            private int skipping;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e) {
                    if (SKIPPED.contains(e.normalName())) {
                        skipping++;
                    } else if (skipping == 0 && BLOCKS.contains(e.normalName())) {
                        newline(out);
                    } else if (skipping == 0 && CELLS.contains(e.normalName())) {
                        appendCollapsed(out, " ");
                    }
                } else if (skipping == 0 && node instanceof TextNode t) {
                    appendCollapsed(out, t.getWholeText());
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    if (SKIPPED.contains(e.normalName())) {
                        skipping--;
                    } else if (skipping == 0 && BLOCKS.contains(e.normalName())) {
                        newline(out);
                    }
                }
            }
        }, Jsoup.parseBodyFragment(html).body());
        return tidy(out);
    }

    private static void appendCollapsed(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                int last = out.length() - 1;
                if (last >= 0 && out.charAt(last) != ' ' && out.charAt(last) != '\n') {
                    out.append(' ');
                }
            } else {
                out.append(c);
            }
        }
    }

    private static void newline(StringBuilder out) {
        int last = out.length() - 1;
        while (last >= 0 && out.charAt(last) == ' ') {
            out.setLength(last--);
        }
        if (last >= 0 && out.charAt(last) != '\n') {
            out.append('\n');
        }
    }

    private static String tidy(StringBuilder out) {
        String[] lines = out.toString().split("\n");
        StringBuilder sb = new StringBuilder(out.length());
        for (String line : lines) {
            String l = line.strip();
            if (!l.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(l);
            }
        }
        return sb.toString();
    }
}
