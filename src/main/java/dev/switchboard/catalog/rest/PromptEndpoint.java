package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.EntryRules;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.catalog.NameTakenException;
import dev.switchboard.catalog.Prompt;
import dev.switchboard.catalog.Prompt.PromptArgument;
import dev.switchboard.catalog.PromptRepository;
import dev.switchboard.security.UserRights;
import dev.switchboard.catalog.PromptTemplate;
import dev.switchboard.catalog.ReadOnlyFieldException;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/prompts}: prompt templates with named arguments, rendered by a logic-less template language. */
@RestController
@RequestMapping("/v1/prompts")
@Tag(name = "Prompts", description = "Prompt templates")
public class PromptEndpoint extends CatalogEndpoint<Prompt, PromptEndpoint.PromptBody, PromptEndpoint.PromptView> {

    static final int MAX_ARGUMENTS = 64;

    public PromptEndpoint(PromptRepository repository, BodyReader bodies, AuditTrail audit, UserRights rights) {
        super(repository, bodies, PromptBody.class, audit, "prompt", rights);
    }

    /**
     * A prompt as a request describes it.
     *
     * @param displayName the name virtual servers present; the name (a federated prompt's: the upstream's own name)
     *                    when absent
     * @param template    text with {{argument}} placeholders; every placeholder must be a declared argument
     * @param arguments   the named arguments, each required or optional
     * @param teamId      the team that owns it: the default team for a new prompt when absent, else unchanged; a
     *                    federated prompt's is its upstream's
     */
    public record PromptBody(String name, String displayName, String title, String description, String template,
                             List<ArgumentBody> arguments, Set<String> tags, Boolean enabled, UUID teamId,
                             Long version)
            implements EntryBody {
    }

    /** One argument as a request describes it; {@code required} is false when absent. */
    public record ArgumentBody(String name, String description, Boolean required) {
    }

    /** A prompt as responses show it. */
    public record PromptView(UUID id, String name, String displayName, String title, String description,
                             String template,
                             List<PromptArgument> arguments, UUID gatewayId, String originalName, boolean enabled,
                             Set<String> tags, UUID teamId, Instant createdAt, Instant updatedAt, long version) {
    }

    @Override
    protected Prompt toEntry(PromptBody body, Prompt current) {
        if (current != null && current.gatewayId() != null) {
            if ((body.name() != null && !body.name().equals(current.name()))
                    || (body.template() != null && !body.template().equals(current.template()))
                    || (body.arguments() != null && !arguments(body.arguments()).equals(current.arguments()))
                    || (body.title() != null && !body.title().equals(current.title()))
                    || (body.description() != null && !body.description().equals(current.description()))
                    || (body.teamId() != null && !body.teamId().equals(current.teamId()))) {
                throw new ReadOnlyFieldException("name", "a federated prompt comes from its upstream;"
                        + " only displayName, tags and enabled can change; its team is its upstream's");
            }
            String displayName = body.displayName() == null ? current.originalName()
                    : EntryRules.name("displayName", body.displayName());
            return new Prompt(null, current.gatewayId(), current.name(), current.originalName(), displayName,
                    current.title(), current.description(), current.template(), current.arguments(),
                    body.enabled() == null || body.enabled(), EntryRules.tags("tags", body.tags()), current.teamId(),
                    null, null, 0);
        }
        List<PromptArgument> arguments = arguments(body.arguments());
        PromptTemplate template = PromptTemplate.parse("template", body.template());
        Set<String> declared = new HashSet<>();
        arguments.forEach(a -> declared.add(a.name()));
        for (String used : template.placeholders()) {
            if (!declared.contains(used)) {
                throw new InvalidEntryException("template", "template uses {{" + used
                        + "}}, which is not one of the prompt's arguments");
            }
        }
        String name = EntryRules.name("name", body.name());
        String displayName = body.displayName() == null ? name : EntryRules.name("displayName", body.displayName());
        return new Prompt(null, null, name, null, displayName, EntryRules.text("title", body.title(), 256),
                EntryRules.text("description", body.description(), 16_384), body.template(), arguments,
                body.enabled() == null || body.enabled(), EntryRules.tags("tags", body.tags()),
                owner(body.teamId(), current), null, null, 0);
    }

    private static List<PromptArgument> arguments(List<ArgumentBody> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_ARGUMENTS) {
            throw new InvalidEntryException("arguments", "a prompt has at most " + MAX_ARGUMENTS + " arguments");
        }
        List<PromptArgument> arguments = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            ArgumentBody a = EntryRules.required("arguments[" + i + "]", given.get(i));
            String field = "arguments[" + i + "]";
            EntryRules.name(field + ".name", a.name());
            if (!seen.add(a.name())) {
                throw new InvalidEntryException(field + ".name", "the argument '" + a.name() + "' is declared twice");
            }
            arguments.add(new PromptArgument(a.name(), EntryRules.text(field + ".description", a.description(), 4096),
                    Boolean.TRUE.equals(a.required())));
        }
        return arguments;
    }

    @Override
    protected Prompt withId(Prompt p, UUID id) {
        return new Prompt(id, p.gatewayId(), p.name(), p.originalName(), p.displayName(), p.title(), p.description(),
                p.template(), p.arguments(), p.enabled(), p.tags(), p.teamId(), p.createdAt(), p.updatedAt(),
                p.version());
    }

    @Override
    protected PromptView toView(Prompt p) {
        return new PromptView(p.id(), p.name(), p.displayName(), p.title(), p.description(), p.template(),
                p.arguments(), p.gatewayId(), p.originalName(), p.enabled(), p.tags(), p.teamId(), p.createdAt(),
                p.updatedAt(), p.version());
    }

    @Override
    protected PromptBody toBody(Prompt p) {
        return new PromptBody(p.name(), p.displayName(), p.title(), p.description(), p.template(),
                p.arguments().stream().map(a -> new ArgumentBody(a.name(), a.description(), a.required())).toList(),
                p.tags(), p.enabled(), p.teamId(), null);
    }

    @Override
    protected NameTakenException nameTaken(PromptBody body) {
        return new NameTakenException("name", "a prompt named '" + body.name() + "' already exists");
    }

    @Override
    protected String path() {
        return "/v1/prompts";
    }
}
