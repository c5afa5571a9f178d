package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Trees read through the module write every fraction back as it was spelled, and otherwise as Jackson's do. */
class VerbatimNumbersTest {

    private static final JsonMapper VERBATIM = JsonMapper.builder().addModule(new VerbatimNumbers()).build();
    private static final JsonMapper PLAIN = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Test
    void fractionsKeepTheirSpellingAndMembersTheirOrder() {
        String document = "{\"b\":1,\"a\":1.50e1,\"c\":[-0.0,2.5E-1,1E+2,12345678901234567890.125,{\"d\":-1.5e+3}]}";
        assertThat(PLAIN.writeValueAsString(PLAIN.readTree(document))).as("what the module fixes")
                .isNotEqualTo(document);
        JsonNode tree = VERBATIM.readTree(document);
        assertThat(VERBATIM.writeValueAsString(tree)).isEqualTo(document);
        // The values are ordinary decimals to code that reads them.
        assertThat(tree.get("a").decimalValue()).isEqualByComparingTo(new BigDecimal("15"));
        assertThat(tree.get("a").isNumber()).isTrue();
        assertThat(tree.get("a").doubleValue()).isEqualTo(15.0);
        assertThat(tree.get("a").decimalValue().add(BigDecimal.ONE).toString()).isEqualTo("16.0");
    }

    @Test
    void everythingElseReadsAsJacksonReadsIt() {
        String document = "{\"i\":7,\"l\":12345678901,\"big\":123456789012345678901234567890,\"s\":\"x\","
                + "\"t\":true,\"f\":false,\"n\":null,\"e\":{},\"a\":[],\"dup\":1,\"dup\":2}";
        assertThat(VERBATIM.readTree(document)).isEqualTo(PLAIN.readTree(document));
        assertThat(VERBATIM.writeValueAsString(VERBATIM.readTree("[1,\"two\",null]"))).isEqualTo("[1,\"two\",null]");
        assertThat(VERBATIM.readTree("2.50").toString()).isEqualTo("2.50");
        assertThat(VERBATIM.readTree("null").isNull()).isTrue();
    }

    /** A JSON null where a record expects a tree is a null node, as with Jackson's own reader. */
    record Body(JsonNode schema, JsonNode absent) {
    }

    @Test
    void aRecordGetsTreesThatKeepSpellingAndANullNodeForNull() {
        Body body = VERBATIM.readValue("{\"schema\":{\"maximum\":1.50e1},\"absent\":null}", Body.class);
        assertThat(VERBATIM.writeValueAsString(body.schema())).isEqualTo("{\"maximum\":1.50e1}");
        assertThat(body.absent()).isNotNull();
        assertThat(body.absent().isNull()).isTrue();
    }

    @Test
    void malformedAndTooDeepDocumentsFailAsParseErrors() {
        assertThatThrownBy(() -> VERBATIM.readTree("{\"a\":1.5e}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> VERBATIM.readTree("[".repeat(5000) + "]".repeat(5000)))
                .isInstanceOf(JacksonException.class);
    }
}
