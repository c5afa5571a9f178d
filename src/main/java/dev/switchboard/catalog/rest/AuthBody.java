package dev.switchboard.catalog.rest;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.Codes;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.InvalidEntryException;
import java.util.regex.Pattern;

/**
 * How to authenticate to an upstream or a REST endpoint, as a request sends it. Secrets are write-only: a
 * secret left out keeps the one already stored, if the type is unchanged.
 *
 * @param type        none, basic, bearer or header
 * @param username    basic
 * @param password    basic; write-only
 * @param token       bearer; write-only
 * @param headerName  header
 * @param headerValue header; write-only
 */
public record AuthBody(String type, String username, String password, String token, String headerName,
                       String headerValue) {

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final int MAX_SECRET = 8192;

    /** The body that shows {@code credential} without its secret, for merge patches. */
    static AuthBody withoutSecret(AuthType type, Credential credential) {
        if (type == null || type == AuthType.NONE) {
            return null;
        }
        return new AuthBody(Codes.of(type), credential.username(), null, null,
                credential.headerName(), null);
    }

    /** The credential this body describes, keeping {@code current}'s secret where this one leaves it out. */
    static Credential toCredential(String field, AuthBody body, Credential current) {
        if (body == null || body.type == null || body.type.equals("none")) {
            if (body != null && (body.username != null || body.password != null || body.token != null
                    || body.headerName != null || body.headerValue != null)) {
                throw new InvalidEntryException(field + ".type", field + ".type is needed with credentials");
            }
            return Credential.NONE;
        }
        AuthType type = switch (body.type) {
            case "basic" -> AuthType.BASIC;
            case "bearer" -> AuthType.BEARER;
            case "header" -> AuthType.HEADER;
            default -> throw new InvalidEntryException(field + ".type", field
                    + ".type must be none, basic, bearer or header, not '" + body.type + "'");
        };
        String kept = current != null && current.type() == type ? current.secret() : null;
        return switch (type) {
            case BASIC -> {
                only(field, body.token, "token", "basic");
                only(field, body.headerName, "headerName", "basic");
                only(field, body.headerValue, "headerValue", "basic");
                String username = body.username;
                if (username == null || username.isEmpty() || username.length() > 256 || username.contains(":")) {
                    throw new InvalidEntryException(field + ".username", field
                            + ".username is required: 1 to 256 characters without ':'");
                }
                yield new Credential(type, username, secret(field + ".password", body.password, kept), null);
            }
            case BEARER -> {
                only(field, body.username, "username", "bearer");
                only(field, body.password, "password", "bearer");
                only(field, body.headerName, "headerName", "bearer");
                only(field, body.headerValue, "headerValue", "bearer");
                yield new Credential(type, null, secret(field + ".token", body.token, kept), null);
            }
            case HEADER -> {
                only(field, body.username, "username", "header");
                only(field, body.password, "password", "header");
                only(field, body.token, "token", "header");
                if (body.headerName == null || !HEADER_NAME.matcher(body.headerName).matches()) {
                    throw new InvalidEntryException(field + ".headerName", field
                            + ".headerName is required and must be a valid HTTP header name");
                }
                String keptValue = current != null && current.type() == type
                        && body.headerName.equalsIgnoreCase(current.headerName()) ? kept : null;
                yield new Credential(type, null, secret(field + ".headerValue", body.headerValue, keptValue),
                        body.headerName);
            }
            case NONE -> Credential.NONE;
        };
    }

    private static void only(String field, String value, String name, String type) {
        if (value != null) {
            throw new InvalidEntryException(field + "." + name, field + "." + name + " does not apply to " + type
                    + " auth");
        }
    }

    private static String secret(String field, String value, String kept) {
        if (value == null) {
            if (kept == null) {
                throw new InvalidEntryException(field, field + " is required");
            }
            return kept;
        }
        if (value.isEmpty() || value.length() > MAX_SECRET) {
            throw new InvalidEntryException(field, field + " must be 1 to " + MAX_SECRET + " characters");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new InvalidEntryException(field, field + " may not contain line breaks");
        }
        return value;
    }
}
