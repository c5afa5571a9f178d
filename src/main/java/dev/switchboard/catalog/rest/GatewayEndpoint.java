package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.catalog.Codes;
import dev.switchboard.catalog.CommandDocument;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.DiscoveryOutcome;
import dev.switchboard.catalog.EntryRules;
import dev.switchboard.catalog.GatewayRegistrations;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamGatewayRepository;
import dev.switchboard.security.UserRights;
import dev.switchboard.catalog.UpstreamHealthRepository;
import dev.switchboard.security.SecretDecryptionException;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /v1/gateways}: the upstream MCP servers whose tools, resources and prompts are federated. */
@RestController
@RequestMapping("/v1/gateways")
@Tag(name = "Gateways", description = "Upstream MCP servers")
public class GatewayEndpoint extends CatalogEndpoint<UpstreamGateway, GatewayEndpoint.GatewayBody,
        GatewayEndpoint.GatewayView> {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private final Credentials credentials;
    private final JsonMapper json;
    private final UpstreamGatewayRepository gateways;
    private final ObjectProvider<GatewayRegistrations> registrations;
    private final UpstreamHealthRepository health;

    public GatewayEndpoint(UpstreamGatewayRepository repository, BodyReader bodies, Credentials credentials,
                           JsonMapper json, ObjectProvider<GatewayRegistrations> registrations,
                           UpstreamHealthRepository health, AuditTrail audit, UserRights rights) {
        super(repository, bodies, GatewayBody.class, audit, "gateway", rights);
        this.credentials = credentials;
        this.json = json;
        this.gateways = repository;
        this.registrations = registrations;
        this.health = health;
    }

    /**
     * An upstream as a request describes it.
     *
     * @param slug      a short lower-case name that qualifies the upstream's tools; derived from the name if absent
     * @param transport streamable_http, sse or stdio; from url or command if absent
     * @param url       for streamable_http and sse
     * @param command   for stdio
     * @param teamId    the team that owns it and what discovery finds on it: the default team for a new upstream
     *                  when absent, else unchanged
     */
    public record GatewayBody(String name, String slug, String description, String transport, String url,
                              Command command, AuthBody auth, Set<String> tags, Boolean enabled, UUID teamId,
                              Long version)
            implements EntryBody {
    }

    /**
     * A stdio upstream's process as a request sends it: the program, its arguments and extra environment. An
     * {@code env} value is a string to set, or {@code {"secretSet": true}} (as responses show it) or null to keep
     * the value already stored; a name left out is removed.
     */
    public record Command(String command, List<String> args, Map<String, JsonNode> env) {
    }

    /**
     * A stdio upstream's process as responses show it: the environment's names, never their values.
     *
     * @param args arguments, shown in clear: pass secrets in {@code env}
     */
    public record CommandView(String command, List<String> args, Map<String, EnvView> env) {
    }

    /**
     * One environment variable of a stdio upstream, as responses show it.
     *
     * @param secretSet whether a value is stored (values are write-only)
     * @param readable  false when the stored values cannot be decrypted with the current key
     */
    public record EnvView(boolean secretSet, boolean readable) {
    }

    /**
     * An upstream as responses show it.
     *
     * @param discovery how the discovery that a registration or a change of connection settings set off went;
     *                  only in the response to that write
     */
    public record GatewayView(UUID id, String name, String slug, String description, String transport, String url,
                              CommandView command, AuthView auth, String protocolVersion, boolean enabled,
                              boolean reachable, Instant lastSeenAt, Health health, Set<String> tags,
                              UUID teamId, Instant createdAt, Instant updatedAt, long version,
                              @JsonInclude(JsonInclude.Include.NON_NULL) DiscoveryOutcome discovery) {
    }

    /**
     * What the shared health checks saw, read-only: failures in a row (reachable turns false at
     * SWITCHBOARD_UPSTREAM_UNHEALTHY_AFTER), the last check's time and, when it failed, its error.
     */
    public record Health(int consecutiveFailures, Instant lastCheckedAt, String lastError) {
    }

    @Override
    protected UpstreamGateway toEntry(GatewayBody body, UpstreamGateway current) {
        String name = EntryRules.name("name", body.name());
        String slug = body.slug() != null ? body.slug() : slugOf(name);
        if (!SLUG.matcher(slug).matches()) {
            throw new InvalidEntryException("slug", "slug must be 1 to 64 characters from a-z, 0-9, '_' and '-',"
                    + " starting with a letter or digit, not '" + slug + "'");
        }
        Transport transport = transport(body);
        String url = null;
        String command = null;
        String commandSecret = null;
        if (transport == Transport.STDIO) {
            if (body.url() != null) {
                throw new InvalidEntryException("url", "a stdio upstream has a command, not a url");
            }
            Map<String, String> values = new LinkedHashMap<>();
            CommandDocument document = command(body.command(), current, values);
            command = document.toJson();
            commandSecret = credentials.sealEnvironment(values);
        } else {
            if (body.command() != null) {
                throw new InvalidEntryException("command", "an HTTP upstream has a url, not a command");
            }
            url = EntryRules.httpUrl("url", body.url());
        }
        Credential currentCredential = current == null ? null
                : AuthView.current(credentials, current.authType(), current.authSecret());
        Credential credential = AuthBody.toCredential("auth", body.auth(), currentCredential);
        return new UpstreamGateway(null, name, slug, EntryRules.text("description", body.description(), 4096),
                transport, url, command, commandSecret, credential.type(), credentials.seal(credential),
                current == null ? null : current.options(), current == null ? null : current.protocolVersion(),
                body.enabled() == null || body.enabled(), current == null || current.reachable(),
                current == null ? null : current.lastSeenAt(), EntryRules.tags("tags", body.tags()),
                owner(body.teamId(), current), null, null, 0);
    }

    @Override
    protected UpstreamGateway withId(UpstreamGateway g, UUID id) {
        return new UpstreamGateway(id, g.name(), g.slug(), g.description(), g.transport(), g.url(), g.command(),
                g.commandSecret(), g.authType(), g.authSecret(), g.options(), g.protocolVersion(), g.enabled(),
                g.reachable(),
                g.lastSeenAt(), g.tags(), g.teamId(), g.createdAt(), g.updatedAt(), g.version());
    }

    @Override
    protected GatewayView toView(UpstreamGateway g) {
        return new GatewayView(g.id(), g.name(), g.slug(), g.description(), Codes.of(g.transport()), g.url(),
                commandView(g),
                AuthView.of(credentials, g.authType(), g.authSecret()), g.protocolVersion(), g.enabled(),
                g.reachable(), g.lastSeenAt(), health(g.id()), g.tags(), g.teamId(), g.createdAt(), g.updatedAt(),
                g.version(),
                null);
    }

    /**
     * A new upstream, or one whose connection settings changed or that was enabled, is discovered at once; its
     * old connection is dropped first. The write stands whatever the discovery's outcome, which the response
     * reports.
     */
    @Override
    protected GatewayView viewAfterWrite(UpstreamGateway before, UpstreamGateway after) {
        GatewayRegistrations federation = registrations.getIfAvailable();
        if (federation == null || (before != null && !connectionChanged(before, after))) {
            return toView(after);
        }
        if (before != null) {
            federation.forget(after.id());
        }
        if (!after.enabled()) {
            return before == null ? withDiscovery(after, DiscoveryOutcome.notRun("the upstream is disabled"))
                    : toView(after);
        }
        DiscoveryOutcome outcome = federation.discover(after);
        return withDiscovery(gateways.find(after.id()).orElse(after), outcome);
    }

    @Override
    protected void afterDelete(UUID id) {
        GatewayRegistrations federation = registrations.getIfAvailable();
        if (federation != null) {
            federation.forget(id);
        }
    }

    private GatewayView withDiscovery(UpstreamGateway g, DiscoveryOutcome outcome) {
        GatewayView v = toView(g);
        return new GatewayView(v.id(), v.name(), v.slug(), v.description(), v.transport(), v.url(), v.command(),
                v.auth(), v.protocolVersion(), v.enabled(), v.reachable(), v.lastSeenAt(), v.health(), v.tags(),
                v.teamId(), v.createdAt(), v.updatedAt(), v.version(), outcome);
    }

    /** Whether the change reaches the upstream differently, or turns it on or off, or renames its entries. */
    private boolean connectionChanged(UpstreamGateway before, UpstreamGateway after) {
        // Commands compare as documents: PostgreSQL hands stored JSON back formatted its own way.
        return !Objects.equals(before.url(), after.url())
                || !CommandDocument.parse(before.command()).equals(CommandDocument.parse(after.command()))
                || !Objects.equals(readableEnvironment(before), readableEnvironment(after))
                || before.transport() != after.transport() || before.enabled() != after.enabled()
                || !before.slug().equals(after.slug()) || !Objects.equals(before.options(), after.options())
                || !AuthView.current(credentials, before.authType(), before.authSecret())
                        .equals(AuthView.current(credentials, after.authType(), after.authSecret()));
    }

    private Health health(UUID id) {
        return health.find(id).map(h -> new Health(h.consecutiveFailures(), h.lastCheckedAt(), h.lastError()))
                .orElse(new Health(0, null, null));
    }

    @Override
    protected GatewayBody toBody(UpstreamGateway g) {
        return new GatewayBody(g.name(), g.slug(), g.description(), Codes.of(g.transport()), g.url(),
                commandBody(g),
                AuthBody.withoutSecret(g.authType(), AuthView.current(credentials, g.authType(), g.authSecret())),
                g.tags(), g.enabled(), g.teamId(), null);
    }

    @Override
    protected NameTakenException nameTaken(GatewayBody body) {
        return new NameTakenException("name", "an upstream gateway named '" + body.name() + "' or with the slug '"
                + (body.slug() != null ? body.slug() : slugOf(body.name())) + "' already exists");
    }

    @Override
    protected String path() {
        return "/v1/gateways";
    }

    private static Transport transport(GatewayBody body) {
        if (body.transport() == null) {
            return body.command() != null ? Transport.STDIO : Transport.STREAMABLE_HTTP;
        }
        return switch (body.transport()) {
            case "streamable_http" -> Transport.STREAMABLE_HTTP;
            case "sse" -> Transport.SSE;
            case "stdio" -> Transport.STDIO;
            default -> throw new InvalidEntryException("transport", "transport must be streamable_http, sse or stdio,"
                    + " not '" + body.transport() + "'");
        };
    }

    /**
     * The command document {@code command} describes, putting its environment values in {@code values}: each one
     * given, or kept from {@code current} where the request sends {@code {"secretSet": true}} or null.
     */
    private CommandDocument command(Command command, UpstreamGateway current, Map<String, String> values) {
        if (command == null || command.command() == null || command.command().isBlank()) {
            throw new InvalidEntryException("command.command", "a stdio upstream needs command.command");
        }
        List<String> args = command.args() == null ? List.of() : command.args();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                throw new InvalidEntryException("command.args[" + i + "]", "arguments may not be null");
            }
        }
        Map<String, JsonNode> env = command.env() == null ? Map.of() : command.env();
        Map<String, String> stored = null;
        for (Map.Entry<String, JsonNode> e : env.entrySet()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            String field = "command.env." + name;
            if (name.isEmpty() || name.contains("=") || name.indexOf('\0') >= 0) {
                throw new InvalidEntryException(field, "environment names may not be empty or hold '=' or NUL");
            }
            if (value != null && value.isString()) {
                if (value.asString().indexOf('\0') >= 0) {
                    throw new InvalidEntryException(field, "environment values may not hold NUL");
                }
                values.put(name, value.asString());
                continue;
            }
            if (value != null && !value.isNull() && !(value.isObject() && value.path("secretSet").asBoolean(false))) {
                throw new InvalidEntryException(field, field + " must be a string, or {\"secretSet\": true} or null"
                        + " to keep the stored value");
            }
            if (stored == null) {
                stored = storedEnvironment(current, field);
            }
            if (!stored.containsKey(name)) {
                throw new InvalidEntryException(field, field + " has no stored value to keep: give its value");
            }
            values.put(name, stored.get(name));
        }
        return CommandDocument.of(command.command(), args, List.copyOf(env.keySet()));
    }

    /** The environment values {@code current} holds, to keep; a value that cannot be opened must be sent again. */
    private Map<String, String> storedEnvironment(UpstreamGateway current, String field) {
        if (current == null || current.transport() != Transport.STDIO) {
            return Map.of();
        }
        try {
            return environment(current);
        } catch (SecretDecryptionException e) {
            throw new InvalidEntryException(field, "the stored environment values cannot be decrypted with the "
                    + "current key, so they cannot be kept: give every value");
        }
    }

    /** An upstream's environment in clear: the sealed values, and any an older version left in clear. */
    private Map<String, String> environment(UpstreamGateway g) {
        Map<String, String> values = new LinkedHashMap<>(credentials.openEnvironment(g.commandSecret()));
        values.putAll(CommandDocument.parse(g.command()).clearValues());
        return values;
    }

    /** {@link #environment}, or null when the sealed values cannot be opened. */
    private Map<String, String> readableEnvironment(UpstreamGateway g) {
        try {
            return environment(g);
        } catch (SecretDecryptionException e) {
            return null;
        }
    }

    private static CommandView commandView(UpstreamGateway g, Map<String, String> values, boolean readable) {
        CommandDocument d = CommandDocument.parse(g.command());
        Map<String, EnvView> env = new LinkedHashMap<>();
        d.envNames().forEach(n -> env.put(n, new EnvView(values.containsKey(n) || !readable, readable)));
        return new CommandView(d.command(), d.args(), env);
    }

    private CommandView commandView(UpstreamGateway g) {
        if (g.command() == null) {
            return null;
        }
        try {
            return commandView(g, environment(g), true);
        } catch (SecretDecryptionException e) {
            return commandView(g, Map.of(), false);
        }
    }

    /** The command as a body that keeps every stored value: what a merge patch is applied to. */
    private Command commandBody(UpstreamGateway g) {
        if (g.command() == null) {
            return null;
        }
        CommandDocument d = CommandDocument.parse(g.command());
        Map<String, JsonNode> env = new LinkedHashMap<>();
        d.envNames().forEach(n -> env.put(n, json.createObjectNode().put("secretSet", true)));
        return new Command(d.command(), d.args(), env);
    }

    static String slugOf(String name) {
        String slug = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-")
                .replaceAll("^[-_]+", "");
        return slug.length() > 64 ? slug.substring(0, 64) : slug;
    }

}
