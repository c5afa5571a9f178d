package dev.switchboard.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.switchboard.testing.LoopbackHttps;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client ID Metadata Documents fetched from a real HTTPS server on loopback (self-signed, trusted through the
 * trust-certificates setting): what is accepted, and every refusal (address, size, time, redirect, identity).
 */
class ClientMetadataDocumentsTest {

    /** One server for the class (making its certificate takes a while); each test serves under its own prefix. */
    private static LoopbackHttps server;
    private static final AtomicInteger TESTS = new AtomicInteger();

    private final String prefix = "/t" + TESTS.incrementAndGet();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = LoopbackHttps.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void releaseHeldAnswers() {
        release.countDown();
    }

    private String url(String path) {
        return server.url(prefix + path);
    }

    private void handle(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.handle(prefix + path, handler);
    }

    private ClientMetadataDocuments documents(boolean allowPrivate, Duration timeout, long maxBytes) {
        ClientMetadataSettings settings = new ClientMetadataSettings(timeout, maxBytes, allowPrivate,
                server.certificate().toString());
        return new ClientMetadataConfiguration().clientMetadataDocuments(settings);
    }

    private ClientMetadataDocuments documents() {
        return documents(true, Duration.ofSeconds(5), 65536);
    }

    private String serve(String path, String cacheControl, java.util.function.UnaryOperator<String> body) {
        String url = url(path);
        handle(path, exchange -> {
            fetches.incrementAndGet();
            if (cacheControl != null) {
                exchange.getResponseHeaders().add("Cache-Control", cacheControl);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply(exchange, 200, body.apply(url));
        });
        return url;
    }

    private static String document(String clientId) {
        return """
                {"client_id": "%s", "client_name": "Example Agent", "client_uri": "https://agent.example",
                 "redirect_uris": ["http://127.0.0.1:33418/callback", "https://agent.example/cb"],
                 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                 "token_endpoint_auth_method": "none"}""".formatted(clientId);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aDocumentServedAtItsOwnUrlDescribesAPublicClient() {
        String url = serve("/clients/agent.json", null, ClientMetadataDocumentsTest::document);

        ClientMetadata client = documents().resolve(url);

        assertThat(client.clientId()).isEqualTo(url);
        assertThat(client.clientName()).isEqualTo("Example Agent");
        assertThat(client.host()).isEqualTo("127.0.0.1");
        assertThat(client.redirectUris()).containsExactly("http://127.0.0.1:33418/callback",
                "https://agent.example/cb");
        assertThat(client.grantTypes()).containsExactlyInAnyOrder("authorization_code", "refresh_token");
    }

    @Test
    void loopbackIsRefusedUnlessPrivateAddressesAreAllowed() {
        String url = serve("/clients/agent.json", null, ClientMetadataDocumentsTest::document);

        assertThatThrownBy(() -> documents(false, Duration.ofSeconds(5), 65536).resolve(url))
                .isInstanceOf(ClientMetadataException.class)
                .hasMessageContaining("non-public address")
                .hasMessageContaining("SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_ALLOW_PRIVATE");
        assertThat(fetches).as("nothing was sent to the refused address").hasValue(0);
    }

    @Test
    void privateLinkLocalAndSpecialAddressesAreNotPublic() throws Exception {
        for (String address : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe",
                "2002:a9fe:a9fe::1", "224.0.0.1", "198.18.0.1"}) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : new String[] {"93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"}) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
    }

    @Test
    void aDocumentWhoseClientIdIsAnotherUrlIsRefused() {
        String url = serve("/clients/agent.json", null, u -> document("https://elsewhere.example/agent.json"));

        assertThatThrownBy(() -> documents().resolve(url)).isInstanceOf(ClientMetadataException.class)
                .hasMessageContaining("client_id is not its own URL");
    }

    @Test
    void anOversizedDocumentIsRefusedWhetherSizedOrChunked() {
        String padding = " ".repeat(4096);
        String sized = serve("/sized.json", null, u -> document(u) + padding);
        String chunked = url("/chunked.json");
        handle("/chunked.json", exchange -> {
            exchange.sendResponseHeaders(200, 0); // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(padding.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        });
        ClientMetadataDocuments documents = documents(true, Duration.ofSeconds(5), 2048);

        assertThatThrownBy(() -> documents.resolve(sized)).isInstanceOf(ClientMetadataException.class)
                .hasMessageContaining("larger than 2048 bytes");
        assertThatThrownBy(() -> documents.resolve(chunked)).isInstanceOf(ClientMetadataException.class)
                .hasMessageContaining("larger than 2048 bytes");
    }

    @Test
    void aServerThatTricklesItsAnswerIsCutOffAtTheDeadline() {
        String url = url("/slow.json");
        handle("/slow.json", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"client_id\":".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                release.await(30, TimeUnit.SECONDS); // holds the answer open until the test is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ClientMetadataDocuments documents = documents(true, Duration.ofMillis(500), 65536);

        Instant started = Instant.now();
        assertThatThrownBy(() -> documents.resolve(url)).isInstanceOf(ClientMetadataException.class)
                .hasMessageContaining("not fetched within 500 ms");
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void redirectsAreNotFollowed() {
        String target = serve("/real.json", null, ClientMetadataDocumentsTest::document);
        String url = url("/moved.json");
        handle("/moved.json", exchange -> {
            exchange.getResponseHeaders().add("Location", target);
            reply(exchange, 302, "");
        });

        assertThatThrownBy(() -> documents().resolve(url)).isInstanceOf(ClientMetadataException.class)
                .hasMessageContaining("redirect");
        assertThat(fetches).hasValue(0);
    }

    @Test
    void anUntrustedCertificateIsRefused() {
        String url = serve("/clients/agent.json", null, ClientMetadataDocumentsTest::document);
        ClientMetadataDocuments documents = new ClientMetadataConfiguration().clientMetadataDocuments(
                new ClientMetadataSettings(Duration.ofSeconds(5), 65536, true, null));

        assertThatThrownBy(() -> documents.resolve(url)).isInstanceOf(ClientMetadataException.class)
                .hasMessageContaining("could not be fetched");
    }

    @Test
    void documentsAreCachedAsTheirCacheControlSays() {
        String cached = serve("/cached.json", "public, max-age=600", ClientMetadataDocumentsTest::document);
        String uncached = serve("/uncached.json", "no-store", ClientMetadataDocumentsTest::document);
        ClientMetadataDocuments documents = documents();

        documents.resolve(cached);
        documents.resolve(cached);
        assertThat(fetches).as("max-age=600: fetched once").hasValue(1);
        documents.resolve(uncached);
        documents.resolve(uncached);
        assertThat(fetches).as("no-store: fetched each time").hasValue(3);
    }

    @Test
    void aCachedDocumentIsFetchedAgainOnceItsMaxAgeHasPassed() {
        String url = serve("/aging.json", "max-age=60", ClientMetadataDocumentsTest::document);
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        ClientMetadataDocuments documents = new ClientMetadataDocuments(new ClientMetadataFetcher(
                ClientMetadataConfiguration.tls(server.certificate().toString()), Duration.ofSeconds(5), 65536, true,
                Clock.systemUTC()), clock);

        documents.resolve(url);
        now[0] = now[0].plusSeconds(59);
        documents.resolve(url);
        assertThat(fetches).hasValue(1);
        now[0] = now[0].plusSeconds(2);
        documents.resolve(url);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void documentsClaimingASecretOrAnUnsafeRedirectUriAreRefused() {
        String secret = serve("/secret.json", null, u -> document(u).replace("\"none\"", "\"client_secret_basic\""));
        String plainHttp = serve("/http.json", null, u -> document(u).replace("https://agent.example/cb",
                "http://agent.example/cb"));
        ClientMetadataDocuments documents = documents();

        assertThatThrownBy(() -> documents.resolve(secret)).hasMessageContaining("shared secret");
        assertThatThrownBy(() -> documents.resolve(plainHttp)).hasMessageContaining("not https");
    }

    @Test
    void clientIdUrlsFollowTheDraftsRules() {
        for (String bad : new String[] {"http://client.example/app.json", "https://client.example",
                "https://client.example/", "https://user:pw@client.example/app.json",
                "https://client.example/app.json#x", "https://client.example/a/../app.json"}) {
            assertThatThrownBy(() -> ClientMetadataDocuments.checkedUrl(bad)).as(bad)
                    .isInstanceOf(ClientMetadataException.class);
        }
        assertThat(ClientMetadataDocuments.checkedUrl("https://client.example:8443/app.json?v=1")).isNotNull();
    }
}
