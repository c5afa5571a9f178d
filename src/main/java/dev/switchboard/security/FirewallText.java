package dev.switchboard.security;

import java.util.function.Predicate;

/**
 * The rule the firewall applies to header and parameter names and values: every code point assigned, none a
 * control character. It is Spring Security's default rule, checked here without a regular expression: the default
 * matched a pattern on every header read, several times per request, and that was a twentieth of an MCP call.
 */
final class FirewallText implements Predicate<String> {

    static final FirewallText RULE = new FirewallText();

    private FirewallText() {
    }

    @Override
    public boolean test(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!Character.isDefined(codePoint) || Character.isISOControl(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
