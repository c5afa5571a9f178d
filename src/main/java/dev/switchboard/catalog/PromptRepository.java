package dev.switchboard.catalog;

import dev.switchboard.catalog.Prompt.PromptArgument;
import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** Stores prompts with their arguments, which live in a table of their own. */
@Repository
public class PromptRepository extends CatalogRepository<Prompt> {

    public PromptRepository(Transactions transactions) {
        super(transactions, Mapping::new);
    }

    private static final class Mapping extends EntityMapping<Prompt> {
        final Field<Instant> vanishedAt;
        final Field<UUID> gatewayId;
        final Field<String> originalName;
        final Field<String> displayName;
        final Field<String> title;
        final Field<String> description;
        final Field<String> template;
        final Table<Record> arguments = Columns.table("prompt_argument");
        final Field<UUID> argPrompt;
        final Field<String> argName;
        final Field<Integer> argOrdinal;
        final Field<String> argDescription;
        final Field<Boolean> argRequired;
        final DisplayNames displayNames;

        Mapping(Columns c) {
            super(c, "prompt", "prompt_tag", "prompt_id");
            vanishedAt = c.timestamp(table, "vanished_at");
            gatewayId = column(c.uuid(table, "gateway_id"));
            originalName = column(c.text(table, "original_name"));
            displayName = column(c.text(table, "display_name"));
            title = column(c.text(table, "title"));
            description = column(c.text(table, "description"));
            template = column(c.text(table, "template"));
            argPrompt = c.uuid(arguments, "prompt_id");
            argName = c.text(arguments, "name");
            argOrdinal = c.integer(arguments, "ordinal");
            argDescription = c.text(arguments, "description");
            argRequired = c.bool(arguments, "required");
            displayNames = DisplayNames.ofPrompts(c);
        }

        @Override
        Field<Instant> vanishedAt() {
            return vanishedAt;
        }

        @Override
        String noun() {
            return "prompt";
        }

        @Override
        Map<Field<?>, Object> values(Prompt p) {
            Map<Field<?>, Object> v = new HashMap<>();
            v.put(gatewayId, p.gatewayId());
            v.put(name, p.name());
            v.put(originalName, p.originalName());
            // The rule the migration filled existing rows by: the upstream's own name, else the name.
            v.put(displayName, p.displayName() != null ? p.displayName()
                    : p.originalName() != null ? p.originalName() : p.name());
            v.put(title, p.title());
            v.put(description, p.description());
            v.put(template, p.template());
            v.put(enabled, p.enabled());
            return v;
        }

        @Override
        void checkAfterWrite(DSLContext dsl, UUID promptId) {
            displayNames.requireUnique(dsl, displayNames.serversOf(dsl, promptId), "displayName");
        }

        @Override
        Prompt read(Record r, Set<String> tags) {
            return new Prompt(r.get(id), r.get(gatewayId), r.get(name), r.get(originalName), r.get(displayName),
                    r.get(title), r.get(description), r.get(template), List.of(), r.get(enabled), tags,
                    r.get(team), r.get(createdAt), r.get(updatedAt), r.get(version));
        }

        @Override
        void writeChildren(DSLContext dsl, UUID promptId, Prompt p) {
            dsl.deleteFrom(arguments).where(argPrompt.eq(promptId)).execute();
            int ordinal = 0;
            for (PromptArgument a : p.arguments()) {
                dsl.insertInto(arguments)
                        .set(argPrompt, promptId).set(argName, a.name()).set(argOrdinal, ordinal++)
                        .set(argDescription, a.description()).set(argRequired, a.required())
                        .execute();
            }
        }

        @Override
        List<Prompt> withChildren(DSLContext dsl, List<Prompt> prompts) {
            if (prompts.isEmpty()) {
                return prompts;
            }
            Map<UUID, List<PromptArgument>> byPrompt = new HashMap<>();
            for (Record r : dsl.select(argPrompt, argName, argDescription, argRequired).from(arguments)
                    .where(argPrompt.in(prompts.stream().map(Prompt::id).toList()))
                    .orderBy(argPrompt, argOrdinal).fetch()) {
                byPrompt.computeIfAbsent(r.get(argPrompt), k -> new ArrayList<>())
                        .add(new PromptArgument(r.get(argName), r.get(argDescription), r.get(argRequired)));
            }
            return prompts.stream().map(p -> new Prompt(p.id(), p.gatewayId(), p.name(), p.originalName(),
                    p.displayName(), p.title(), p.description(), p.template(),
                    byPrompt.getOrDefault(p.id(), List.of()), p.enabled(), p.tags(), p.teamId(), p.createdAt(),
                    p.updatedAt(), p.version())).toList();
        }
    }
}
