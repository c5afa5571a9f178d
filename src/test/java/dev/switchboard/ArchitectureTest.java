package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * The architecture rules of docs/architecture.md as tests: which package may use which, no cycles, engine names
 * only in persistence/, protocol revisions only in protocol/, and controllers that go through services. A change
 * that breaks a rule fails here with a message that names the rule.
 */
class ArchitectureTest {

    private static final String BASE = "dev.switchboard";

    /** Leaves: every package may use them, and they use no other package of ours. */
    static final Set<String> LEAVES = Set.of("protocol", "settings", "problem");

    /**
     * The packages each package may use, besides itself and the leaves. The order is the one docs/architecture.md
     * draws: mcp → invocation → federation → catalog → security → jobs → persistence, with observability beside
     * them (below invocation), api as web plumbing, and the CLI and the entry point on top.
     */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("persistence", Set.of()),
            Map.entry("api", Set.of("persistence")),
            Map.entry("jobs", Set.of("persistence")),
            Map.entry("audit", Set.of("jobs", "persistence")),
            Map.entry("security", Set.of("audit", "jobs", "persistence")),
            Map.entry("security.authserver", Set.of("security", "jobs", "persistence", "api")),
            Map.entry("catalog", Set.of("security", "jobs", "persistence")),
            // Per-tool policies in CEL: compiled when a server is written, applied by the MCP endpoints.
            Map.entry("policy", Set.of()),
            // Users and their rights: security asks them through its UserRights seam.
            Map.entry("users", Set.of("audit", "security", "jobs", "persistence", "api")),
            Map.entry("catalog.rest", Set.of("catalog", "policy", "audit", "security", "jobs", "persistence", "api")),
            Map.entry("federation", Set.of("catalog", "audit", "security", "jobs", "persistence", "api")),
            Map.entry("observability", Set.of("catalog", "audit", "security", "jobs", "persistence", "api")),
            Map.entry("invocation", Set.of("observability", "federation", "catalog", "security", "jobs",
                    "persistence")),
            // The replicas of a registry: where each is, and requests from one to another, signed.
            Map.entry("replicas", Set.of("security", "jobs", "persistence")),
            Map.entry("mcp", Set.of("invocation", "observability", "audit", "catalog", "policy", "replicas",
                    "security", "jobs", "persistence", "api")),
            Map.entry("cli", Set.of("catalog", "security", "persistence")),
            // The operator's console: pages over the services the REST API uses, at the top of the stack.
            Map.entry("console", Set.of("mcp", "invocation", "observability", "federation", "catalog.rest",
                    "catalog", "users", "audit", "security", "jobs", "persistence", "api")),
            // The authorization server's login and consent pages: they name the virtual server a client asks for.
            // Users sign in with a password or at the provider, whose users are created here.
            Map.entry("signin", Set.of("security.authserver", "catalog", "users", "security", "jobs", "persistence",
                    "api")));

    private static final Pattern ENGINE_NAME = Pattern.compile("(?i)mariadb|postgres|sqlite|mysql");
    private static final Pattern REVISION_LITERAL = Pattern.compile("\"20\\d\\d-\\d\\d-\\d\\d\"");
    private static final Path MAIN_SOURCES = Path.of("src/main/java/dev/switchboard");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
    }

    @TestFactory
    Stream<DynamicTest> eachPackageUsesOnlyThePackagesBelowIt() {
        return ALLOWED.keySet().stream().sorted().map(pkg -> DynamicTest.dynamicTest(pkg, () -> {
            Set<String> allowed = new java.util.HashSet<>(ALLOWED.get(pkg));
            allowed.add(pkg);
            allowed.addAll(LEAVES);
            noClasses().that(inModule(pkg))
                    .should().dependOnClassesThat(inAModuleOtherThan(allowed))
                    .as("rule 'package dependencies': " + pkg + " may use only " + new java.util.TreeSet<>(
                            ALLOWED.get(pkg)) + " and the leaves " + new java.util.TreeSet<>(LEAVES))
                    .because("dependencies point downward (docs/architecture.md)")
                    .check(classes);
        }));
    }

    @Test
    void everyPackageHasARule() {
        Set<String> packages = new java.util.TreeSet<>();
        for (JavaClass type : classes) {
            String name = type.getPackageName();
            if (name.equals(BASE)) continue;
            packages.add(moduleOf(type));
        }
        packages.removeAll(LEAVES);
        assertThat(ALLOWED.keySet())
                .as("rule 'every package has a rule': add a new package to ArchitectureTest.ALLOWED "
                        + "and to docs/architecture.md")
                .containsAll(packages);
    }

    @Test
    void leavesUseNoOtherPackage() {
        for (String leaf : LEAVES) {
            noClasses().that(inModule(leaf))
                    .should().dependOnClassesThat(inAModuleOtherThan(Set.of(leaf)))
                    .as("rule 'leaves': " + leaf + " uses no other package of Switchboard")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(BASE + ".(*)..")
                .should().beFreeOfCycles()
                .as("rule 'no cycles': no package depends, through any chain, on itself")
                .check(classes);
    }

    @Test
    void controllersGoThroughTheServiceWhereOneExists() {
        noClasses().that().areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
                .should(new ArchCondition<JavaClass>("use a repository whose entity has a service") {
                    @Override
                    public void check(JavaClass controller, ConditionEvents events) {
                        controller.getDirectDependenciesFromSelf().forEach(dependency -> {
                            JavaClass target = dependency.getTargetClass();
                            String name = target.getName();
                            if (!name.startsWith(BASE) || !name.endsWith("Repository")) return;
                            String service = name.substring(0, name.length() - "Repository".length()) + "Service";
                            if (classes.contain(service)) {
                                events.add(SimpleConditionEvent.satisfied(dependency,
                                        controller.getSimpleName() + " uses " + target.getSimpleName()
                                                + " although " + service + " exists"));
                            }
                        });
                    }
                })
                .as("rule 'controllers use services': a controller uses XService, not XRepository, where "
                        + "XService exists")
                .check(classes);
    }

    @Test
    void engineNamesAppearOnlyInPersistence() throws IOException {
        assertThat(codeLinesMatching(ENGINE_NAME, "persistence"))
                .as("rule 'engine names only in persistence/': ask the Dialect instead (docs/architecture.md)")
                .isEmpty();
        noClasses().that().resideOutsideOfPackage(BASE + ".persistence..")
                .should().dependOnClassesThat().resideInAnyPackage("org.postgresql..", "org.mariadb..",
                        "org.sqlite..", "com.mysql..")
                .as("rule 'engine names only in persistence/': no driver class outside persistence/")
                .check(classes);
    }

    @Test
    void protocolRevisionsAppearOnlyInTheProtocolPackage() throws IOException {
        assertThat(codeLinesMatching(REVISION_LITERAL, "protocol"))
                .as("rule 'revisions only in protocol/': name a revision through protocol.Revision")
                .isEmpty();
    }

    /**
     * The rule a package falls under: the longest name in ALLOWED or LEAVES that it is or lies below (catalog.rest
     * has a rule of its own, apart from catalog); "" for the entry point's package.
     */
    static String moduleOf(JavaClass type) {
        String pkg = type.getPackageName();
        if (!pkg.startsWith(BASE + ".")) return "";
        String relative = pkg.substring(BASE.length() + 1);
        String best = relative.split("\\.")[0];
        for (String name : Stream.concat(ALLOWED.keySet().stream(), LEAVES.stream()).toList()) {
            if ((relative.equals(name) || relative.startsWith(name + ".")) && name.length() >= best.length()) {
                best = name;
            }
        }
        return best;
    }

    private static DescribedPredicate<JavaClass> inModule(String module) {
        return DescribedPredicate.describe("belong to " + module, type -> moduleOf(type).equals(module)
                && type.getPackageName().startsWith(BASE + "."));
    }

    private static DescribedPredicate<JavaClass> inAModuleOtherThan(Set<String> allowed) {
        return DescribedPredicate.describe("belong to a Switchboard package other than those",
                type -> type.getPackageName().startsWith(BASE) && !allowed.contains(moduleOf(type)));
    }

    /** Code lines (comments left out) of src/main outside the named package that match the pattern. */
    private static Map<String, String> codeLinesMatching(Pattern pattern, String exemptPackage) throws IOException {
        Map<String, String> found = new TreeMap<>();
        Path exempt = MAIN_SOURCES.resolve(exemptPackage);
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (file.startsWith(exempt)) continue;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("//") || line.startsWith("*") || line.startsWith("/*")) continue;
                    int comment = line.indexOf("//");
                    String code = comment >= 0 ? line.substring(0, comment) : line;
                    if (pattern.matcher(code).find()) found.put(file + ":" + (i + 1), line);
                }
            }
        }
        return found;
    }
}
