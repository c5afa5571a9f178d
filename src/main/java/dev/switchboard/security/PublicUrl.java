package dev.switchboard.security;

import dev.switchboard.settings.InvalidSettingException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The gateway's canonical base URL, from which resource URIs, protected resource metadata and the built-in issuer
 * are made. SWITCHBOARD_PUBLIC_URL when set. Without it, a request from a loopback address may stand for the base
 * (a developer's machine, where no proxy sits in between); any other request gets none, since its Host header is
 * the caller's to choose and would let a caller pick the audience and issuer the gateway believes in.
 */
@Component
public class PublicUrl {

    private final URI configured;

    public PublicUrl(PublicUrlProperties properties) {
        this.configured = parse(properties.publicUrl());
    }

    /** The setting, or empty when unset (then only loopback requests have a base). */
    public Optional<URI> configured() {
        return Optional.ofNullable(configured);
    }

    /**
     * The base URL for {@code request}, without a trailing slash (e.g. {@code http://127.0.0.1:8080} or
     * {@code https://gw.example.com/prefix}); empty when the setting is unset and the TCP peer is not loopback.
     */
    public Optional<URI> baseFor(HttpServletRequest request) {
        if (configured != null) {
            return Optional.of(configured);
        }
        if (!isLoopback(request.getRemoteAddr())) {
            return Optional.empty();
        }
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String path = request.getContextPath() == null ? "" : request.getContextPath();
        try {
            return Optional.of(new URI(scheme, null, request.getServerName(), defaultPort ? -1 : port,
                    path.isEmpty() ? null : path, null, null));
        } catch (URISyntaxException e) {
            // A Host header no URI can hold: no base, as for a stranger.
            return Optional.empty();
        }
    }

    /** {@code base} followed by {@code path} (which starts with a slash), as one URI string. */
    public static String join(URI base, String path) {
        return base.toString() + path;
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            // A literal only: never resolve a name here.
            String literal = address.startsWith("[") && address.endsWith("]")
                    ? address.substring(1, address.length() - 1) : address;
            if (!literal.matches("[0-9.]+|[0-9A-Fa-f:.%a-zA-Z]*:[0-9A-Fa-f:.%a-zA-Z]*")) {
                return false;
            }
            // An IP literal (the pattern above) is parsed, never looked up in DNS.
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }

    static URI parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, "it is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(text, "it must start with https:// or http://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(text, "it names no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(text, "it must have no query (?) and no fragment (#)");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(text, "it must carry no user name or password");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT) + path);
        } catch (URISyntaxException e) {
            throw invalid(text, "it is not a URL");
        }
    }

    private static InvalidSettingException invalid(String value, String why) {
        return new InvalidSettingException("SWITCHBOARD_PUBLIC_URL must be the gateway's absolute external base URL, "
                + "such as https://gw.example.com, and '" + value + "' is not: " + why);
    }
}
