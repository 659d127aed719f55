package io.driftwatch.reconcile.convergence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A seeded generator of schema pairs for the planner's property test: a random schema A (tables
 * with typed columns, nullability, defaults, identity, primary keys, foreign keys between the
 * generated tables, unique and check constraints, btree/hash/partial/expression indexes, views,
 * a view on a view, a materialized view, an enum, a sequence) and B derived from A by a few random
 * mutations (add, drop, alter). Both come out as DDL text for one schema; the same seed gives the
 * same pair.
 */
public final class RandomSchemas {

    /**
     * @param seed      the seed that made it
     * @param a         DDL of the start schema
     * @param b         DDL of the target schema
     * @param mutations what was changed to get from a to b, one line each
     */
    public record Pair(long seed, String a, String b, List<String> mutations) {
        /** @return the pair as text for a failure message */
        public String describe() {
            return "\n--- seed " + seed + "\n--- mutations:\n  " + String.join("\n  ", mutations)
                    + "\n--- a.sql:\n" + a + "--- b.sql:\n" + b;
        }
    }

    private static final String[] INT_FAMILY = {"smallint", "integer", "bigint"};
    private static final String[] TEXT_FAMILY = {"text", "character varying(20)", "character varying(100)"};
    private static final String[] NUM_FAMILY = {"numeric(10,2)", "numeric(14,4)"};
    private static final String[] TIME_FAMILY = {"date", "timestamp with time zone"};
    private static final String ENUM = "@enum";
    private static final String[] ON_DELETE = {"", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON DELETE RESTRICT"};

    private final String schema;
    private final Random rnd;

    private RandomSchemas(String schema, long seed) {
        this.schema = schema;
        this.rnd = new Random(seed);
    }

    /**
     * @param seed   the seed
     * @param schema the (existing, otherwise empty) schema every object is created in; a plain name
     * @return a pair whose B differs from A by 1 to 5 mutations
     */
    public static Pair generate(long seed, String schema) {
        RandomSchemas g = new RandomSchemas(schema, seed);
        Model a = g.randomModel();
        Model b = a.copy();
        List<String> done = new ArrayList<>();
        int n = 1 + g.rnd.nextInt(5);
        for (int i = 0; i < n * 4 && done.size() < n; i++) {
            String what = g.mutate(b);
            if (what != null) {
                done.add(what);
            }
        }
        return new Pair(seed, g.render(a), g.render(b), done);
    }

    // ------------------------------------------------------------------ the model

    static final class Col {
        String name;
        String type;
        boolean notNull;
        String dflt;
        String identity = "";
        boolean locked; // key or FK column: type stays in the integer family

        Col copy() {
            Col c = new Col();
            c.name = name;
            c.type = type;
            c.notNull = notNull;
            c.dflt = dflt;
            c.identity = identity;
            c.locked = locked;
            return c;
        }
    }

    record Fk(String name, String col, String refTable, String onDelete) {
    }

    record Check(String name, String expr) {
    }

    record Unique(String name, String col) {
    }

    record Ix(String name, String method, boolean unique, String keyExpr, String predicate, List<String> cols) {
    }

    static final class Tab {
        String name;
        List<Col> cols = new ArrayList<>();
        boolean pk;
        List<Fk> fks = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        List<Unique> uniques = new ArrayList<>();
        List<Ix> indexes = new ArrayList<>();

        Tab copy() {
            Tab t = new Tab();
            t.name = name;
            cols.forEach(c -> t.cols.add(c.copy()));
            t.pk = pk;
            t.fks.addAll(fks);
            t.checks.addAll(checks);
            t.uniques.addAll(uniques);
            t.indexes.addAll(indexes);
            return t;
        }

        Col col(String n) {
            return cols.stream().filter(c -> c.name.equals(n)).findFirst().orElse(null);
        }
    }

    /** A view over a table (or, when {@code onView}, over another view's {@code id}). */
    record V(String name, String from, boolean onView, List<String> cols, String where, boolean materialized) {
    }

    static final class Seq {
        String type = "bigint";
        long start = 1;
        long increment = 1;
        long cache = 1;
        boolean cycle;

        Seq copy() {
            Seq s = new Seq();
            s.type = type;
            s.start = start;
            s.increment = increment;
            s.cache = cache;
            s.cycle = cycle;
            return s;
        }
    }

    static final class Model {
        List<String> enumLabels; // null: no enum
        Seq seq;                 // null: no sequence
        List<Tab> tables = new ArrayList<>();
        List<V> views = new ArrayList<>();
        int counter;

        Model copy() {
            Model m = new Model();
            m.enumLabels = enumLabels == null ? null : new ArrayList<>(enumLabels);
            m.seq = seq == null ? null : seq.copy();
            tables.forEach(t -> m.tables.add(t.copy()));
            m.views.addAll(views);
            m.counter = counter;
            return m;
        }

        Tab table(String n) {
            return tables.stream().filter(t -> t.name.equals(n)).findFirst().orElse(null);
        }

        String fresh(String prefix) {
            return prefix + (counter++);
        }
    }

    // ------------------------------------------------------------------ generation

    private Model randomModel() {
        Model m = new Model();
        if (rnd.nextInt(10) < 6) {
            m.enumLabels = new ArrayList<>(List.of("lo", "mid", "hi").subList(0, 1 + rnd.nextInt(3)));
        }
        if (rnd.nextInt(10) < 6) {
            m.seq = new Seq();
            randomizeSeq(m.seq);
        }
        int tables = 1 + rnd.nextInt(4);
        for (int i = 0; i < tables; i++) {
            addTable(m);
        }
        int views = rnd.nextInt(3);
        for (int i = 0; i < views; i++) {
            addView(m);
        }
        return m;
    }

    private Tab addTable(Model m) {
        Tab t = new Tab();
        t.name = m.fresh("t");
        Col id = new Col();
        id.name = "id";
        id.type = pick(new String[]{"integer", "bigint"});
        id.notNull = true;
        id.locked = true;
        if (rnd.nextInt(4) == 0) {
            id.identity = rnd.nextBoolean() ? "ALWAYS" : "BY DEFAULT";
        }
        t.cols.add(id);
        t.pk = rnd.nextInt(10) < 8;
        int n = 1 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            t.cols.add(randomCol(m, m.fresh("c")));
        }
        List<Tab> targets = m.tables.stream().filter(x -> x.pk).toList();
        if (!targets.isEmpty() && rnd.nextInt(10) < 5) {
            addFk(m, t, pick(targets));
        }
        if (rnd.nextInt(10) < 3) {
            addUnique(m, t);
        }
        if (rnd.nextInt(10) < 3) {
            addCheck(m, t);
        }
        int ix = rnd.nextInt(3);
        for (int i = 0; i < ix; i++) {
            addIndex(m, t);
        }
        m.tables.add(t);
        return t;
    }

    private Col randomCol(Model m, String name) {
        Col c = new Col();
        c.name = name;
        String[] fam = pick(families(m));
        c.type = pick(fam);
        c.notNull = rnd.nextInt(10) < 3;
        c.dflt = rnd.nextInt(10) < 4 ? randomDefault(m, c.type) : null;
        if (c.notNull && c.dflt == null && rnd.nextBoolean()) {
            c.dflt = randomDefault(m, c.type);
        }
        return c;
    }

    private String[][] families(Model m) {
        if (m.enumLabels != null) {
            return new String[][]{INT_FAMILY, TEXT_FAMILY, NUM_FAMILY, TIME_FAMILY, {"boolean"}, {ENUM}};
        }
        return new String[][]{INT_FAMILY, TEXT_FAMILY, NUM_FAMILY, TIME_FAMILY, {"boolean"}};
    }

    private String randomDefault(Model m, String type) {
        if (contains(INT_FAMILY, type)) {
            if (m.seq != null && !type.equals("smallint") && rnd.nextInt(3) == 0) {
                return "nextval('" + schema + ".s')";
            }
            return String.valueOf(rnd.nextInt(100) - 10);
        }
        if (contains(TEXT_FAMILY, type)) {
            return pick(new String[]{"'x'", "'it''s'", "''", "'$$dollar$$'"});
        }
        if (contains(NUM_FAMILY, type)) {
            return pick(new String[]{"0", "1.5", "99.99"});
        }
        if (type.equals("date")) {
            return pick(new String[]{"CURRENT_DATE", "'2024-02-29'"});
        }
        if (type.equals("timestamp with time zone")) {
            return pick(new String[]{"now()", "'2020-01-01 00:00:00+00'"});
        }
        if (type.equals("boolean")) {
            return rnd.nextBoolean() ? "true" : "false";
        }
        if (type.equals(ENUM) && m.enumLabels != null && !m.enumLabels.isEmpty()) {
            return "'" + pick(m.enumLabels) + "'";
        }
        return null;
    }

    private void addFk(Model m, Tab t, Tab target) {
        Col c = new Col();
        c.name = m.fresh(target.name + "_id_");
        c.type = target.col("id").type;
        c.notNull = rnd.nextBoolean();
        c.locked = true;
        t.cols.add(c);
        t.fks.add(new Fk(t.name + "_" + m.fresh("fk"), c.name, target.name, pick(ON_DELETE)));
    }

    private boolean addUnique(Model m, Tab t) {
        List<Col> cs = t.cols.stream().filter(c -> !c.name.equals("id")).toList();
        if (cs.isEmpty()) {
            return false;
        }
        t.uniques.add(new Unique(t.name + "_" + m.fresh("uq"), pick(cs).name));
        return true;
    }

    private void addCheck(Model m, Tab t) {
        t.checks.add(new Check(t.name + "_" + m.fresh("ck"), randomCheck(t)));
    }

    private String randomCheck(Tab t) {
        Col c = pick(t.cols);
        return switch (rnd.nextInt(3)) {
            case 0 -> "id > " + rnd.nextInt(5);
            case 1 -> quote(c.name) + " IS NOT NULL OR id <> " + rnd.nextInt(100);
            default -> "id <> " + rnd.nextInt(1000);
        };
    }

    private void addIndex(Model m, Tab t) {
        Col c = pick(t.cols);
        String method = rnd.nextInt(5) == 0 ? "hash" : "btree";
        boolean unique = method.equals("btree") && rnd.nextInt(4) == 0;
        String key;
        if (method.equals("btree") && textCastImmutable(c.type) && rnd.nextInt(4) == 0) {
            key = "(lower((" + quote(c.name) + ")::text))";
        } else {
            key = quote(c.name);
        }
        String pred = rnd.nextInt(3) == 0 ? quote(c.name) + " IS NOT NULL" : null;
        t.indexes.add(new Ix(t.name + "_" + m.fresh("ix"), method, unique, key, pred, List.of(c.name)));
    }

    private boolean addView(Model m) {
        if (!m.views.isEmpty() && rnd.nextInt(3) == 0) {
            V base = pick(m.views.stream().filter(v -> !v.materialized()).toList().isEmpty()
                    ? m.views : m.views.stream().filter(v -> !v.materialized()).toList());
            if (base.cols().contains("id")) {
                m.views.add(new V(m.fresh("v"), base.name(), true, List.of("id"),
                        "id > " + rnd.nextInt(10), rnd.nextInt(5) == 0));
                return true;
            }
        }
        if (m.tables.isEmpty()) {
            return false;
        }
        Tab t = pick(m.tables);
        List<String> cols = new ArrayList<>();
        cols.add("id");
        for (Col c : t.cols) {
            if (!c.name.equals("id") && rnd.nextBoolean()) {
                cols.add(c.name);
            }
        }
        Col w = pick(t.cols);
        m.views.add(new V(m.fresh("v"), t.name, false, cols, quote(w.name) + " IS NOT NULL", rnd.nextInt(5) == 0));
        return true;
    }

    private void randomizeSeq(Seq s) {
        s.type = pick(new String[]{"integer", "bigint"});
        s.start = 1 + rnd.nextInt(1000);
        s.increment = 1 + rnd.nextInt(10);
        s.cache = 1 + rnd.nextInt(20);
        s.cycle = rnd.nextInt(4) == 0;
    }

    // ------------------------------------------------------------------ mutations

    /** @return a description of the mutation done, or null when the chosen one did not apply */
    private String mutate(Model m) {
        switch (rnd.nextInt(22)) {
            case 0: {
                Tab t = addTable(m);
                return "add table " + t.name;
            }
            case 1: {
                if (m.tables.size() < 2) {
                    return null;
                }
                Tab t = pick(m.tables);
                dropTable(m, t);
                return "drop table " + t.name;
            }
            case 2: {
                Tab t = pick(m.tables);
                Col c = randomCol(m, m.fresh("c"));
                t.cols.add(c);
                return "add column " + t.name + "." + c.name + " " + c.type;
            }
            case 3: {
                Tab t = pick(m.tables);
                List<Col> cs = t.cols.stream().filter(c -> !c.name.equals("id")).toList();
                if (cs.isEmpty()) {
                    return null;
                }
                Col c = pick(cs);
                dropColumn(m, t, c.name);
                return "drop column " + t.name + "." + c.name;
            }
            case 4:
            case 5: {
                Tab t = pick(m.tables);
                Col c = pick(t.cols);
                if (!c.identity.isEmpty() && rnd.nextBoolean()) {
                    return null;
                }
                String[] fam = familyOf(c.type);
                String to;
                if (c.locked || fam == null || rnd.nextInt(4) != 0) {
                    String[] f = c.locked ? INT_FAMILY : (fam == null ? TEXT_FAMILY : fam);
                    to = pick(f);
                    if (c.locked && !c.identity.isEmpty() && to.equals("smallint")) {
                        to = "bigint";
                    }
                } else if (contains(TEXT_FAMILY, c.type)) {
                    to = pick(pick(families(m)));
                } else if (contains(INT_FAMILY, c.type) && rnd.nextBoolean()) {
                    to = pick(NUM_FAMILY);
                } else {
                    to = pick(TEXT_FAMILY);
                }
                if (to.equals(c.type)) {
                    return null;
                }
                if (c.locked && !c.name.equals("id")) {
                    // FK column: keep it comparable with the referenced key (both integer family)
                    to = to.equals("smallint") ? "integer" : to;
                }
                String from = c.type;
                c.type = to;
                if (c.dflt != null && !sameFamily(from, to)) {
                    c.dflt = rnd.nextBoolean() ? randomDefault(m, to) : null;
                }
                if (c.dflt != null && c.dflt.startsWith("nextval") && to.equals("smallint")) {
                    c.dflt = "7";
                }
                if (!textCastImmutable(to)) {
                    String col = c.name;
                    t.indexes.replaceAll(ix -> ix.cols().contains(col) && !ix.keyExpr().equals(quote(col))
                            ? new Ix(ix.name(), ix.method(), ix.unique(), quote(col), ix.predicate(), ix.cols()) : ix);
                }
                return "retype " + t.name + "." + c.name + " " + from + " -> " + to;
            }
            case 6: {
                Tab t = pick(m.tables);
                Col c = pick(t.cols);
                if (c.name.equals("id") || !c.identity.isEmpty()) {
                    return null;
                }
                c.notNull = !c.notNull;
                return "nullability " + t.name + "." + c.name + " -> " + (c.notNull ? "NOT NULL" : "NULL");
            }
            case 7: {
                Tab t = pick(m.tables);
                Col c = pick(t.cols);
                if (!c.identity.isEmpty()) {
                    return null;
                }
                String before = c.dflt;
                c.dflt = rnd.nextInt(3) == 0 ? null : randomDefault(m, c.type);
                if (java.util.Objects.equals(before, c.dflt)) {
                    return null;
                }
                return "default " + t.name + "." + c.name + " " + before + " -> " + c.dflt;
            }
            case 8: {
                Tab t = pick(m.tables);
                Col id = t.col("id");
                if (id.type.equals("smallint")) {
                    return null;
                }
                String before = id.identity;
                id.identity = pick(new String[]{"", "ALWAYS", "BY DEFAULT"});
                if (before.equals(id.identity)) {
                    return null;
                }
                if (!id.identity.isEmpty()) {
                    id.dflt = null;
                    id.notNull = true;
                }
                return "identity " + t.name + ".id '" + before + "' -> '" + id.identity + "'";
            }
            case 9: {
                Tab t = pick(m.tables);
                addIndex(m, t);
                return "add index " + t.indexes.get(t.indexes.size() - 1).name();
            }
            case 10: {
                Tab t = pick(m.tables);
                if (t.indexes.isEmpty()) {
                    return null;
                }
                Ix ix = pick(t.indexes);
                t.indexes.remove(ix);
                if (rnd.nextBoolean()) {
                    return "drop index " + ix.name();
                }
                Ix changed = switch (rnd.nextInt(3)) {
                    case 0 -> new Ix(ix.name(), ix.method(), ix.unique(), ix.keyExpr(),
                            ix.predicate() == null ? "id > 0" : null, ix.cols());
                    case 1 -> new Ix(ix.name(), "btree", !ix.unique(), ix.keyExpr(), ix.predicate(), ix.cols());
                    default -> new Ix(ix.name(), ix.method().equals("hash") ? "btree" : "hash", false,
                            quote(ix.cols().get(0)), ix.predicate(), ix.cols());
                };
                t.indexes.add(changed);
                return "change index " + ix.name();
            }
            case 11: {
                Tab t = pick(m.tables);
                List<Tab> targets = m.tables.stream().filter(x -> x.pk).toList();
                if (targets.isEmpty()) {
                    return null;
                }
                addFk(m, t, pick(targets));
                return "add fk " + t.fks.get(t.fks.size() - 1).name();
            }
            case 12: {
                Tab t = pick(m.tables);
                if (t.fks.isEmpty()) {
                    return null;
                }
                Fk fk = pick(t.fks);
                t.fks.remove(fk);
                if (rnd.nextBoolean()) {
                    return "drop fk " + fk.name();
                }
                String od = pick(ON_DELETE);
                t.fks.add(new Fk(fk.name(), fk.col(), fk.refTable(), od));
                return "fk " + fk.name() + " on delete '" + fk.onDelete() + "' -> '" + od + "'";
            }
            case 13: {
                Tab t = pick(m.tables);
                if (!t.checks.isEmpty() && rnd.nextBoolean()) {
                    Check ck = pick(t.checks);
                    t.checks.remove(ck);
                    if (rnd.nextBoolean()) {
                        return "drop check " + ck.name();
                    }
                    t.checks.add(new Check(ck.name(), randomCheck(t)));
                    return "change check " + ck.name();
                }
                addCheck(m, t);
                return "add check on " + t.name;
            }
            case 14: {
                Tab t = pick(m.tables);
                if (!t.uniques.isEmpty() && rnd.nextBoolean()) {
                    Unique u = pick(t.uniques);
                    t.uniques.remove(u);
                    return "drop unique " + u.name();
                }
                return addUnique(m, t) ? "add unique on " + t.name : null;
            }
            case 15: {
                Tab t = pick(m.tables);
                if (t.pk && m.tables.stream().anyMatch(x -> x.fks.stream().anyMatch(f -> f.refTable().equals(t.name)))) {
                    return null;
                }
                t.pk = !t.pk;
                return (t.pk ? "add" : "drop") + " primary key " + t.name;
            }
            case 16: {
                if (m.enumLabels == null) {
                    m.enumLabels = new ArrayList<>(List.of("lo", "hi"));
                    return "add enum";
                }
                int what = rnd.nextInt(4);
                if (what < 2) {
                    String label = m.fresh("l");
                    int at = what == 0 ? m.enumLabels.size() : rnd.nextInt(m.enumLabels.size() + 1);
                    m.enumLabels.add(at, label);
                    return "enum label " + label + " at " + at;
                }
                if (what == 2 && m.enumLabels.size() > 1) {
                    String gone = pick(m.enumLabels);
                    String lit = "'" + gone + "'";
                    boolean used = m.tables.stream().anyMatch(t -> t.cols.stream().anyMatch(c -> lit.equals(c.dflt)));
                    if (used) {
                        return null;
                    }
                    m.enumLabels.remove(gone);
                    return "enum label removed " + gone;
                }
                boolean used = m.tables.stream().anyMatch(t -> t.cols.stream().anyMatch(c -> c.type.equals(ENUM)));
                if (used) {
                    return null;
                }
                m.enumLabels = null;
                return "drop enum";
            }
            case 17: {
                if (m.seq == null) {
                    m.seq = new Seq();
                    randomizeSeq(m.seq);
                    return "add sequence";
                }
                if (rnd.nextInt(3) == 0) {
                    for (Tab t : m.tables) {
                        for (Col c : t.cols) {
                            if (c.dflt != null && c.dflt.startsWith("nextval")) {
                                c.dflt = null;
                            }
                        }
                    }
                    m.seq = null;
                    return "drop sequence";
                }
                Seq before = m.seq.copy();
                randomizeSeq(m.seq);
                if (before.type.equals("bigint") && m.seq.type.equals("integer")) {
                    m.seq.type = "bigint";
                }
                return "sequence parameters";
            }
            case 18: {
                return addView(m) ? "add view " + m.views.get(m.views.size() - 1).name() : null;
            }
            case 19: {
                if (m.views.isEmpty()) {
                    return null;
                }
                V v = pick(m.views);
                dropView(m, v.name());
                return "drop view " + v.name();
            }
            case 20: {
                if (m.views.isEmpty()) {
                    return null;
                }
                V v = pick(m.views);
                V changed;
                if (v.onView()) {
                    changed = new V(v.name(), v.from(), true, v.cols(), "id > " + (10 + rnd.nextInt(10)), v.materialized());
                } else {
                    Tab t = m.table(v.from());
                    List<String> cols = new ArrayList<>(v.cols());
                    List<Col> extra = t.cols.stream().filter(c -> !cols.contains(c.name)).toList();
                    if (!extra.isEmpty() && rnd.nextBoolean()) {
                        cols.add(pick(extra).name);
                    }
                    changed = new V(v.name(), v.from(), false, cols, quote(pick(t.cols).name) + " IS NULL",
                            v.materialized());
                }
                m.views.set(m.views.indexOf(v), changed);
                return "change view " + v.name();
            }
            default: {
                // column collation / type within varchar: text family length change on a text column
                Tab t = pick(m.tables);
                for (Col c : t.cols) {
                    if (contains(TEXT_FAMILY, c.type) && !c.locked) {
                        String to = pick(TEXT_FAMILY);
                        if (!to.equals(c.type)) {
                            String from = c.type;
                            c.type = to;
                            return "retype " + t.name + "." + c.name + " " + from + " -> " + to;
                        }
                    }
                }
                return null;
            }
        }
    }

    private void dropTable(Model m, Tab t) {
        m.tables.remove(t);
        for (Tab o : m.tables) {
            List<Fk> gone = o.fks.stream().filter(f -> f.refTable().equals(t.name)).toList();
            o.fks.removeAll(gone);
            gone.forEach(f -> o.col(f.col()).locked = false);
        }
        for (V v : new ArrayList<>(m.views)) {
            if (!v.onView() && v.from().equals(t.name)) {
                dropView(m, v.name());
            }
        }
    }

    private void dropColumn(Model m, Tab t, String col) {
        t.cols.removeIf(c -> c.name.equals(col));
        t.fks.removeIf(f -> f.col().equals(col));
        t.uniques.removeIf(u -> u.col().equals(col));
        t.checks.removeIf(c -> c.expr().contains(quote(col) + " "));
        t.indexes.removeIf(i -> i.cols().contains(col));
        for (V v : new ArrayList<>(m.views)) {
            if (!v.onView() && v.from().equals(t.name)
                    && (v.cols().contains(col) || v.where().startsWith(quote(col) + " "))) {
                dropView(m, v.name());
            }
        }
    }

    private void dropView(Model m, String name) {
        Predicate<V> hit = v -> v.name().equals(name);
        if (m.views.removeIf(hit)) {
            for (V v : new ArrayList<>(m.views)) {
                if (v.onView() && v.from().equals(name)) {
                    dropView(m, v.name());
                }
            }
        }
    }

    // ------------------------------------------------------------------ rendering

    private String render(Model m) {
        StringBuilder sb = new StringBuilder();
        String s = quote(schema);
        if (m.enumLabels != null) {
            sb.append("CREATE TYPE ").append(s).append(".mood AS ENUM (");
            for (int i = 0; i < m.enumLabels.size(); i++) {
                sb.append(i > 0 ? ", " : "").append('\'').append(m.enumLabels.get(i)).append('\'');
            }
            sb.append(");\n");
        }
        if (m.seq != null) {
            sb.append("CREATE SEQUENCE ").append(s).append(".s AS ").append(m.seq.type)
                    .append(" START ").append(m.seq.start).append(" INCREMENT ").append(m.seq.increment)
                    .append(" CACHE ").append(m.seq.cache).append(m.seq.cycle ? " CYCLE" : " NO CYCLE").append(";\n");
        }
        for (Tab t : m.tables) {
            sb.append("CREATE TABLE ").append(s).append('.').append(quote(t.name)).append(" (\n");
            List<String> parts = new ArrayList<>();
            for (Col c : t.cols) {
                StringBuilder cd = new StringBuilder("    ").append(quote(c.name)).append(' ')
                        .append(c.type.equals(ENUM) ? s + ".mood" : c.type);
                if (!c.identity.isEmpty()) {
                    cd.append(" GENERATED ").append(c.identity).append(" AS IDENTITY");
                } else if (c.dflt != null) {
                    cd.append(" DEFAULT ").append(c.dflt);
                }
                if (c.notNull) {
                    cd.append(" NOT NULL");
                }
                parts.add(cd.toString());
            }
            if (t.pk) {
                parts.add("    CONSTRAINT " + quote(t.name + "_pkey") + " PRIMARY KEY (id)");
            }
            for (Unique u : t.uniques) {
                parts.add("    CONSTRAINT " + quote(u.name()) + " UNIQUE (" + quote(u.col()) + ")");
            }
            for (Check c : t.checks) {
                parts.add("    CONSTRAINT " + quote(c.name()) + " CHECK (" + c.expr() + ")");
            }
            sb.append(String.join(",\n", parts)).append("\n);\n");
        }
        Set<String> withPk = new HashSet<>();
        m.tables.stream().filter(t -> t.pk).forEach(t -> withPk.add(t.name));
        for (Tab t : m.tables) {
            for (Fk f : t.fks) {
                if (!withPk.contains(f.refTable())) {
                    continue; // the key went away: the generator keeps only FKs that can exist
                }
                sb.append("ALTER TABLE ").append(s).append('.').append(quote(t.name)).append(" ADD CONSTRAINT ")
                        .append(quote(f.name())).append(" FOREIGN KEY (").append(quote(f.col())).append(") REFERENCES ")
                        .append(s).append('.').append(quote(f.refTable())).append(" (id)").append(f.onDelete()).append(";\n");
            }
            for (Ix i : t.indexes) {
                sb.append("CREATE ").append(i.unique() ? "UNIQUE " : "").append("INDEX ").append(quote(i.name()))
                        .append(" ON ").append(s).append('.').append(quote(t.name)).append(" USING ").append(i.method())
                        .append(" (").append(i.keyExpr()).append(')')
                        .append(i.predicate() == null ? "" : " WHERE " + i.predicate()).append(";\n");
            }
        }
        for (V v : m.views) {
            sb.append("CREATE ").append(v.materialized() ? "MATERIALIZED VIEW " : "VIEW ").append(s).append('.')
                    .append(quote(v.name())).append(" AS SELECT ");
            sb.append(String.join(", ", v.cols().stream().map(RandomSchemas::quote).toList()));
            sb.append(" FROM ").append(s).append('.').append(quote(v.from())).append(" WHERE ").append(v.where()).append(";\n");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ helpers

    private static String quote(String name) {
        return io.driftwatch.model.Identifiers.quoteIfNeeded(name);
    }

    private static boolean contains(String[] fam, String type) {
        for (String f : fam) {
            if (f.equals(type)) {
                return true;
            }
        }
        return false;
    }

    private static String[] familyOf(String type) {
        for (String[] f : new String[][]{INT_FAMILY, TEXT_FAMILY, NUM_FAMILY, TIME_FAMILY}) {
            if (contains(f, type)) {
                return f;
            }
        }
        return null;
    }

    /** @return true when {@code type::text} may appear in an index expression (output function immutable) */
    private static boolean textCastImmutable(String type) {
        return contains(INT_FAMILY, type) || contains(TEXT_FAMILY, type) || contains(NUM_FAMILY, type)
                || type.equals("boolean");
    }

    private static boolean sameFamily(String a, String b) {
        String[] f = familyOf(a);
        return f != null && contains(f, b);
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    private <T> T pick(T[] array) {
        return array[rnd.nextInt(array.length)];
    }
}
