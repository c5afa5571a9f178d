package dev.switchboard.api;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import java.io.IOException;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat refuses some requests before any servlet sees them: an encoded "..", "/", "\" or NUL in the path, a request
 * line it cannot parse. Its host answers those with an HTML page; here the host's error report is problem+json.
 */
@Configuration(proxyBeanMethods = false)
public class ProblemErrorReports {

    /** After Spring Boot's own customizer, which puts a plain ErrorReportValve on the host. */
    @Bean
    HostErrorReport problemErrorReport() {
        return new HostErrorReport();
    }

    /** Ordered last, so that its context customizer runs after Spring Boot's. */
    static final class HostErrorReport implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> replaceOn(context.getParent()));
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    private static void replaceOn(Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReport)) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.getPipeline().addValve(new ProblemReport());
        if (host instanceof StandardHost standard) {
            // Else the host adds Tomcat's own valve when it starts.
            standard.setErrorReportValveClass(ProblemReport.class.getName());
        }
    }

    /** The host's error report: the status Tomcat chose, as a problem with our wording, never its message. */
    public static final class ProblemReport extends ErrorReportValve {

        private static final Logger log = LoggerFactory.getLogger(ProblemReport.class);

        @Override
        protected void report(Request request, Response response, Throwable failure) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            if (status == 501) {
                // Tomcat's answer to CONNECT and to a transfer coding it does not know: the client's mistake, so
                // not a 5xx (RFC 9112 suggests 501 with a SHOULD; bad input never gets a 5xx here).
                status = "CONNECT".equals(request.getMethod()) ? 405 : 400;
                response.setStatus(status);
                if (status == 405) {
                    response.setHeader("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
                }
            }
            ProblemType type = ProblemType.forStatus(status);
            ProblemDetail problem = Problems.of(type, type == ProblemType.MALFORMED_REQUEST
                    ? "The request could not be read: its request line, URL, headers or framing are not valid HTTP, "
                            + "or the path holds an encoded '/', '\\', '..' or control character"
                    : type.title());
            problem.setStatus(status);
            try {
                response.setSuspended(false);
                response.resetBuffer();
                Problems.write(response, problem);
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                log.debug("Could not write the error report for status {}", status, e);
            }
        }
    }
}
