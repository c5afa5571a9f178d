package dev.switchboard.persistence;

import java.time.Duration;

/**
 * What the live server says about itself at startup.
 *
 * @param idleTimeout    how long the server keeps an idle session before closing it (MariaDB's and MySQL's
 *                       wait_timeout, PostgreSQL's idle_session_timeout), or null where it never does
 * @param maxConnections the server's connection limit, or null where there is none (SQLite)
 */
public record ServerInfo(Engine engine, EngineVersion version, Duration idleTimeout, Integer maxConnections) {
}
