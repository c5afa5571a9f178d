package dev.switchboard.security.authserver;

import dev.switchboard.settings.Bounds;
import dev.switchboard.settings.InvalidSettingException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The built-in authorization server's settings (SWITCHBOARD_AUTH_SERVER_*), checked at start-up.
 *
 * @param enabled           false: no authorization server endpoints and no signing keys
 * @param accessTokenTtl    how long an access token lives; 1 min to 1 day
 * @param refreshTokenTtl   how long a refresh token lives; 1 h to 365 days
 * @param codeTtl           how long an authorization code may wait for its exchange; 10 s to 10 min
 * @param keyRotation       how often a new signing key replaces the current one; 1 h to 365 days
 * @param registration      {@code open}: dynamic client registration for https and loopback redirect URIs;
 *                          {@code token}: registration needs the initial access token below
 * @param registrationToken the initial access token for {@code registration=token}
 */
@ConfigurationProperties("switchboard.auth-server")
public record AuthServerSettings(@DefaultValue("true") boolean enabled,
                                 @DefaultValue("PT1H") Duration accessTokenTtl,
                                 @DefaultValue("P30D") Duration refreshTokenTtl,
                                 @DefaultValue("PT5M") Duration codeTtl,
                                 @DefaultValue("P30D") Duration keyRotation,
                                 @DefaultValue("open") String registration,
                                 String registrationToken) {

    /** An initial access token shorter than this could be guessed. */
    static final int MIN_REGISTRATION_TOKEN_LENGTH = 16;

    public AuthServerSettings {
        Bounds.duration("SWITCHBOARD_AUTH_SERVER_ACCESS_TOKEN_TTL", accessTokenTtl, Duration.ofMinutes(1),
                Duration.ofDays(1));
        Bounds.duration("SWITCHBOARD_AUTH_SERVER_REFRESH_TOKEN_TTL", refreshTokenTtl, Duration.ofHours(1),
                Duration.ofDays(365));
        Bounds.duration("SWITCHBOARD_AUTH_SERVER_CODE_TTL", codeTtl, Duration.ofSeconds(10), Duration.ofMinutes(10));
        Bounds.duration("SWITCHBOARD_AUTH_SERVER_KEY_ROTATION", keyRotation, Duration.ofHours(1),
                Duration.ofDays(365));
        registration = registration == null ? "open" : registration.trim().toLowerCase(java.util.Locale.ROOT);
        if (!registration.equals("open") && !registration.equals("token")) {
            throw new InvalidSettingException("SWITCHBOARD_AUTH_SERVER_REGISTRATION must be 'open' or 'token', not '"
                    + registration + "'");
        }
        registrationToken = registrationToken == null || registrationToken.isBlank() ? null : registrationToken.trim();
        if (enabled && registration.equals("token") && (registrationToken == null
                || registrationToken.length() < MIN_REGISTRATION_TOKEN_LENGTH)) {
            throw new InvalidSettingException("SWITCHBOARD_AUTH_SERVER_REGISTRATION=token needs "
                    + "SWITCHBOARD_AUTH_SERVER_REGISTRATION_TOKEN of at least " + MIN_REGISTRATION_TOKEN_LENGTH
                    + " characters. Make one with: openssl rand -base64 32");
        }
    }

    /** True when registration needs the initial access token. */
    public boolean registrationNeedsToken() {
        return registration.equals("token");
    }

    /** Never prints the registration token. */
    @Override
    public String toString() {
        return "AuthServerSettings[enabled=" + enabled + ", accessTokenTtl=" + accessTokenTtl + ", refreshTokenTtl="
                + refreshTokenTtl + ", codeTtl=" + codeTtl + ", keyRotation=" + keyRotation + ", registration="
                + registration + ", registrationToken=" + (registrationToken == null ? "unset" : "****") + "]";
    }
}
