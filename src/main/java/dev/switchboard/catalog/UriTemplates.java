package dev.switchboard.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RFC 6570 URI templates (levels 1 to 4): their syntax, checked when a template resource is stored, and whether a
 * URI could have been expanded from one, which is how a read of a templated URI finds the upstream serving it.
 */
public final class UriTemplates {

    private static final String OPERATORS = "+#./;?&";
    private static final Pattern VARNAME = Pattern.compile("(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})"
            + "(?:\\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*");

    private UriTemplates() {
    }

    /** The variable names of {@code template}, in order; fails if the template is not valid RFC 6570. */
    public static List<String> variables(String field, String template) {
        if (template == null || template.isEmpty()) {
            throw new InvalidEntryException(field, field + " is required");
        }
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '}') {
                throw new InvalidEntryException(field, field + " has a '}' without its '{' at " + i);
            }
            if (c != '{') {
                if (Character.isWhitespace(c) || c == '<' || c == '>' || c == '"' || c == '\\' || c == '^'
                        || c == '`' || c == '|') {
                    throw new InvalidEntryException(field, field + " may not contain '" + c + "' (at " + i + ")");
                }
                i++;
                continue;
            }
            int end = template.indexOf('}', i);
            if (end < 0) {
                throw new InvalidEntryException(field, field + " has a '{' that is never closed (at " + i + ")");
            }
            names.addAll(expression(field, template.substring(i + 1, end), i));
            i = end + 1;
        }
        return names;
    }

    private static List<String> expression(String field, String body, int at) {
        String specs = !body.isEmpty() && OPERATORS.indexOf(body.charAt(0)) >= 0 ? body.substring(1) : body;
        if (specs.isEmpty()) {
            throw new InvalidEntryException(field, field + " has an empty expression at " + at);
        }
        List<String> names = new ArrayList<>();
        for (String spec : specs.split(",", -1)) {
            String name = spec;
            if (name.endsWith("*")) {
                name = name.substring(0, name.length() - 1);
            } else if (name.contains(":")) {
                String prefix = name.substring(name.indexOf(':') + 1);
                name = name.substring(0, name.indexOf(':'));
                if (!prefix.matches("[1-9][0-9]{0,3}")) {
                    throw new InvalidEntryException(field, field + " has a bad prefix length ':" + prefix + "' at " + at);
                }
            }
            if (!VARNAME.matcher(name).matches()) {
                throw new InvalidEntryException(field, field + " has a bad variable name '" + spec + "' at " + at);
            }
            names.add(name);
        }
        return names;
    }

    /**
     * Whether {@code uri} is an expansion of {@code template}. Literal parts must match exactly; a simple
     * expression ({@code {x}}) stands for text without '/', '?', '#' or '&', and the others for any text that
     * begins with their operator's character, so a matching URI is one this template's server can be asked for.
     */
    public static boolean matches(String template, String uri) {
        StringBuilder regex = new StringBuilder("^");
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(i)));
                break;
            }
            if (open > i) {
                regex.append(Pattern.quote(template.substring(i, open)));
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                return false;
            }
            char operator = close > open + 1 ? template.charAt(open + 1) : ' ';
            regex.append(switch (operator) {
                case '+', '#' -> "(?:#?.*)";
                case '.', '/', ';', '?', '&' -> "(?:" + Pattern.quote(String.valueOf(operator)) + "[^#]*)?";
                default -> "[^/?#&]*";
            });
            i = close + 1;
        }
        return Pattern.compile(regex.append('$').toString(), Pattern.DOTALL).matcher(uri).matches();
    }
}
