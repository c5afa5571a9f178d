package dev.switchboard.federation;

import dev.switchboard.federation.UpstreamException.Kind;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bound on one message from an upstream (SWITCHBOARD_UPSTREAM_MAX_MESSAGE_BYTES): a JSON answer body, an SSE
 * event or line, a stdio line. Bodies are read up to the cap and no further, so an endless answer costs at most
 * the cap in memory; beyond it the request fails with words that name the cap.
 */
record MessageCap(long maxBytes) {

    /** The setting that sets the cap, named in every failure. */
    static final String SETTING = "SWITCHBOARD_UPSTREAM_MAX_MESSAGE_BYTES";

    /** The whole of {@code in} when it is within the cap. */
    byte[] read(InputStream in, String upstream) throws IOException {
        int limit = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw exceeded(upstream, "an answer");
        }
        return bytes;
    }

    /** The failure of a message past the cap: {@code what} is "an answer", "an SSE event", "a line"... */
    UpstreamException exceeded(String upstream, String what) {
        return new UpstreamException(Kind.PROTOCOL, "Upstream " + upstream + " sent " + what + " larger than the "
                + size(maxBytes) + " cap (" + SETTING + "); it was not read further");
    }

    /** A size as people write it: "16 MiB", "256 KiB", "1000 bytes". */
    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
