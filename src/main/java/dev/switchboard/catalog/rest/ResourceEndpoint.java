package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.EntryRules;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.ReadOnlyFieldException;
import dev.switchboard.catalog.Resource;
import dev.switchboard.catalog.ResourceRepository;
import dev.switchboard.security.UserRights;
import dev.switchboard.catalog.UriTemplates;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/resources}: fixed URIs whose text or binary content the registry holds, and RFC 6570 URI
 * templates. Listings leave the content out; a single get includes it.
 */
@RestController
@RequestMapping("/v1/resources")
@Tag(name = "Resources", description = "Hosted resources and resource templates")
public class ResourceEndpoint extends CatalogEndpoint<Resource, ResourceEndpoint.ResourceBody,
        ResourceEndpoint.ResourceView> {

    static final int MAX_URI_LENGTH = 4096;
    private final JsonMapper json;

    public ResourceEndpoint(ResourceRepository repository, BodyReader bodies, JsonMapper json, AuditTrail audit,
                            UserRights rights) {
        super(repository, bodies, ResourceBody.class, audit, "resource", rights);
        this.json = json;
    }

    /**
     * A resource as a request describes it.
     *
     * @param template true when {@code uri} is an RFC 6570 URI template; such a resource has no content
     * @param text     the content, as text
     * @param blob     the content, as base64; one of text and blob is required for a fixed resource
     * @param teamId   the team that owns it: the default team for a new resource when absent, else unchanged; a
     *                 federated resource's is its upstream's
     */
    public record ResourceBody(String uri, String name, String title, String description, String mimeType,
                               Boolean template, String text, String blob, JsonNode annotations, Set<String> tags,
                               Boolean enabled, UUID teamId, Long version) implements EntryBody {

        public ResourceBody {
            annotations = BodyReader.given(annotations);
        }
    }

    /** A resource as responses show it; {@code text} and {@code blob} only in a single get. */
    public record ResourceView(UUID id, String uri, String name, String title, String description, String mimeType,
                               boolean template, Long size, String text, String blob, JsonNode annotations,
                               UUID gatewayId, boolean enabled, Set<String> tags, UUID teamId,
                               Instant createdAt, Instant updatedAt, long version) {
    }

    @Override
    protected Resource toEntry(ResourceBody body, Resource current) {
        if (current != null && current.gatewayId() != null) {
            return federated(body, current);
        }
        String uri = EntryRules.required("uri", body.uri());
        if (uri.length() > MAX_URI_LENGTH) {
            throw new InvalidEntryException("uri", "uri is longer than " + MAX_URI_LENGTH + " characters");
        }
        boolean template = Boolean.TRUE.equals(body.template());
        String text = body.text();
        byte[] blob = null;
        if (template) {
            UriTemplates.variables("uri", uri);
            if (text != null || body.blob() != null) {
                throw new InvalidEntryException(text != null ? "text" : "blob",
                        "a resource template has no content of its own");
            }
        } else {
            absoluteUri(uri);
            if ((text == null) == (body.blob() == null)) {
                throw new InvalidEntryException("text", "a fixed resource needs exactly one of text and blob");
            }
            if (body.blob() != null) {
                try {
                    blob = Base64.getDecoder().decode(body.blob());
                } catch (IllegalArgumentException e) {
                    throw new InvalidEntryException("blob", "blob must be base64: " + e.getMessage());
                }
            }
        }
        if (body.annotations() != null && !body.annotations().isObject()) {
            throw new InvalidEntryException("annotations", "annotations must be a JSON object");
        }
        Long size = template ? null : (long) (blob != null ? blob.length : text.getBytes(StandardCharsets.UTF_8).length);
        return new Resource(null, null, uri, template, EntryRules.name("name", body.name()),
                EntryRules.text("title", body.title(), 256), EntryRules.text("description", body.description(), 16_384),
                EntryRules.text("mimeType", body.mimeType(), 256), size, text, blob,
                body.annotations() == null ? null : json.writeValueAsString(body.annotations()),
                body.enabled() == null || body.enabled(), EntryRules.tags("tags", body.tags()),
                owner(body.teamId(), current), null, null, 0);
    }

    private Resource federated(ResourceBody body, Resource r) {
        String[][] fields = {{"uri", body.uri(), r.uri()}, {"name", body.name(), r.name()},
                {"title", body.title(), r.title()}, {"description", body.description(), r.description()},
                {"mimeType", body.mimeType(), r.mimeType()}};
        for (String[] f : fields) {
            if (f[1] != null && !f[1].equals(f[2])) {
                throw new ReadOnlyFieldException(f[0], f[0] + " of a federated resource comes from its upstream;"
                        + " only tags and enabled can change");
            }
        }
        if (body.text() != null || body.blob() != null) {
            throw new ReadOnlyFieldException("text", "a federated resource's content comes from its upstream");
        }
        if (body.annotations() != null && !Objects.equals(body.annotations(), tree(r.annotations()))) {
            throw new ReadOnlyFieldException("annotations", "annotations of a federated resource come from its upstream");
        }
        if (body.teamId() != null && !body.teamId().equals(r.teamId())) {
            throw new ReadOnlyFieldException("teamId", "a federated resource belongs to its upstream's team");
        }
        return new Resource(null, r.gatewayId(), r.uri(), r.template(), r.name(), r.title(), r.description(),
                r.mimeType(), r.sizeBytes(), r.textContent(), r.binaryContent(), r.annotations(),
                body.enabled() == null || body.enabled(), EntryRules.tags("tags", body.tags()), r.teamId(), null, null,
                0);
    }

    private static void absoluteUri(String uri) {
        try {
            URI parsed = new URI(uri);
            if (!parsed.isAbsolute()) {
                throw new InvalidEntryException("uri", "uri must be absolute, with a scheme such as file: or https:");
            }
        } catch (URISyntaxException e) {
            throw new InvalidEntryException("uri", "uri is not a valid URI: " + e.getReason());
        }
    }

    @Override
    protected Resource withId(Resource r, UUID id) {
        return new Resource(id, r.gatewayId(), r.uri(), r.template(), r.name(), r.title(), r.description(),
                r.mimeType(), r.sizeBytes(), r.textContent(), r.binaryContent(), r.annotations(), r.enabled(),
                r.tags(), r.teamId(), r.createdAt(), r.updatedAt(), r.version());
    }

    @Override
    protected ResourceView toView(Resource r) {
        return view(r, true);
    }

    @Override
    protected ResourceView toListView(Resource r) {
        return view(r, false);
    }

    private ResourceView view(Resource r, boolean content) {
        byte[] blob = r.binaryContent();
        return new ResourceView(r.id(), r.uri(), r.name(), r.title(), r.description(), r.mimeType(), r.template(),
                r.sizeBytes(), content ? r.textContent() : null,
                content && blob != null ? Base64.getEncoder().encodeToString(blob) : null, tree(r.annotations()),
                r.gatewayId(), r.enabled(), r.tags(), r.teamId(), r.createdAt(), r.updatedAt(), r.version());
    }

    @Override
    protected ResourceBody toBody(Resource r) {
        if (r.gatewayId() != null) {
            return new ResourceBody(null, null, null, null, null, null, null, null, null, r.tags(), r.enabled(),
                    r.teamId(), null);
        }
        byte[] blob = r.binaryContent();
        return new ResourceBody(r.uri(), r.name(), r.title(), r.description(), r.mimeType(), r.template(),
                r.textContent(), blob == null ? null : Base64.getEncoder().encodeToString(blob), tree(r.annotations()),
                r.tags(), r.enabled(), r.teamId(), null);
    }

    @Override
    protected NameTakenException nameTaken(ResourceBody body) {
        return new NameTakenException("uri", "a resource with the uri '" + body.uri() + "' already exists");
    }

    @Override
    protected String path() {
        return "/v1/resources";
    }

    private JsonNode tree(String document) {
        return document == null ? null : json.readTree(document);
    }
}
