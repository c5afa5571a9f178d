package dev.switchboard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.EngineTest;
import dev.switchboard.testing.TestEngine;
import java.util.HashMap;
import java.util.Map;

/** DATABASE_PASSWORD carries a password with reserved characters, unencoded, in place of the URL's. */
class DatabasePasswordTest {

    @EngineTest
    void aRawPasswordFromTheEnvironmentReplacesTheUrlsOwn(TestEngine engine) {
        String url = engine.newDatabaseUrl();
        String password = DatabaseUrl.parse(url).password();
        // The URL with its password taken out, as the chart renders it next to DATABASE_PASSWORD.
        String bare = url.replaceFirst("://([^:@/]+):[^@]*@", "://$1@");
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", bare));
        if (password != null) {
            assertThat(DatabaseUrl.parse(bare).password()).isNull();
            env.put("DATABASE_PASSWORD", password); // raw: "p@ss:w/rd%?#+é" needs no encoding here
        }
        DatabaseSettings settings = DatabaseSettings.from(env::get);
        try (Database db = Database.open(settings)) {
            assertThat(db.target().password()).isEqualTo(password);
            assertThat(db.server().engine()).isEqualTo(engine.engine());
            Object one = db.transactions().read(dsl -> dsl.fetchValue("SELECT 1"));
            assertThat(one).isNotNull();
        }
        if (password != null) {
            assertThat(settings.toString()).doesNotContain(password);
        }
    }
}
