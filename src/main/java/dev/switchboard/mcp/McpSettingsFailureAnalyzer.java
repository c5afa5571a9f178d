package dev.switchboard.mcp;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad MCP setting into Spring Boot's short report, without a stack trace. */
public class McpSettingsFailureAnalyzer extends AbstractFailureAnalyzer<McpSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, McpSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix the SWITCHBOARD_MCP_* setting (see docs/mcp.md) and start"
                + " again.", null);
    }
}
