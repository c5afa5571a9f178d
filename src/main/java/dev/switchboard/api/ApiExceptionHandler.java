package dev.switchboard.api;

import dev.switchboard.catalog.CatalogEntryNotFoundException;
import dev.switchboard.catalog.InvalidCursorException;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.ReadOnlyFieldException;
import dev.switchboard.persistence.DataAccessFailure;
import dev.switchboard.persistence.DatabaseBusyException;
import dev.switchboard.persistence.DatabaseUnavailableException;
import dev.switchboard.persistence.ForeignKeyViolationException;
import dev.switchboard.persistence.StaleVersionException;
import dev.switchboard.persistence.UniqueViolationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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

    @ExceptionHandler(InvalidEntryException.class)
    ResponseEntity<Object> invalid(InvalidEntryException e) {
        return problem(Problems.of(ProblemType.VALIDATION_FAILED, e.getMessage(), e.field()));
    }

    @ExceptionHandler(InvalidCursorException.class)
    ResponseEntity<Object> cursor(InvalidCursorException e) {
        return problem(Problems.of(ProblemType.VALIDATION_FAILED, e.getMessage(), "cursor"));
    }

    @ExceptionHandler(CatalogEntryNotFoundException.class)
    ResponseEntity<Object> notFound(CatalogEntryNotFoundException e) {
        return problem(Problems.of(ProblemType.NOT_FOUND, e.getMessage()));
    }

    @ExceptionHandler(NameTakenException.class)
    ResponseEntity<Object> nameTaken(NameTakenException e) {
        return problem(Problems.of(ProblemType.NAME_CONFLICT, e.getMessage(), e.field()));
    }

    @ExceptionHandler(UniqueViolationException.class)
    ResponseEntity<Object> unique(UniqueViolationException e) {
        return problem(Problems.of(ProblemType.CONFLICT, "the change would duplicate a value that must be unique"));
    }

    @ExceptionHandler(ForeignKeyViolationException.class)
    ResponseEntity<Object> foreignKey(ForeignKeyViolationException e) {
        return problem(Problems.of(ProblemType.CONFLICT, "the change refers to an entry that does not exist (any more)"));
    }

    @ExceptionHandler(ReadOnlyFieldException.class)
    ResponseEntity<Object> readOnly(ReadOnlyFieldException e) {
        return problem(Problems.of(ProblemType.READ_ONLY, e.getMessage(), e.field()));
    }

    @ExceptionHandler(StaleVersionException.class)
    ResponseEntity<Object> stale(StaleVersionException e) {
        return problem(Problems.of(ProblemType.STALE_VERSION, e.getMessage()
                + "; read it again and apply your change to the new version"));
    }

    @ExceptionHandler(PreconditionRequiredException.class)
    ResponseEntity<Object> preconditionRequired(PreconditionRequiredException e) {
        return problem(Problems.of(ProblemType.PRECONDITION_REQUIRED, e.getMessage()));
    }

    @ExceptionHandler({DatabaseUnavailableException.class, DatabaseBusyException.class})
    ResponseEntity<Object> unavailable(DataAccessFailure e) {
        log.warn("Answered 503: {}", e.getMessage());
        return ResponseEntity.status(ProblemType.DATABASE_UNAVAILABLE.status()).header(HttpHeaders.RETRY_AFTER, "2")
                .body(Problems.of(ProblemType.DATABASE_UNAVAILABLE, "the registry database is unavailable or busy;"
                        + " try again shortly"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        if (e.getParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class)) {
            return problem(Problems.of(ProblemType.NOT_FOUND, "'" + e.getValue() + "' is not an id this API issued"));
        }
        return problem(Problems.of(ProblemType.VALIDATION_FAILED, e.getName() + " has the wrong type: '"
                + e.getValue() + "'", e.getName()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
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
        ProblemType type = switch (status.value()) {
            case 400 -> ProblemType.MALFORMED_REQUEST;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 422 -> ProblemType.VALIDATION_FAILED;
            default -> status.is5xxServerError() ? ProblemType.INTERNAL_ERROR : ProblemType.MALFORMED_REQUEST;
        };
        if (status.is5xxServerError()) {
            log.error("Failure while answering a request", e);
        }
        String detail = body instanceof ProblemDetail pd && pd.getDetail() != null && !status.is5xxServerError()
                ? pd.getDetail() : type.title();
        ProblemDetail problem = Problems.of(type, detail);
        problem.setStatus(status.value());
        return ResponseEntity.status(status).headers(headers).body(problem);
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
