package dev.switchboard.security;

import dev.switchboard.settings.InvalidSettingException;
import dev.switchboard.settings.SettingsBinding;
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
import java.util.function.Function;

/**
 * How callers prove who they are, made from {@link SecurityProperties} (docs/security.md lists every variable).
 *
 * @param jwtSecret       JWT_SECRET as UTF-8 bytes (HS256), or null
 * @param jwtPublicKey    JWT_PUBLIC_KEY, PEM text or a file holding it (RS256), or null
 * @param jwksUrl         JWT_JWKS_URL (RS256 keys fetched over HTTP), or null
 * @param audience        JWT_AUDIENCE: the {@code aud} a JWT must name
 * @param issuer          JWT_ISSUER: the {@code iss} a JWT must carry
 * @param clockSkew       JWT_CLOCK_SKEW_SECONDS: leeway on {@code exp} and {@code nbf}
 * @param adminUser       ADMIN_USER: the administrator's HTTP Basic user name
 * @param adminPassword   ADMIN_PASSWORD, or null (then the password whose hash the registry keeps, see
 *                        {@link AdminPassword})
 * @param basicAuthFlag   SWITCHBOARD_BASIC_AUTH_ENABLED: false turns HTTP Basic off
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

    /**
     * Reads the settings through {@code env}, which answers a variable's name with its value or null: the
     * command-line tools' way, which starts no Spring context.
     */
    public static SecuritySettings from(Function<String, String> env) {
        return from(SettingsBinding.bind(SecurityProperties.class, env));
    }

    /** Makes keys of the variables as bound. */
    public static SecuritySettings from(SecurityProperties properties) {
        String secret = trimmed(properties.jwtSecret());
        String publicKey = trimmed(properties.jwtPublicKey());
        String jwks = trimmed(properties.jwtJwksUrl());
        if (publicKey != null && jwks != null) {
            throw new InvalidSettingException("JWT_PUBLIC_KEY and JWT_JWKS_URL are both set; set one of them "
                    + "(JWT_SECRET may be set alongside either)");
        }
        String adminUser = orDefault(trimmed(properties.adminUser()), DEFAULT_ADMIN_USER);
        if (adminUser.length() > MAX_SUBJECT_LENGTH || adminUser.contains(":")) {
            throw new InvalidSettingException("ADMIN_USER must be at most " + MAX_SUBJECT_LENGTH
                    + " characters and contain no ':'");
        }
        String password = properties.adminPassword();
        return new SecuritySettings(
                secret == null ? null : hmacSecret(secret, "JWT_SECRET"),
                publicKey == null ? null : rsaPublicKey(publicKey),
                jwks == null ? null : jwksUrl(jwks),
                orDefault(trimmed(properties.jwtAudience()), DEFAULT_AUDIENCE),
                orDefault(trimmed(properties.jwtIssuer()), DEFAULT_ISSUER),
                properties.jwtClockSkew(),
                adminUser,
                password == null || password.isEmpty() ? null : password,
                properties.basicAuthEnabled(),
                properties.loginFailuresPerMinute());
    }

    /** The bytes of an HS256 secret, refused when too short; {@code variable} names it in the message. */
    public static byte[] hmacSecret(String secret, String variable) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new InvalidSettingException(variable + " is too short: " + bytes.length + " bytes, and HS256 "
                    + "needs at least " + MIN_SECRET_BYTES + ". Make one with: openssl rand -base64 32");
        }
        return bytes;
    }

    /** True when bearer JWTs can be verified: a secret, a public key or a JWKS URL is set. */
    public boolean jwtEnabled() {
        return jwtSecret != null || jwtPublicKey != null || jwksUrl != null;
    }

    /** True when the administrator may log in with HTTP Basic: there is always a password, set or generated. */
    public boolean basicAuthEnabled() {
        return basicAuthFlag;
    }

    /** The variables that would configure a login, for the message when none is set. */
    static String howToConfigure() {
        return "leave SWITCHBOARD_BASIC_AUTH_ENABLED on (HTTP Basic for the administrator: ADMIN_PASSWORD, or the "
                + "password generated at the first start) or set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL "
                + "(bearer JWTs); see docs/security.md";
    }

    private static RSAPublicKey rsaPublicKey(String value) {
        String pem = value;
        if (!value.contains("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
            } catch (IOException | InvalidPathException e) {
                throw new InvalidSettingException("JWT_PUBLIC_KEY is neither PEM text nor a readable file: "
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
                throw new InvalidSettingException("JWT_PUBLIC_KEY must be a PEM \"PUBLIC KEY\" or \"CERTIFICATE\"");
            }
            if (key instanceof RSAPublicKey rsa) {
                return rsa;
            }
            throw new InvalidSettingException("JWT_PUBLIC_KEY must be an RSA key (RS256), not " + key.getAlgorithm());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidSettingException("JWT_PUBLIC_KEY is not a valid RSA public key in PEM form");
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
        throw new InvalidSettingException("JWT_JWKS_URL must be an http:// or https:// URL, not '" + value + "'");
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
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
