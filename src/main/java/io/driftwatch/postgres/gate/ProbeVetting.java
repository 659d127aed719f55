package io.driftwatch.postgres.gate;

import io.driftwatch.model.Column;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Table;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, in a shadow database, which of the data probes' expressions may be evaluated on production:
 * a pending migration's CHECK expression, unique-index key or predicate, or a type conversion is code
 * nobody reviewed for running against production, so the gate evaluates it there only when every
 * function it can call is PostgreSQL's own, free of side effects.
 *
 * <p>Method: for each expression, the shadow (a clone of production's schema) parses the exact text the
 * probe would send, against a temporary table with the live table's column names and types, as the
 * CHECK constraint {@code ((expr)) IS NOT NULL} of that table (nothing is evaluated, and everything is
 * rolled back). The stored node tree ({@code pg_constraint.conbin}) names every
 * function and operator by OID, resolved exactly as production resolves the same text (same catalog,
 * same {@code search_path = pg_catalog, pg_temp}); it is walked with {@link NodeTree}. The constraint is
 * added {@code NOT VALID}, so the shadow does not even plan the expression (planning inlines SQL
 * functions and folds immutable calls with constant arguments: it would run user code). Dependencies
 * recorded in {@code pg_depend} are not used: objects created by {@code initdb} are "pinned" and have
 * no rows there, so {@code pg_advisory_lock} would look like no dependency at all.
 *
 * <p>The rule, node by node (fail closed: any node kind not listed is not safe):
 * <ul>
 *   <li>{@code FUNCEXPR}: the function is in {@code pg_catalog} and {@code IMMUTABLE}; a cast function
 *       of {@code pg_cast} (e.g. {@code timestamptz(timestamp)}, {@code date(timestamptz)}) may be
 *       {@code STABLE}: those read {@code TimeZone} or {@code DateStyle} but cannot write, lock or signal;
 *       its planner support function, if any, is in {@code pg_catalog};</li>
 *   <li>{@code OPEXPR}, {@code DISTINCTEXPR}, {@code NULLIFEXPR}, {@code SCALARARRAYOPEXPR},
 *       {@code ROWCOMPAREEXPR}: the operator's function ({@code oprcode}) as a plain function above, and its
 *       selectivity estimators ({@code oprrest}, {@code oprjoin}, run while planning) in {@code pg_catalog};</li>
 *   <li>{@code COERCEVIAIO} (a cast through text): the source type's output and the target type's
 *       input function, and {@code CONST} (a literal, re-parsed on production with its type's input
 *       function): the type I/O rule below;</li>
 *   <li>{@code COERCETODOMAIN}: every CHECK of the domain and of its base domains, by this same rule;</li>
 *   <li>{@code MINMAXEXPR} ({@code GREATEST}/{@code LEAST}): a built-in, enum or array-of-those type;
 *       {@code SUBSCRIPTINGREF}: the container type's subscript handler is in {@code pg_catalog};</li>
 *   <li>no call: {@code VAR}, {@code BOOLEXPR}, {@code NULLTEST}, {@code BOOLEANTEST}, {@code CASEEXPR},
 *       {@code CASEWHEN}, {@code CASETESTEXPR}, {@code COALESCEEXPR}, {@code RELABELTYPE},
 *       {@code ARRAYEXPR}, {@code ROWEXPR}, {@code FIELDSELECT}, {@code COLLATEEXPR},
 *       {@code ARRAYCOERCEEXPR} (its element conversion is a node below it), {@code COERCETODOMAINVALUE},
 *       {@code CONVERTROWTYPEEXPR};</li>
 *   <li>never: {@code SQLVALUEFUNCTION} ({@code CURRENT_DATE}, {@code CURRENT_USER}: not immutable),
 *       and every other node ({@code SUBLINK}, {@code NEXTVALUEEXPR}, {@code XMLEXPR}, ...).</li>
 * </ul>
 * Type I/O: an enum's ({@code enum_in}/{@code enum_out}); an array's is its element type's; a
 * composite's is its attributes' types'; a domain's input is its base type's plus the domain's CHECKs; a
 * range or multirange type must be in {@code pg_catalog}; any other type's function must be in
 * {@code pg_catalog} and {@code IMMUTABLE} or {@code STABLE} (PostgreSQL marks no type I/O function
 * volatile; {@code date_in}, {@code timestamptz_in} and the {@code reg*} types are stable).
 *
 * <p>A verdict is {@link #whyNot(Subject)}: empty when safe, else a phrase for a finding, e.g. {@code calls
 * pg_catalog.pg_advisory_lock(bigint), which is not an immutable built-in function (it is volatile)}.
 * A subject this vetting did not see is never safe.
 */
public final class ProbeVetting implements io.driftwatch.dialect.GateChecks.Vetting {

    /** What a probe evaluates on production. */
    public sealed interface Subject permits Expression, TypeInput {
    }

    /**
     * An expression evaluated for each row of a live table.
     *
     * @param schema the live table's schema
     * @param table  the live table's name
     * @param sql    the expression exactly as the probe sends it, e.g. {@code (price > (0)::numeric)}
     */
    public record Expression(String schema, String table, String sql) implements Subject {
        public Expression {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(sql, "sql");
        }
    }

    /**
     * A type whose input function runs on the probed values ({@code pg_input_is_valid(text, type)}).
     *
     * @param type the type as {@code format_type} renders it, e.g. {@code integer}, {@code public.mood}
     */
    public record TypeInput(String type) implements Subject {
        public TypeInput {
            Objects.requireNonNull(type, "type");
        }
    }

    private static final String NOT_VETTED = "was not checked in the shadow database";
    private static final int MAX_DEPTH = 12;

    private final Map<Subject, Optional<String>> verdicts;

    private ProbeVetting(Map<Subject, Optional<String>> verdicts) {
        this.verdicts = Map.copyOf(verdicts);
    }

    /** @return a vetting that saw nothing: every expression is refused ("was not checked in the shadow database") */
    public static ProbeVetting none() {
        return new ProbeVetting(Map.of());
    }

    /**
     * @param subject what a probe would evaluate
     * @return empty when it may be evaluated on production; else why not, a phrase without a subject
     *         ({@code calls public.f(integer), which is not an immutable built-in function (it is user
     *         code in schema public)}, {@code was not checked in the shadow database})
     */
    public Optional<String> whyNot(Subject subject) {
        Optional<String> v = verdicts.get(subject);
        return v == null ? Optional.of(NOT_VETTED) : v;
    }

    /** @return the first {@link #whyNot(Subject)} of {@code subjects} that is not empty; empty when all are safe */
    public Optional<String> whyNot(List<? extends Subject> subjects) {
        for (Subject s : subjects) {
            Optional<String> v = whyNot(s);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /**
     * Vets {@code subjects} in {@code shadow}.
     *
     * @param shadow    a shadow database holding production's schema (the rehearsal's clone); not inside a
     *                  transaction. Only temporary objects are created, in a transaction that is rolled
     *                  back; auto-commit is restored
     * @param subjects  what the probes would evaluate ({@link DataProbes#subjects})
     * @param liveModel the live model: column names and types of the tables the expressions run on
     * @return a verdict per subject; an expression the shadow cannot parse (or a table missing from the
     *         live model) is not safe, with the reason
     * @throws SQLException when the shadow connection itself fails
     */
    public static ProbeVetting vet(Connection shadow, Collection<? extends Subject> subjects, SchemaModel liveModel)
            throws SQLException {
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(liveModel, "liveModel");
        Map<Subject, Optional<String>> out = new LinkedHashMap<>();
        if (subjects.isEmpty()) {
            return new ProbeVetting(out);
        }
        Map<List<String>, Table> tables = new HashMap<>();
        for (Table t : liveModel.tables()) {
            tables.put(List.of(t.schema(), t.name()), t);
        }
        Map<List<String>, List<Expression>> byTable = new LinkedHashMap<>();
        List<TypeInput> types = new ArrayList<>();
        for (Subject s : new LinkedHashSet<>(subjects)) {
            if (s instanceof Expression e) {
                byTable.computeIfAbsent(List.of(e.schema(), e.table()), k -> new ArrayList<>()).add(e);
            } else if (s instanceof TypeInput t) {
                types.add(t);
            }
        }
        boolean autoCommit = shadow.getAutoCommit();
        shadow.setAutoCommit(false);
        try (Statement st = shadow.createStatement()) {
            st.execute("SET LOCAL search_path = pg_catalog, pg_temp");
            Checker checker = new Checker(shadow);
            int n = 0;
            for (Map.Entry<List<String>, List<Expression>> entry : byTable.entrySet()) {
                Table live = tables.get(entry.getKey());
                String temp = "dw_vet_" + n++;
                Optional<String> tableProblem = live == null
                        ? Optional.of("runs on " + Identifiers.qualified(entry.getKey().get(0), entry.getKey().get(1))
                        + ", which the live model does not hold")
                        : attempt(shadow, () -> st.execute(createTable(temp, live))).map(
                        e -> "could not be checked: the shadow database could not build a table like "
                                + Identifiers.qualified(live.schema(), live.name()) + " (" + e + ")");
                int k = 0;
                for (Expression e : entry.getValue()) {
                    if (tableProblem.isPresent()) {
                        out.put(e, tableProblem);
                        continue;
                    }
                    String constraint = temp + "_" + k++;
                    String[] tree = new String[1];
                    Optional<String> parseProblem = attempt(shadow, () -> {
                        st.execute("ALTER TABLE pg_temp." + temp + " ADD CONSTRAINT " + constraint
                                + " CHECK (((" + e.sql() + ")) IS NOT NULL) NOT VALID");
                        try (ResultSet rs = st.executeQuery("SELECT conbin FROM pg_catalog.pg_constraint WHERE conrelid = "
                                + "'pg_temp." + temp + "'::pg_catalog.regclass AND conname = '" + constraint + "'")) {
                            tree[0] = rs.next() ? rs.getString(1) : null;
                        }
                    });
                    if (parseProblem.isPresent()) {
                        out.put(e, Optional.of("could not be checked: the shadow database could not parse it ("
                                + parseProblem.get() + ")"));
                    } else if (tree[0] == null) {
                        out.put(e, Optional.of(NOT_VETTED));
                    } else {
                        out.put(e, checker.tree(tree[0]));
                    }
                }
            }
            for (TypeInput t : types) {
                long[] oid = new long[1];
                Optional<String> problem = attempt(shadow, () -> {
                    try (PreparedStatement ps = shadow.prepareStatement("SELECT ?::pg_catalog.regtype::pg_catalog.oid")) {
                        ps.setString(1, t.type());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            oid[0] = rs.getLong(1);
                        }
                    }
                });
                out.put(t, problem.isPresent()
                        ? Optional.of("could not be checked: the shadow database does not know type " + t.type()
                        + " (" + problem.get() + ")")
                        : checker.typeInput(oid[0], 0));
            }
        } finally {
            try {
                shadow.rollback();
            } finally {
                shadow.setAutoCommit(autoCommit);
            }
        }
        return new ProbeVetting(out);
    }

    private static String createTable(String temp, Table live) {
        StringBuilder sql = new StringBuilder("CREATE TEMPORARY TABLE ").append(temp).append(" (");
        List<Column> columns = live.columns();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Identifiers.quote(columns.get(i).name())).append(' ')
                    .append(columns.get(i).type());
        }
        return sql.append(")").toString();
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    /** Runs {@code action} under a savepoint; @return the server's one-line error when it failed */
    private static Optional<String> attempt(Connection c, SqlAction action) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SAVEPOINT dw_vet");
            try {
                action.run();
                st.execute("RELEASE SAVEPOINT dw_vet");
                return Optional.empty();
            } catch (SQLException e) {
                String state = e.getSQLState();
                if (state != null && state.startsWith("08")) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT dw_vet");
                st.execute("RELEASE SAVEPOINT dw_vet");
                return Optional.of(DataProbes.oneLine(e.getMessage()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------

    private record Function(String signature, boolean builtIn, String schema, char volatility, boolean cast,
                            boolean supportBuiltIn) {
    }

    private record Operator(String display, long code, long restrict, long join) {
    }

    private record Type(String display, char typtype, boolean builtIn, boolean array, long element, long base,
                        long relid, long input, long output, boolean subscriptBuiltIn) {
    }

    /** Catalog look-ups in the shadow, cached for one vetting. */
    private static final class Checker {
        private final Connection c;
        private final int major;
        private final Map<Long, Optional<Function>> functions = new HashMap<>();
        private final Map<Long, Optional<Operator>> operators = new HashMap<>();
        private final Map<Long, Optional<Type>> types = new HashMap<>();

        Checker(Connection c) throws SQLException {
            this.c = c;
            this.major = c.getMetaData().getDatabaseMajorVersion();
        }

        /** @return why the stored expression {@code text} is not safe; empty when it is */
        Optional<String> tree(String text) throws SQLException {
            NodeTree.Node root;
            try {
                root = NodeTree.parse(text);
            } catch (IllegalArgumentException e) {
                return Optional.of("could not be checked: its stored form could not be read (" + e.getMessage() + ")");
            }
            return walk(root, 0);
        }

        private Optional<String> walk(NodeTree.Node n, int depth) throws SQLException {
            if (depth > MAX_DEPTH * 20) {
                return Optional.of("is nested too deeply to check");
            }
            Optional<String> here = node(n, depth);
            if (here.isPresent()) {
                return here;
            }
            for (NodeTree.Node child : n.children()) {
                Optional<String> below = walk(child, depth + 1);
                if (below.isPresent()) {
                    return below;
                }
            }
            return Optional.empty();
        }

        private Optional<String> node(NodeTree.Node n, int depth) throws SQLException {
            switch (n.name()) {
                case "VAR", "BOOLEXPR", "NULLTEST", "BOOLEANTEST", "CASEEXPR", "CASEWHEN", "CASETESTEXPR",
                        "COALESCEEXPR", "RELABELTYPE", "ARRAYEXPR", "ROWEXPR", "FIELDSELECT", "COLLATEEXPR",
                        "ARRAYCOERCEEXPR", "COERCETODOMAINVALUE", "CONVERTROWTYPEEXPR" -> {
                    return Optional.empty();
                }
                case "CONST" -> {
                    if (n.token("constisnull").orElse("false").equals("true")) {
                        return Optional.empty();
                    }
                    // the literal is deparsed as text and parsed again on production, by its type's input function
                    return typeInput(required(n, "consttype"), 0);
                }
                case "FUNCEXPR" -> {
                    return function(required(n, "funcid"), true);
                }
                case "OPEXPR", "DISTINCTEXPR", "NULLIFEXPR" -> {
                    Optional<String> op = operator(required(n, "opno"));
                    return op.isPresent() ? op : extraFunction(n, "opfuncid");
                }
                case "SCALARARRAYOPEXPR" -> {
                    Optional<String> op = operator(required(n, "opno"));
                    for (String f : List.of("opfuncid", "hashfuncid", "negfuncid")) {
                        op = op.isPresent() ? op : extraFunction(n, f);
                    }
                    return op;
                }
                case "ROWCOMPAREEXPR" -> {
                    List<Long> ops = n.oids("opnos");
                    if (ops.isEmpty()) {
                        return Optional.of("compares rows with operators that could not be read");
                    }
                    for (long op : ops) {
                        Optional<String> r = operator(op);
                        if (r.isPresent()) {
                            return r;
                        }
                    }
                    return Optional.empty();
                }
                case "COERCEVIAIO" -> {
                    Optional<Long> from = n.node("arg").flatMap(Checker::resultType);
                    if (from.isEmpty()) {
                        return Optional.of("converts a value whose type could not be read");
                    }
                    Optional<String> out = typeOutput(from.get(), 0);
                    return out.isPresent() ? out : typeInput(required(n, "resulttype"), 0);
                }
                case "COERCETODOMAIN" -> {
                    return domainChecks(required(n, "resulttype"), depth);
                }
                case "MINMAXEXPR" -> {
                    return comparable(required(n, "minmaxtype"), 0);
                }
                case "SUBSCRIPTINGREF" -> {
                    Optional<Type> t = type(required(n, "refcontainertype"));
                    if (t.isPresent() && (t.get().array() || t.get().subscriptBuiltIn())) {
                        return Optional.empty();
                    }
                    return Optional.of("subscripts a value of type " + t.map(Type::display).orElse("?")
                            + " with a subscript handler that is not a built-in");
                }
                case "SQLVALUEFUNCTION" -> {
                    return Optional.of("uses CURRENT_DATE, CURRENT_USER or a similar SQL value function, which is not"
                            + " immutable");
                }
                default -> {
                    return Optional.of("uses a " + n.name() + " node, which the gate does not evaluate on production");
                }
            }
        }

        /** @return the OID in {@code field}, or -1 (unknown to every look-up: not safe) */
        private static long required(NodeTree.Node n, String field) {
            return n.oid(field).orElse(-1L);
        }

        private Optional<String> extraFunction(NodeTree.Node n, String field) throws SQLException {
            long f = n.oid(field).orElse(0L);
            return f == 0 ? Optional.empty() : function(f, false);
        }

        /** @return the type an expression node yields, as far as the node says it */
        private static Optional<Long> resultType(NodeTree.Node n) {
            String field = switch (n.name()) {
                case "VAR" -> "vartype";
                case "CONST" -> "consttype";
                case "PARAM" -> "paramtype";
                case "FUNCEXPR" -> "funcresulttype";
                case "OPEXPR", "DISTINCTEXPR", "NULLIFEXPR" -> "opresulttype";
                case "RELABELTYPE", "COERCEVIAIO", "ARRAYCOERCEEXPR", "COERCETODOMAIN", "CONVERTROWTYPEEXPR",
                        "FIELDSELECT" -> "resulttype";
                case "CASEEXPR" -> "casetype";
                case "COALESCEEXPR" -> "coalescetype";
                case "MINMAXEXPR" -> "minmaxtype";
                case "ARRAYEXPR" -> "array_typeid";
                case "ROWEXPR" -> "row_typeid";
                case "CASETESTEXPR", "COERCETODOMAINVALUE" -> "typeId";
                case "SUBSCRIPTINGREF" -> "refrestype";
                case "SQLVALUEFUNCTION" -> "type";
                default -> null;
            };
            if (field != null) {
                return n.oid(field);
            }
            return switch (n.name()) {
                case "BOOLEXPR", "NULLTEST", "BOOLEANTEST", "SCALARARRAYOPEXPR", "ROWCOMPAREEXPR" -> Optional.of(16L);
                case "COLLATEEXPR" -> n.node("arg").flatMap(Checker::resultType);
                default -> Optional.empty();
            };
        }

        /**
         * @param plainCall false for an operator's function; true for a called function, which may be a
         *                  stable cast function of {@code pg_cast}
         */
        private Optional<String> function(long oid, boolean plainCall) throws SQLException {
            Optional<Function> f = lookupFunction(oid);
            if (f.isEmpty()) {
                return Optional.of("calls a function (OID " + oid + ") the shadow database does not know");
            }
            return functionProblem(f.get(), plainCall).map(p -> "calls " + f.get().signature() + ", which is not an"
                    + " immutable built-in function (" + p + ")");
        }

        private static Optional<String> functionProblem(Function f, boolean castMayBeStable) {
            if (!f.builtIn()) {
                return Optional.of("it is user code in schema " + Identifiers.quoteIfNeeded(f.schema()));
            }
            boolean ok = f.volatility() == 'i' || castMayBeStable && f.cast() && f.volatility() == 's';
            if (!ok) {
                return Optional.of(f.volatility() == 'v' ? "it is volatile" : f.volatility() == 's' ? "it is stable"
                        : "its volatility is '" + f.volatility() + "'");
            }
            if (!f.supportBuiltIn()) {
                return Optional.of("its planner support function is user code");
            }
            return Optional.empty();
        }

        private Optional<String> operator(long oid) throws SQLException {
            Optional<Operator> op = lookupOperator(oid);
            if (op.isEmpty()) {
                return Optional.of("uses an operator (OID " + oid + ") the shadow database does not know");
            }
            Optional<Function> code = lookupFunction(op.get().code());
            if (code.isEmpty()) {
                return Optional.of("uses operator " + op.get().display() + ", whose function the shadow database does not know");
            }
            Optional<String> problem = functionProblem(code.get(), false);
            if (problem.isPresent()) {
                return Optional.of("uses operator " + op.get().display() + ", which calls " + code.get().signature()
                        + ", not an immutable built-in function (" + problem.get() + ")");
            }
            for (long estimator : new long[] {op.get().restrict(), op.get().join()}) {
                if (estimator != 0) {
                    Optional<Function> e = lookupFunction(estimator);
                    if (e.isEmpty() || !e.get().builtIn()) {
                        return Optional.of("uses operator " + op.get().display() + ", whose selectivity estimator "
                                + e.map(Function::signature).orElse("(OID " + estimator + ")")
                                + " is not a built-in (planning the probe would run it)");
                    }
                }
            }
            return Optional.empty();
        }

        /** @return why parsing a value of type {@code oid} from text (its input function) is not safe */
        Optional<String> typeInput(long oid, int depth) throws SQLException {
            return typeIo(oid, true, depth);
        }

        private Optional<String> typeOutput(long oid, int depth) throws SQLException {
            return typeIo(oid, false, depth);
        }

        private Optional<String> typeIo(long oid, boolean input, int depth) throws SQLException {
            if (depth > MAX_DEPTH) {
                return Optional.of("converts through types nested too deeply to check");
            }
            Optional<Type> found = type(oid);
            if (found.isEmpty()) {
                return Optional.of("converts through a type (OID " + oid + ") the shadow database does not know");
            }
            Type t = found.get();
            switch (t.typtype()) {
                case 'e' -> {
                    return Optional.empty(); // enum_in / enum_out: pg_catalog, stable (they read the labels)
                }
                case 'd' -> {
                    Optional<String> base = typeIo(t.base(), input, depth + 1);
                    return base.isPresent() || !input ? base : domainChecks(oid, depth);
                }
                case 'c' -> {
                    for (long attribute : attributeTypes(t.relid())) {
                        Optional<String> r = typeIo(attribute, input, depth + 1);
                        if (r.isPresent()) {
                            return r;
                        }
                    }
                    return Optional.empty();
                }
                case 'r', 'm' -> {
                    return t.builtIn() ? Optional.empty() : Optional.of("converts through range type " + t.display()
                            + ", which is not a built-in (its input may call user code)");
                }
                default -> {
                    if (t.array()) {
                        return typeIo(t.element(), input, depth + 1);
                    }
                    long fn = input ? t.input() : t.output();
                    Optional<Function> f = lookupFunction(fn);
                    String role = input ? "input" : "output";
                    if (f.isEmpty()) {
                        return Optional.of("converts through type " + t.display() + ", whose " + role
                                + " function the shadow database does not know");
                    }
                    if (!f.get().builtIn()) {
                        return Optional.of("converts through type " + t.display() + ", whose " + role + " function "
                                + f.get().signature() + " is not a built-in (it is user code in schema "
                                + Identifiers.quoteIfNeeded(f.get().schema()) + ")");
                    }
                    if (f.get().volatility() != 'i' && f.get().volatility() != 's') {
                        return Optional.of("converts through type " + t.display() + ", whose " + role + " function "
                                + f.get().signature() + " is volatile");
                    }
                    return Optional.empty();
                }
            }
        }

        /** @return why the CHECKs of domain {@code oid} and its base domains are not safe */
        private Optional<String> domainChecks(long oid, int depth) throws SQLException {
            long d = oid;
            for (int i = 0; i <= MAX_DEPTH; i++) {
                Optional<Type> t = type(d);
                if (t.isEmpty()) {
                    return Optional.of("converts to a domain (OID " + d + ") the shadow database does not know");
                }
                if (t.get().typtype() != 'd') {
                    return Optional.empty();
                }
                for (String check : domainCheckTrees(d)) {
                    NodeTree.Node root;
                    try {
                        root = NodeTree.parse(check);
                    } catch (IllegalArgumentException e) {
                        return Optional.of("converts to domain " + t.get().display() + ", whose CHECK could not be read");
                    }
                    Optional<String> r = walk(root, depth + 1);
                    if (r.isPresent()) {
                        return Optional.of("converts to domain " + t.get().display() + ", whose CHECK " + r.get());
                    }
                }
                d = t.get().base();
            }
            return Optional.of("converts to domains nested too deeply to check");
        }

        private Optional<String> comparable(long oid, int depth) throws SQLException {
            Optional<Type> t = type(oid);
            if (t.isPresent() && depth <= MAX_DEPTH) {
                if (t.get().typtype() == 'e') {
                    return Optional.empty();
                }
                if (t.get().array()) {
                    return comparable(t.get().element(), depth + 1);
                }
                if (t.get().builtIn() && t.get().typtype() == 'b') {
                    return Optional.empty();
                }
            }
            return Optional.of("compares values of type " + t.map(Type::display).orElse("(OID " + oid + ")")
                    + " with GREATEST or LEAST, whose comparison is not a built-in");
        }

        // ---- catalog look-ups (numbers only are spliced into the SQL)

        private Optional<Function> lookupFunction(long oid) throws SQLException {
            if (oid < 0) {
                return Optional.empty();
            }
            if (!functions.containsKey(oid)) {
                String support = major >= 12
                        ? "COALESCE((SELECT sn.nspname = 'pg_catalog' FROM pg_catalog.pg_proc sp JOIN pg_catalog.pg_namespace sn"
                        + " ON sn.oid = sp.pronamespace WHERE sp.oid = p.prosupport), true)"
                        : "true";
                String sql = "SELECT n.nspname, p.oid::pg_catalog.regprocedure::text, p.provolatile,"
                        + " EXISTS (SELECT 1 FROM pg_catalog.pg_cast c WHERE c.castfunc = p.oid), " + support
                        + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                        + " WHERE p.oid = " + oid;
                Optional<Function> f = Optional.empty();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    if (rs.next()) {
                        String schema = rs.getString(1);
                        boolean builtIn = "pg_catalog".equals(schema);
                        String signature = builtIn ? "pg_catalog." + rs.getString(2) : rs.getString(2);
                        f = Optional.of(new Function(signature, builtIn, schema, rs.getString(3).charAt(0),
                                rs.getBoolean(4), rs.getBoolean(5)));
                    }
                }
                functions.put(oid, f);
            }
            return functions.get(oid);
        }

        private Optional<Operator> lookupOperator(long oid) throws SQLException {
            if (oid < 0) {
                return Optional.empty();
            }
            if (!operators.containsKey(oid)) {
                String sql = "SELECT n.nspname, o.oid::pg_catalog.regoperator::text, o.oprcode::pg_catalog.oid,"
                        + " o.oprrest::pg_catalog.oid, o.oprjoin::pg_catalog.oid"
                        + " FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace"
                        + " WHERE o.oid = " + oid;
                Optional<Operator> op = Optional.empty();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    if (rs.next()) {
                        String display = "pg_catalog".equals(rs.getString(1)) ? "pg_catalog." + rs.getString(2)
                                : rs.getString(2);
                        op = Optional.of(new Operator(display, rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                    }
                }
                operators.put(oid, op);
            }
            return operators.get(oid);
        }

        private Optional<Type> type(long oid) throws SQLException {
            if (oid < 0) {
                return Optional.empty();
            }
            if (!types.containsKey(oid)) {
                String subscript = major >= 14
                        ? "COALESCE((SELECT sn.nspname = 'pg_catalog' FROM pg_catalog.pg_proc sp JOIN pg_catalog.pg_namespace sn"
                        + " ON sn.oid = sp.pronamespace WHERE sp.oid = t.typsubscript), false)"
                        : "false";
                String sql = "SELECT pg_catalog.format_type(t.oid, NULL), t.typtype, n.nspname = 'pg_catalog',"
                        + " t.typcategory = 'A' AND t.typelem <> 0 AND t.typinput = 'pg_catalog.array_in'::pg_catalog.regproc,"
                        + " t.typelem::pg_catalog.oid, t.typbasetype::pg_catalog.oid, t.typrelid::pg_catalog.oid,"
                        + " t.typinput::pg_catalog.oid, t.typoutput::pg_catalog.oid, " + subscript
                        + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                        + " WHERE t.oid = " + oid;
                Optional<Type> t = Optional.empty();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    if (rs.next()) {
                        t = Optional.of(new Type(rs.getString(1), rs.getString(2).charAt(0), rs.getBoolean(3),
                                rs.getBoolean(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                                rs.getLong(9), rs.getBoolean(10)));
                    }
                }
                types.put(oid, t);
            }
            return types.get(oid);
        }

        private List<String> domainCheckTrees(long domain) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT conbin FROM"
                    + " pg_catalog.pg_constraint WHERE contypid = " + domain + " AND contype = 'c' ORDER BY conname")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }

        private List<Long> attributeTypes(long relid) throws SQLException {
            List<Long> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT atttypid::pg_catalog.oid"
                    + " FROM pg_catalog.pg_attribute WHERE attrelid = " + relid
                    + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            if (out.isEmpty()) {
                out.add(-1L); // no attributes read: not safe
            }
            return out;
        }
    }

    /** @return the subjects vetted, for tests and diagnostics */
    Set<Subject> subjects() {
        return verdicts.keySet();
    }
}
