package dev.switchboard.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The operator's web console at /admin: server-rendered pages (Thymeleaf) that sign in through the built-in
 * authorization server's login page and keep its session and CSRF protection, load nothing from anywhere but the
 * gateway, and call the same services as the REST API. Its pages and what they allow are in docs/console.md.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

    @Bean
    FilterRegistrationBean<ConsoleHeaders> consoleHeaders() {
        FilterRegistrationBean<ConsoleHeaders> registration = new FilterRegistrationBean<>(new ConsoleHeaders());
        registration.addUrlPatterns(ConsolePaths.ROOT, ConsolePaths.ROOT + "/*");
        // Ahead of the security filters, so the sign-in redirect and a refusal carry the headers too.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
