package dev.switchboard.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a missing, malformed or weak key for stored secrets as one line that says how to make one, no stack trace. */
public class SecretKeyFailureAnalyzer extends AbstractFailureAnalyzer<SecretKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecretKeyException cause) {
        // No separate action: the message already says what to do, and one line is easier to act on than two.
        return new FailureAnalysis(cause.getMessage(), null, null);
    }
}
