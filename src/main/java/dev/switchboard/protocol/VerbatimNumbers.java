package dev.switchboard.protocol;

import java.math.BigDecimal;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Jackson module that reads JSON trees keeping each fraction as it was spelled: {@code 1.50e1} is written back as
 * {@code 1.50e1}, not as {@code 15.0}. A gateway passes upstreams' schemas and answers on, and stores them, so what
 * a client gets must be what the upstream wrote. The numbers stay {@link DecimalNode}s with their exact value, so
 * code that reads them (schema checks, comparisons) sees ordinary decimals.
 */
public final class VerbatimNumbers extends SimpleModule {

    public VerbatimNumbers() {
        super("switchboard-verbatim-numbers");
        addDeserializer(JsonNode.class, new TreeReader());
    }

    /** A decimal that prints as it was written; arithmetic on it gives plain decimals. */
    static final class SpelledDecimal extends BigDecimal {

        private final String spelling;

        SpelledDecimal(String spelling) {
            super(spelling);
            this.spelling = spelling;
        }

        @Override
        public String toString() {
            return spelling;
        }
    }

    /**
     * Builds a tree as Jackson's own reader does (the last of repeated member names wins, integers by their size),
     * except for fractions. Depth is bounded by the parser's nesting limit, which fails the read before this
     * recursion can grow past it.
     */
    private static final class TreeReader extends ValueDeserializer<JsonNode> {

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            return read(p, ctxt, ctxt.getNodeFactory());
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return NullNode.getInstance();
        }

        private static JsonNode read(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodes)
                throws JacksonException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.PROPERTY_NAME) {
                // A tree asked for in the middle of an object (a buffered creator): the rest of the object.
                return object(p, ctxt, nodes, nodes.objectNode());
            }
            return switch (token) {
                case START_OBJECT -> {
                    p.nextToken();
                    yield object(p, ctxt, nodes, nodes.objectNode());
                }
                case START_ARRAY -> {
                    ArrayNode array = nodes.arrayNode();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        array.add(read(p, ctxt, nodes));
                    }
                    yield array;
                }
                case VALUE_STRING -> nodes.stringNode(p.getString());
                case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> fraction(p, nodes);
                case VALUE_TRUE -> nodes.booleanNode(true);
                case VALUE_FALSE -> nodes.booleanNode(false);
                case VALUE_NULL -> nodes.nullNode();
                case VALUE_EMBEDDED_OBJECT -> nodes.pojoNode(p.getEmbeddedObject());
                default -> ctxt.reportInputMismatch(JsonNode.class, "Unexpected token %s", token);
            };
        }

        /** The members from the current token (a name, or the end) to the end of the object. */
        private static ObjectNode object(JsonParser p, DeserializationContext ctxt, JsonNodeFactory nodes,
                                         ObjectNode object) throws JacksonException {
            for (JsonToken t = p.currentToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                object.set(name, read(p, ctxt, nodes));
            }
            return object;
        }

        private static JsonNode fraction(JsonParser p, JsonNodeFactory nodes) throws JacksonException {
            if (p.isNaN()) {
                return nodes.numberNode(p.getDoubleValue());
            }
            return new DecimalNode(new SpelledDecimal(p.getString()));
        }
    }
}
