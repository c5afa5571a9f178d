package dev.switchboard.policy;

import com.google.protobuf.NullValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Claims and arguments as the values CEL works with: maps with string keys, lists, strings, booleans, int64, double; an instant
 * becomes seconds since the epoch (as in a JWT), anything else its text.
 */
public final class PolicyValues {

    private PolicyValues() {
    }

    public static Map<String, Object> of(Map<String, Object> claims) {
        Map<String, Object> values = new LinkedHashMap<>();
        claims.forEach((name, value) -> values.put(name, value(value)));
        return values;
    }

    /** A JSON object (a call's arguments) as a CEL map; anything else as an empty one. */
    public static Map<String, Object> of(JsonNode arguments) {
        return arguments != null && arguments.isObject() && json(arguments) instanceof Map<?, ?> map
                ? castMap(map) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Object json(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), json(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(json(item)));
            return list;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return node.asString();
    }

    private static Object value(Object value) {
        return switch (value) {
            case null -> NullValue.NULL_VALUE;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i.longValue();
            case Long l -> l;
            case Short s -> s.longValue();
            case Float f -> f.doubleValue();
            case Double d -> d;
            case Instant t -> t.getEpochSecond();
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
                yield out;
            }
            case Collection<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                list.forEach(v -> out.add(value(v)));
                yield out;
            }
            default -> value.toString();
        };
    }
}
