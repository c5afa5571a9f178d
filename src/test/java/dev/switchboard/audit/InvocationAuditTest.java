package dev.switchboard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.InvalidSettingException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an invocation's audit row holds: who, through which server, and its arguments only when asked, redacted. */
class InvocationAuditTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID TOOL = UUID.randomUUID();

    private static AuditSettings settings(boolean invocations, boolean arguments, List<String> redacted) {
        return new AuditSettings(Duration.ofDays(90), invocations, arguments, redacted);
    }

    private static AuditEvent event(InvocationAudit audit, String arguments) {
        return audit.event("tool", TOOL, "search", Instant.EPOCH, 42, null, JSON.readTree(arguments));
    }

    @Test
    void theInvokerAndServerComeFromTheWorkAroundTheCall() {
        InvocationAudit audit = new InvocationAudit(settings(true, false, List.of("password")));
        String server = UUID.randomUUID().toString();
        AuditEvent inside = InvocationAudit.onBehalfOf("alice", server, () -> InvocationAudit.onBehalfOf("bob", null,
                () -> event(audit, "{}")));
        assertThat(inside.actor()).isEqualTo("bob");
        assertThat(inside.serverId()).isNull();
        AuditEvent outer = InvocationAudit.onBehalfOf("alice", server, () -> event(audit, "{\"q\":1}"));
        assertThat(outer.actor()).isEqualTo("alice");
        assertThat(outer.serverId()).hasToString(server);
        assertThat(outer.action()).isEqualTo("invoke");
        assertThat(outer.outcome()).isEqualTo("success");
        assertThat(outer.durationUs()).isEqualTo(42);
        assertThat(outer.arguments()).as("arguments are off by default").isNull();
        AuditEvent outside = event(audit, "{}");
        assertThat(outside.actor()).isEqualTo(AuditTrail.SYSTEM);
        assertThat(outside.serverId()).isNull();
        assertThat(new InvocationAudit(settings(false, true, List.of())).event("tool", TOOL, "search", Instant.EPOCH,
                1, "timeout", null)).isNull();
    }

    @Test
    void listedFieldsAreRedactedAtAnyDepthAndInAnyCase() {
        InvocationAudit audit = new InvocationAudit(settings(true, true, List.of("password", " apiKey ", "")));
        AuditEvent event = event(audit, """
                {"user": "ann", "PASSWORD": "p1", "nested": {"ApiKey": {"deep": "k"}, "list": [{"password": "p2"},
                 3, "password"]}, "passwords": "kept"}""");
        JsonNode stored = JSON.readTree(event.arguments());
        assertThat(stored.get("user").asString()).isEqualTo("ann");
        assertThat(stored.get("PASSWORD").asString()).isEqualTo(InvocationAudit.REDACTED);
        assertThat(stored.at("/nested/ApiKey").asString()).isEqualTo(InvocationAudit.REDACTED);
        assertThat(stored.at("/nested/list/0/password").asString()).isEqualTo(InvocationAudit.REDACTED);
        assertThat(stored.at("/nested/list/2").asString()).as("a value, not a field name").isEqualTo("password");
        assertThat(stored.get("passwords").asString()).isEqualTo("kept");
        assertThat(event.arguments()).doesNotContain("p1", "p2", "\"k\"");
    }

    @Test
    void largeArgumentsAreRecordedAsTheirSizeOnly() {
        InvocationAudit audit = new InvocationAudit(settings(true, true, List.of()));
        String big = "x".repeat(InvocationAudit.MAX_ARGUMENTS_CHARS);
        JsonNode stored = JSON.readTree(event(audit, "{\"text\": \"" + big + "\"}").arguments());
        assertThat(stored.get("characters").asInt()).isEqualTo(InvocationAudit.MAX_ARGUMENTS_CHARS + 11);
        assertThat(stored.toString()).doesNotContain(big);
    }

    @Test
    void aRetentionOutOfBoundsIsRefusedByName() {
        assertThatThrownBy(() -> new AuditSettings(Duration.ofMinutes(5), true, false, List.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("SWITCHBOARD_AUDIT_RETENTION");
    }
}
