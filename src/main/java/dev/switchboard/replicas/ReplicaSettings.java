package dev.switchboard.replicas;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the other replicas of the registry reach this one.
 *
 * @param host The host name or address other replicas reach this gateway at, on its own port (SWITCHBOARD_REPLICA_HOST);
 *             empty: this machine's address (in Kubernetes, the pod's IP).
 */
@ConfigurationProperties("switchboard.replica")
public record ReplicaSettings(@DefaultValue("") String host) {
}
