package dev.switchboard.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rule for a query string, read whole before anything runs: every name and value is well-formed
 * percent-encoding of UTF-8 whose text passes {@link FirewallText}. Tomcat decodes parameters only when one is
 * first asked for, and its failure, or the firewall's, came out of a controller as a 500.
 */
final class QueryText {

    private QueryText() {
    }

    /** Why {@code query} (as sent, still encoded) is refused, or null when it is fine. */
    static String fault(String query) {
        int start = 0;
        while (start <= query.length()) {
            int end = next(query, start);
            String fault = faultOfPart(query, start, end);
            if (fault != null) {
                return fault;
            }
            start = end + 1;
        }
        return null;
    }

    /** Where the name or value that starts at {@code start} ends: at the next '&' or '=', or the end. */
    private static int next(String query, int start) {
        for (int i = start; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '&' || c == '=') {
                return i;
            }
        }
        return query.length();
    }

    /** Printable ASCII without escapes, as nearly every query is: nothing to decode. */
    private static boolean plain(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c == '%' || c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String faultOfPart(String query, int start, int end) {
        if (plain(query, start, end)) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate((end - start) * 3);
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c == '%') {
                int high = i + 1 < end ? Character.digit(query.charAt(i + 1), 16) : -1;
                int low = i + 2 < end ? Character.digit(query.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    return "the query string has a '%' that is not followed by two hexadecimal digits";
                }
                bytes.put((byte) (high * 16 + low));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer text;
        try {
            text = utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            return "the query string's percent-escapes are not UTF-8";
        }
        if (!FirewallText.RULE.test(text.toString())) {
            return "the query string holds a control character or an unassigned code point";
        }
        return null;
    }
}
