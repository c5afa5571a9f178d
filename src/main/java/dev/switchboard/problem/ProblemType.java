package dev.switchboard.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every kind of error the HTTP API reports, each with a stable {@code type} URI that clients may switch on.
 * The URIs are identifiers; docs/api.md describes each one.
 */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "The request could not be read"),
    VALIDATION_FAILED("validation-failed", HttpStatus.UNPROCESSABLE_CONTENT, "The request is not valid"),
    UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Credentials are missing or not valid"),
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "The credentials lack a required scope"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "No such resource"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "The method is not allowed here"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "No acceptable representation"),
    NAME_CONFLICT("name-conflict", HttpStatus.CONFLICT, "The name is already taken"),
    CONFLICT("conflict", HttpStatus.CONFLICT, "The change conflicts with the registry's state"),
    READ_ONLY("read-only", HttpStatus.CONFLICT, "The field cannot be changed on this entry"),
    STALE_VERSION("stale-version", HttpStatus.PRECONDITION_FAILED, "The entry was changed by someone else"),
    PUBLIC_URL_UNKNOWN("public-url-unknown", HttpStatus.MISDIRECTED_REQUEST,
            "The gateway does not know its public URL for this request"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "The request body must be JSON"),
    PRECONDITION_REQUIRED("precondition-required", HttpStatus.PRECONDITION_REQUIRED,
            "Updates need the entry's version"),
    TOO_MANY_REQUESTS("too-many-requests", HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins"),
    DATABASE_UNAVAILABLE("database-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "The registry database is unavailable"),
    SIGNING_KEYS_UNAVAILABLE("signing-keys-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "The keys that sign JWTs cannot be fetched"),
    UPSTREAM_UNREACHABLE("upstream-unreachable", HttpStatus.BAD_GATEWAY,
            "The upstream MCP server could not be reached"),
    UPSTREAM_ERROR("upstream-error", HttpStatus.BAD_GATEWAY,
            "The upstream MCP server answered with an error"),
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side");

    /** The base of every problem type URI. */
    public static final String BASE = "https://switchboard.dev/problems/";

    private final String slug;
    private final HttpStatus status;
    private final String title;

    ProblemType(String slug, HttpStatus status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /**
     * The type for an answer of {@code status} that no capability named: the one type of that status where there is
     * one, else malformed-request for a 4xx and internal-error for a 5xx (a caller keeps the status itself).
     */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> VALIDATION_FAILED;
            case 428 -> PRECONDITION_REQUIRED;
            default -> status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
        };
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public String slug() {
        return slug;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
