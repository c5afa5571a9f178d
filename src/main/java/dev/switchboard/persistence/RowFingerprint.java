package dev.switchboard.persistence;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A checksum of a table's content that is the same on every engine: each row is written in one canonical
 * text form and hashed, and the hashes are added up, so the order rows come in (which differs between
 * engines' collations) does not matter. JSON is compared as a value, because MySQL's JSON type (and PostgreSQL's
 * jsonb, in databases made before json) keeps a document's meaning but not its spelling.
 */
final class RowFingerprint {

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<RegistrySchema.Column> columns;
    private final MessageDigest sha;
    private BigInteger sum = BigInteger.ZERO;
    private long rows;

    RowFingerprint(List<RegistrySchema.Column> columns) {
        this.columns = columns;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    void add(Object[] row) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            String value = canonical(columns.get(i).kind(), row[i]);
            text.append(value == null ? "-" : value.length() + ":" + value).append('|');
        }
        sum = sum.add(new BigInteger(1, sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)))).mod(MODULUS);
        rows++;
    }

    long rows() {
        return rows;
    }

    /** The row count and the sum of row hashes, as one comparable string. */
    String value() {
        return rows + ":" + String.format("%064x", sum);
    }

    private static String canonical(String kind, Object value) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case "json" -> canonicalJson(JSON.readTree((String) value));
            case "boolean" -> ((Boolean) value) ? "1" : "0";
            case "blob" -> HexFormat.of().formatHex((byte[]) value);
            case "uuid" -> ((UUID) value).toString();
            default -> value.toString(); // text, instants (ISO-8601), numbers
        };
    }

    /** Objects with sorted keys, numbers by value, strings escaped as JSON writes them. */
    private static String canonicalJson(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            StringBuilder out = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> it = sorted.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(JSON.writeValueAsString(e.getKey())).append(':').append(canonicalJson(e.getValue()));
                out.append(it.hasNext() ? "," : "");
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                out.append(i > 0 ? "," : "").append(canonicalJson(node.get(i)));
            }
            return out.append(']').toString();
        }
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        return JSON.writeValueAsString(node);
    }
}
