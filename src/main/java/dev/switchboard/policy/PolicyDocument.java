package dev.switchboard.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A policy as JSON: an array of rules, each {@code {"effect": "allow"|"deny", "when": "<CEL>", "description": …}}.
 * Read and compiled when written, so a rule that does not compile is refused there; read again, from the stored
 * text, by the MCP endpoints, which keep what they compiled.
 */
public final class PolicyDocument {

    /** Rules a policy holds at most, and characters an expression holds at most. */
    public static final int MAX_RULES = 50;
    public static final int MAX_EXPRESSION = 4_096;
    static final int MAX_REMEMBERED = 1_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Policy> REMEMBERED = new ConcurrentHashMap<>();

    private PolicyDocument() {
    }

    /** A mistake in a policy document: the field it is in ({@code policy[2].when}) and what is wrong. */
    public static final class InvalidPolicyException extends RuntimeException {
        private final String field;

        InvalidPolicyException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * The rules of {@code document}, each compiled.
     *
     * @throws InvalidPolicyException naming the field of the first mistake, with the line and column of an
     *                                expression that does not compile
     */
    public static List<PolicyRule> read(JsonNode document) {
        if (!document.isArray()) {
            throw new InvalidPolicyException("policy", "must be an array of rules");
        }
        if (document.size() > MAX_RULES) {
            throw new InvalidPolicyException("policy", "at most " + MAX_RULES + " rules");
        }
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < document.size(); i++) {
            JsonNode rule = document.get(i);
            String at = "policy[" + i + "]";
            if (!rule.isObject()) {
                throw new InvalidPolicyException(at, "must be an object with effect and when");
            }
            for (String name : rule.propertyNames()) {
                if (!List.of("effect", "when", "description").contains(name)) {
                    throw new InvalidPolicyException(at + "." + name, "is not a field of a rule (effect, when, "
                            + "description)");
                }
            }
            JsonNode effect = rule.get("effect");
            if (effect == null || !effect.isString()
                    || !List.of("allow", "deny").contains(effect.asString())) {
                throw new InvalidPolicyException(at + ".effect", "must be allow or deny");
            }
            JsonNode when = rule.get("when");
            if (when == null || !when.isString() || when.asString().isBlank()) {
                throw new InvalidPolicyException(at + ".when", "must be a CEL expression");
            }
            if (when.asString().length() > MAX_EXPRESSION) {
                throw new InvalidPolicyException(at + ".when", "at most " + MAX_EXPRESSION + " characters");
            }
            JsonNode description = rule.get("description");
            if (description != null && !description.isNull()
                    && (!description.isString() || description.asString().length() > 1_024)) {
                throw new InvalidPolicyException(at + ".description", "must be text of at most 1024 characters");
            }
            rules.add(new PolicyRule(PolicyRule.Effect.valueOf(effect.asString().toUpperCase(Locale.ROOT)),
                    when.asString(), description == null || description.isNull() ? null : description.asString()));
        }
        try {
            Policy.of(rules);
        } catch (PolicyCompileException e) {
            throw new InvalidPolicyException("policy[" + e.rule() + "].when", "does not compile at line " + e.line()
                    + ", column " + e.column() + ": " + e.getMessage());
        }
        return rules;
    }

    /** The stored form of {@code rules}: the JSON array the API reads and shows. */
    public static String write(List<PolicyRule> rules) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PolicyRule rule : rules) {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("effect", rule.effect().value());
            r.put("when", rule.when());
            if (rule.description() != null) {
                r.put("description", rule.description());
            }
            out.add(r);
        }
        return JSON.writeValueAsString(out);
    }

    /** The policy a stored document holds, compiled once per text; a document that no longer reads denies all. */
    public static Policy compiled(String stored) {
        Policy known = REMEMBERED.get(stored);
        if (known != null) {
            return known;
        }
        Policy policy;
        try {
            policy = Policy.of(read(JSON.readTree(stored)));
        } catch (RuntimeException e) {
            policy = Policy.of(List.of(new PolicyRule(PolicyRule.Effect.DENY, "true",
                    "the stored policy cannot be read: " + e.getMessage())));
        }
        if (REMEMBERED.size() >= MAX_REMEMBERED) {
            REMEMBERED.clear();
        }
        REMEMBERED.put(stored, policy);
        return policy;
    }
}
