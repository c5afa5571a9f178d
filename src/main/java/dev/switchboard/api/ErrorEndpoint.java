package dev.switchboard.api;

import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders what the servlet container sends to its error page (a status set by {@code sendError}, an exception
 * that escaped every handler, a method Tomcat refuses such as TRACE) as problem+json, in place of Spring Boot's
 * JSON or HTML. The path is no route of its own: asked for directly, it is not found.
 */
@Hidden
@RestController
class ErrorEndpoint implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (request.getDispatcherType() != DispatcherType.ERROR || !(code instanceof Integer status)) {
            Problems.write(response, Problems.of(ProblemType.NOT_FOUND, "No such path"));
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        // Only our own wording goes out: the container's message may quote the request, a thrown one the code.
        ProblemDetail problem = Problems.of(type, status >= 500 ? type.title()
                : type == ProblemType.METHOD_NOT_ALLOWED
                        ? "This path does not take that method; Allow lists the ones it does" : type.title());
        problem.setStatus(status);
        Problems.write(response, problem);
    }
}
