package dev.switchboard.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The prompt template language: literal text and {@code {{argument}}} placeholders, nothing else. It has no
 * loops, conditions, expressions or includes, so rendering can never run code or read anything but the
 * arguments it is given. A literal "{{" is written "{{{{".
 */
public final class PromptTemplate {

    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    public static final int MAX_LENGTH = 65_536;

    /** A part of a template: literal text, or the name of an argument. */
    private record Part(String text, boolean placeholder) {
    }

    private final List<Part> parts;

    private PromptTemplate(List<Part> parts) {
        this.parts = parts;
    }

    /** Parses {@code template}; a malformed one fails with the position of the problem. */
    public static PromptTemplate parse(String field, String template) {
        if (template == null) {
            throw new InvalidEntryException(field, field + " is required");
        }
        if (template.length() > MAX_LENGTH) {
            throw new InvalidEntryException(field, field + " is longer than " + MAX_LENGTH + " characters");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("{{{{", i)) {
                literal.append("{{");
                i += 4;
            } else if (template.startsWith("{{", i)) {
                int end = template.indexOf("}}", i + 2);
                if (end < 0) {
                    throw new InvalidEntryException(field, field + " has a '{{' that is never closed (at " + i + ")");
                }
                String name = template.substring(i + 2, end).strip();
                if (!ARGUMENT.matcher(name).matches()) {
                    throw new InvalidEntryException(field, field + " has '{{" + template.substring(i + 2, end)
                            + "}}' at " + i + "; a placeholder holds only an argument name");
                }
                if (!literal.isEmpty()) {
                    parts.add(new Part(literal.toString(), false));
                    literal.setLength(0);
                }
                parts.add(new Part(name, true));
                i = end + 2;
            } else {
                literal.append(template.charAt(i++));
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(literal.toString(), false));
        }
        return new PromptTemplate(List.copyOf(parts));
    }

    /** The names the template refers to, in order of first use. */
    public Set<String> placeholders() {
        Set<String> names = new LinkedHashSet<>();
        parts.stream().filter(Part::placeholder).forEach(p -> names.add(p.text()));
        return names;
    }

    /** The text with every placeholder replaced by its argument; an argument that is not given renders empty. */
    public String render(Map<String, String> arguments) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.placeholder() ? arguments.getOrDefault(part.text(), "") : part.text());
        }
        return out.toString();
    }
}
