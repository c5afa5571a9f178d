package dev.switchboard.security.authserver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses a server-side fetch chosen by an outsider may reach: public unicast only. Loopback, private
 * (RFC 1918, IPv6 unique local), link-local (cloud metadata services live there), shared (CGNAT), unspecified,
 * multicast, benchmarking, documentation and reserved ranges are refused, and so is an IPv6 address that embeds
 * one of them (IPv4-mapped, 6to4, NAT64).
 */
final class PublicAddresses {

    private PublicAddresses() {
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(bytes);
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            if (first == 0x20 && (bytes[1] & 0xff) == 0x02) {
                return isPublicV4(new byte[] {bytes[2], bytes[3], bytes[4], bytes[5]}); // 2002::/16 6to4
            }
            if (first == 0x20 && (bytes[1] & 0xff) == 0x01 && bytes[2] == 0x0d && (bytes[3] & 0xff) == 0xb8) {
                return false; // 2001:db8::/32 documentation
            }
            if (first == 0x00 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b) {
                return isPublicV4(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]}); // 64:ff9b::/96 NAT64
            }
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= bytes[i] == 0;
            }
            if (zeroPrefix) {
                // ::/80 holds the unspecified and loopback addresses, IPv4-compatible and IPv4-mapped ones
                // (the JDK turns a plain ::ffff:a.b.c.d into an Inet4Address already); none is a public host.
                return false;
            }
            return (first & 0xe0) == 0x20; // global unicast 2000::/3 only
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224 // this network, private, loopback, multicast, reserved
                || (a0 == 100 && (a1 & 0xc0) == 64)          // 100.64/10 shared address space (CGNAT)
                || (a0 == 169 && a1 == 254)                  // link-local, cloud metadata
                || (a0 == 172 && (a1 & 0xf0) == 16)          // 172.16/12
                || (a0 == 192 && a1 == 168)                  // 192.168/16
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF assignments, TEST-NET-1
                || (a0 == 198 && (a1 & 0xfe) == 18)          // 198.18/15 benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100)      // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113));     // TEST-NET-3
    }
}
