package dev.switchboard.signin;

import java.util.List;

/**
 * What the consent page shows: who asks (the client's own name, and for a metadata document client the host that
 * publishes it), for which endpoints, and which scopes, each with what it lets the client do.
 *
 * @param clientId      The client_id, sent back with the answer.
 * @param clientName    The name the client gave itself.
 * @param publisher     For a Client ID Metadata Document client, the host of its client_id URL; otherwise null.
 * @param state         The authorization request's state, sent back with the answer.
 * @param endpoints     The endpoints the client asks to use (RFC 8707 resources), named.
 * @param scopes        Every requested scope (all are sent back on approval).
 * @param shownScopes   The scopes listed to the user, with what each allows.
 * @param userName      Who is signed in.
 */
public record ConsentRequest(String clientId, String clientName, String publisher, String state,
                             List<Endpoint> endpoints, List<String> scopes, List<ShownScope> shownScopes,
                             String userName) {

    /** A resource the client asks for: its name (a virtual server's, or what the URI stands for) and its URI. */
    public record Endpoint(String name, String uri) {
    }

    /** A scope and its meaning in plain words. */
    public record ShownScope(String value, String description) {
    }
}
