package dev.switchboard.deploy;

import static dev.switchboard.deploy.HelmChart.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.switchboard.persistence.ConnectionTarget;
import dev.switchboard.persistence.DatabaseUrl;
import dev.switchboard.persistence.Engine;
import dev.switchboard.testing.TestSecretKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** charts/switchboard lints, renders for every db.type, and every manifest matches the Kubernetes schema. */
class ChartRenderTest {

    private static final String PASSWORD = "s3cr@t:p/w?#% +é";
    private static final String ADMIN_PASSWORD = "adm1n:p@ss \"quoted\"";

    static String external(String type, String extra) {
        return external(type, "", extra);
    }

    /** Values for an external database; dbExtra holds more lines under db:, indented by two spaces. */
    static String external(String type, String dbExtra, String extra) {
        return """
                db:
                  type: %s
                  host: db.registry.svc
                  name: switchboard
                  user: gateway
                  password: "%s"
                %ssecretKey: "%s"
                admin: {password: "%s"}
                %s""".formatted(type, quoted(PASSWORD), dbExtra, TestSecretKeys.KEY, quoted(ADMIN_PASSWORD), extra);
    }

    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void theChartLintsCleanlyInStrictMode() {
        LintResult lint = HelmChart.lint();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
    }

    @ParameterizedTest(name = "db.type={0}, migration.mode={1}")
    @CsvSource({"sqlite, startup", "postgresql, startup", "postgresql, job", "mariadb, startup", "mariadb, job",
            "mysql, startup", "mysql, job"})
    void everyDbTypeRendersManifestsThatMatchTheKubernetesSchema(String type, String mode) {
        String values = type.equals("sqlite") ? "db: {type: sqlite}\nadmin: {password: pw}\n"
                : external(type, "replicaCount: 3\n");
        values += """
                migration: {mode: %s}
                podDisruptionBudget: {enabled: true}
                serviceMonitor: {enabled: true}
                """.formatted(mode);
        HelmChart.Manifests manifests = HelmChart.render(values);
        KubernetesSchemas.validateAll(manifests);

        List<String> expected = new java.util.ArrayList<>(List.of("Deployment", "PodDisruptionBudget", "Secret",
                "Service", "ServiceMonitor"));
        if (type.equals("sqlite")) {
            expected.add("PersistentVolumeClaim");
        }
        if (mode.equals("job")) {
            expected.addAll(List.of("Job", "Secret"));
        }
        assertThat(manifests.kinds()).containsExactlyInAnyOrderElementsOf(expected);

        Map<String, Object> container = path(manifests.one("Deployment"), "spec", "template", "spec", "containers", 0);
        assertThat((String) path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health");
        assertThat((String) path(container, "startupProbe", "httpGet", "path")).isEqualTo("/health");
        assertThat((String) path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/ready");
        assertThat(env(container)).containsEntry("SWITCHBOARD_SKIP_MIGRATIONS", String.valueOf(mode.equals("job")));
    }

    @Test
    void theValidatorRejectsUnknownFieldsMissingFieldsAndBadQuantities() {
        Map<String, Object> deployment = HelmChart.render("{}").one("Deployment");
        KubernetesSchemas.validate(deployment);

        Map<String, Object> typo = copy(deployment);
        ((Map<String, Object>) path(typo, "spec")).put("replica", 2);
        assertThatThrownBy(() -> KubernetesSchemas.validate(typo)).hasMessageContaining("replica");

        Map<String, Object> nameless = copy(deployment);
        ((Map<String, Object>) path(nameless, "spec", "template", "spec", "containers", 0)).remove("name");
        assertThatThrownBy(() -> KubernetesSchemas.validate(nameless)).hasMessageContaining("name");

        Map<String, Object> quantity = copy(deployment);
        ((Map<String, Object>) path(quantity, "spec", "template", "spec", "containers", 0, "resources", "limits"))
                .put("memory", "one gigabyte");
        assertThatThrownBy(() -> KubernetesSchemas.validate(quantity)).isInstanceOf(AssertionError.class);
    }

    @Test
    void sqliteRunsExactlyOnePodThatStopsBeforeItsSuccessorOnAClaimedVolume() {
        HelmChart.Manifests manifests = HelmChart.render("db: {type: sqlite}\n");
        Map<String, Object> deployment = manifests.one("Deployment");
        assertThat((Integer) path(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat((String) path(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        Map<String, Object> container = path(deployment, "spec", "template", "spec", "containers", 0);
        assertThat(env(container)).containsEntry("DATABASE_URL", "sqlite:////data/switchboard.db");
        assertThat((List<Map<String, Object>>) path(container, "volumeMounts"))
                .anySatisfy(m -> assertThat(m).containsEntry("mountPath", "/data").containsEntry("name", "data"));
        Map<String, Object> pvc = manifests.one("PersistentVolumeClaim");
        assertThat((List<String>) path(pvc, "spec", "accessModes")).containsExactly("ReadWriteOnce");
        assertThat((List<Map<String, Object>>) path(deployment, "spec", "template", "spec", "volumes"))
                .anySatisfy(v -> assertThat((String) path(v, "persistentVolumeClaim", "claimName"))
                        .isEqualTo(path(pvc, "metadata", "name")));
        // No DATABASE_URL to keep, no key (a generated key file serves) and no admin (a generated password serves):
        // no Secret, no credentials.
        assertThat(manifests.ofKind("Secret")).isEmpty();
        assertThat(envEntries(container)).extracting(e -> (String) e.get("name"))
                .doesNotContain("SWITCHBOARD_SECRET_KEY", "ADMIN_USER", "ADMIN_PASSWORD", "JWT_SECRET");
        // With an admin, the Secret holds the admin's credentials only.
        assertThat(HelmChart.render("admin: {password: pw}\n").secret("sb-switchboard"))
                .isEqualTo(Map.of("ADMIN_USER", "admin", "ADMIN_PASSWORD", "pw"));

        HelmChart.Manifests existing = HelmChart.render("db: {type: sqlite, sqlite: {persistence: {existingClaim: mine}}}\n");
        assertThat(existing.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat((List<Map<String, Object>>) path(existing.one("Deployment"), "spec", "template", "spec", "volumes"))
                .anySatisfy(v -> assertThat((String) path(v, "persistentVolumeClaim", "claimName")).isEqualTo("mine"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"postgresql, POSTGRESQL, 5432", "mariadb, MARIADB, 3306", "mysql, MARIADB, 3306"})
    void anExternalDatabaseBecomesASecretHoldingADatabaseUrlThatTheGatewayParsesBack(String type, Engine family,
            int port) {
        HelmChart.Manifests manifests = HelmChart.render(external(type, "  params: {connect_timeout: 10}\n", ""));
        String url = manifests.secret("sb-switchboard").get("DATABASE_URL");
        ConnectionTarget target = DatabaseUrl.parse(url);
        assertThat(target.family()).isEqualTo(family);
        assertThat(target.user()).isEqualTo("gateway");
        assertThat(target.password()).isEqualTo(PASSWORD);
        assertThat(target.jdbcUrl()).contains("//db.registry.svc:" + port + "/switchboard");
        assertThat(url).doesNotContain(PASSWORD).contains("connect_timeout=10");
        assertThat(url.contains("allowPublicKeyRetrieval=true")).isEqualTo(type.equals("mysql"));

        Map<String, Object> container = path(manifests.one("Deployment"), "spec", "template", "spec", "containers", 0);
        Map<String, Object> ref = envEntries(container).stream().filter(e -> "DATABASE_URL".equals(e.get("name")))
                .findFirst().orElseThrow();
        assertThat((String) path(ref, "valueFrom", "secretKeyRef", "name")).isEqualTo("sb-switchboard");
        assertThat((String) path(ref, "valueFrom", "secretKeyRef", "key")).isEqualTo("DATABASE_URL");
        // The pods roll when the URL changes.
        assertThat((String) path(manifests.one("Deployment"), "spec", "template", "metadata", "annotations",
                "checksum/secret")).hasSize(64);
    }

    @Test
    void anExistingSecretSuppliesThePasswordAndNoSecretIsRendered() {
        HelmChart.Manifests manifests = HelmChart.render("""
                db: {type: postgresql, host: pg, name: registry, user: gw, existingSecret: pg-credentials,
                     existingSecretPasswordKey: pw}
                existingSecret: pg-credentials
                migration: {mode: job}
                """);
        // One Secret of the operator's holds everything, so the chart renders none.
        assertThat(manifests.ofKind("Secret")).isEmpty();
        for (Map<String, Object> workload : List.of(manifests.one("Deployment"), manifests.one("Job"))) {
            Map<String, Object> container = path(workload, "spec", "template", "spec", "containers", 0);
            List<Map<String, Object>> env = envEntries(container);
            assertThat(env.get(0)).isEqualTo(Map.of("name", "DATABASE_PASSWORD",
                    "valueFrom", Map.of("secretKeyRef", Map.of("name", "pg-credentials", "key", "pw"))));
            assertThat(env(container)).containsEntry("DATABASE_URL", "postgresql+psycopg://gw@pg:5432/registry");
        }
    }

    @Test
    void withTheJobModeAHookMigratesBeforeInstallAndUpgradeAndPodsSkipMigrations() {
        HelmChart.Manifests manifests = HelmChart.render(external("mariadb", "migration: {mode: job}\n"));
        Map<String, Object> job = manifests.one("Job");
        assertThat((Map<String, String>) path(job, "metadata", "annotations"))
                .containsEntry(HelmChart.HOOK, "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-weight", "0")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
        Map<String, Object> container = path(job, "spec", "template", "spec", "containers", 0);
        assertThat((List<String>) container.get("command"))
                .containsExactly("java", "-jar", "/app/switchboard.jar", "db", "migrate");
        assertThat((String) path(job, "spec", "template", "spec", "restartPolicy")).isEqualTo("Never");
        // The Job reads its own hook Secret, created before it: the release's Secret does not exist yet on install.
        Map<String, Object> ref = envEntries(container).get(0);
        assertThat((String) path(ref, "valueFrom", "secretKeyRef", "name")).isEqualTo("sb-switchboard-migrate-db");
        Map<String, Object> hookSecret = manifests.ofKind("Secret").stream()
                .filter(s -> "sb-switchboard-migrate-db".equals(path(s, "metadata", "name"))).findFirst().orElseThrow();
        assertThat((String) path(hookSecret, "metadata", "annotations", HelmChart.HOOK)).isEqualTo("pre-install,pre-upgrade");
        assertThat(Integer.parseInt(path(hookSecret, "metadata", "annotations", "helm.sh/hook-weight")))
                .isLessThan(0);
        // The Job needs DATABASE_URL alone: migrating reads no stored secret and signs in as nobody.
        assertThat(manifests.secret("sb-switchboard-migrate-db"))
                .isEqualTo(Map.of("DATABASE_URL", manifests.secret("sb-switchboard").get("DATABASE_URL")));
        assertThat(envEntries(container)).extracting(e -> e.get("name")).containsExactly("DATABASE_URL");

        Map<String, Object> pod = path(manifests.one("Deployment"), "spec", "template", "spec", "containers", 0);
        assertThat(env(pod)).containsEntry("SWITCHBOARD_SKIP_MIGRATIONS", "true");
        assertThat(HelmChart.render(external("mariadb", "")).ofKind("Job")).isEmpty();
    }

    @Test
    void replicasResourcesPoolSettingsTheBudgetAndTheServiceMonitorFollowTheValues() {
        HelmChart.Manifests manifests = HelmChart.render(external("postgresql", """
                replicaCount: 4
                resources: {requests: {cpu: 250m, memory: 600Mi}, limits: {memory: 900Mi}}
                pool: {size: 20, maxLifetimeMs: 1800000}
                migration: {lockTimeoutMs: 120000}
                podDisruptionBudget: {enabled: true, minAvailable: 2, maxUnavailable: null}
                serviceMonitor: {enabled: true, interval: 15s, labels: {release: prometheus}}
                extraEnv: [{name: JAVA_TOOL_OPTIONS, value: "-XX:MaxRAMPercentage=70"}]
                shutdown: {drainSeconds: 8, terminationGracePeriodSeconds: 60}
                """));
        Map<String, Object> deployment = manifests.one("Deployment");
        assertThat((Integer) path(deployment, "spec", "replicas")).isEqualTo(4);
        assertThat((Integer) path(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"))
                .isEqualTo(60);
        Map<String, Object> container = path(deployment, "spec", "template", "spec", "containers", 0);
        assertThat((String) path(container, "resources", "limits", "memory")).isEqualTo("900Mi");
        assertThat(env(container)).containsEntry("DB_POOL_SIZE", "20").containsEntry("DB_POOL_MAX_LIFETIME_MS", "1800000")
                .containsEntry("SWITCHBOARD_MIGRATION_LOCK_TIMEOUT_MS", "120000")
                .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70")
                .containsEntry("SWITCHBOARD_SHUTDOWN_DRAIN", "PT8S")
                .doesNotContainKey("DB_POOL_MIN_IDLE");
        Map<String, Object> pdb = manifests.one("PodDisruptionBudget");
        assertThat((Integer) path(pdb, "spec", "minAvailable")).isEqualTo(2);
        assertThat((Map<String, Object>) path(pdb, "spec")).doesNotContainKey("maxUnavailable");
        Map<String, Object> monitor = manifests.one("ServiceMonitor");
        assertThat((String) path(monitor, "metadata", "labels", "release")).isEqualTo("prometheus");
        Map<String, Object> endpoint = path(monitor, "spec", "endpoints", 0);
        assertThat(endpoint).containsEntry("path", "/metrics/prometheus").containsEntry("interval", "15s");
        assertThat(endpoint.get("port")).isEqualTo(path(manifests.one("Service"), "spec", "ports", 0, "name"));
        assertThat((Map<String, Object>) path(monitor, "spec", "selector", "matchLabels"))
                .isEqualTo(path(manifests.one("Service"), "spec", "selector"));
        // /metrics/prometheus needs metrics:read: Prometheus signs in as the admin, from the gateway's own Secret.
        assertThat((Map<String, Object>) endpoint.get("basicAuth")).isEqualTo(Map.of(
                "username", Map.of("name", "sb-switchboard", "key", "ADMIN_USER"),
                "password", Map.of("name", "sb-switchboard", "key", "ADMIN_PASSWORD")));
        assertThat(manifests.secret("sb-switchboard")).containsEntry("ADMIN_USER", "admin")
                .containsEntry("ADMIN_PASSWORD", ADMIN_PASSWORD);
    }

    @Test
    void theGatewaysKeyAndAdminCredentialsComeFromTheChartsSecret() {
        HelmChart.Manifests manifests = HelmChart.render(external("mariadb", "jwtSecret: a-jwt-signing-secret-of-32-bytes!\n")
                .replace("admin: {", "admin: {user: root-of-trust, "));
        assertThat(manifests.secret("sb-switchboard")).containsOnlyKeys("DATABASE_URL", "SWITCHBOARD_SECRET_KEY",
                        "ADMIN_USER", "ADMIN_PASSWORD", "JWT_SECRET")
                .containsEntry("SWITCHBOARD_SECRET_KEY", TestSecretKeys.KEY)
                .containsEntry("ADMIN_USER", "root-of-trust")
                .containsEntry("ADMIN_PASSWORD", ADMIN_PASSWORD)
                .containsEntry("JWT_SECRET", "a-jwt-signing-secret-of-32-bytes!");
        Map<String, Object> container = path(manifests.one("Deployment"), "spec", "template", "spec", "containers", 0);
        for (String name : List.of("SWITCHBOARD_SECRET_KEY", "ADMIN_USER", "ADMIN_PASSWORD", "JWT_SECRET")) {
            assertThat(envEntries(container)).filteredOn(e -> name.equals(e.get("name"))).singleElement()
                    .isEqualTo(Map.of("name", name, "valueFrom", Map.of("secretKeyRef",
                            Map.of("name", "sb-switchboard", "key", name))));
        }
        // Without jwtSecret there is no JWT_SECRET at all, rather than an empty one.
        Map<String, Object> plain = path(HelmChart.render(external("mariadb", "")).one("Deployment"), "spec",
                "template", "spec", "containers", 0);
        assertThat(envEntries(plain)).noneMatch(e -> "JWT_SECRET".equals(e.get("name")));
    }

    @Test
    void withoutAnAdminPasswordNoAdminIsConfigured() {
        HelmChart.Manifests manifests = HelmChart.render(external("postgresql", "")
                .replaceAll("admin: \\{[^}]*}\n", ""));
        assertThat(manifests.secret("sb-switchboard")).containsOnlyKeys("DATABASE_URL", "SWITCHBOARD_SECRET_KEY");
        Map<String, Object> container = path(manifests.one("Deployment"), "spec", "template", "spec", "containers", 0);
        assertThat(envEntries(container)).extracting(e -> (String) e.get("name"))
                .doesNotContain("ADMIN_USER", "ADMIN_PASSWORD");
    }

    @Test
    void anExistingSecretSuppliesTheKeyAndTheAdminCredentialsWithTheKeyOptionalOnlyForSqlite() {
        for (String type : List.of("sqlite", "postgresql")) {
            String db = type.equals("sqlite") ? "db: {type: sqlite}" : "db: {type: postgresql, host: pg, name: sb, "
                    + "user: sb, password: pw}";
            HelmChart.Manifests manifests = HelmChart.render(db + "\nexistingSecret: gateway-credentials\n"
                    + "serviceMonitor: {enabled: true}\n");
            Map<String, Object> container = path(manifests.one("Deployment"), "spec", "template", "spec",
                    "containers", 0);
            Map<String, Map<String, Object>> refs = new LinkedHashMap<>();
            envEntries(container).stream().filter(e -> e.containsKey("valueFrom"))
                    .forEach(e -> refs.put((String) e.get("name"), path(e, "valueFrom", "secretKeyRef")));
            for (String name : List.of("SWITCHBOARD_SECRET_KEY", "ADMIN_USER", "ADMIN_PASSWORD", "JWT_SECRET")) {
                assertThat(refs.get(name)).as(type + " " + name).containsEntry("name", "gateway-credentials")
                        .containsEntry("key", name);
            }
            assertThat(refs.get("SWITCHBOARD_SECRET_KEY").get("optional")).as(type)
                    .isEqualTo(type.equals("sqlite") ? true : null);
            assertThat(refs.get("JWT_SECRET")).containsEntry("optional", true);
            assertThat(refs.get("ADMIN_PASSWORD")).doesNotContainKey("optional");
            assertThat((String) path(manifests.one("ServiceMonitor"), "spec", "endpoints", 0, "basicAuth", "password",
                    "name")).isEqualTo("gateway-credentials");
            // The chart's own Secret is left with DATABASE_URL alone, or not rendered at all.
            if (type.equals("sqlite")) {
                assertThat(manifests.ofKind("Secret")).isEmpty();
            } else {
                assertThat(manifests.secret("sb-switchboard")).containsOnlyKeys("DATABASE_URL");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"podDisruptionBudget", "serviceMonitor"})
    void theBudgetAndTheServiceMonitorAreOffByDefault(String value) {
        HelmChart.Manifests manifests = HelmChart.render(external("postgresql", ""));
        assertThat(manifests.kinds()).doesNotContain(value.equals("serviceMonitor") ? "ServiceMonitor" : "PodDisruptionBudget");
    }

    static List<Map<String, Object>> envEntries(Map<String, Object> container) {
        return path(container, "env");
    }

    /** The container's plain env values by name (entries taken from Secrets are left out). */
    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> entry : envEntries(container)) {
            if (entry.containsKey("value")) {
                env.put((String) entry.get("name"), (String) entry.get("value"));
            }
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> manifest) {
        return (Map<String, Object>) deepCopy(manifest);
    }

    private static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), deepCopy(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            return new java.util.ArrayList<>(list.stream().map(ChartRenderTest::deepCopy).toList());
        }
        return node;
    }
}
