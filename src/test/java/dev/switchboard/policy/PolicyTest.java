package dev.switchboard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Policies as cel-java compiles and evaluates them: who may list and call what, and the mistakes refused. */
class PolicyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Object> SRE = Map.of("sub", "dana", "teams", List.of("sre"),
            "scopes", List.of("mcp:use"), "claims", Map.of("email", "dana@example.com"));
    private static final Map<String, Object> OTHER = Map.of("sub", "eve", "teams", List.of(),
            "scopes", List.of("mcp:use"), "claims", Map.of());

    @Test
    void allowRulesAdmitByTeamAndDenyRulesRefuseByArgumentValue() {
        Policy policy = Policy.of(PolicyDocument.read(json("""
                [{"effect": "allow", "when": "'sre' in caller.teams || request.tool == 'forecast'"},
                 {"effect": "deny", "when": "request.tool == 'payout' && request.arguments.amount > 1000",
                  "description": "large payouts"}]""")));

        assertThat(policy.lists(SRE, "tools/list", "payout")).isTrue();
        assertThat(policy.lists(OTHER, "tools/list", "payout")).isFalse();
        assertThat(policy.lists(OTHER, "tools/list", "forecast")).isTrue();
        assertThat(policy.decide(SRE, "tools/call", "payout", Map.of("amount", 10L)).allowed()).isTrue();
        // int64 and double compare alike.
        Policy.Decision large = policy.decide(SRE, "tools/call", "payout", Map.of("amount", 1000.5));
        assertThat(large.allowed()).isFalse();
        assertThat(large.reason()).isEqualTo("deny rule 1 matched: large payouts");
        assertThat(policy.decide(OTHER, "tools/call", "payout", Map.of("amount", 1L)).reason())
                .isEqualTo("no allow rule matched");
        // A deny rule that cannot be evaluated refuses the call (fails closed); listing leaves it out.
        assertThat(policy.decide(SRE, "tools/call", "payout", Map.of()).allowed()).isFalse();
        assertThat(policy.decide(SRE, "tools/call", "payout", Map.of("amount", "lots")).allowed()).isFalse();
    }

    @Test
    void rulesSeeClaimsScopesAndMacros() {
        Policy policy = Policy.of(PolicyDocument.read(json("""
                [{"effect": "deny", "when": "!caller.claims.email.endsWith('@example.com')"},
                 {"effect": "deny", "when": "has(request.arguments.path) && request.arguments.path.startsWith('/etc')"},
                 {"effect": "allow", "when": "caller.scopes.exists(s, s == 'mcp:use')"}]""")));
        assertThat(policy.decide(SRE, "tools/call", "read", Map.of("path", "/tmp/x")).allowed()).isTrue();
        assertThat(policy.decide(SRE, "tools/call", "read", Map.of()).allowed()).isTrue();
        assertThat(policy.decide(SRE, "tools/call", "read", Map.of("path", "/etc/passwd")).allowed()).isFalse();
        assertThat(policy.decide(OTHER, "tools/call", "read", Map.of()).allowed()).isFalse();
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> PolicyDocument.read(json("""
                [{"effect": "allow", "when": "true"},
                 {"effect": "deny", "when": "request.tool == 'x' &&"}]""")))
                .isInstanceOfSatisfying(PolicyDocument.InvalidPolicyException.class, e -> {
                    assertThat(e.field()).isEqualTo("policy[1].when");
                    assertThat(e.getMessage()).startsWith("does not compile at line 1, column 23: ");
                });
        assertThatThrownBy(() -> PolicyDocument.read(json("[{\"effect\": \"deny\", \"when\": \"nobody.knows\"}]")))
                .isInstanceOfSatisfying(PolicyDocument.InvalidPolicyException.class, e -> {
                    assertThat(e.field()).isEqualTo("policy[0].when");
                    assertThat(e.getMessage()).contains("line 1, column 1").contains("nobody");
                });
        assertThatThrownBy(() -> PolicyDocument.read(json("[{\"effect\": \"maybe\", \"when\": \"true\"}]")))
                .hasFieldOrPropertyWithValue("field", "policy[0].effect");
        assertThatThrownBy(() -> PolicyDocument.read(json("[{\"effect\": \"deny\", \"when\": \"true\", \"x\": 1}]")))
                .hasFieldOrPropertyWithValue("field", "policy[0].x");
        assertThatThrownBy(() -> PolicyDocument.read(json("{\"effect\": \"deny\"}")))
                .hasFieldOrPropertyWithValue("field", "policy");
    }

    @Test
    void aStoredDocumentIsCompiledOnceAndOneThatNoLongerReadsDeniesAll() {
        String stored = PolicyDocument.write(PolicyDocument.read(json("[{\"effect\": \"deny\", \"when\": \"false\"}]")));
        assertThat(PolicyDocument.compiled(stored)).isSameAs(PolicyDocument.compiled(stored));
        assertThat(PolicyDocument.compiled(stored).lists(OTHER, "tools/list", "x")).isTrue();
        assertThat(PolicyDocument.compiled("not json").lists(SRE, "tools/list", "x")).isFalse();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
