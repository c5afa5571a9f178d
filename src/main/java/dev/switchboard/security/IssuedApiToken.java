package dev.switchboard.security;

/** A token just issued, with its secret: the only moment the secret exists outside the caller's hands. */
public record IssuedApiToken(ApiToken token, String secret) {

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "IssuedApiToken[token=" + token + ", secret=****]";
    }
}
