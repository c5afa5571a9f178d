package dev.switchboard.federation;

import dev.switchboard.catalog.Credential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The HTTP header that carries an upstream's credential, sent with every request to it. */
final class UpstreamAuth {

    private UpstreamAuth() {
    }

    /** The header name and value for {@code credential}; empty for none. Never logged: it holds the secret. */
    static Map<String, String> headers(Credential credential) {
        if (credential == null || credential.secret() == null) {
            return Map.of();
        }
        return switch (credential.type()) {
            case NONE -> Map.of();
            case BEARER -> Map.of("Authorization", "Bearer " + credential.secret());
            case BASIC -> Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ((credential.username() == null ? "" : credential.username()) + ":" + credential.secret())
                            .getBytes(StandardCharsets.UTF_8)));
            case HEADER -> credential.headerName() == null ? Map.of()
                    : Map.of(credential.headerName(), credential.secret());
        };
    }
}
