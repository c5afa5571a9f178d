package dev.switchboard.policy;

/**
 * One rule of a virtual server's policy: when the CEL expression {@code when} is true, the rule matches, and its
 * {@code effect} (allow or deny) takes part in the decision ({@link Policy}).
 */
public record PolicyRule(Effect effect, String when, String description) {

    /** What a matching rule does. */
    public enum Effect {
        ALLOW, DENY;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
