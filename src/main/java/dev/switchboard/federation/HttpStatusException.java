package dev.switchboard.federation;

/** An HTTP upstream answered a POST with an error status and no JSON-RPC error: transport detection reads it. */
final class HttpStatusException extends UpstreamException {

    private final int status;
    private final boolean jsonBody;

    HttpStatusException(String name, int status, boolean jsonBody) {
        super(status >= 500 ? Kind.UNREACHABLE : Kind.PROTOCOL, "Upstream " + name + ": the server answered " + status);
        this.status = status;
        this.jsonBody = jsonBody;
    }

    int status() {
        return status;
    }

    /** Whether this answer means "no Streamable HTTP endpoint here", so legacy SSE is worth a try. */
    boolean suggestsLegacySse() {
        return status == 404 || status == 405 || (status == 400 && !jsonBody);
    }
}
