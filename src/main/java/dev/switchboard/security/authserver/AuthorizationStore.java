package dev.switchboard.security.authserver;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authorizations in the {@code oauth_authorization} table, found by the SHA-256 of any of their tokens (the consent
 * state, the code, the access, refresh and ID tokens). No token is stored in clear. The attributes Spring keeps (who
 * signed in, the original authorization request) are stored as a small document of strings.
 */
public class AuthorizationStore implements OAuth2AuthorizationService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);
    private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);
    /** An authorization with no token yet (waiting for consent) is kept this long. */
    private static final Duration PENDING_LIFETIME = Duration.ofHours(1);

    /**
     * The attributes as stored: who signed in and when (epoch milliseconds: an ID token's {@code auth_time}), the
     * authorization request, and any plain string attributes.
     */
    record Attributes(String principal, List<String> authorities, Long authenticatedAt, Request request,
                      Map<String, String> strings) {
    }

    /** The tokens an authorization held when it was read (see {@link #save}); never stored itself. */
    private static final String READ_AS = AuthorizationStore.class.getName() + ".readAs";

    /** Stands for the sign-in itself when the signed-in user came with no factor authority that says when. */
    private static final String SIGN_IN_FACTOR = "FACTOR_SIGN_IN";

    /** An OAuth2AuthorizationRequest as stored; additional parameters hold strings or lists of strings. */
    record Request(String authorizationUri, String clientId, String redirectUri, List<String> scopes, String state,
                   Map<String, Object> additionalParameters) {
    }

    private final Transactions transactions;
    private final ClientStore clients;
    private final Table<Record> table = Columns.table("oauth_authorization");
    private final Field<UUID> id;
    private final Field<UUID> clientRowId;
    private final Field<String> principalName;
    private final Field<String> grantType;
    private final Field<String> authorizedScopes;
    private final Field<String> attributes;
    private final Field<String> stateHash;
    private final TokenColumns code;
    private final TokenColumns access;
    private final TokenColumns refresh;
    private final TokenColumns idToken;
    private final Field<String> accessScopes;
    private final Field<Instant> expiresAt;

    /** The four columns each kind of token has. */
    private record TokenColumns(Field<String> hash, Field<Instant> issuedAt, Field<Instant> expiresAt,
                                Field<Boolean> invalidated) {
    }

    public AuthorizationStore(Transactions transactions, ClientStore clients) {
        this.transactions = transactions;
        this.clients = clients;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(table, "id");
        clientRowId = c.uuid(table, "client_row_id");
        principalName = c.text(table, "principal_name");
        grantType = c.text(table, "grant_type");
        authorizedScopes = c.json(table, "authorized_scopes");
        attributes = c.json(table, "attributes");
        stateHash = c.text(table, "state_hash");
        code = tokenColumns(c, "code");
        access = tokenColumns(c, "access");
        refresh = tokenColumns(c, "refresh");
        idToken = tokenColumns(c, "id_token");
        accessScopes = c.json(table, "access_scopes");
        expiresAt = c.timestamp(table, "expires_at");
    }

    private TokenColumns tokenColumns(Columns c, String prefix) {
        return new TokenColumns(c.text(table, prefix + "_hash"), c.timestamp(table, prefix + "_issued_at"),
                c.timestamp(table, prefix + "_expires_at"), c.bool(table, prefix + "_invalidated"));
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        UUID rowId = UUID.fromString(authorization.getId());
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        row.put(clientRowId, UUID.fromString(authorization.getRegisteredClientId()));
        row.put(principalName, authorization.getPrincipalName());
        row.put(grantType, authorization.getAuthorizationGrantType().getValue());
        row.put(authorizedScopes, JSON.writeValueAsString(List.copyOf(authorization.getAuthorizedScopes())));
        row.put(attributes, JSON.writeValueAsString(attributesOf(authorization)));
        row.put(stateHash, TokenHashes.of(authorization.getAttribute(OAuth2ParameterNames.STATE)));
        Instant last = null;
        last = put(row, code, authorization.getToken(OAuth2AuthorizationCode.class), last);
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        last = put(row, access, accessToken, last);
        row.put(accessScopes, accessToken == null ? null
                : JSON.writeValueAsString(List.copyOf(accessToken.getToken().getScopes())));
        last = put(row, refresh, authorization.getRefreshToken(), last);
        last = put(row, idToken, authorization.getToken(OidcIdToken.class), last);
        row.put(expiresAt, micros(last == null ? Instant.now().plus(PENDING_LIFETIME) : last));
        // A grant is used once: the save that redeems a code or rotates a refresh token wins only if the row still
        // holds the tokens this copy was read with, so two replicas redeeming one code at once cannot both succeed.
        String readAs = authorization.getAttribute(READ_AS);
        Condition unchanged = readAs == null ? DSL.trueCondition()
                : holds(readAs).or(holds(tokenPair(row.get(access.hash()), row.get(refresh.hash()))));
        boolean lost = transactions.write(dsl -> {
            if (dsl.update(table).set(row).where(id.eq(rowId)).and(unchanged).execute() > 0) {
                return false;
            }
            if (readAs != null && dsl.fetchExists(table, id.eq(rowId))) {
                return true;
            }
            Map<Field<?>, Object> insert = new LinkedHashMap<>(row);
            insert.put(id, rowId);
            dsl.insertInto(table).set(insert).execute();
            return false;
        });
        if (lost) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The grant was used at the same moment by another request", null));
        }
    }

    private static String tokenPair(Object accessHash, Object refreshHash) {
        return (accessHash == null ? "" : accessHash) + "|" + (refreshHash == null ? "" : refreshHash);
    }

    /** The row holds exactly this access and refresh token (by hash; "" for none). */
    private Condition holds(String pair) {
        String[] hashes = pair.split("\\|", -1);
        return access.hash().isNotDistinctFrom(hashes[0].isEmpty() ? null : hashes[0])
                .and(refresh.hash().isNotDistinctFrom(hashes[1].isEmpty() ? null : hashes[1]));
    }

    private static Instant put(Map<Field<?>, Object> row, TokenColumns columns,
                               OAuth2Authorization.Token<? extends AbstractOAuth2Token> token, Instant last) {
        if (token == null) {
            row.put(columns.hash(), null);
            row.put(columns.issuedAt(), null);
            row.put(columns.expiresAt(), null);
            row.put(columns.invalidated(), null);
            return last;
        }
        AbstractOAuth2Token value = token.getToken();
        row.put(columns.hash(), TokenHashes.of(value.getTokenValue()));
        row.put(columns.issuedAt(), micros(value.getIssuedAt()));
        row.put(columns.expiresAt(), micros(value.getExpiresAt()));
        row.put(columns.invalidated(), token.isInvalidated());
        Instant expiry = value.getExpiresAt();
        return expiry != null && (last == null || expiry.isAfter(last)) ? expiry : last;
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        UUID rowId = UUID.fromString(authorization.getId());
        transactions.write(dsl -> dsl.deleteFrom(table).where(id.eq(rowId)).execute());
    }

    @Override
    public OAuth2Authorization findById(String rowId) {
        UUID key;
        try {
            key = UUID.fromString(rowId);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return find(id.eq(key), null);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (token == null || token.isEmpty() || token.startsWith(TokenHashes.STAND_IN)) {
            return null;
        }
        String hash = TokenHashes.sha256(token);
        Condition where;
        if (tokenType == null) {
            where = DSL.or(stateHash.eq(hash), code.hash().eq(hash), access.hash().eq(hash),
                    refresh.hash().eq(hash), idToken.hash().eq(hash));
        } else if (STATE.equals(tokenType)) {
            where = stateHash.eq(hash);
        } else if (CODE.equals(tokenType)) {
            where = code.hash().eq(hash);
        } else if (OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
            where = access.hash().eq(hash);
        } else if (OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
            where = refresh.hash().eq(hash);
        } else if (ID_TOKEN.equals(tokenType)) {
            where = idToken.hash().eq(hash);
        } else {
            return null;
        }
        return find(where, token);
    }

    /** Removes the authorizations whose every token expired before {@code now}; the number removed. */
    public int sweep(Instant now) {
        return transactions.write(dsl -> dsl.deleteFrom(table).where(expiresAt.lt(now)).execute());
    }

    private OAuth2Authorization find(Condition where, String presented) {
        List<Field<?>> fields = new ArrayList<>(List.of(id, clientRowId, principalName, grantType, authorizedScopes,
                attributes, stateHash, accessScopes, expiresAt));
        for (TokenColumns columns : List.of(code, access, refresh, idToken)) {
            fields.addAll(List.of(columns.hash(), columns.issuedAt(), columns.expiresAt(), columns.invalidated()));
        }
        Record row = transactions.read(dsl -> dsl.select(fields).from(table).where(where).fetchOne());
        if (row == null) {
            return null;
        }
        RegisteredClient client = clients.findById(row.get(clientRowId).toString());
        if (client == null) {
            return null;
        }
        Attributes stored = JSON.readValue(row.get(attributes), Attributes.class);
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .id(row.get(id).toString())
                .principalName(row.get(principalName))
                .authorizationGrantType(new AuthorizationGrantType(row.get(grantType)))
                .authorizedScopes(new LinkedHashSet<>(JSON.readValue(row.get(authorizedScopes),
                        new TypeReference<List<String>>() { })));
        restoreAttributes(builder, stored, row.get(stateHash), presented);
        builder.attribute(READ_AS, tokenPair(row.get(access.hash()), row.get(refresh.hash())));
        String codeHash = row.get(code.hash());
        if (codeHash != null) {
            builder.token(new OAuth2AuthorizationCode(TokenHashes.valueFor(codeHash, presented),
                    row.get(code.issuedAt()), row.get(code.expiresAt())), invalidated(row, code));
        }
        String accessHash = row.get(access.hash());
        if (accessHash != null) {
            Set<String> scopes = new LinkedHashSet<>(JSON.readValue(row.get(accessScopes),
                    new TypeReference<List<String>>() { }));
            builder.token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                    TokenHashes.valueFor(accessHash, presented), row.get(access.issuedAt()),
                    row.get(access.expiresAt()), scopes), invalidated(row, access));
        }
        String refreshHash = row.get(refresh.hash());
        if (refreshHash != null) {
            builder.token(new OAuth2RefreshToken(TokenHashes.valueFor(refreshHash, presented),
                    row.get(refresh.issuedAt()), row.get(refresh.expiresAt())), invalidated(row, refresh));
        }
        String idTokenHash = row.get(idToken.hash());
        if (idTokenHash != null) {
            builder.token(new OidcIdToken(TokenHashes.valueFor(idTokenHash, presented), row.get(idToken.issuedAt()),
                    row.get(idToken.expiresAt()), idTokenClaims(row.get(principalName), stored)),
                    invalidated(row, idToken));
        }
        return builder.build();
    }

    /** What a refresh needs of the earlier ID token: its subject and when the user signed in. */
    private static Map<String, Object> idTokenClaims(String subject, Attributes stored) {
        return stored.authenticatedAt() == null ? Map.of("sub", subject)
                : Map.of("sub", subject, "auth_time", Instant.ofEpochMilli(stored.authenticatedAt()));
    }

    private static Consumer<Map<String, Object>> invalidated(Record row, TokenColumns columns) {
        boolean invalidated = Boolean.TRUE.equals(row.get(columns.invalidated()));
        return metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, invalidated);
    }

    private static Attributes attributesOf(OAuth2Authorization authorization) {
        String principal = null;
        List<String> authorities = List.of();
        Long authenticatedAt = null;
        Request request = null;
        Map<String, String> strings = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : authorization.getAttributes().entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Authentication authentication && entry.getKey().equals(Principal.class.getName())) {
                principal = authentication.getName();
                authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
                // Spring's ID tokens need the time of sign-in, which it reads from factor authorities.
                authenticatedAt = authentication.getAuthorities().stream()
                        .filter(FactorGrantedAuthority.class::isInstance)
                        .map(a -> ((FactorGrantedAuthority) a).getIssuedAt().toEpochMilli())
                        .max(Long::compare).orElse(System.currentTimeMillis());
            } else if (value instanceof OAuth2AuthorizationRequest r) {
                Map<String, Object> parameters = new LinkedHashMap<>();
                r.getAdditionalParameters().forEach((name, v) -> parameters.put(name,
                        v instanceof String[] many ? List.of(many) : String.valueOf(v)));
                request = new Request(r.getAuthorizationUri(), r.getClientId(), r.getRedirectUri(),
                        List.copyOf(r.getScopes()), r.getState(), parameters);
            } else if (value instanceof String text && !entry.getKey().equals(OAuth2ParameterNames.STATE)
                    && !entry.getKey().equals(READ_AS)) {
                strings.put(entry.getKey(), text);
            }
        }
        return new Attributes(principal, authorities, authenticatedAt, request, strings);
    }

    private static void restoreAttributes(OAuth2Authorization.Builder builder, Attributes stored, String stateHash,
                                          String presented) {
        if (stored.principal() != null) {
            Instant at = Instant.ofEpochMilli(stored.authenticatedAt() == null ? 0 : stored.authenticatedAt());
            List<GrantedAuthority> authorities = new ArrayList<>();
            stored.authorities().forEach(a -> authorities.add(a.startsWith("FACTOR_")
                    ? FactorGrantedAuthority.withAuthority(a).issuedAt(at).build() : new SimpleGrantedAuthority(a)));
            if (authorities.stream().noneMatch(FactorGrantedAuthority.class::isInstance)) {
                authorities.add(FactorGrantedAuthority.withAuthority(SIGN_IN_FACTOR).issuedAt(at).build());
            }
            builder.attribute(Principal.class.getName(),
                    UsernamePasswordAuthenticationToken.authenticated(stored.principal(), null, authorities));
        }
        Request r = stored.request();
        if (r != null) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            if (r.additionalParameters() != null) {
                r.additionalParameters().forEach((name, v) -> parameters.put(name,
                        v instanceof List<?> many ? many.stream().map(String::valueOf).toArray(String[]::new) : v));
            }
            builder.attribute(OAuth2AuthorizationRequest.class.getName(), OAuth2AuthorizationRequest
                    .authorizationCode()
                    .authorizationUri(r.authorizationUri())
                    .clientId(r.clientId())
                    .redirectUri(r.redirectUri())
                    .scopes(new LinkedHashSet<>(r.scopes()))
                    .state(r.state())
                    .additionalParameters(parameters)
                    .build());
        }
        if (stored.strings() != null) {
            stored.strings().forEach(builder::attribute);
        }
        if (stateHash != null) {
            builder.attribute(OAuth2ParameterNames.STATE, TokenHashes.valueFor(stateHash, presented));
        }
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
