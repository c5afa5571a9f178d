package dev.switchboard.security;

import dev.switchboard.persistence.Database;
import dev.switchboard.persistence.SchemaMigrator;
import dev.switchboard.persistence.Transactions;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's {@link SecretCipher}, keyed from SWITCHBOARD_SECRET_KEY or a generated key file; a bad key, or one
 * that is not the key the registry is sealed under, stops startup.
 */
@Configuration(proxyBeanMethods = false)
public class SecretCipherConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecretCipherConfiguration.class);
    /** The changeset that creates the table the key's fingerprint is recorded in. */
    static final String REGISTRY_SETTING_CHANGESET = "0.1.0-registry_setting::switchboard";

    @Bean
    RegistrySettings registrySettings(Transactions transactions) {
        return new RegistrySettings(transactions);
    }

    @Bean
    public SecretCipher secretCipher(Database database, SecurityProperties properties, SchemaMigrator migrator,
                                     RegistrySettings registry) {
        SecretKeySettings keys = new SecretKeySettings(properties.secretKey(), properties.oldSecretKey(), database,
                Path.of(properties.dataDir()));
        SecretKeySettings.SourcedKey current = keys.currentKey();
        Optional<SecretKeySettings.SourcedKey> old = keys.oldKey();
        AesGcmSecretCipher cipher = SecretKeySettings.gatewayCipher(current, old);
        if (schemaHasRegistrySettings(migrator)) {
            new SecretKeyCheck(registry).verify(current, old);
        } else {
            log.warn("The schema is not migrated yet (SWITCHBOARD_SKIP_MIGRATIONS), so this gateway's key is not checked "
                    + "against the registry's; it is checked at the next start");
        }
        return cipher;
    }

    static boolean schemaHasRegistrySettings(SchemaMigrator migrator) {
        return !migrator.status().pending().contains(REGISTRY_SETTING_CHANGESET);
    }
}
