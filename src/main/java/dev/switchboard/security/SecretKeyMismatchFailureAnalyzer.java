package dev.switchboard.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a gateway whose key is not the one the registry is sealed under, in one paragraph and no stack trace. */
public class SecretKeyMismatchFailureAnalyzer extends AbstractFailureAnalyzer<SecretKeyMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecretKeyMismatchException cause) {
        return new FailureAnalysis(cause.getMessage(), "Give this gateway the registry's key: set "
                + SecretKeySettings.KEY + " to the key the other gateways use (or the one in the key file of the "
                + "gateway that first started on this registry), and start again. See docs/security.md.", null);
    }
}
