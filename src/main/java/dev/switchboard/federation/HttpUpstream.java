package dev.switchboard.federation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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

    @Override
    public String toString() {
        // The headers hold the secret: never in a log line.
        return "HttpUpstream[" + name + ", " + url + "]";
    }
}
