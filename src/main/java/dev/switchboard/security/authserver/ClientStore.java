package dev.switchboard.security.authserver;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registered clients in the {@code oauth_client} table. Token lifetimes and the PKCE and consent rules are not
 * stored per client: they come from the settings when a client is read, so changing a setting applies to every
 * client. A client's {@code id} must be a UUID.
 */
public class ClientStore implements RegisteredClientRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The client metadata kept as one document. */
    record Metadata(List<String> redirectUris, List<String> scopes, List<String> authMethods,
                    List<String> grantTypes, List<String> postLogoutRedirectUris) {
    }

    private final Transactions transactions;
    private final AuthServerSettings settings;
    private final Table<Record> table = Columns.table("oauth_client");
    private final Field<UUID> id;
    private final Field<String> clientId;
    private final Field<String> clientIdHash;
    private final Field<String> clientSecret;
    private final Field<Instant> clientSecretExpiresAt;
    private final Field<String> clientName;
    private final Field<String> metadata;
    private final Field<Instant> createdAt;

    public ClientStore(Transactions transactions, AuthServerSettings settings) {
        this.transactions = transactions;
        this.settings = settings;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(table, "id");
        clientId = c.text(table, "client_id");
        clientIdHash = c.text(table, "client_id_hash");
        clientSecret = c.text(table, "client_secret");
        clientSecretExpiresAt = c.timestamp(table, "client_secret_expires_at");
        clientName = c.text(table, "client_name");
        metadata = c.json(table, "metadata");
        createdAt = c.timestamp(table, "created_at");
    }

    @Override
    public void save(RegisteredClient client) {
        UUID rowId = UUID.fromString(client.getId());
        Metadata document = new Metadata(List.copyOf(client.getRedirectUris()), List.copyOf(client.getScopes()),
                client.getClientAuthenticationMethods().stream().map(ClientAuthenticationMethod::getValue).toList(),
                client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).toList(),
                List.copyOf(client.getPostLogoutRedirectUris()));
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        row.put(clientId, client.getClientId());
        row.put(clientIdHash, TokenHashes.sha256(client.getClientId()));
        row.put(clientSecret, client.getClientSecret());
        row.put(clientSecretExpiresAt, micros(client.getClientSecretExpiresAt()));
        row.put(clientName, client.getClientName());
        row.put(metadata, JSON.writeValueAsString(document));
        Instant issued = client.getClientIdIssuedAt() == null ? Instant.now() : client.getClientIdIssuedAt();
        transactions.write(dsl -> {
            if (dsl.update(table).set(row).where(id.eq(rowId)).execute() == 0) {
                Map<Field<?>, Object> insert = new LinkedHashMap<>(row);
                insert.put(id, rowId);
                insert.put(createdAt, micros(issued));
                dsl.insertInto(table).set(insert).execute();
            }
            return null;
        });
    }

    @Override
    public RegisteredClient findById(String rowId) {
        UUID key;
        try {
            key = UUID.fromString(rowId);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return transactions.read(dsl -> dsl.select(fields()).from(table).where(id.eq(key)).fetchOptional(this::read))
                .orElse(null);
    }

    @Override
    public RegisteredClient findByClientId(String value) {
        if (value == null) {
            return null;
        }
        String hash = TokenHashes.sha256(value);
        return transactions.read(dsl -> dsl.select(fields()).from(table).where(clientIdHash.eq(hash))
                .fetchOptional(this::read)).orElse(null);
    }

    private List<Field<?>> fields() {
        return List.of(id, clientId, clientSecret, clientSecretExpiresAt, clientName, metadata, createdAt);
    }

    private RegisteredClient read(Record r) {
        Metadata document = JSON.readValue(r.get(metadata), new TypeReference<Metadata>() { });
        RegisteredClient.Builder builder = RegisteredClient.withId(r.get(id).toString())
                .clientId(r.get(clientId))
                .clientIdIssuedAt(r.get(createdAt))
                .clientSecret(r.get(clientSecret))
                .clientSecretExpiresAt(r.get(clientSecretExpiresAt))
                .clientName(r.get(clientName))
                .redirectUris(set -> set.addAll(document.redirectUris()))
                .postLogoutRedirectUris(set -> set.addAll(orEmpty(document.postLogoutRedirectUris())))
                .scopes(set -> set.addAll(document.scopes()))
                .clientAuthenticationMethods(set -> document.authMethods()
                        .forEach(m -> set.add(new ClientAuthenticationMethod(m))))
                .authorizationGrantTypes(set -> document.grantTypes()
                        .forEach(g -> set.add(new AuthorizationGrantType(g))))
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true)
                        .build())
                .tokenSettings(tokenSettings(settings));
        return builder.build();
    }

    /** The lifetimes every client gets; refresh tokens are rotated (a used one is replaced and refused). */
    static TokenSettings tokenSettings(AuthServerSettings settings) {
        return TokenSettings.builder()
                .accessTokenTimeToLive(settings.accessTokenTtl())
                .refreshTokenTimeToLive(settings.refreshTokenTtl())
                .authorizationCodeTimeToLive(settings.codeTtl())
                .reuseRefreshTokens(false)
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .idTokenSignatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? new ArrayList<>() : values;
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
