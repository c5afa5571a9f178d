package dev.switchboard.replicas;

import dev.switchboard.jobs.BackgroundLoop;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The replicas of this registry. Each registers, once its web server listens, under a random id with the address
 * other replicas reach it at, and is marked seen every {@link #BEAT}; one not seen for {@link #LIFETIME} is gone
 * (killed, or cut off), and its registration is deleted {@link #KEPT} later. Replicas find each other here to hand a
 * message to the one running the call it is for ({@link ReplicaLink}).
 */
@Component
public class Replicas implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(Replicas.class);
    /** How often a replica marks itself seen. */
    public static final Duration BEAT = Duration.ofSeconds(5);
    /** A replica not seen for this long is gone. */
    public static final Duration LIFETIME = Duration.ofSeconds(20);
    /** How long a gone replica's registration stays, so that what it held is known to be lost rather than unknown. */
    static final Duration KEPT = Duration.ofHours(1);
    /** Replica ids: 16 lower-case hex digits. */
    public static final int ID_LENGTH = 16;

    /** What the registry says of a replica. */
    public enum State { LIVE, GONE, UNKNOWN }

    /** A replica: its address is null when it is unknown. */
    public record Replica(String id, URI address, State state) {
    }

    private final String id;
    private final ReplicaRepository repository;
    private final ReplicaSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final BackgroundLoop heartbeat;
    private final Instant startedAt;
    private volatile ReplicaRepository.Registration self;
    /** The registrations as of the last beat: most lookups are answered from here. */
    private volatile Map<String, ReplicaRepository.Registration> known = Map.of();
    private volatile boolean running;

    Replicas(ReplicaRepository repository, ReplicaSettings settings) {
        this.repository = repository;
        this.settings = settings;
        byte[] random = new byte[ID_LENGTH / 2];
        new SecureRandom().nextBytes(random);
        this.id = HexFormat.of().formatHex(random);
        this.startedAt = clock.instant();
        this.heartbeat = new BackgroundLoop("switchboard-replica-heartbeat", this::beat, () -> BEAT, log,
                "This replica cannot mark itself seen in the registry now ({}); other replicas will take it for gone",
                "This replica is marked seen in the registry again");
    }

    /** This replica's id. */
    public String id() {
        return id;
    }

    /** Whether {@code text} is shaped like a replica id. */
    public static boolean isId(String text) {
        return text != null && text.length() == ID_LENGTH && text.chars().allMatch(c -> Character.digit(c, 16) >= 0
                && !Character.isUpperCase(c));
    }

    /** What the registry says of replica {@code replicaId}: read again when the last beat did not know it live. */
    public Replica find(String replicaId) {
        ReplicaRepository.Registration known = this.known.get(replicaId);
        Instant now = clock.instant();
        if (known == null || !isLive(known, now)) {
            try {
                known = repository.find(replicaId).orElse(null);
            } catch (RuntimeException e) {
                log.debug("Replica {} not looked up: the registry is unavailable ({})", replicaId, e.toString());
            }
        }
        if (known == null) {
            return new Replica(replicaId, null, State.UNKNOWN);
        }
        return new Replica(replicaId, known.address(), isLive(known, now) ? State.LIVE : State.GONE);
    }

    /** The addresses of the other live replicas, read from the registry (or as of the last beat while it is away). */
    public List<URI> others() {
        Instant now = clock.instant();
        List<ReplicaRepository.Registration> all;
        try {
            all = repository.all();
        } catch (RuntimeException e) {
            all = List.copyOf(known.values());
        }
        return all.stream().filter(r -> !r.id().equals(id) && isLive(r, now))
                .map(ReplicaRepository.Registration::address).toList();
    }

    private static boolean isLive(ReplicaRepository.Registration registration, Instant now) {
        return registration.seenAt().plus(LIFETIME).isAfter(now);
    }

    /** Registers this replica once its (main) web server listens: only then is its port known. */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        URI address = URI.create("http://" + hostForUri(host()) + ":" + event.getWebServer().getPort());
        self = new ReplicaRepository.Registration(id, address, startedAt, startedAt);
        log.info("Replica {} answers other replicas at {}", id, address);
        heartbeat.start(Duration.ZERO);
    }

    private String host() {
        if (!settings.host().isBlank()) {
            return settings.host().strip();
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            log.warn("This machine's address is unknown ({}); other replicas are told 127.0.0.1: set "
                    + "SWITCHBOARD_REPLICA_HOST to the address they reach this gateway at", e.getMessage());
            return "127.0.0.1";
        }
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Marks this replica seen, reads the others, and deletes registrations gone for {@link #KEPT}. */
    private void beat() {
        ReplicaRepository.Registration me = self;
        if (me == null) {
            return;
        }
        Instant now = clock.instant();
        repository.seen(me, now);
        known = repository.all().stream().collect(Collectors.toUnmodifiableMap(
                ReplicaRepository.Registration::id, Function.identity(), (a, b) -> a));
        repository.deleteSeenBefore(now.minus(KEPT));
    }

    /** This replica's own registration, once it listens. */
    public Optional<URI> address() {
        return Optional.ofNullable(self).map(ReplicaRepository.Registration::address);
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Stops marking this replica seen. It stops after the web server (a low phase): calls finishing during a
     * graceful shutdown may still be handed their clients' answers by other replicas.
     */
    @Override
    public void stop() {
        running = false;
        heartbeat.stop(Duration.ofSeconds(2));
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
