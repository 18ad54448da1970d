package io.ingesthub.ops;

import io.ingesthub.HubStartupException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
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
     * a session for the Hawtio console in a browser. The session's CSRF token lives in the {@code XSRF-TOKEN} cookie
     * that Hawtio echoes; requests that carry their own {@code Authorization} header cannot be forged and skip it.
     */
    @Bean
    @ConditionalOnProperty(name = "hub.admin.login-required", havingValue = "true")
    SecurityFilterChain guardedOperatorPaths(HttpSecurity http, AdminProperties admin) throws Exception {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName(REALM);
        basic.afterPropertiesSet();
        RequestMatcher noAuthorizationHeader = new NegatedRequestMatcher(new RequestHeaderRequestMatcher("Authorization"));
        RequestMatcher unsafeMethod = request -> !SAFE_METHODS.contains(request.getMethod());
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
                        .requireCsrfProtectionMatcher(new AndRequestMatcher(unsafeMethod, noAuthorizationHeader)))
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "hub.admin.login-required", havingValue = "true")
    UserDetailsService operatorLogin(AdminProperties admin) {
        if (isBlank(admin.username()) || isBlank(admin.password())) {
            throw new HubStartupException(
                    "The operator login is required (hub.admin.login-required=true, set by the prod profile)"
                            + " but hub.admin.username or hub.admin.password is not set.",
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
