package dev.switchboard.security.authserver;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Consents in the {@code oauth_consent} table: the scopes a user granted a client, remembered per user and client. */
public class ConsentStore implements OAuth2AuthorizationConsentService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Transactions transactions;
    private final Table<Record> table = Columns.table("oauth_consent");
    private final Field<UUID> clientRowId;
    private final Field<String> principalName;
    private final Field<String> authorities;
    private final Field<Instant> updatedAt;

    public ConsentStore(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        clientRowId = c.uuid(table, "client_row_id");
        principalName = c.text(table, "principal_name");
        authorities = c.json(table, "authorities");
        updatedAt = c.timestamp(table, "updated_at");
    }

    @Override
    public void save(OAuth2AuthorizationConsent consent) {
        Condition key = key(consent.getRegisteredClientId(), consent.getPrincipalName());
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        row.put(authorities, JSON.writeValueAsString(
                consent.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList()));
        row.put(updatedAt, Instant.now().truncatedTo(ChronoUnit.MICROS));
        transactions.write(dsl -> {
            if (dsl.update(table).set(row).where(key).execute() == 0) {
                Map<Field<?>, Object> insert = new LinkedHashMap<>(row);
                insert.put(clientRowId, UUID.fromString(consent.getRegisteredClientId()));
                insert.put(principalName, consent.getPrincipalName());
                dsl.insertInto(table).set(insert).execute();
            }
            return null;
        });
    }

    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        Condition key = key(consent.getRegisteredClientId(), consent.getPrincipalName());
        transactions.write(dsl -> dsl.deleteFrom(table).where(key).execute());
    }

    @Override
    public OAuth2AuthorizationConsent findById(String registeredClientId, String principal) {
        Condition key;
        try {
            key = key(registeredClientId, principal);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String stored = transactions.read(dsl -> dsl.select(authorities).from(table).where(key)
                .fetchOptional(authorities).orElse(null));
        if (stored == null) {
            return null;
        }
        OAuth2AuthorizationConsent.Builder builder = OAuth2AuthorizationConsent.withId(registeredClientId, principal);
        JSON.readValue(stored, new TypeReference<List<String>>() { })
                .forEach(a -> builder.authority(new SimpleGrantedAuthority(a)));
        return builder.build();
    }

    private Condition key(String registeredClientId, String principal) {
        return clientRowId.eq(UUID.fromString(registeredClientId)).and(principalName.eq(principal));
    }
}
