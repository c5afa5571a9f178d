package dev.switchboard.security.authserver;

import dev.switchboard.settings.Bounds;
import dev.switchboard.settings.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the built-in authorization server fetches Client ID Metadata Documents (SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_*),
 * checked at start-up.
 *
 * @param fetchTimeout      How long fetching one document may take in all: name lookup, connection, TLS handshake and
 *                          the whole answer; 100 ms to 1 min.
 * @param maxBytes          The largest document accepted; a bigger one is refused unread past the limit; 1 KiB to
 *                          1 MiB.
 * @param allowPrivate      True lets documents be fetched from loopback, private, link-local and other non-public
 *                          addresses (an SSRF risk: only for gateways whose clients live on a private network).
 * @param trustCertificates A PEM file of CA certificates trusted for document hosts besides the JVM's own, for hosts
 *                          with a private CA; unset: the JVM's trust store only.
 */
@ConfigurationProperties("switchboard.auth-server.client-metadata")
public record ClientMetadataSettings(@DefaultValue("PT5S") Duration fetchTimeout,
                                     @DefaultValue("65536") long maxBytes,
                                     @DefaultValue("false") boolean allowPrivate,
                                     String trustCertificates) {

    @ConstructorBinding
    public ClientMetadataSettings {
        Bounds.duration("SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_FETCH_TIMEOUT", fetchTimeout, Duration.ofMillis(100),
                Duration.ofMinutes(1));
        Bounds.whole("SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_MAX_BYTES", maxBytes, 1024, 1 << 20);
        if (trustCertificates != null && trustCertificates.isBlank()) {
            trustCertificates = null;
        }
        if (trustCertificates != null && !Files.isReadable(Path.of(trustCertificates))) {
            throw new InvalidSettingException("SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_TRUST_CERTIFICATES names '"
                    + trustCertificates + "', which is not a readable file");
        }
    }

    /** The defaults: 5 s, 64 KiB, public addresses only, the JVM's trust store. */
    public static ClientMetadataSettings defaults() {
        return new ClientMetadataSettings(Duration.ofSeconds(5), 65536, false, null);
    }
}
