package dev.switchboard.catalog;

import dev.switchboard.security.SecretCipher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals credentials for storage and opens them again. The whole credential (username and header name too) is
 * encrypted as one JSON document, so the stored column is a single ciphertext that a key rotation re-encrypts.
 */
@Component
public class Credentials {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final SecretCipher cipher;

    public Credentials(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** The ciphertext to store, or null for no credential. */
    public String seal(Credential credential) {
        if (credential == null || credential.type() == AuthType.NONE) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", credential.username());
        fields.put("secret", credential.secret());
        fields.put("headerName", credential.headerName());
        return cipher.encrypt(JSON.writeValueAsString(fields));
    }

    /** The credential that {@code sealed} holds; {@link Credential#NONE} when there is none. */
    public Credential open(AuthType type, String sealed) {
        if (type == null || type == AuthType.NONE || sealed == null) {
            return Credential.NONE;
        }
        JsonNode fields = JSON.readTree(cipher.decrypt(sealed));
        return new Credential(type, text(fields, "username"), text(fields, "secret"), text(fields, "headerName"));
    }

    /**
     * The ciphertext to store for a stdio upstream's environment values, or null when there are none. The whole
     * map is one ciphertext, so that a key rotation re-encrypts one value per upstream.
     */
    public String sealEnvironment(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        return cipher.encrypt(JSON.writeValueAsString(new TreeMap<>(values)));
    }

    /**
     * The environment values that {@code sealed} holds; empty when it is null.
     *
     * @throws dev.switchboard.security.SecretDecryptionException when it cannot be opened with the current key
     */
    public Map<String, String> openEnvironment(String sealed) {
        Map<String, String> values = new LinkedHashMap<>();
        if (sealed != null) {
            JSON.readTree(cipher.decrypt(sealed)).properties()
                    .forEach(e -> values.put(e.getKey(), e.getValue().asString()));
        }
        return values;
    }

    private static String text(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.asString();
    }
}
