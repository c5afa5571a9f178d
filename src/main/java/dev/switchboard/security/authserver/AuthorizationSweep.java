package dev.switchboard.security.authserver;

import dev.switchboard.jobs.SharedJob;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes authorizations whose every token expired, once an hour across replicas; and rotates the key when due. */
final class AuthorizationSweep implements SharedJob {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationSweep.class);

    private final AuthorizationStore authorizations;
    private final SigningKeys keys;

    AuthorizationSweep(AuthorizationStore authorizations, SigningKeys keys) {
        this.authorizations = authorizations;
        this.keys = keys;
    }

    @Override
    public String name() {
        return "oauth-authorization-sweep";
    }

    @Override
    public Duration interval() {
        return Duration.ofHours(1);
    }

    @Override
    public void run() {
        int removed = authorizations.sweep(Instant.now());
        if (removed > 0) {
            log.info("Removed {} expired OAuth authorizations", removed);
        }
        keys.current();
    }
}
