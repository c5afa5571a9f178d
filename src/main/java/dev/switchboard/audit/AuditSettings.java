package dev.switchboard.audit;

import dev.switchboard.settings.Bounds;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit trail's settings (SWITCHBOARD_AUDIT_*).
 *
 * @param retention      How long audit rows are kept; 1 hour to 100 years.
 * @param invocations    Whether MCP invocations (tool calls, resource reads, prompt gets) are recorded, besides
 *                       changes to the registry, which always are.
 * @param arguments      Whether an invocation's arguments are recorded; off by default.
 * @param redactedFields Argument fields whose values are replaced by "[redacted]" at any depth, compared without
 *                       regard to case.
 */
@ConfigurationProperties("switchboard.audit")
public record AuditSettings(@DefaultValue("P90D") Duration retention,
                            @DefaultValue("true") boolean invocations,
                            @DefaultValue("false") boolean arguments,
                            @DefaultValue("password,secret,token,apiKey,api_key,authorization")
                            List<String> redactedFields) {

    public AuditSettings {
        Bounds.duration("SWITCHBOARD_AUDIT_RETENTION", retention, Duration.ofHours(1), Duration.ofDays(36500));
        redactedFields = List.copyOf(redactedFields);
    }

    /** The redacted field names in lower case. */
    Set<String> redacted() {
        return redactedFields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).filter(f -> !f.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
