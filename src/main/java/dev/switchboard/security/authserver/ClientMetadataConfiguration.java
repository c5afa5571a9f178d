package dev.switchboard.security.authserver;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import dev.switchboard.settings.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Client ID Metadata Documents: the fetcher's TLS trust (the JVM's, plus
 * SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_TRUST_CERTIFICATES when set) and the cached resolver.
 */
@Configuration(proxyBeanMethods = false)
// Only beside the built-in authorization server, whose chain these pages serve.
@ConditionalOnBooleanProperty(name = "switchboard.auth-server.enabled", matchIfMissing = true)
public class ClientMetadataConfiguration {

    @Bean
    public ClientMetadataDocuments clientMetadataDocuments(ClientMetadataSettings settings) {
        ClientMetadataFetcher fetcher = new ClientMetadataFetcher(tls(settings.trustCertificates()),
                settings.fetchTimeout(), settings.maxBytes(), settings.allowPrivate(), Clock.systemUTC());
        return new ClientMetadataDocuments(fetcher, Clock.systemUTC());
    }

    /** A TLS context trusting the JVM's certificate authorities and, when named, those of a PEM file. */
    static SSLContext tls(String trustCertificates) {
        try {
            List<X509ExtendedTrustManager> managers = new ArrayList<>();
            managers.add(trustManager(null));
            if (trustCertificates != null) {
                KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
                extra.load(null, null);
                int i = 0;
                for (Certificate certificate : readPem(Path.of(trustCertificates))) {
                    extra.setCertificateEntry("extra-" + i++, certificate);
                }
                managers.add(trustManager(extra));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {managers.size() == 1 ? managers.get(0) : new EitherTrust(managers)},
                    null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidSettingException("SWITCHBOARD_AUTH_SERVER_CLIENT_METADATA_TRUST_CERTIFICATES: "
                    + trustCertificates + " could not be read as PEM certificates (" + e.getMessage() + ")");
        }
    }

    private static Collection<? extends Certificate> readPem(Path file) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate in the file");
            }
            return certificates;
        }
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server that any one of its managers trusts (each checks the host name as well as the chain). */
    private static final class EitherTrust extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> managers;

        EitherTrust(List<X509ExtendedTrustManager> managers) {
            this.managers = managers;
        }

        private interface Check {
            void run(X509ExtendedTrustManager manager) throws CertificateException;
        }

        private void any(Check check) throws CertificateException {
            CertificateException last = null;
            for (X509ExtendedTrustManager manager : managers) {
                try {
                    check.run(manager);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("this context only connects to servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("this context only connects to servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this context only connects to servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
