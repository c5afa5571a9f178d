package dev.switchboard.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Function;

/**
 * How callers prove who they are, read from the environment (docs/security.md lists every variable).
 *
 * @param jwtSecret       JWT_SECRET as UTF-8 bytes (HS256), or null
 * @param jwtPublicKey    JWT_PUBLIC_KEY, PEM text or a file holding it (RS256), or null
 * @param jwksUrl         JWT_JWKS_URL (RS256 keys fetched over HTTP), or null
 * @param audience        JWT_AUDIENCE: the {@code aud} a JWT must name
 * @param issuer          JWT_ISSUER: the {@code iss} a JWT must carry
 * @param clockSkew       JWT_CLOCK_SKEW_SECONDS: leeway on {@code exp} and {@code nbf}
 * @param adminUser       ADMIN_USER: the administrator's HTTP Basic user name
 * @param adminPassword   ADMIN_PASSWORD, or null (then HTTP Basic is off)
 * @param basicAuthFlag   SWITCHBOARD_BASIC_AUTH_ENABLED: false turns HTTP Basic off even with a password
 * @param loginFailuresPerMinute SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE: failed logins one client may make
 */
public record SecuritySettings(byte[] jwtSecret, RSAPublicKey jwtPublicKey, URI jwksUrl, String audience,
                               String issuer, Duration clockSkew, String adminUser, String adminPassword,
                               boolean basicAuthFlag, int loginFailuresPerMinute) {

    /** HS256 keys shorter than the hash are guessable offline from one token (RFC 7518, section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    public static final String DEFAULT_AUDIENCE = "switchboard";
    public static final String DEFAULT_ISSUER = "switchboard";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final String DEFAULT_ADMIN_USER = "admin";
    public static final int DEFAULT_LOGIN_FAILURES_PER_MINUTE = 10;
    /** Subjects are stored in a 255-character column. */
    static final int MAX_SUBJECT_LENGTH = 255;

    /** Reads the settings through {@code env}, which answers a variable's name with its value or null. */
    public static SecuritySettings from(Function<String, String> env) {
        String secret = text(env, "JWT_SECRET");
        String publicKey = text(env, "JWT_PUBLIC_KEY");
        String jwks = text(env, "JWT_JWKS_URL");
        if (publicKey != null && jwks != null) {
            throw new SecuritySettingsException("JWT_PUBLIC_KEY and JWT_JWKS_URL are both set; set one of them "
                    + "(JWT_SECRET may be set alongside either)");
        }
        String adminUser = orDefault(text(env, "ADMIN_USER"), DEFAULT_ADMIN_USER);
        if (adminUser.length() > MAX_SUBJECT_LENGTH || adminUser.contains(":")) {
            throw new SecuritySettingsException("ADMIN_USER must be at most " + MAX_SUBJECT_LENGTH
                    + " characters and contain no ':'");
        }
        int failures = positive(env, "SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE", DEFAULT_LOGIN_FAILURES_PER_MINUTE);
        int skew = nonNegative(env, "JWT_CLOCK_SKEW_SECONDS", (int) DEFAULT_CLOCK_SKEW.toSeconds());
        return new SecuritySettings(
                secret == null ? null : hmacSecret(secret, "JWT_SECRET"),
                publicKey == null ? null : rsaPublicKey(publicKey),
                jwks == null ? null : jwksUrl(jwks),
                orDefault(text(env, "JWT_AUDIENCE"), DEFAULT_AUDIENCE),
                orDefault(text(env, "JWT_ISSUER"), DEFAULT_ISSUER),
                Duration.ofSeconds(skew),
                adminUser,
                raw(env, "ADMIN_PASSWORD"),
                flag(env, "SWITCHBOARD_BASIC_AUTH_ENABLED", true),
                failures);
    }

    /** The bytes of an HS256 secret, refused when too short; {@code variable} names it in the message. */
    public static byte[] hmacSecret(String secret, String variable) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new SecuritySettingsException(variable + " is too short: " + bytes.length + " bytes, and HS256 "
                    + "needs at least " + MIN_SECRET_BYTES + ". Make one with: openssl rand -base64 32");
        }
        return bytes;
    }

    /** True when bearer JWTs can be verified: a secret, a public key or a JWKS URL is set. */
    public boolean jwtEnabled() {
        return jwtSecret != null || jwtPublicKey != null || jwksUrl != null;
    }

    /** True when the administrator may log in with HTTP Basic. */
    public boolean basicAuthEnabled() {
        return basicAuthFlag && adminPassword != null;
    }

    /** The variables that would configure a login, for the message when none is set. */
    static String howToConfigure() {
        return "set ADMIN_PASSWORD (HTTP Basic for the administrator) or JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL "
                + "(bearer JWTs); see docs/security.md";
    }

    private static RSAPublicKey rsaPublicKey(String value) {
        String pem = value;
        if (!value.contains("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
            } catch (IOException | InvalidPathException e) {
                throw new SecuritySettingsException("JWT_PUBLIC_KEY is neither PEM text nor a readable file: "
                        + e.getClass().getSimpleName() + " on " + value);
            }
        }
        // Environment variables often carry a PEM with its newlines written as \n.
        pem = pem.replace("\\n", "\n");
        try {
            PublicKey key;
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                key = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
            } else if (pem.contains("-----BEGIN PUBLIC KEY-----")) {
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pemBody(pem, "PUBLIC KEY")));
            } else {
                throw new SecuritySettingsException("JWT_PUBLIC_KEY must be a PEM \"PUBLIC KEY\" or \"CERTIFICATE\"");
            }
            if (key instanceof RSAPublicKey rsa) {
                return rsa;
            }
            throw new SecuritySettingsException("JWT_PUBLIC_KEY must be an RSA key (RS256), not " + key.getAlgorithm());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecuritySettingsException("JWT_PUBLIC_KEY is not a valid RSA public key in PEM form");
        }
    }

    private static byte[] pemBody(String pem, String label) {
        int start = pem.indexOf("-----BEGIN " + label + "-----") + ("-----BEGIN " + label + "-----").length();
        int end = pem.indexOf("-----END " + label + "-----", start);
        if (end < 0) {
            throw new IllegalArgumentException("no END line");
        }
        return Base64.getMimeDecoder().decode(pem.substring(start, end));
    }

    private static URI jwksUrl(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() != null && ("https".equalsIgnoreCase(uri.getScheme())
                    || "http".equalsIgnoreCase(uri.getScheme()))) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new SecuritySettingsException("JWT_JWKS_URL must be an http:// or https:// URL, not '" + value + "'");
    }

    private static String raw(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String text(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static int positive(Function<String, String> env, String name, int fallback) {
        int value = integer(env, name, fallback);
        if (value < 1) {
            throw new SecuritySettingsException(name + " must be at least 1, not " + value);
        }
        return value;
    }

    private static int nonNegative(Function<String, String> env, String name, int fallback) {
        int value = integer(env, name, fallback);
        if (value < 0) {
            throw new SecuritySettingsException(name + " must be 0 or more, not " + value);
        }
        return value;
    }

    private static int integer(Function<String, String> env, String name, int fallback) {
        String value = text(env, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new SecuritySettingsException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static boolean flag(Function<String, String> env, String name, boolean fallback) {
        String value = text(env, name);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new SecuritySettingsException(name + " must be true or false, not '" + value + "'");
        };
    }

    /** Never prints a secret or a password. */
    @Override
    public String toString() {
        return "SecuritySettings[jwtSecret=" + (jwtSecret == null ? "unset" : "****") + ", jwtPublicKey="
                + (jwtPublicKey == null ? "unset" : "set") + ", jwksUrl=" + jwksUrl + ", audience=" + audience
                + ", issuer=" + issuer + ", clockSkew=" + clockSkew + ", adminUser=" + adminUser
                + ", adminPassword=" + (adminPassword == null ? "unset" : "****") + ", basicAuthFlag=" + basicAuthFlag
                + ", loginFailuresPerMinute=" + loginFailuresPerMinute + "]";
    }
}
