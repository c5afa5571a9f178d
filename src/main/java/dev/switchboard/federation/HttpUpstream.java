package dev.switchboard.federation;

import dev.switchboard.federation.UpstreamException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Where an HTTP upstream is and how to speak to it: the shared client, the URL, and the credential headers that
 * go on every request (POST, GET stream, DELETE, legacy SSE).
 */
record HttpUpstream(String name, HttpClient client, URI url, Map<String, String> authHeaders) {

    /** A request to {@code uri} that carries the credential. */
    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        authHeaders.forEach(builder::header);
        return builder;
    }

    HttpRequest.Builder request() {
        return request(url);
    }

    /**
     * Sends {@code post}, a notification or a response, to which the upstream answers 2xx with nothing to read.
     *
     * @throws UpstreamException when it cannot be sent, or is refused
     */
    void deliver(HttpRequest post) {
        try {
            HttpResponse<Void> response = client.send(post, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new HttpStatusException(name, response.statusCode(), false);
            }
        } catch (IOException e) {
            throw new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + " cannot be reached: "
                    + UpstreamFailure.reason(e, client.connectTimeout().orElse(null)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, "Interrupted while sending to upstream " + name);
        }
    }

    @Override
    public String toString() {
        // The headers hold the secret: never in a log line.
        return "HttpUpstream[" + name + ", " + url + "]";
    }
}
