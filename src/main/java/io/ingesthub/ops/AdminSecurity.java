package io.ingesthub.ops;

import io.ingesthub.HubStartupException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security for the operator paths only ({@code /actuator/**}, {@code /admin/**}, {@code /dsexecution} and the
 * login form): open in the local default, behind the {@code hub.admin} login when {@code hub.admin.login-required} is on. The webhook and token
 * endpoints match no chain here, so neither a login nor a CSRF token is ever asked of them; the hub's own
 * authentication governs them.
 */
@Configuration(proxyBeanMethods = false)
public class AdminSecurity {

    /**
     * The paths Spring Security looks at; every other request passes through untouched. Matched on the whole path,
     * not through Spring MVC, because Jolokia is a servlet of its own.
     */
    static final RequestMatcher OPERATOR_PATHS = anyOf("/actuator/**", "/admin/**", "/dsexecution", "/login", "/logout");

    /** Always public, so orchestrators can probe a replica without credentials. */
    static final RequestMatcher PROBE_PATHS = anyOf("/actuator/health", "/actuator/health/**", "/actuator/info");

    private static final String REALM = "ingest-hub admin";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** The Jolokia GETs that only read: a GET of any other command (exec, write, a {@code p} path) needs CSRF. */
    private static final Pattern JOLOKIA_READ = Pattern.compile("/actuator/jolokia(/(read|list|search|version)(/.*)?|/?)");

    /**
     * Failed operator sign-ins per username and address before the pair gets 429, and the window they count in
     * ({@code hub.admin.login-throttle.max-failures} and {@code .window}).
     */
    static final int LOGIN_MAX_FAILURES = 5;
    static final Duration LOGIN_WINDOW = Duration.ofMinutes(1);

    /**
     * Registers Spring Security's servlet filter on the operator paths only: webhook and token requests never enter
     * it, which keeps its firewall and matchers off the hot path too. The chains below still match on their own.
     */
    @Bean
    static BeanPostProcessor securityFilterOnOperatorPathsOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration) {
                    registration.setUrlPatterns(List.of("/actuator/*", "/admin/*", "/dsexecution", "/login", "/logout"));
                }
                return bean;
            }
        };
    }

    @Bean
    @ConditionalOnProperty(name = "hub.admin.login-required", havingValue = "false", matchIfMissing = true)
    SecurityFilterChain openOperatorPaths(HttpSecurity http) throws Exception {
        return http.securityMatcher(OPERATOR_PATHS)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /**
     * Operator paths behind a login: HTTP Basic for tools (curl, Prometheus, the preview endpoint), a form login with
     * a session for the Hawtio console in a browser, both throttled per username and address. The session's CSRF
     * token lives in the {@code XSRF-TOKEN} cookie that Hawtio echoes. It is asked of every request that changes
     * something — unsafe methods and Jolokia GETs other than reads — except a script's: Basic credentials with no
     * cookie and no {@code Origin} or {@code Sec-Fetch-Site} header, which a browser always sends cross-site.
     */
    @Bean
    @ConditionalOnProperty(name = "hub.admin.login-required", havingValue = "true")
    SecurityFilterChain guardedOperatorPaths(HttpSecurity http, AdminProperties admin, OperatorLoginThrottle throttle)
            throws Exception {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        basic.afterPropertiesSet();
        RequestMatcher changes = request -> !SAFE_METHODS.contains(request.getMethod()) || jolokiaBeyondRead(request);
        RequestMatcher needsCsrf = request -> changes.matches(request) && !scriptWithBasic(request);
        return http.securityMatcher(OPERATOR_PATHS)
                .authorizeHttpRequests(a -> {
                    a.requestMatchers(PROBE_PATHS).permitAll();
                    if (admin.publicPrometheus()) {
                        a.requestMatchers(anyOf("/actuator/prometheus")).permitAll();
                    }
                    a.anyRequest().hasRole("ADMIN");
                })
                .httpBasic(b -> b.realmName(REALM).authenticationEntryPoint(basic))
                .formLogin(f -> f.defaultSuccessUrl("/actuator/hawtio/", false))
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(e -> entryPoints(e, basic))
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(needsCsrf))
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "hub.admin.login-required", havingValue = "true")
    static OperatorLoginThrottle operatorLoginThrottle(Environment environment) {
        return new OperatorLoginThrottle(
                environment.getProperty("hub.admin.login-throttle.max-failures", Integer.class, LOGIN_MAX_FAILURES),
                environment.getProperty("hub.admin.login-throttle.window", Duration.class, LOGIN_WINDOW));
    }

    /**
     * The operator password's encoder: {@code {bcrypt}} as Spring Security does it, and a {@code {noop}} password
     * compared in constant time (Spring's own {@code {noop}} uses {@code equals}).
     */
    @Bean
    @ConditionalOnProperty(name = "hub.admin.login-required", havingValue = "true")
    static PasswordEncoder operatorPasswords() {
        return new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BCryptPasswordEncoder(), "noop", new ConstantTimePlainText()));
    }

    /** A plain-text password compared by the SHA-256 of both sides in constant time, so neither length nor prefix shows. */
    static final class ConstantTimePlainText implements PasswordEncoder {

        @Override
        public String encode(CharSequence raw) {
            return raw.toString();
        }

        @Override
        public boolean matches(CharSequence raw, String stored) {
            return raw != null && stored != null && MessageDigest.isEqual(sha256(raw.toString()), sha256(stored));
        }

        private static byte[] sha256(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A Jolokia GET that does more than read: {@code exec}, {@code write} or a command given by the {@code p} parameter. */
    static boolean jolokiaBeyondRead(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path == null || !path.startsWith("/actuator/jolokia")) {
            return false;
        }
        return !JOLOKIA_READ.matcher(path).matches() || request.getParameter("p") != null;
    }

    /**
     * A request no browser sends on its own: Basic credentials, no cookie, and neither {@code Origin} nor
     * {@code Sec-Fetch-Site} (browsers send them on every cross-site request, with cached Basic credentials too).
     */
    static boolean scriptWithBasic(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                && request.getHeader("Cookie") == null && request.getHeader("Origin") == null
                && request.getHeader("Sec-Fetch-Site") == null;
    }

    @Bean
    @ConditionalOnProperty(name = "hub.admin.login-required", havingValue = "true")
    UserDetailsService operatorLogin(AdminProperties admin) {
        if (isBlank(admin.username()) || isBlank(admin.password())
                || admin.password().toLowerCase(Locale.ROOT).contains("change-me")) {
            throw new HubStartupException(
                    "The operator login is required (hub.admin.login-required=true, set by the prod profile)"
                            + " but hub.admin.username or hub.admin.password is not set, or the password is the"
                            + " placeholder of .env.example.",
                    "Set HUB_ADMIN_USERNAME and HUB_ADMIN_PASSWORD (plain, or encoded like {bcrypt}$2y$10$...).");
        }
        // Spring Security's delegating encoder reads the {id} prefix; a plain password from the environment is {noop}.
        String password = admin.password().startsWith("{") ? admin.password() : "{noop}" + admin.password();
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(password)
                .roles("ADMIN")
                .build());
    }

    /**
     * A browser asking for a page goes to the login form; a script gets 401, with a Basic challenge unless it is an
     * XHR (so an expired console session does not pop up the browser's own password dialog). Registered as defaults so
     * that the form login still serves its generated login page.
     */
    private static void entryPoints(ExceptionHandlingConfigurer<HttpSecurity> e, BasicAuthenticationEntryPoint basic) {
        MediaTypeRequestMatcher browser = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        browser.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        e.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                        new RequestHeaderRequestMatcher("X-Requested-With", "XMLHttpRequest"))
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browser)
                .defaultAuthenticationEntryPointFor(basic, AnyRequestMatcher.INSTANCE);
    }

    private static RequestMatcher anyOf(String... patterns) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(Arrays.stream(patterns).map(p -> (RequestMatcher) paths.matcher(p)).toList());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
