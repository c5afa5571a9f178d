package dev.switchboard.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A subcommand's words: positional words, flags (--yes) and options (--count 3 or --count=3). */
final class CommandLine {

    private final List<String> words = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    /** Parses {@code args}; options not in {@code withValues} or {@code flags} are usage errors. */
    CommandLine(List<String> args, Set<String> withValues, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                words.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (flags.contains(name) && eq < 0) {
                options.put(name, "true");
            } else if (withValues.contains(name)) {
                if (eq >= 0) {
                    options.put(name, arg.substring(eq + 1));
                } else if (i + 1 < args.size()) {
                    options.put(name, args.get(++i));
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    /** Whether a command's arguments ask for its usage: {@code help} first, or {@code --help} or {@code -h} anywhere. */
    static boolean asksForHelp(List<String> args) {
        return !args.isEmpty() && args.getFirst().equals("help") || args.contains("--help") || args.contains("-h");
    }

    List<String> words() {
        return words;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String option(String name) {
        return options.get(name);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    int positiveInt(String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a whole number above 0, not '" + value + "'");
    }

    /** A mistake in how the command was called: reported with the usage, exit status 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
