package dev.switchboard.persistence;

import org.jooq.SQLDialect;

/**
 * MySQL 8.0 and newer, through the same driver and SQL family as MariaDB. The differences are the jOOQ
 * rendering and, in the changelog, the no-pad binary collation's name (utf8mb4_0900_bin).
 */
final class MySqlDialect extends MariaDbDialect {

    @Override
    public Engine engine() {
        return Engine.MYSQL;
    }

    @Override
    public SQLDialect sqlDialect() {
        return SQLDialect.MYSQL;
    }
}
