package dev.switchboard.security.authserver;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * What a Client ID Metadata Document says about its client, checked: the client_id is the document's URL, the
 * redirect URIs are absolute https or loopback http URIs, and no shared secret is claimed.
 *
 * @param clientId     The document's URL, which is the client's id.
 * @param clientName   The name shown on the consent page; the URL's host when the document gives none.
 * @param clientUri    The client's home page, when given.
 * @param redirectUris The only redirect URIs an authorization request may name, matched exactly.
 * @param grantTypes   authorization_code, and refresh_token when listed.
 * @param scopes       The scopes the client may ask for, when the document limits them; empty: any.
 */
public record ClientMetadata(String clientId, String clientName, URI clientUri, List<String> redirectUris,
                             Set<String> grantTypes, Set<String> scopes) {

    /** The host of the client_id URL: how the consent page names who publishes the client. */
    public String host() {
        return URI.create(clientId).getHost();
    }
}
