package dev.switchboard.security;

import dev.switchboard.persistence.Database;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The gateway's {@link SecretCipher}, keyed from the environment; a bad or missing key stops startup. */
@Configuration(proxyBeanMethods = false)
public class SecretCipherConfiguration {

    @Bean
    public SecretCipher secretCipher(Database database, Environment environment) {
        return new SecretKeySettings(environment::getProperty, database).gatewayCipher();
    }
}
