package dev.switchboard.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server on 127.0.0.1 with a self-signed certificate made for this run by the JDK's keytool (subject
 * alternative name IP:127.0.0.1), and that certificate as a PEM file, to be trusted by whoever connects
 * (SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_TRUST_CERTIFICATES). Handlers are added per path.
 */
public final class LoopbackHttps implements AutoCloseable {

    private static final String PASSWORD = "changeit";

    private final HttpsServer server;
    private final Path directory;
    private final Path certificate;

    private LoopbackHttps(HttpsServer server, Path directory, Path certificate) {
        this.server = server;
        this.directory = directory;
        this.certificate = certificate;
    }

    public static LoopbackHttps start() {
        try {
            Path directory = Files.createTempDirectory("sb-https");
            Path keystore = directory.resolve("server.p12");
            Path pem = directory.resolve("server.pem");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                    "-storepass", PASSWORD, "-file", pem.toString());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return new LoopbackHttps(server, directory, pem);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("could not start the loopback HTTPS server", e);
        }
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Serves {@code handler} at {@code path}. */
    public LoopbackHttps handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    /** {@code https://127.0.0.1:<port><path>} */
    public String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The server's certificate, PEM-encoded. */
    public Path certificate() {
        return certificate;
    }

    @Override
    public void close() {
        server.stop(0);
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
