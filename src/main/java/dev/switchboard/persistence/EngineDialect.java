package dev.switchboard.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DataType;
import org.jooq.SQLDialect;

/**
 * The base of the four dialect classes, in the manner of db-scheduler's JdbcCustomization: each engine's class
 * holds everything Switchboard knows about that engine. Fixed facts come in as {@link EngineFacts}; what persistence
 * alone needs from an engine (detecting the server, reading its URLs, the doctor's checks) is declared here rather
 * than on the public {@link Dialect}, which other packages use.
 */
abstract class EngineDialect implements Dialect {

    private final EngineFacts facts;

    EngineDialect(EngineFacts facts) {
        this.facts = facts;
    }

    /** Every supported engine's dialect, in the order error messages list them. */
    static List<EngineDialect> all() {
        return Known.ALL;
    }

    static EngineDialect of(Engine engine) {
        for (EngineDialect dialect : Known.ALL) {
            if (dialect.engine() == engine) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("no dialect for " + engine);
    }

    final EngineFacts facts() {
        return facts;
    }

    /**
     * What the server behind a fresh connection says about itself: the engine (MariaDB's class tells MariaDB from
     * MySQL here), its version, its idle cut-off and its connection limit.
     */
    abstract ServerInfo detect(Connection connection) throws SQLException;

    /**
     * The engine's own {@code db doctor} checks, after the version check every engine shares. {@code raw} is a
     * session as the server hands it out; {@code pooled} one with Switchboard's settings applied.
     */
    abstract void examine(DatabaseDoctor doctor, Connection raw, Connection pooled) throws SQLException;

    /**
     * Reads a SQLAlchemy-style URL of one of this engine's schemes, whose driver suffix is already checked;
     * {@code rest} is what follows "://". Server engines share the user:password@host:port/database form.
     */
    ConnectionTarget fromUrl(String scheme, String rest, String original) {
        return DatabaseUrl.server(this, scheme, rest);
    }

    /** Reads a JDBC URL of this engine's subprotocol, passing it on with the subprotocol the driver takes. */
    ConnectionTarget fromJdbcUrl(String url) {
        EngineFacts.UrlForm form = facts.url();
        String jdbcUrl = form.jdbcName().equals(form.driverJdbcName()) ? url
                : "jdbc:" + form.driverJdbcName() + ":" + url.substring(("jdbc:" + form.jdbcName() + ":").length());
        return new ConnectionTarget(form.family(), jdbcUrl, null, null, Map.of(), DatabaseUrl.mask(url), null);
    }

    /** Driver options from a URL's query, in the names this engine's JDBC driver uses. */
    Map<String, String> driverOptions(Map<String, String> urlOptions) {
        return urlOptions;
    }

    /** How the accepted-forms message shows this engine's URL. */
    String urlExample() {
        EngineFacts.UrlForm form = facts.url();
        String drivers = form.drivers().isEmpty() ? ""
                : "[+" + String.join("|+", form.drivers()) + "]";
        return form.schemes().getFirst() + drivers + "://user:password@host:" + form.defaultPort() + "/database";
    }

    /**
     * The engine's own number for a failure, looked up in {@link EngineFacts.ErrorCodes#byCode()}: the vendor code,
     * or SQLite's extended result code.
     */
    int errorCode(SQLException e) {
        return e.getErrorCode();
    }

    /** What a failure that the facts do not list means; connection loss looks alike on every server driver. */
    DatabaseError unlisted(SQLException e, int code) {
        return SharedDialectParts.isConnectionLoss(e) ? DatabaseError.CONNECTION_LOST : DatabaseError.OTHER;
    }

    @Override
    public final DatabaseError classify(SQLException e) {
        int code = errorCode(e);
        DatabaseError meaning = facts.errors().meaning(e.getSQLState(), code);
        return meaning != null ? meaning : unlisted(e, code);
    }

    @Override
    public final Engine engine() {
        return facts.engine();
    }

    @Override
    public final SQLDialect sqlDialect() {
        return facts.sqlDialect();
    }

    @Override
    public final DataType<UUID> uuidType() {
        return facts.uuidType();
    }

    @Override
    public final DataType<Instant> timestampType() {
        return facts.timestampType();
    }

    @Override
    public final DataType<String> jsonType() {
        return facts.jsonType();
    }

    @Override
    public final boolean embedded() {
        return facts.embedded();
    }

    @Override
    public final boolean singleWriter() {
        return facts.singleWriter();
    }

    @Override
    public final int defaultPoolSize() {
        return facts.defaultPoolSize();
    }

    @Override
    public final int maxBindParameters() {
        return facts.maxBindParameters();
    }

    /** The first column of the first row, as detection reads a server's self-description. */
    static String firstValue(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A holder, so that creating one dialect first does not build the list while its own class is initialising. */
    private static final class Known {
        static final List<EngineDialect> ALL = List.of(new SqliteDialect(), new PostgresDialect(),
                new MariaDbDialect(), new MySqlDialect());
    }
}
