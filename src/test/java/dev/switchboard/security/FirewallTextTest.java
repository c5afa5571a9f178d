package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The firewall's text rule agrees with the regular expression Spring Security applies by default. */
class FirewallTextTest {

    /** Spring Security's default pattern for header and parameter names and values. */
    private static final Pattern SPRING_DEFAULT = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void agreesWithSpringsPatternOnEveryCodePointOfTheBasicPlaneAndBeyond() {
        List<String> samples = new ArrayList<>(List.of("", "Bearer abc.def-ghi_~+/=", "application/json, text/event-stream",
                "x\ty", "x\ny", "del\u007f", "c1\u0085", "nbsp\u00a0", "emoji\uD83D\uDE00", "lone\uD800", "lone\uDC00x",
                "unassigned\u0378", "private\uE000", "ünïcödé"));
        for (int codePoint = 0; codePoint <= 0x10FFFF; codePoint += codePoint < 0x3000 ? 1 : 97) {
            samples.add("a" + new String(Character.toChars(codePoint)) + "b");
        }
        for (String sample : samples) {
            assertThat(FirewallText.RULE.test(sample)).as("%s", sample.codePoints().boxed().toList())
                    .isEqualTo(SPRING_DEFAULT.matcher(sample).matches());
        }
    }

    @Test
    void refusesControlCharactersInHeaders() {
        assertThat(FirewallText.RULE.test("value\r\nInjected: yes")).isFalse();
        assertThat(FirewallText.RULE.test("plain value")).isTrue();
    }

    @Test
    void formValuesMayHoldTheLinesOfATextAreaButNoOtherControlCharacter() {
        assertThat(FirewallText.FORM_VALUES.test("{\r\n\t\"type\": \"object\"\r\n}")).isTrue();
        assertThat(FirewallText.FORM_VALUES.test("nul\u0000")).isFalse();
        assertThat(FirewallText.FORM_VALUES.test("escape\u001b[0m")).isFalse();
        assertThat(FirewallText.FORM_VALUES.test("c1\u0085")).isFalse();
        assertThat(FirewallText.FORM_VALUES.test("unassigned\u0378")).isFalse();
    }
}
