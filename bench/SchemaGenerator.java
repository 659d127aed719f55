import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a Flyway migrations folder that builds a synthetic PostgreSQL schema of a given size, for
 * {@code scripts/bench} (docs/benchmarks.md). Run with the JDK's source launcher, no build needed:
 *
 * <pre>
 *   java bench/SchemaGenerator.java --tables 10000 [--schemas 1] [--seed 42] --out DIR
 * </pre>
 *
 * <p>Deterministic: the same arguments give byte-identical files ({@link Random} seeded with
 * {@code --seed}). Per table, on average: 8.5 columns of mixed types (7 fixed, 0–3 drawn from ten kinds, half with defaults), an
 * identity primary key, 1–2 secondary indexes (one in four partial, one in five on an expression),
 * a unique constraint on every fourth table, a CHECK on every third, a foreign key to an earlier
 * table on about half. Besides: one enum per 50 tables, one sequence per 20, one view per 20, a
 * trigger on one table in 10 (PL/pgSQL trigger functions, one per schema), one SQL function per 100
 * tables. At 10,000 tables that is about 85,000 columns and 27,500 indexes (primary keys
 * included), the shape of issue 6.
 *
 * <p>Files: {@code V1__types.sql} (schemas, enums, sequences, functions), {@code V2_k__tables_k.sql}
 * (tables in chunks of 2,000), {@code V3__foreign_keys.sql}, {@code V4__indexes.sql},
 * {@code V5__views_and_triggers.sql}. Tables are spread round-robin over schemas {@code s1..sN}
 * (or all in {@code public} when {@code --schemas 1}). Exit 2 on a bad argument.
 */
public final class SchemaGenerator {

    private static final int CHUNK = 2000;

    private final int tables;
    private final int schemaCount;
    private final Random random;

    private SchemaGenerator(int tables, int schemas, long seed) {
        this.tables = tables;
        this.schemaCount = schemas;
        this.random = new Random(seed);
    }

    /**
     * @param args {@code --tables N --out DIR [--schemas N] [--seed N]}
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        int tables = -1;
        int schemas = 1;
        long seed = 42;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            try {
                switch (a) {
                    case "--tables" -> { tables = Integer.parseInt(v); i++; }
                    case "--schemas" -> { schemas = Integer.parseInt(v); i++; }
                    case "--seed" -> { seed = Long.parseLong(v); i++; }
                    case "--out" -> { out = Path.of(v); i++; }
                    default -> usage("unknown argument " + a);
                }
            } catch (NumberFormatException | NullPointerException e) {
                usage(a + " needs a number");
            }
        }
        if (tables < 1 || schemas < 1 || out == null) {
            usage("--tables N (>= 1) and --out DIR are required; --schemas N >= 1");
        }
        new SchemaGenerator(tables, schemas, seed).write(out);
    }

    private static void usage(String why) {
        System.err.println("SchemaGenerator: " + why
                + "\nusage: java bench/SchemaGenerator.java --tables N --out DIR [--schemas N] [--seed N]");
        System.exit(2);
    }

    private String schema(int i) {
        return schemaCount == 1 ? "public" : "s" + (i % schemaCount + 1);
    }

    private String table(int i) {
        return schema(i) + ".t" + String.format(Locale.ROOT, "%05d", i);
    }

    private int enumCount() {
        return Math.max(1, tables / 50);
    }

    private void write(Path out) throws IOException {
        Files.createDirectories(out);
        try (var files = Files.list(out)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().matches("V\\d.*\\.sql")) {
                    Files.delete(p);
                }
            }
        }
        // table shapes are drawn first, in table order, so every script sees the same tables
        List<int[]> shapes = new ArrayList<>(tables);
        for (int i = 0; i < tables; i++) {
            shapes.add(new int[]{random.nextInt(4), random.nextInt(100)});
        }
        try (Writer w = Files.newBufferedWriter(out.resolve("V1__types.sql"), StandardCharsets.UTF_8)) {
            if (schemaCount > 1) {
                for (int s = 1; s <= schemaCount; s++) {
                    w.write("CREATE SCHEMA s" + s + ";\n");
                }
            }
            for (int e = 0; e < enumCount(); e++) {
                w.write("CREATE TYPE " + schema(e) + ".status_" + e
                        + " AS ENUM ('new', 'active', 'suspended', 'closed');\n");
            }
            for (int q = 0; q < Math.max(1, tables / 20); q++) {
                w.write("CREATE SEQUENCE " + schema(q) + ".seq_" + q + " START 1000 INCREMENT 1"
                        + (q % 3 == 0 ? " CACHE 10" : "") + ";\n");
            }
            for (int s = 0; s < Math.min(schemaCount, tables); s++) {
                w.write("CREATE FUNCTION " + schema(s) + ".touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                        + "BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$;\n");
            }
            for (int f = 0; f < Math.max(1, tables / 100); f++) {
                w.write("CREATE FUNCTION " + schema(f) + ".score_" + f
                        + "(a integer, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT a * b + "
                        + f + " $$;\n");
            }
        }
        for (int chunk = 0; chunk * CHUNK < tables; chunk++) {
            Path file = out.resolve("V2_" + (chunk + 1) + "__tables_" + (chunk + 1) + ".sql");
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int i = chunk * CHUNK; i < Math.min(tables, (chunk + 1) * CHUNK); i++) {
                    w.write(createTable(i, shapes.get(i)));
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(out.resolve("V3__foreign_keys.sql"), StandardCharsets.UTF_8)) {
            for (int i = 1; i < tables; i++) {
                if (shapes.get(i)[1] < 50) {
                    int parent = random.nextInt(i);
                    w.write("ALTER TABLE " + table(i) + " ADD CONSTRAINT t" + i + "_parent_fk FOREIGN KEY (parent_id) "
                            + "REFERENCES " + table(parent) + " (id)" + (i % 4 == 0 ? " ON DELETE CASCADE" : "") + ";\n");
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(out.resolve("V4__indexes.sql"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < tables; i++) {
                String t = table(i);
                String n = "t" + i;
                w.write("CREATE INDEX " + n + "_name_idx ON " + t + " (name)"
                        + (i % 4 == 0 ? " WHERE deleted_at IS NULL" : "") + ";\n");
                int r = shapes.get(i)[1];
                if (r % 2 == 0) {
                    w.write(r % 5 == 0
                            ? "CREATE INDEX " + n + "_lower_name_idx ON " + t + " (lower(name))"
                            : "CREATE INDEX " + n + "_created_idx ON " + t + " (created_at DESC, id)");
                    w.write(";\n");
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(out.resolve("V5__views_and_triggers.sql"), StandardCharsets.UTF_8)) {
            for (int v = 0; v < Math.max(1, tables / 20); v++) {
                int i = v * 20 % tables;
                w.write("CREATE VIEW " + schema(i) + ".v" + v + " AS SELECT id, name, created_at FROM " + table(i)
                        + " WHERE deleted_at IS NULL" + (v % 2 == 0 ? " AND amount > 0" : "") + ";\n");
            }
            for (int i = 0; i < tables; i += 10) {
                w.write("CREATE TRIGGER t" + i + "_touch BEFORE UPDATE ON " + table(i)
                        + " FOR EACH ROW EXECUTE FUNCTION " + schema(i) + ".touch_updated_at();\n");
            }
        }
    }

    private String createTable(int i, int[] shape) {
        int extra = shape[0];
        StringBuilder sb = new StringBuilder(512);
        sb.append("CREATE TABLE ").append(table(i)).append(" (\n");
        sb.append("  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n");
        sb.append("  name text NOT NULL,\n");
        sb.append("  created_at timestamptz NOT NULL DEFAULT now(),\n");
        sb.append("  updated_at timestamptz,\n");
        sb.append("  deleted_at timestamptz,\n");
        sb.append("  parent_id bigint,\n");
        sb.append("  amount numeric(12,2) NOT NULL DEFAULT 0");
        // 0-3 columns of mixed types beyond the seven above
        for (int c = 0; c < extra; c++) {
            sb.append(",\n  ").append(extraColumn(i, c));
        }
        if (i % 4 == 0) {
            sb.append(",\n  CONSTRAINT t").append(i).append("_name_key UNIQUE (name)");
        }
        if (i % 3 == 0) {
            sb.append(",\n  CONSTRAINT t").append(i).append("_amount_check CHECK (amount >= 0)");
        }
        sb.append("\n);\n");
        if (i % 7 == 0) {
            sb.append("COMMENT ON TABLE ").append(table(i)).append(" IS 'synthetic table ").append(i).append("';\n");
        }
        return sb.toString();
    }

    private String extraColumn(int i, int c) {
        int kind = random.nextInt(10);
        String name = "c" + c;
        return switch (kind) {
            case 0 -> name + " integer NOT NULL DEFAULT 0";
            case 1 -> name + " varchar(" + (20 + random.nextInt(200)) + ")";
            case 2 -> name + " boolean NOT NULL DEFAULT false";
            case 3 -> name + " jsonb NOT NULL DEFAULT '{}'::jsonb";
            case 4 -> name + " uuid";
            case 5 -> name + " date DEFAULT CURRENT_DATE";
            case 6 -> name + " " + schema(i % enumCount()) + ".status_" + (i % enumCount()) + " NOT NULL DEFAULT 'new'";
            case 7 -> name + " bigint DEFAULT nextval('" + schema(i % Math.max(1, tables / 20)) + ".seq_"
                    + (i % Math.max(1, tables / 20)) + "')";
            case 8 -> name + " smallint CHECK (" + name + " BETWEEN 0 AND 100)";
            default -> name + " text[]";
        };
    }
}
