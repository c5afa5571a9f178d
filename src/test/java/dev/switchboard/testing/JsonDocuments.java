package dev.switchboard.testing;

import java.util.Comparator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON compared as documents: key order and spelling aside, and numbers by value (15, 15.0 and 1.5e1 are one). */
public final class JsonDocuments {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonDocuments() {
    }

    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        return JSON.readTree(a).equals(NUMBERS_BY_VALUE, JSON.readTree(b));
    }
}
