package dev.switchboard.cli;

import dev.switchboard.security.JwtMinter;
import dev.switchboard.security.Scope;
import dev.switchboard.security.SecuritySettings;
import dev.switchboard.settings.InvalidSettingException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code switchboard token}: mints a JWT signed with JWT_SECRET, for scripts and for the first login. */
public final class TokenCommand {

    static final String USAGE = """
            Usage: java -jar switchboard.jar token [--subject NAME] [--scopes a,b] [--expires-in 1h]
              --subject NAME    who the token acts for (default: admin)
              --scopes a,b      comma-separated scopes (default: catalog:read); known: %s
              --expires-in T    lifetime as 30m, 12h or 7d (default: 1h; at most 365d)
              --verbose         the libraries' INFO logs too, on standard error (by default only warnings)
            Signs with JWT_SECRET (HS256); aud and iss are JWT_AUDIENCE and JWT_ISSUER (default: switchboard).
            Prints only the token.""".formatted(String.join(", ", Arrays.stream(Scope.values()).map(Scope::value)
            .toList()));

    private static final Pattern LIFETIME = Pattern.compile("(\\d{1,6})([smhd])");
    private static final Duration MAX_LIFETIME = Duration.ofDays(365);

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    /** @param env the environment (JWT_SECRET, JWT_AUDIENCE, JWT_ISSUER) */
    public TokenCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /**
     * Runs the command; returns the exit status: 0 printed a token (or the usage), 2 called wrongly (with the usage)
     * or given a value it cannot use, JWT_SECRET included (in one line).
     */
    public int run(List<String> args) {
        if (CommandLine.asksForHelp(args)) {
            out.println(USAGE);
            return 0;
        }
        CommandLine cmd;
        try {
            cmd = new CommandLine(args, Set.of("subject", "scopes", "expires-in"), Set.of());
            if (!cmd.words().isEmpty()) {
                throw new CommandLine.UsageException("unexpected argument '" + cmd.words().getFirst() + "'");
            }
        } catch (CommandLine.UsageException e) {
            err.println("switchboard token: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            String subject = subject(cmd.option("subject"));
            Set<Scope> scopes = scopes(cmd.option("scopes"));
            Duration lifetime = lifetime(cmd.option("expires-in"));
            JwtMinter minter = new JwtMinter(secret(), setting("JWT_ISSUER", SecuritySettings.DEFAULT_ISSUER),
                    setting("JWT_AUDIENCE", SecuritySettings.DEFAULT_AUDIENCE));
            out.println(minter.mint(subject, scopes, lifetime));
            return 0;
        } catch (CommandLine.UsageException | InvalidSettingException e) {
            err.println("switchboard token: " + e.getMessage());
            return 2;
        }
    }

    private byte[] secret() {
        String secret = env.apply("JWT_SECRET");
        if (secret == null || secret.isBlank()) {
            throw new CommandLine.UsageException("JWT_SECRET is not set; the gateway and this command must share it. "
                    + "Make one with: openssl rand -base64 32");
        }
        return SecuritySettings.hmacSecret(secret.trim(), "JWT_SECRET");
    }

    private String setting(String name, String fallback) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String subject(String value) {
        if (value == null) {
            return SecuritySettings.DEFAULT_ADMIN_USER;
        }
        if (value.isBlank() || value.length() > 255) {
            throw new CommandLine.UsageException("--subject must be 1 to 255 characters");
        }
        return value;
    }

    private static Set<Scope> scopes(String value) {
        if (value == null) {
            return EnumSet.of(Scope.CATALOG_READ);
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String part : value.split(",")) {
            String name = part.trim();
            if (!name.isEmpty()) {
                scopes.add(Scope.parse(name).orElseThrow(() -> new CommandLine.UsageException("unknown scope '"
                        + name + "'; known: " + String.join(", ", Arrays.stream(Scope.values()).map(Scope::value)
                        .toList()))));
            }
        }
        if (scopes.isEmpty()) {
            throw new CommandLine.UsageException("--scopes names no scope");
        }
        return scopes;
    }

    private static Duration lifetime(String value) {
        if (value == null) {
            return Duration.ofHours(1);
        }
        Matcher m = LIFETIME.matcher(value.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration lifetime = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (!lifetime.isZero() && lifetime.compareTo(MAX_LIFETIME) <= 0) {
                return lifetime;
            }
        }
        throw new CommandLine.UsageException("--expires-in must be a lifetime such as 30m, 12h or 7d, above 0 and at "
                + "most 365d, not '" + value + "'");
    }
}
