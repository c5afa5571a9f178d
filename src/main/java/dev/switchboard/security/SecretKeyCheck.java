package dev.switchboard.security;

import dev.switchboard.security.SecretKeySettings.SourcedKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a gateway seals secrets under the key the registry is sealed under. The first gateway records its key's
 * fingerprint; a later one with a different key (a replica that generated its own key file, a mistyped variable) is
 * refused before it writes anything. A registry that predates the fingerprint records the current key's at start.
 */
final class SecretKeyCheck {

    private static final Logger log = LoggerFactory.getLogger(SecretKeyCheck.class);

    private final RegistrySettings settings;

    SecretKeyCheck(RegistrySettings settings) {
        this.settings = settings;
    }

    /**
     * Records {@code current}'s fingerprint if the registry has none, and otherwise checks it.
     *
     * @param old SWITCHBOARD_OLD_SECRET_KEY: while a rotation is under way the registry may still be under it
     * @throws SecretKeyMismatchException when the registry is sealed under neither key
     */
    void verify(SourcedKey current, Optional<SourcedKey> old) {
        String ours = SecretKeyFingerprint.of(current.key());
        Optional<String> recorded = settings.read(RegistrySettings.SECRET_KEY_FINGERPRINT);
        String stored = recorded.orElseGet(() -> settings.putIfAbsent(RegistrySettings.SECRET_KEY_FINGERPRINT, ours));
        if (SecretKeyFingerprint.matches(stored, current.key())) {
            if (recorded.isEmpty()) {
                log.info("The registry's secrets are sealed under key {} ({}); its fingerprint is now recorded, and "
                        + "a gateway with another key will refuse to start", current.key().id(), current.source());
            }
            return;
        }
        if (old.isPresent() && SecretKeyFingerprint.matches(stored, old.get().key())) {
            log.info("The registry is still recorded under {} {}: run `secrets rotate` to move it to key {}",
                    SecretKeySettings.OLD_KEY, old.get().key().id(), current.key().id());
            return;
        }
        throw new SecretKeyMismatchException("The registry's stored secrets are sealed under another key than this "
                + "gateway's key " + current.key().id() + " (from " + current.source() + "). Every gateway on one "
                + "registry must use the same " + SecretKeySettings.KEY + "; a gateway that generated its own key file "
                + "cannot join a registry that another gateway's key already seals. This gateway did not start, and "
                + "nothing was written.");
    }
}
