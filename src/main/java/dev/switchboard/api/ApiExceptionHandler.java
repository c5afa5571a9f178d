package dev.switchboard.api;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure of an HTTP request into an RFC 9457 problem with a stable type. Details say what was
 * wrong and where; they never carry a stack trace, an exception class or SQL.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        if (e.getParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class)) {
            return problem(Problems.of(ProblemType.NOT_FOUND, "'" + e.getValue() + "' is not an id this API issued"));
        }
        return problem(Problems.of(ProblemType.VALIDATION_FAILED, e.getName() + " has the wrong type: '"
                + e.getValue() + "'", e.getName()));
    }

    /**
     * Text the firewall refuses when it is first read (a header or form value with a control character) and form
     * parameters Tomcat cannot decode: bad input, found late. Query strings are checked before anything runs.
     */
    @ExceptionHandler({RequestRejectedException.class, InvalidParameterException.class})
    ResponseEntity<Object> unreadableText(RuntimeException e) {
        return problem(Problems.of(ProblemType.MALFORMED_REQUEST, e instanceof InvalidParameterException
                ? "a parameter is not validly percent-encoded UTF-8"
                : "a header or parameter holds a control character or an unassigned code point"));
    }

    /** Any capability's exception that names its problem; anything else is a failure on our side. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> failed(Exception e) {
        if (e instanceof ApiProblem known) {
            return problem(known, e);
        }
        log.error("Unexpected failure while answering a request", e);
        return problem(Problems.of(ProblemType.INTERNAL_ERROR, "the request failed on our side; the log has the cause"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestBodyTooLargeException tooLarge) {
                return problem(Problems.of(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage()));
            }
            if (t instanceof UnrecognizedPropertyException unknown) {
                String field = path(unknown);
                return problem(Problems.of(ProblemType.VALIDATION_FAILED, "unknown field '" + field + "'", field));
            }
            if (t instanceof StreamReadException parse) {
                return problem(Problems.of(ProblemType.MALFORMED_REQUEST, "the body is not valid JSON: "
                        + parse.getOriginalMessage()));
            }
            if (t instanceof DatabindException mismatch) {
                String field = path(mismatch);
                return problem(Problems.of(ProblemType.VALIDATION_FAILED, (field.isEmpty() ? "the body" : field)
                        + " has the wrong type or shape", field.isEmpty() ? null : field));
            }
        }
        return problem(Problems.of(ProblemType.MALFORMED_REQUEST, "the request body is missing or unreadable"));
    }

    /** A databind failure outside message conversion: merge patches read by the controllers themselves. */
    @ExceptionHandler(JacksonException.class)
    ResponseEntity<Object> json(JacksonException e) {
        return handleHttpMessageNotReadable(new HttpMessageNotReadableException("unreadable", e, null),
                HttpHeaders.EMPTY, ProblemType.MALFORMED_REQUEST.status(), null);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ProblemType type = ProblemType.forStatus(status.value());
        if (status.is5xxServerError()) {
            log.error("Failure while answering a request", e);
        }
        String detail = body instanceof ProblemDetail pd && pd.getDetail() != null && !status.is5xxServerError()
                ? pd.getDetail() : type.title();
        ProblemDetail problem = Problems.of(type, detail);
        problem.setStatus(status.value());
        return ResponseEntity.status(status).headers(headers).body(problem);
    }

    private static ResponseEntity<Object> problem(ApiProblem known, Exception e) {
        ProblemType type = known.problemType();
        ProblemDetail problem = Problems.of(type, known.problemDetail(), known.problemField());
        if (known.retryAfter() == null) {
            return problem(problem);
        }
        log.warn("Answered {}: {}", type.status().value(), e.getMessage());
        return ResponseEntity.status(type.status())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(known.retryAfter().toSeconds())).body(problem);
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** "request.query.q", "arguments[2].name": where in the body the problem is. */
    static String path(DatabindException e) {
        StringBuilder path = new StringBuilder();
        List<JacksonException.Reference> references = e.getPath();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

}
