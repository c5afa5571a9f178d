package dev.switchboard.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * SWITCHBOARD_PUBLIC_URL as operators set it; {@link PublicUrl} checks it at start-up.
 *
 * @param publicUrl The gateway's canonical external base URL, e.g. https://gw.example.com or
 *                  https://example.com/switchboard; unset: only loopback requests may derive it from the request.
 */
@ConfigurationProperties("switchboard")
public record PublicUrlProperties(String publicUrl) {
}
