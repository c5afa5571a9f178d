package dev.switchboard.catalog;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/**
 * Stores resources and resource templates. Uniqueness is on a hash of the URI, scoped by the upstream (URIs are too
 * long for a key): the registry's own resources have one URI each, and so does each upstream's, but several
 * upstreams may serve one URI.
 */
@Repository
public class ResourceRepository extends CatalogRepository<Resource> {

    public ResourceRepository(Transactions transactions) {
        super(transactions, Mapping::new);
    }

    /** The unique identity of a resource: its URI, scoped by its upstream when it is federated. */
    static String uriHash(UUID gatewayId, String uri) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (gatewayId != null) {
                sha.update((gatewayId + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(uri.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    private static final class Mapping extends EntityMapping<Resource> {
        final Field<Instant> vanishedAt;
        final Field<UUID> gatewayId;
        final Field<String> uri;
        final Field<String> uriHash;
        final Field<Boolean> template;
        final Field<String> title;
        final Field<String> description;
        final Field<String> mimeType;
        final Field<Long> sizeBytes;
        final Field<String> textContent;
        final Field<byte[]> binaryContent;
        final Field<String> annotations;
        final PresentedUris presentedUris;

        Mapping(Columns c) {
            super(c, "resource", "resource_tag", "resource_id");
            vanishedAt = c.timestamp(table, "vanished_at");
            gatewayId = column(c.uuid(table, "gateway_id"));
            uri = column(c.text(table, "uri"));
            uriHash = column(c.text(table, "uri_hash"));
            template = column(c.bool(table, "is_template"));
            title = column(c.text(table, "title"));
            description = column(c.text(table, "description"));
            mimeType = column(c.text(table, "mime_type"));
            sizeBytes = column(c.bigint(table, "size_bytes"));
            textContent = column(c.text(table, "text_content"));
            binaryContent = column(c.binary(table, "binary_content"));
            annotations = column(c.json(table, "annotations"));
            presentedUris = new PresentedUris(c);
        }

        /** A registry resource's URI can change: not onto another member's URI in a virtual server. */
        @Override
        void checkAfterWrite(DSLContext dsl, UUID resourceId) {
            presentedUris.requireUnique(dsl, presentedUris.serversOf(dsl, resourceId), "uri");
        }

        @Override
        Field<Instant> vanishedAt() {
            return vanishedAt;
        }

        @Override
        String noun() {
            return "resource";
        }

        @Override
        List<Field<?>> uniqueFields() {
            return List.of(uriHash);
        }

        @Override
        Map<Field<?>, Object> values(Resource r) {
            Map<Field<?>, Object> v = new HashMap<>();
            v.put(gatewayId, r.gatewayId());
            v.put(uri, r.uri());
            v.put(uriHash, ResourceRepository.uriHash(r.gatewayId(), r.uri()));
            v.put(template, r.template());
            v.put(name, r.name());
            v.put(title, r.title());
            v.put(description, r.description());
            v.put(mimeType, r.mimeType());
            v.put(sizeBytes, r.sizeBytes());
            v.put(textContent, r.textContent());
            v.put(binaryContent, r.binaryContent());
            v.put(annotations, r.annotations());
            v.put(enabled, r.enabled());
            return v;
        }

        @Override
        Resource read(Record r, Set<String> tags) {
            return new Resource(r.get(id), r.get(gatewayId), r.get(uri), r.get(template), r.get(name), r.get(title),
                    r.get(description), r.get(mimeType), r.get(sizeBytes), r.get(textContent),
                    r.get(binaryContent), r.get(annotations), r.get(enabled), tags, r.get(team), r.get(createdAt),
                    r.get(updatedAt), r.get(version));
        }
    }
}
