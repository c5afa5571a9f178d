package dev.switchboard.persistence;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a database startup failure into Spring Boot's short report, without a stack trace. */
public class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseStartupException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix DATABASE_URL or the DB_POOL_* settings (see docs/databases.md) and start again.", null);
    }
}
