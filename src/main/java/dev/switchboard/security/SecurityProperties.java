package dev.switchboard.security;

import dev.switchboard.settings.InvalidSettingException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * The security variables as operators set them (JWT_*, ADMIN_*, SWITCHBOARD_* for logins and stored secrets; blank
 * values count as unset); {@link SecuritySettings} and {@link SecretKeySettings} make keys of them.
 *
 * @param jwtSecret              HS256 secret for bearer JWTs, at least 32 bytes.
 * @param jwtPublicKey           RS256 public key for bearer JWTs: PEM text, or a file holding it.
 * @param jwtJwksUrl             RS256 keys fetched over HTTP from this JWKS URL.
 * @param jwtAudience            The aud a JWT must name.
 * @param jwtIssuer              The iss a JWT must carry.
 * @param jwtClockSkew           Leeway on exp and nbf, in seconds.
 * @param adminUser              The administrator's HTTP Basic user name.
 * @param adminPassword          The administrator's password; unset: one generated at the first start, whose hash
 *                               the registry keeps.
 * @param basicAuthEnabled       False turns HTTP Basic off even with a password.
 * @param loginFailuresPerMinute Failed logins one client may make per minute.
 * @param secretKey              Encrypts the upstream credentials stored in the registry (AES-256-GCM): base64 of 32
 *                               random bytes. Unset: a key file generated at the first start.
 * @param oldSecretKey           The previous key while a rotation is under way: also read, never written under.
 * @param dataDir                The gateway's data directory: without SWITCHBOARD_SECRET_KEY, a gateway on a server
 *                               engine keeps its generated key file here (an embedded database keeps it beside its file).
 */
@ConfigurationProperties("switchboard.security")
public record SecurityProperties(String jwtSecret, String jwtPublicKey, String jwtJwksUrl,
                                 @DefaultValue(SecuritySettings.DEFAULT_AUDIENCE) String jwtAudience,
                                 @DefaultValue(SecuritySettings.DEFAULT_ISSUER) String jwtIssuer,
                                 @DefaultValue("30") @DurationUnit(ChronoUnit.SECONDS) Duration jwtClockSkew,
                                 @DefaultValue(SecuritySettings.DEFAULT_ADMIN_USER) String adminUser,
                                 String adminPassword,
                                 @DefaultValue("true") boolean basicAuthEnabled,
                                 @DefaultValue("10") int loginFailuresPerMinute,
                                 String secretKey, String oldSecretKey,
                                 @DefaultValue(SecretKeySettings.DEFAULT_DATA_DIR) String dataDir) {

    public SecurityProperties {
        if (loginFailuresPerMinute < 1) {
            throw new InvalidSettingException("SWITCHBOARD_LOGIN_FAILURES_PER_MINUTE must be"
                    + " at least 1, not " + loginFailuresPerMinute);
        }
        if (jwtClockSkew.isNegative()) {
            throw new InvalidSettingException("JWT_CLOCK_SKEW_SECONDS must be 0 or more, not "
                    + jwtClockSkew.toSeconds());
        }
    }

    /** Never prints a secret, a password or a key. */
    @Override
    public String toString() {
        return "SecurityProperties[jwtSecret=" + (jwtSecret == null ? "unset" : "****") + ", adminUser=" + adminUser
                + ", adminPassword=" + (adminPassword == null ? "unset" : "****") + "]";
    }
}
