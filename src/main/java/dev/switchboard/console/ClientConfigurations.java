package dev.switchboard.console;

import java.util.List;

/**
 * Ready-to-paste configurations of the MCP clients docs/clients.md covers, for one endpoint: each with OAuth (only
 * the URL: the client signs in through the gateway's login and consent pages) and with an API token in a header.
 */
final class ClientConfigurations {

    /** One client's configuration: where it goes, and the text. {@code id} names it in the page. */
    record Configuration(String id, String client, String where, String text) {
    }

    private ClientConfigurations() {
    }

    /** With OAuth when {@code token} is null; otherwise with the token in an Authorization header. */
    static List<Configuration> of(String url, String token) {
        String auth = token == null ? null : "Bearer " + token;
        String id = token == null ? "oauth" : "token";
        return List.of(
                new Configuration("claude-code-" + id, "Claude Code", "a terminal",
                        "claude mcp add --transport http switchboard " + url
                                + (auth == null ? "" : " \\\n  --header \"Authorization: " + auth + "\"")),
                new Configuration("claude-desktop-" + id, "Claude Desktop", auth == null
                        ? "Settings → Connectors → Add custom connector: the URL"
                        : "claude_desktop_config.json (through mcp-remote, since custom connectors take no headers)",
                        auth == null ? url : """
                                {
                                  "mcpServers": {
                                    "switchboard": {
                                      "command": "npx",
                                      "args": ["-y", "mcp-remote", "%s",
                                               "--header", "Authorization:${SWITCHBOARD_AUTH}"],
                                      "env": { "SWITCHBOARD_AUTH": "%s" }
                                    }
                                  }
                                }""".formatted(url, auth)),
                new Configuration("vscode-" + id, "VS Code", ".vscode/mcp.json", auth == null ? """
                        {
                          "servers": {
                            "switchboard": { "type": "http", "url": "%s" }
                          }
                        }""".formatted(url) : """
                        {
                          "servers": {
                            "switchboard": {
                              "type": "http",
                              "url": "%s",
                              "headers": { "Authorization": "%s" }
                            }
                          }
                        }""".formatted(url, auth)),
                new Configuration("cursor-" + id, "Cursor", "~/.cursor/mcp.json or .cursor/mcp.json", auth == null
                        ? """
                        {
                          "mcpServers": {
                            "switchboard": { "url": "%s" }
                          }
                        }""".formatted(url) : """
                        {
                          "mcpServers": {
                            "switchboard": {
                              "url": "%s",
                              "headers": { "Authorization": "%s" }
                            }
                          }
                        }""".formatted(url, auth)),
                new Configuration("inspector-" + id, "MCP Inspector", "a terminal", auth == null
                        ? "npx @modelcontextprotocol/inspector\n# Transport: Streamable HTTP; URL: " + url
                                + "; then Connect"
                        : "npx @modelcontextprotocol/inspector --cli " + url + " \\\n  --transport http --header \""
                                + "Authorization: " + auth + "\" --method tools/list"));
    }
}
