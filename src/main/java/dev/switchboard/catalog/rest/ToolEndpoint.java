package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.Codes;
import dev.switchboard.catalog.Credential;
import dev.switchboard.catalog.Credentials;
import dev.switchboard.catalog.EntryRules;
import dev.switchboard.catalog.InputSchemas;
import dev.switchboard.catalog.IntegrationType;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.ReadOnlyFieldException;
import dev.switchboard.catalog.RestRequest;
import dev.switchboard.catalog.Tool;
import dev.switchboard.catalog.ToolRepository;
import dev.switchboard.security.UserRights;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/tools}: REST tools, which Switchboard calls itself, and federated MCP tools, which discovery
 * creates and of which only the display name, the tags and the on/off switch can change here.
 */
@RestController
@RequestMapping("/v1/tools")
@Tag(name = "Tools", description = "REST tools and federated MCP tools")
public class ToolEndpoint extends CatalogEndpoint<Tool, ToolEndpoint.ToolBody, ToolEndpoint.ToolView> {

    private final Credentials credentials;
    private final JsonMapper json;

    public ToolEndpoint(ToolRepository repository, BodyReader bodies, Credentials credentials, JsonMapper json,
                        AuditTrail audit, UserRights rights) {
        super(repository, bodies, ToolBody.class, audit, "tool", rights);
        this.credentials = credentials;
        this.json = json;
    }

    /**
     * A tool as a request describes it. A new tool is always a REST tool.
     *
     * @param displayName the name virtual servers present; the name when absent
     * @param inputSchema JSON Schema 2020-12 of the arguments, an object schema; {"type": "object"} when absent
     * @param request     how the REST call is made
     * @param teamId      the team that owns it: the default team for a new tool when absent, else unchanged; a
     *                    federated tool's is its upstream's
     */
    public record ToolBody(String name, String displayName, String description, JsonNode inputSchema,
                           JsonNode outputSchema, JsonNode annotations, RestRequest request, AuthBody auth,
                           Set<String> tags, Boolean enabled, UUID teamId, Long version) implements EntryBody {

        public ToolBody {
            inputSchema = BodyReader.given(inputSchema);
            outputSchema = BodyReader.given(outputSchema);
            annotations = BodyReader.given(annotations);
        }
    }

    /** A tool as responses show it; {@code request} and {@code auth} belong to REST tools. */
    public record ToolView(UUID id, String name, String displayName, String integrationType, UUID gatewayId,
                           String originalName, String description, JsonNode inputSchema, JsonNode outputSchema,
                           JsonNode annotations, RestRequest request, AuthView auth, boolean enabled,
                           Set<String> tags, UUID teamId, Instant createdAt, Instant updatedAt, long version) {
    }

    @Override
    protected Tool toEntry(ToolBody body, Tool current) {
        if (current != null && current.integrationType() == IntegrationType.MCP) {
            return federated(body, current);
        }
        String name = EntryRules.name("name", body.name());
        String displayName = body.displayName() == null ? name : EntryRules.name("displayName", body.displayName());
        JsonNode input = body.inputSchema() == null ? json.readTree("{\"type\":\"object\"}") : body.inputSchema();
        InputSchemas.check("inputSchema", input);
        if (body.outputSchema() != null) {
            InputSchemas.check("outputSchema", body.outputSchema());
        }
        if (body.annotations() != null && !body.annotations().isObject()) {
            throw new InvalidEntryException("annotations", "annotations must be a JSON object");
        }
        RestRequest request = EntryRules.required("request", body.request()).validated("request", arguments(input));
        Credential currentCredential = current == null ? null
                : AuthView.current(credentials, current.authType(), current.authSecret());
        Credential credential = AuthBody.toCredential("auth", body.auth(), currentCredential);
        return new Tool(null, null, name, null, displayName, IntegrationType.REST,
                EntryRules.text("description", body.description(), 16_384), json.writeValueAsString(input),
                body.outputSchema() == null ? null : json.writeValueAsString(body.outputSchema()),
                body.annotations() == null ? null : json.writeValueAsString(body.annotations()),
                json.writeValueAsString(request), credential.type(), credentials.seal(credential),
                body.enabled() == null || body.enabled(), EntryRules.tags("tags", body.tags()),
                owner(body.teamId(), current), null, null, 0);
    }

    /** A federated tool keeps what its upstream says; a body may repeat those fields but not change them. */
    private Tool federated(ToolBody body, Tool current) {
        unchanged("name", body.name(), current.name());
        unchanged("description", body.description(), current.description());
        unchanged("inputSchema", body.inputSchema(), tree(current.inputSchema()));
        unchanged("outputSchema", body.outputSchema(), tree(current.outputSchema()));
        unchanged("annotations", body.annotations(), tree(current.annotations()));
        unchanged("request", body.request(), null);
        unchanged("teamId", body.teamId(), current.teamId());
        if (body.auth() != null && body.auth().type() != null && !body.auth().type().equals("none")) {
            throw new ReadOnlyFieldException("auth", "a federated tool uses its upstream's credentials");
        }
        String displayName = body.displayName() == null ? current.originalName()
                : EntryRules.name("displayName", body.displayName());
        return new Tool(null, current.gatewayId(), current.name(), current.originalName(), displayName,
                current.integrationType(), current.description(), current.inputSchema(), current.outputSchema(),
                current.annotations(), current.requestTemplate(), current.authType(), current.authSecret(),
                body.enabled() == null || body.enabled(), EntryRules.tags("tags", body.tags()), current.teamId(), null,
                null, 0);
    }

    private static void unchanged(String field, Object given, Object current) {
        if (given != null && !Objects.equals(given, current)) {
            throw new ReadOnlyFieldException(field, field + " of a federated tool comes from its upstream;"
                    + " only displayName, tags and enabled can change; its team is its upstream's");
        }
    }

    private static Set<String> arguments(JsonNode inputSchema) {
        Set<String> names = new TreeSet<>();
        JsonNode properties = inputSchema.get("properties");
        if (properties != null && properties.isObject()) {
            names.addAll(properties.propertyNames());
        }
        return names;
    }

    @Override
    protected Tool withId(Tool t, UUID id) {
        return new Tool(id, t.gatewayId(), t.name(), t.originalName(), t.displayName(), t.integrationType(),
                t.description(), t.inputSchema(), t.outputSchema(), t.annotations(), t.requestTemplate(), t.authType(),
                t.authSecret(), t.enabled(), t.tags(), t.teamId(), t.createdAt(), t.updatedAt(), t.version());
    }

    @Override
    protected ToolView toView(Tool t) {
        boolean rest = t.integrationType() == IntegrationType.REST;
        return new ToolView(t.id(), t.name(), t.displayName(), Codes.of(t.integrationType()),
                t.gatewayId(), t.originalName(), t.description(), tree(t.inputSchema()), tree(t.outputSchema()),
                tree(t.annotations()), rest ? request(t) : null,
                rest ? AuthView.of(credentials, t.authType(), t.authSecret()) : null, t.enabled(), t.tags(),
                t.teamId(), t.createdAt(), t.updatedAt(), t.version());
    }

    @Override
    protected ToolBody toBody(Tool t) {
        boolean rest = t.integrationType() == IntegrationType.REST;
        return new ToolBody(t.name(), t.displayName(), t.description(), tree(t.inputSchema()), tree(t.outputSchema()),
                tree(t.annotations()), rest ? request(t) : null,
                rest ? AuthBody.withoutSecret(t.authType(), AuthView.current(credentials, t.authType(), t.authSecret()))
                        : null,
                t.tags(), t.enabled(), t.teamId(), null);
    }

    @Override
    protected NameTakenException nameTaken(ToolBody body) {
        return new NameTakenException("name", "a tool named '" + body.name() + "' already exists");
    }

    @Override
    protected String path() {
        return "/v1/tools";
    }

    private RestRequest request(Tool t) {
        return t.requestTemplate() == null ? null : json.readValue(t.requestTemplate(), RestRequest.class);
    }

    private JsonNode tree(String document) {
        return document == null ? null : json.readTree(document);
    }
}
