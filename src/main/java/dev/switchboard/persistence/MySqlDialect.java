package dev.switchboard.persistence;

import java.util.List;
import org.jooq.SQLDialect;

/**
 * MySQL 8.0 and newer, through the same driver and SQL family as MariaDB. The differences are facts: the jOOQ
 * rendering, the URL schemes and, in the changelog, the no-pad binary collation's name (utf8mb4_0900_bin).
 */
final class MySqlDialect extends MariaDbDialect {

    MySqlDialect() {
        super(new EngineFacts(Engine.MYSQL, SQLDialect.MYSQL,
                SharedDialectParts.UUID_AS_TEXT, TIMESTAMP, SharedDialectParts.JSON_AS_TEXT,
                false, false, // embedded, single writer
                10, 65_535,   // default pool size, bind parameters
                // MariaDB Connector/J serves MySQL too, but only under its own JDBC name.
                new EngineFacts.UrlForm(Engine.MARIADB, List.of("mysql"), List.of("pymysql", "mysqldb"),
                        "mysql", "mariadb", 3306),
                ERROR_CODES));
    }
}
