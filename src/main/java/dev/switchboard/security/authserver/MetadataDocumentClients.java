package dev.switchboard.security.authserver;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * The registered clients as the authorization and token endpoints see them: those registered with this server
 * ({@link ClientStore}), and clients whose client_id is the https URL of their metadata document, resolved through
 * {@link ClientMetadataDocuments} as public clients (no secret, PKCE required). A document client is kept as a row of
 * the client table too, refreshed when its document changes, because authorizations and consents refer to that row.
 * A document that cannot be used is an {@code invalid_client} error naming the reason, never a 5xx.
 */
public final class MetadataDocumentClients implements RegisteredClientRepository {

    private final ClientStore stored;
    private final ClientMetadataDocuments documents;
    private final AuthServerSettings settings;

    MetadataDocumentClients(ClientStore stored, ClientMetadataDocuments documents, AuthServerSettings settings) {
        this.stored = stored;
        this.documents = documents;
        this.settings = settings;
    }

    @Override
    public void save(RegisteredClient client) {
        stored.save(client);
    }

    @Override
    public RegisteredClient findById(String id) {
        return stored.findById(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        if (!ClientMetadataDocuments.isDocumentUrl(clientId)) {
            return stored.findByClientId(clientId);
        }
        ClientMetadata metadata;
        try {
            metadata = documents.resolve(clientId);
        } catch (ClientMetadataException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                    "Client ID Metadata Document refused: " + e.getMessage(), null));
        }
        RegisteredClient known = stored.findByClientId(clientId);
        RegisteredClient current = toClient(metadata, known);
        if (known == null || !sameRegistration(known, current)) {
            stored.save(current);
        }
        return current;
    }

    /** The document's client, under the row id it already has, or one derived from its URL (the same on every replica). */
    private RegisteredClient toClient(ClientMetadata metadata, RegisteredClient known) {
        String rowId = known != null ? known.getId()
                : UUID.nameUUIDFromBytes(("cimd:" + metadata.clientId()).getBytes(StandardCharsets.UTF_8)).toString();
        Set<String> scopes = new LinkedHashSet<>(ClientRegistrationEndpoint.SCOPES);
        if (!metadata.scopes().isEmpty()) {
            scopes.retainAll(metadata.scopes());
        }
        return RegisteredClient.withId(rowId)
                .clientId(metadata.clientId())
                .clientIdIssuedAt(known != null ? known.getClientIdIssuedAt() : Instant.now())
                .clientName(metadata.clientName())
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantTypes(types -> metadata.grantTypes()
                        .forEach(g -> types.add(new AuthorizationGrantType(g))))
                .redirectUris(uris -> uris.addAll(metadata.redirectUris()))
                .scopes(set -> set.addAll(scopes))
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true)
                        .build())
                .tokenSettings(ClientStore.tokenSettings(settings))
                .build();
    }

    private static boolean sameRegistration(RegisteredClient a, RegisteredClient b) {
        return Objects.equals(a.getClientName(), b.getClientName())
                && a.getRedirectUris().equals(b.getRedirectUris())
                && a.getScopes().equals(b.getScopes())
                && a.getAuthorizationGrantTypes().equals(b.getAuthorizationGrantTypes())
                && a.getClientAuthenticationMethods().equals(b.getClientAuthenticationMethods());
    }
}
