package dev.switchboard.persistence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SelectSeekStepN;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Copies a whole registry from one database to another, between any two supported engines. The target is
 * migrated first; tables are copied in foreign-key order, each in one target transaction, in batches read by
 * primary key; every table's row count and checksum are compared at the end. The source is only read.
 * A copy that is interrupted leaves each table either complete or empty, so running it again resumes.
 */
public final class RegistryCopy {

    /** Receives progress; rows may be 0 for an empty table. */
    public interface Progress {
        void table(String table, long rows);

        void copied(String table, long done, long total);

        void skipped(String table, long rows);
    }

    /** A table as copied: its name and how many rows it holds on both sides. */
    public record Copied(String table, long rows) {
    }

    /** EMPTY: no rows, or only the rows the migration itself inserted (see {@link #SEEDED}), replaced by the copy. */
    private enum TargetState { EMPTY, SAME, DIFFERENT }

    /** Rows the changelog inserts, by table: their ids. A target holding only these is as good as empty. */
    private static final Map<String, Set<String>> SEEDED = Map.of("team",
            Set.of("00000000-0000-0000-0000-000000000001"));

    private final Database source;
    private final Database target;
    private final int batchSize;

    public RegistryCopy(Database source, Database target, int batchSize) {
        this.source = source;
        this.target = target;
        this.batchSize = batchSize;
    }

    /**
     * Runs the copy.
     *
     * @param truncate replace whatever the target holds; without it, a target holding other data is refused
     * @throws CopyException when the copy cannot start, or its result does not match the source
     */
    public List<Copied> run(boolean truncate, Progress progress) {
        SchemaStatus sourceSchema = new SchemaMigrator(source).status();
        if (!sourceSchema.current() || !sourceSchema.unknown().isEmpty()) {
            throw new CopyException("The source schema is not at this build's version (" + sourceSchema.pending().size()
                    + " changesets pending, " + sourceSchema.unknown().size() + " unknown); migrate it with this "
                    + "build's `db migrate` first");
        }
        new SchemaMigrator(target).migrate();

        List<RegistrySchema.Table> tables = RegistrySchema.tables();
        List<String> sourcePrints = new ArrayList<>();
        List<TargetState> states = new ArrayList<>();
        List<String> conflicting = new ArrayList<>();
        for (RegistrySchema.Table table : tables) {
            String print = fingerprint(source, table);
            sourcePrints.add(print);
            TargetState state = truncate ? TargetState.EMPTY : state(table, print);
            states.add(state);
            if (state == TargetState.DIFFERENT) {
                conflicting.add(table.name());
            }
        }
        if (!conflicting.isEmpty()) {
            throw new CopyException("The target already holds other data (in " + String.join(", ", conflicting)
                    + "); pass --truncate to replace it");
        }
        if (truncate) {
            truncateTarget(tables);
        }

        List<Copied> copied = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            RegistrySchema.Table table = tables.get(i);
            long rows = Long.parseLong(sourcePrints.get(i).substring(0, sourcePrints.get(i).indexOf(':')));
            if (states.get(i) == TargetState.SAME) {
                progress.skipped(table.name(), rows);
            } else {
                progress.table(table.name(), rows);
                copyTable(table, rows, progress);
            }
            copied.add(new Copied(table.name(), rows));
        }
        verify(tables, sourcePrints);
        return copied;
    }

    private TargetState state(RegistrySchema.Table table, String sourcePrint) {
        Table<Record> t = Columns.table(table.name());
        int rows = target.transactions().read(dsl -> dsl.fetchCount(t));
        if (rows == 0) {
            return TargetState.EMPTY;
        }
        if (fingerprint(target, table).equals(sourcePrint)) {
            return TargetState.SAME;
        }
        return onlySeeded(table) ? TargetState.EMPTY : TargetState.DIFFERENT;
    }

    private boolean onlySeeded(RegistrySchema.Table table) {
        Set<String> seeded = SEEDED.get(table.name());
        if (seeded == null || table.primaryKey().size() != 1) {
            return false;
        }
        Field<Object> key = DSL.field(DSL.name(table.primaryKey().getFirst().name()));
        Set<String> ids = new HashSet<>();
        target.transactions().read(dsl -> dsl.select(key).from(Columns.table(table.name())).limit(seeded.size() + 1)
                .fetch(key)).forEach(id -> ids.add(String.valueOf(id)));
        return seeded.containsAll(ids);
    }

    private void truncateTarget(List<RegistrySchema.Table> tables) {
        target.transactions().write(dsl -> {
            for (RegistrySchema.Table table : tables.reversed()) {
                dsl.deleteFrom(Columns.table(table.name())).execute();
            }
            return null;
        });
    }

    /** One target transaction per table: an interruption leaves the table empty, never half-copied. */
    private void copyTable(RegistrySchema.Table table, long total, Progress progress) {
        TableColumns from = new TableColumns(source.dialect(), table);
        TableColumns to = new TableColumns(target.dialect(), table);
        int perStatement = Math.max(1, Math.min(batchSize,
                target.dialect().maxBindParameters() / table.columns().size()));
        target.transactions().write(targetDsl -> {
            targetDsl.deleteFrom(to.table).execute(); // the rows the migration seeded, if any
            long done = 0;
            Record last = null;
            while (true) {
                Record after = last;
                Result<Record> batch = source.transactions().read(dsl -> page(dsl, from, after, perStatement));
                if (batch.isEmpty()) {
                    return done;
                }
                InsertValuesStepN<Record> insert = targetDsl.insertInto(to.table, to.fields);
                for (Record row : batch) {
                    insert = insert.values(row.intoArray());
                }
                insert.execute();
                done += batch.size();
                progress.copied(table.name(), done, total);
                last = batch.getLast();
            }
        });
    }

    private static Result<Record> page(DSLContext dsl, TableColumns cols, Record after, int limit) {
        SelectSeekStepN<Record> ordered = dsl.select(cols.fields).from(cols.table).orderBy(cols.keyOrder);
        if (after == null) {
            return ordered.limit(limit).fetch();
        }
        Object[] lastKey = cols.key.stream().map(after::get).toArray();
        return ordered.seek(lastKey).limit(limit).fetch();
    }

    private void verify(List<RegistrySchema.Table> tables, List<String> sourcePrints) {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            RegistrySchema.Table table = tables.get(i);
            String now = fingerprint(source, table);
            String copied = fingerprint(target, table);
            if (!now.equals(sourcePrints.get(i))) {
                mismatches.add(table.name() + " (the source changed while it was copied)");
            } else if (!copied.equals(now)) {
                mismatches.add(table.name() + " (the target's rows differ from the source's)");
            }
        }
        if (!mismatches.isEmpty()) {
            throw new CopyException("The copy does not match the source: " + String.join(", ", mismatches)
                    + ". Stop writes to the source and run the copy again with --truncate");
        }
    }

    /** The row count and order-independent checksum of one table, read in primary-key pages. */
    private String fingerprint(Database db, RegistrySchema.Table table) {
        TableColumns cols = new TableColumns(db.dialect(), table);
        RowFingerprint print = new RowFingerprint(table.columns());
        Record last = null;
        while (true) {
            Record after = last;
            Result<Record> batch = db.transactions().read(dsl -> page(dsl, cols, after, batchSize));
            batch.forEach(r -> print.add(r.intoArray()));
            if (batch.size() < batchSize) {
                return print.value();
            }
            last = batch.getLast();
        }
    }

    /** A table's columns bound for one engine, and its primary key for keyset paging. */
    private static final class TableColumns {
        final Table<Record> table;
        final List<Field<?>> fields = new ArrayList<>();
        final List<Field<?>> key = new ArrayList<>();
        final List<SortField<?>> keyOrder = new ArrayList<>();

        TableColumns(Dialect dialect, RegistrySchema.Table spec) {
            Columns columns = new Columns(dialect);
            table = Columns.table(spec.name());
            for (RegistrySchema.Column c : spec.columns()) {
                Field<?> field = columns.of(table, c.name(), c.kind());
                fields.add(field);
                if (c.primaryKey()) {
                    key.add(field);
                    keyOrder.add(field.asc());
                }
            }
        }
    }
}
