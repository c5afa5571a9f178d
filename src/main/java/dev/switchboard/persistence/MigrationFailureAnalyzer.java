package dev.switchboard.persistence;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a failed startup migration in one paragraph; the changesets that completed stay applied. */
public class MigrationFailureAnalyzer extends AbstractFailureAnalyzer<MigrationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MigrationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the cause and start again: completed changesets are kept and the rest will be applied. "
                        + "To migrate separately, set SWITCHBOARD_SKIP_MIGRATIONS=true here.", cause);
    }
}
