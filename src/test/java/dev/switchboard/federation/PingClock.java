package dev.switchboard.federation;

import dev.switchboard.testing.RecordingFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A servlet filter for a test upstream that notes when each JSON-RPC ping arrived, and in which session. */
final class PingClock implements Filter {

    /** One ping as the upstream received it. */
    record Ping(Instant at, String session) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final RecordingFilter recording = new RecordingFilter();
    private final List<Ping> pings = new CopyOnWriteArrayList<>();

    List<Ping> pings() {
        return List.copyOf(pings);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Instant at = Instant.now();
        // The recording filter hands on a request whose body can be read again, by us and then by the upstream.
        recording.doFilter(request, response, (replayed, res) -> {
            HttpServletRequest http = (HttpServletRequest) replayed;
            if ("POST".equals(http.getMethod())) {
                try {
                    JsonNode message = JSON.readTree(http.getInputStream().readAllBytes());
                    if ("ping".equals(message.path("method").asString(""))) {
                        pings.add(new Ping(at, http.getHeader("Mcp-Session-Id")));
                    }
                } catch (RuntimeException e) {
                    // not a JSON object: the upstream answers it as it likes
                }
            }
            chain.doFilter(replayed, res);
        });
    }
}
