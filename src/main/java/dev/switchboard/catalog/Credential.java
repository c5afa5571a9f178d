package dev.switchboard.catalog;

/**
 * How Switchboard authenticates to an upstream or a REST endpoint, with the secret in clear. It exists only in
 * memory: the registry stores it sealed by {@link Credentials}, and the API never shows {@code secret}.
 *
 * @param username   for basic auth
 * @param secret     the password, bearer token or header value
 * @param headerName for custom-header auth
 */
public record Credential(AuthType type, String username, String secret, String headerName) {

    public static final Credential NONE = new Credential(AuthType.NONE, null, null, null);

    @Override
    public String toString() {
        return "Credential[type=" + type + ", username=" + username + ", headerName=" + headerName + "]";
    }
}
