package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.TestSecretKeys;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json refuses, through Helm itself, every combination of values the chart cannot serve. */
class ChartValuesSchemaTest {

    private static final String PG = "db: {type: postgresql, host: pg, name: sb, user: sb, password: pw}\n"
            + "secretKey: " + TestSecretKeys.KEY + "\n";

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("sqlite with two replicas", "replicaCount: 2\n", "/replicaCount"),
                Arguments.of("sqlite with the migration Job", "migration: {mode: job}\n", "/migration/mode"),
                Arguments.of("an unknown engine", "db: {type: oracle}\n", "/db/type"),
                Arguments.of("an external database without a host",
                        "db: {type: postgresql, name: sb, user: sb, password: pw}\n", "/db"),
                Arguments.of("an external database with an empty host",
                        "db: {type: mariadb, host: '', name: sb, user: sb, password: pw}\n", "/db/host"),
                Arguments.of("an external database without a user",
                        "db: {type: mysql, host: my, name: sb, user: '', password: pw}\n", "/db/user"),
                Arguments.of("an external database without a password or an existing secret",
                        "db: {type: mariadb, host: mdb, name: sb, user: sb}\n", "/db"),
                Arguments.of("both a password and an existing secret",
                        "db: {type: mysql, host: my, name: sb, user: sb, password: pw, existingSecret: s}\n", "/db"),
                Arguments.of("an unknown migration mode", PG + "migration: {mode: sometimes}\n", "/migration/mode"),
                Arguments.of("a port out of range", PG.replace("password: pw", "password: pw, port: 70000"), "/db/port"),
                Arguments.of("a misspelt key", PG.replace("host: pg", "hostname: pg"), "hostname"),
                Arguments.of("a negative replica count", PG + "replicaCount: -1\n", "/replicaCount"),
                Arguments.of("a drain over two minutes", PG + "shutdown: {drainSeconds: 300}\n",
                        "/shutdown/drainSeconds"),
                Arguments.of("a budget with both limits",
                        PG + "podDisruptionBudget: {enabled: true, minAvailable: 1, maxUnavailable: 1}\n",
                        "/podDisruptionBudget"),
                Arguments.of("a budget with neither limit",
                        PG + "podDisruptionBudget: {enabled: true, maxUnavailable: null}\n", "/podDisruptionBudget"),
                Arguments.of("a malformed scrape interval",
                        PG + "admin: {password: pw}\nserviceMonitor: {enabled: true, interval: soon}\n",
                        "/serviceMonitor/interval"),
                Arguments.of("a server database without a secret key",
                        "db: {type: mariadb, host: mdb, name: sb, user: sb, password: pw}\n", "/secretKey"),
                Arguments.of("a secret key that is not base64 of 32 bytes",
                        PG.replace(TestSecretKeys.KEY, "c2hvcnQ="), "/secretKey"),
                Arguments.of("a hex secret key", PG.replace(TestSecretKeys.KEY, "ab".repeat(32)), "/secretKey"),
                Arguments.of("a secret key as well as an existing secret", PG + "existingSecret: mine\n",
                        "/secretKey"),
                Arguments.of("an admin password as well as an existing secret",
                        "admin: {password: pw}\nexistingSecret: mine\n", "/admin/password"),
                Arguments.of("a misspelt admin key", "admin: {pasword: pw}\n", "pasword"),
                Arguments.of("a ServiceMonitor without the admin's password to scrape with",
                        PG + "serviceMonitor: {enabled: true}\n", "/admin/password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void theSchemaRejects(String what, String values, String where) {
        assertThatThrownBy(() -> HelmChart.render(values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(where);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEdges")
    void theSchemaAccepts(String what, String values) {
        assertThat(HelmChart.render(values).kinds()).contains("Deployment");
    }

    static Stream<Arguments> validEdges() {
        return Stream.of(
                Arguments.of("the defaults: sqlite, one replica", "{}"),
                Arguments.of("sqlite scaled to zero", "replicaCount: 0\n"),
                Arguments.of("many replicas on an external database with the migration Job",
                        PG + "replicaCount: 5\nmigration: {mode: job}\n"),
                Arguments.of("an existing secret instead of a password",
                        "db: {type: mariadb, host: mdb, name: sb, user: sb, existingSecret: creds}\n"
                                + "secretKey: " + TestSecretKeys.KEY + "\n"),
                Arguments.of("an existing secret for the key and the admin, the same as the database's",
                        "db: {type: mysql, host: my, name: sb, user: sb, existingSecret: creds}\nexistingSecret: creds\n"),
                Arguments.of("a URL-safe secret key without padding", PG.replace(TestSecretKeys.KEY,
                        TestSecretKeys.KEY.replace('+', '-').replace('/', '_').replace("=", ""))),
                Arguments.of("sqlite with a secret key, an admin password and a JWT secret",
                        "secretKey: " + TestSecretKeys.KEY + "\nadmin: {user: ops, password: pw}\njwtSecret: j\n"),
                Arguments.of("a budget given as a percentage",
                        PG + "podDisruptionBudget: {enabled: true, maxUnavailable: 25%}\n"));
    }
}
