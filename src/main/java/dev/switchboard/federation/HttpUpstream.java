package dev.switchboard.federation;

import dev.switchboard.federation.UpstreamException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * Where an HTTP upstream is and how to speak to it: the shared client, the URL, the credential headers that go on
 * every request (POST, GET stream, DELETE, legacy SSE), the request timeout every request carries (until its
 * answer's headers arrive; a body is then bounded by whoever waits for it) and the cap on one message.
 */
record HttpUpstream(String name, HttpClient client, URI url, Map<String, String> authHeaders, Duration timeout,
                    MessageCap cap) {

    /** A request to {@code uri} that carries the credential and the request timeout. */
    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        authHeaders.forEach(builder::header);
        return builder;
    }

    HttpRequest.Builder request() {
        return request(url);
    }

    /**
     * Sends {@code post}, a notification or a response, to which the upstream answers 2xx with nothing to read.
     * Whatever body comes is not read: an upstream that sends headers and then never ends its body holds nobody.
     *
     * @throws UpstreamException when it cannot be sent, is refused, or gets no answer within the timeout
     */
    void deliver(HttpRequest post, String what) {
        int status = discarding(post, what);
        if (status / 100 != 2) {
            throw new HttpStatusException(name, status, false);
        }
    }

    /**
     * Sends {@code request} ({@code what}, in words for a timeout) and closes its answer unread; its status.
     *
     * @throws UpstreamException when it cannot be sent or gets no answer within the timeout
     */
    int discarding(HttpRequest request, String what) {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (HttpTimeoutException e) {
            if (e instanceof HttpConnectTimeoutException) {
                throw unreachable(e);
            }
            throw new UpstreamException(Kind.TIMEOUT, "Upstream " + name + " did not answer " + what
                    + ": timed out after " + UpstreamFailure.seconds(request.timeout().orElse(timeout)), e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Kind.CANCELLED, "Interrupted while sending to upstream " + name);
        }
    }

    /** A request that could not be sent, in words. */
    UpstreamException unreachable(IOException e) {
        return new UpstreamException(Kind.UNREACHABLE, "Upstream " + name + " cannot be reached: "
                + UpstreamFailure.reason(e, client.connectTimeout().orElse(null)), e);
    }

    @Override
    public String toString() {
        // The headers hold the secret: never in a log line.
        return "HttpUpstream[" + name + ", " + url + "]";
    }
}
