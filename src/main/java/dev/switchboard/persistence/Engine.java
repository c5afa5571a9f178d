package dev.switchboard.persistence;

/** The database engines Switchboard supports, with the oldest version of each that it accepts. */
public enum Engine {
    SQLITE("sqlite", "SQLite", EngineVersion.of(3, 35)),
    POSTGRESQL("postgresql", "PostgreSQL", EngineVersion.of(14, 0)),
    MARIADB("mariadb", "MariaDB", EngineVersion.of(10, 6)),
    MYSQL("mysql", "MySQL", EngineVersion.of(8, 0));

    private final String id;
    private final String displayName;
    private final EngineVersion minimumVersion;

    Engine(String id, String displayName, EngineVersion minimumVersion) {
        this.id = id;
        this.displayName = displayName;
        this.minimumVersion = minimumVersion;
    }

    /** Lower-case identifier used in metric tags, logs and configuration. */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public EngineVersion minimumVersion() {
        return minimumVersion;
    }

    /** Parses an engine id such as {@code postgresql}; null when unknown. */
    public static Engine fromId(String id) {
        for (Engine engine : values()) {
            if (engine.id.equalsIgnoreCase(id)) {
                return engine;
            }
        }
        return null;
    }
}
