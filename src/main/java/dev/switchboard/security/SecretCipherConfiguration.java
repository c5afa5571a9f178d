package dev.switchboard.security;

import dev.switchboard.persistence.Database;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's {@link SecretCipher}, keyed from SWITCHBOARD_SECRET_KEY; a bad or missing key stops startup. */
@Configuration(proxyBeanMethods = false)
public class SecretCipherConfiguration {

    @Bean
    public SecretCipher secretCipher(Database database, SecurityProperties properties) {
        return new SecretKeySettings(properties.secretKey(), properties.oldSecretKey(), database).gatewayCipher();
    }
}
