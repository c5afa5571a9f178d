package dev.switchboard.deploy;

import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.TestEngine;
import dev.switchboard.testing.TestEngines;
import java.util.Optional;

/**
 * A fresh, empty database on one of the run's engines, named and owned as the engine harness makes them, in
 * the parts a Compose file or chart values spell out: host, port, database, user and password.
 *
 * @param encodedPassword the password as it appears in a URL (percent-encoded)
 */
record LocalDatabase(Engine engine, String host, int port, String name, String user, String password,
                     String encodedPassword) {

    /** The run's engine of this kind, if SWITCHBOARD_TEST_ENGINES includes it. */
    static Optional<TestEngine> inRun(Engine engine) {
        return TestEngines.all().stream().filter(e -> e.engine() == engine).findFirst();
    }

    static LocalDatabase create(TestEngine engine) {
        String url = engine.newDatabaseUrl(); // scheme://user:encoded@host:port/name[?options]
        String withoutOptions = url.indexOf('?') < 0 ? url : url.substring(0, url.indexOf('?'));
        String rest = withoutOptions.substring(withoutOptions.indexOf("://") + 3);
        int at = rest.lastIndexOf('@');
        String userInfo = rest.substring(0, at);
        String location = rest.substring(at + 1);
        String hostPort = location.substring(0, location.indexOf('/'));
        var target = DatabaseUrl.parse(url);
        return new LocalDatabase(engine.engine(), hostPort.substring(0, hostPort.lastIndexOf(':')),
                Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)),
                location.substring(location.indexOf('/') + 1), target.user(), target.password(),
                userInfo.substring(userInfo.indexOf(':') + 1));
    }

    /**
     * A deployment's DATABASE_URL pointed at this database: its scheme and query options are kept, and its
     * user, password, host, port and database are replaced by this database's.
     */
    String rewrite(String deployedUrl) {
        int schemeEnd = deployedUrl.indexOf("://");
        if (schemeEnd < 0 || deployedUrl.startsWith("jdbc:")) {
            throw new AssertionError("expected a URL of the form scheme://user:password@host:port/db: " + deployedUrl);
        }
        int query = deployedUrl.indexOf('?');
        return deployedUrl.substring(0, schemeEnd) + "://" + user + ":" + encodedPassword + "@" + host + ":" + port
                + "/" + name + (query < 0 ? "" : deployedUrl.substring(query));
    }
}
