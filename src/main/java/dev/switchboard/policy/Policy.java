package dev.switchboard.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A virtual server's per-tool policy: rules in CEL (Google's cel-java) that see {@code caller} (its {@code sub},
 * {@code teams}, {@code scopes} and {@code claims}) and {@code request} (its {@code method}, {@code tool} and
 * {@code arguments}). A request proceeds when no deny rule matches and, if there are allow rules, one of them does.
 * A rule whose evaluation fails (an argument that is not there, a value of another type) fails closed: a deny rule
 * counts as matching, an allow rule as not. Listing has no arguments, so rules that fail there are left out of the
 * decision; the call is decided again with its arguments.
 */
public final class Policy {

    /** Expressions compiled at most, remembered by their text; past it, all are forgotten at once. */
    static final int MAX_COMPILED = 10_000;
    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true)
            .build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("caller", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
            .build();
    private static final Map<String, CelRuntime.Program> COMPILED = new ConcurrentHashMap<>();

    /** A decision: allowed, or refused by the rule named (its index, and its description when it has one). */
    public record Decision(boolean allowed, String reason) {
        static final Decision ALLOWED = new Decision(true, null);
    }

    private record Compiled(PolicyRule rule, int index, CelRuntime.Program program) {
    }

    private final List<Compiled> rules;

    private Policy(List<Compiled> rules) {
        this.rules = rules;
    }

    /**
     * The policy of these rules, each compiled.
     *
     * @throws PolicyCompileException naming the first rule that does not compile, and where
     */
    public static Policy of(List<PolicyRule> rules) {
        List<Compiled> compiled = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            compiled.add(new Compiled(rules.get(i), i, program(i, rules.get(i).when())));
        }
        return new Policy(List.copyOf(compiled));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code tool} is listed to {@code caller}: the decision without arguments. */
    public boolean lists(Map<String, Object> caller, String method, String tool) {
        return decide(caller, request(method, tool, Map.of()), true).allowed();
    }

    /** Whether a call of {@code tool} with {@code arguments} may proceed. */
    public Decision decide(Map<String, Object> caller, String method, String tool, Map<String, Object> arguments) {
        return decide(caller, request(method, tool, arguments), false);
    }

    private Decision decide(Map<String, Object> caller, Map<String, Object> request, boolean listing) {
        Map<String, Object> input = Map.of("caller", caller, "request", request);
        boolean anyAllow = false;
        boolean allowed = false;
        for (Compiled rule : rules) {
            Optional<Boolean> matched = matches(rule, input);
            if (matched.isEmpty() && listing) {
                continue;
            }
            boolean hit = matched.orElse(rule.rule().effect() == PolicyRule.Effect.DENY);
            if (rule.rule().effect() == PolicyRule.Effect.DENY) {
                if (hit) {
                    return new Decision(false, describe(rule));
                }
            } else {
                anyAllow = true;
                allowed |= hit;
            }
        }
        return !anyAllow || allowed ? Decision.ALLOWED : new Decision(false, "no allow rule matched");
    }

    /** The rule's outcome, or empty when its evaluation failed or did not give a boolean. */
    private static Optional<Boolean> matches(Compiled rule, Map<String, Object> input) {
        try {
            return rule.program().eval(input) instanceof Boolean b ? Optional.of(b) : Optional.empty();
        } catch (CelEvaluationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String describe(Compiled rule) {
        String description = rule.rule().description();
        return "deny rule " + rule.index() + " matched"
                + (description == null || description.isBlank() ? "" : ": " + description);
    }

    private static Map<String, Object> request(String method, String tool, Map<String, Object> arguments) {
        return Map.of("method", method, "tool", tool, "arguments", arguments);
    }

    private static CelRuntime.Program program(int index, String expression) {
        CelRuntime.Program known = COMPILED.get(expression);
        if (known != null) {
            return known;
        }
        CelValidationResult result = COMPILER.compile(expression);
        if (result.hasError()) {
            CelIssue issue = result.getErrors().getFirst();
            throw new PolicyCompileException(index, issue.getSourceLocation().getLine(),
                    issue.getSourceLocation().getColumn() + 1, issue.getMessage());
        }
        CelRuntime.Program program;
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            program = RUNTIME.createProgram(ast);
        } catch (Exception e) {
            throw new PolicyCompileException(index, 1, 1, e.getMessage());
        }
        if (COMPILED.size() >= MAX_COMPILED) {
            COMPILED.clear();
        }
        COMPILED.put(expression, program);
        return program;
    }
}
