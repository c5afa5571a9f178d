package dev.switchboard.persistence;

import java.time.Duration;

/**
 * What the live server says about itself at startup.
 *
 * @param waitTimeout    how long the server keeps an idle connection (MariaDB and MySQL), or null
 * @param maxConnections the server's connection limit, or null where there is none (SQLite)
 */
public record ServerInfo(Engine engine, EngineVersion version, Duration waitTimeout, Integer maxConnections) {
}
