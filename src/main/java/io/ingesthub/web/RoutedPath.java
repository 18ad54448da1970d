package io.ingesthub.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UrlPathHelper;

/**
 * The path of a request as the router matches it ({@code ;params} removed, {@code %xx} decoded, {@code //} and a
 * trailing slash folded), so that every check keyed on a path covers each spelling that reaches the same route.
 */
public final class RoutedPath {

    private static final UrlPathHelper PATHS = new UrlPathHelper();

    static {
        PATHS.setUrlDecode(true);
        PATHS.setRemoveSemicolonContent(true);
    }

    private RoutedPath() {}

    public static String of(HttpServletRequest request) {
        String path;
        try {
            path = PATHS.getPathWithinApplication(request);
        } catch (RuntimeException undecodable) {
            path = request.getRequestURI();
        }
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }
}
