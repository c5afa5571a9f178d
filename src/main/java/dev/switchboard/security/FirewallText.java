package dev.switchboard.security;

import java.util.function.Predicate;

/**
 * The rule the firewall applies to header and parameter names and values: every code point assigned, none a
 * control character. It is Spring Security's default rule, checked here without a regular expression: the default
 * matched a pattern on every header read, several times per request, and that was a twentieth of an MCP call.
 */
final class FirewallText implements Predicate<String> {

    static final FirewallText RULE = new FirewallText(false);
    /**
     * Parameter values may also hold line breaks and tabs: a form's text area sends its lines as CR LF (a pasted
     * JSON document, header lines), which is data of the form, not of the request's framing.
     */
    static final FirewallText FORM_VALUES = new FirewallText(true);

    private final boolean lines;

    private FirewallText(boolean lines) {
        this.lines = lines;
    }

    @Override
    public boolean test(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            boolean lineBreak = codePoint == '\n' || codePoint == '\r' || codePoint == '\t';
            if (!Character.isDefined(codePoint) || (Character.isISOControl(codePoint) && !(lines && lineBreak))) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
