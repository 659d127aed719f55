package io.driftwatch.postgres.gate;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.DefinitionText;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Table;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Read-only data probes against production for what one pending migration changes: the failures a
 * rehearsal in a structure-only clone cannot show, because the clone has no rows.
 *
 * <p>Probes, by rule ({@link Rule}):
 * <ul>
 *   <li>{@code DW320} a column made NOT NULL (or put in a new primary key) holds NULLs;</li>
 *   <li>{@code DW321} a new primary key, UNIQUE constraint or unique index has duplicate keys
 *       (rows with a NULL key part are left out unless {@code NULLS NOT DISTINCT}; the index
 *       predicate of a partial index is applied);</li>
 *   <li>{@code DW322} a new (or newly validated) foreign key has orphans ({@code MATCH SIMPLE}: rows
 *       whose key parts are all non-null; {@code MATCH FULL}: rows with any non-null part), or points
 *       at a table the same migration creates while child rows hold keys;</li>
 *   <li>{@code DW323} a new (or newly validated) CHECK is false for live rows ({@code WHERE NOT (expr)},
 *       so NULL passes as PostgreSQL's CHECK does);</li>
 *   <li>{@code DW324} a column type change meets values that do not convert: on PostgreSQL 16+ and a
 *       text-like column, counted with {@code pg_input_is_valid}; a narrowing to
 *       {@code character varying(n)}/{@code character(n)} counted by length (the assignment cast
 *       ALTER TYPE uses errors where an explicit cast would truncate); otherwise the plain cast over the
 *       whole column, reporting the server's first error;</li>
 *   <li>{@code DW325} a NOT NULL column without a default (not identity, not generated) is added to a
 *       table holding rows;</li>
 *   <li>{@code DW326} (error) a probe refused for lack of privilege, with the {@code GRANT} that lets it run;</li>
 *   <li>{@code DW327} (error) a probe not run because what it would evaluate is not safe to run on
 *       production ({@link ProbeVetting}), with the query to run by hand;</li>
 *   <li>{@code DW329} (error) a probe that could not finish (timeout, lock, failure) or could not be built.</li>
 * </ul>
 * A probe that could not look is never a pass: {@code DW326}, {@code DW327} and {@code DW329} are errors
 * by default, so a gate that could not check the data does not exit 0.
 *
 * <p>Safety: an expression that comes from the pending migration (a CHECK, a unique index's key
 * expressions and predicate, a type conversion) is evaluated only when {@link ProbeVetting} found, in the
 * shadow clone, that it calls nothing but immutable built-in functions (see there for the exact rule);
 * otherwise the probe is {@code DW327} and nothing of it runs. All probes run in one transaction that is
 * {@code READ ONLY} (driver and server,
 * verified with {@code SHOW transaction_read_only}; refused otherwise), with {@code SET LOCAL}
 * {@code statement_timeout}, {@code lock_timeout} and {@code search_path = pg_catalog, pg_temp}
 * (the context the catalog reader deparsed expressions in), each probe inside a savepoint so a
 * timed-out probe leaves the others running, and the transaction is always rolled back. Every query
 * is a {@code SELECT}; identifiers are quoted with {@link Identifiers#quote(String)}. Counts stop at
 * {@code countCap + 1} rows, samples at {@code samples} rows.
 *
 * <p>Limits: the probes see the live data before the migration runs, so a migration that fixes its
 * own data first (an UPDATE before SET NOT NULL, an INSERT into a new parent) is reported anyway;
 * the type probe assumes the plain cast (no {@code USING}). A column the migration adds, or a table it
 * creates, has no live data and is skipped (except {@code DW322}'s new parent and {@code DW325}).
 */
public final class DataProbes {

    private static final String SAVEPOINT = "dw_probe";
    private static final int MAX_VALUE_CHARS = 40;
    private static final Pattern LENGTH_TYPE =
            Pattern.compile("(character varying|character|bit varying|bit)\\((\\d+)\\)");
    private static final Pattern TEXT_LIKE =
            Pattern.compile("text|character varying(\\(\\d+\\))?|character(\\(\\d+\\))?|name|(\\S+\\.)?citext");

    private DataProbes() {
    }

    /**
     * Probes the live data for what {@code changes} would break.
     *
     * @param live      connection to the production database; must not be inside a transaction (it
     *                  is refused then, and the caller's transaction is left untouched). Its
     *                  auto-commit and read-only settings are restored before returning
     * @param script    the migration's file name, e.g. {@code V44__orders_not_null.sql}, named in every message
     * @param changes   {@code new SchemaDiffer().diff(before, after)} of the migration rehearsed in a
     *                  structure-only clone of {@code liveModel}
     * @param liveModel the live database's model: which tables and columns hold live data, primary
     *                  keys for samples
     * @param settings  timeouts, sample size and count cap
     * @param vetting   the verdicts of {@link ProbeVetting#vet} on {@link #subjects} of the same arguments,
     *                  taken in the rehearsal's clone; a probe whose expressions it does not find safe (or
     *                  did not see) is not run ({@code DW327})
     * @return findings in the order of {@code changes} ({@code DW320}..{@code DW325} errors, {@code DW322}
     *         to a new parent as a warning, {@code DW326}/{@code DW327}/{@code DW329} errors); empty when
     *         nothing is wrong or nothing needed probing (then the connection is not used)
     * @throws SQLException when the transaction cannot be made read-only (SQLState {@code 25000}), the
     *                      connection fails ({@code 08xxx}) or a savepoint cannot be rolled back; a single
     *                      probe's failure (timeout, lock, bad expression) is a {@code DW329} finding
     *                      instead, a refusal ({@code 42501}) a {@code DW326}
     * @throws NullPointerException when an argument is null
     */
    public static List<Finding> probe(Connection live, String script, List<Change> changes,
                                      SchemaModel liveModel, ProbeSettings settings, ProbeVetting vetting)
            throws SQLException {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(liveModel, "liveModel");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(vetting, "vetting");
        // the driver knows the server's version from the start-up: no query
        int major = live.getMetaData().getDatabaseMajorVersion();
        List<Planned> planned = new ArrayList<>();
        for (Planned p : new Planner(script, changes, liveModel, settings, major).plan()) {
            Optional<String> unsafe = p.fixed() == null ? vetting.whyNot(p.vets()) : Optional.empty();
            planned.add(unsafe.map(why -> Planned.known(notProbed(p, why))).orElse(p));
        }
        if (planned.stream().noneMatch(p -> p.fixed() == null)) {
            return planned.stream().map(Planned::fixed).toList();
        }
        return runReadOnly(live, planned, settings);
    }

    /**
     * What {@link #probe} would evaluate on production for {@code changes} that comes from the pending
     * migration (CHECK expressions, unique-index keys and predicates, type conversions), for
     * {@link ProbeVetting#vet} to decide on in the shadow before anything runs on production.
     *
     * @param script      the migration's file name
     * @param changes     what the migration changed in the clone
     * @param liveModel   the live database's model
     * @param serverMajor production's major version (the probes for type changes differ from 16 on)
     * @return the subjects, possibly empty
     */
    public static List<ProbeVetting.Subject> subjects(String script, List<Change> changes, SchemaModel liveModel,
                                                      int serverMajor) {
        List<ProbeVetting.Subject> out = new ArrayList<>();
        for (Planned p : new Planner(script, changes, liveModel, ProbeSettings.defaults(), serverMajor).plan()) {
            out.addAll(p.vets());
        }
        return out;
    }

    private static Finding notProbed(Planned p, String why) {
        String message = p.script() + ": the probe for " + p.what() + " was not run: the expression " + why
                + ", so the gate did not evaluate it on production; review it, then check by hand where running it"
                + " is safe (a replica, a restored copy): " + p.byHand();
        return finding(Rule.DW327, p.object(), "not probed", message);
    }

    private static List<Finding> runReadOnly(Connection live, List<Planned> planned, ProbeSettings settings)
            throws SQLException {
        boolean previousAutoCommit = live.getAutoCommit();
        boolean previousReadOnly = live.isReadOnly();
        try {
            // the driver refuses while a transaction is open: the caller's work is never rolled back here
            live.setReadOnly(true);
        } catch (SQLException e) {
            throw new SQLException("refusing to probe: the connection cannot be made read-only ("
                    + oneLine(e.getMessage()) + "); pass a connection that is not inside a transaction", "25000", e);
        }
        List<Finding> out = new ArrayList<>();
        Throwable failure = null;
        try {
            live.setAutoCommit(false);
            Session session = begin(live, settings);
            for (Planned p : planned) {
                if (p.fixed() != null) {
                    out.add(p.fixed());
                    continue;
                }
                session.execute("SAVEPOINT " + SAVEPOINT);
                try {
                    p.body().run(session).ifPresent(out::add);
                    session.execute("RELEASE SAVEPOINT " + SAVEPOINT);
                } catch (SQLException e) {
                    if (connectionLost(live, e)) {
                        throw e;
                    }
                    session.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
                    session.execute("RELEASE SAVEPOINT " + SAVEPOINT);
                    Optional<Finding> own = p.onError().handle(e);
                    out.add(own.isPresent() ? own.get() : incomplete(p, e, settings, session));
                }
            }
            return List.copyOf(out);
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            restore(live, previousAutoCommit, previousReadOnly, failure);
        }
    }

    private static Session begin(Connection live, ProbeSettings settings) throws SQLException {
        Session session = new Session(live, settings);
        session.execute("SET TRANSACTION READ ONLY");
        String readOnly = session.single("SHOW transaction_read_only");
        if (!"on".equals(readOnly)) {
            throw new SQLException("refusing to probe: the server reports transaction_read_only = " + readOnly
                    + " after SET TRANSACTION READ ONLY", "25000");
        }
        // numbers only: nothing user-supplied is spliced into these
        session.execute("SET LOCAL lock_timeout = " + settings.lockTimeoutMillis());
        session.execute("SET LOCAL statement_timeout = " + settings.statementTimeoutMillis());
        session.execute("SET LOCAL search_path = pg_catalog, pg_temp");
        return session;
    }

    private static void restore(Connection live, boolean autoCommit, boolean readOnly, Throwable failure)
            throws SQLException {
        SQLException first = null;
        try {
            live.rollback();
        } catch (SQLException e) {
            first = e;
        }
        try {
            live.setAutoCommit(autoCommit);
            live.setReadOnly(readOnly);
        } catch (SQLException e) {
            if (first == null) {
                first = e;
            }
        }
        if (first != null) {
            if (failure != null) {
                failure.addSuppressed(first);
            } else {
                throw first;
            }
        }
    }

    private static boolean connectionLost(Connection c, SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return true;
        }
        try {
            return c.isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    private static Finding incomplete(Planned p, SQLException e, ProbeSettings settings, Session session)
            throws SQLException {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String server = oneLine(e.getMessage());
        String head = p.script() + ": the probe for " + p.what() + " ";
        if (state.equals("42501")) {
            List<String> grants = session.missingGrants(p.reads());
            String next = grants.isEmpty()
                    ? "grant the role " + Identifiers.quoteIfNeeded(session.role()) + " what the message names"
                    : String.join(" ", grants) + (grants.size() == 1 ? " lets it run" : " let it run");
            return finding(Rule.DW326, p.object(), "not checked", head + "was refused (" + server
                    + "), so the data was not checked: " + next
                    + " (or pass --no-data-probes to deploy without the data probes)");
        }
        String message = switch (state) {
            case "57014" -> head + "hit statement_timeout (" + duration(settings.statementTimeout())
                    + ") and was cancelled, so the data was not checked: raise --probe-timeout or run the gate when "
                    + p.relation() + " is quieter";
            case "55P03" -> head + "waited longer than lock_timeout (" + duration(settings.lockTimeout())
                    + ") for a lock on " + p.relation()
                    + " (DDL or another migration holds it), so the data was not checked: run the gate again when it is released";
            case "25006" -> head + "tried to write (" + server
                    + ") and the read-only transaction refused it, so the data was not checked: check it by hand";
            default -> head + "failed (" + (state.isEmpty() ? "" : state + ": ") + server
                    + "), so the data was not checked: check it by hand";
        };
        return finding(Rule.DW329, p.object(), "not checked", message);
    }

    /** @return a finding at the rule's default severity, with no expected text */
    static Finding finding(Rule rule, ObjectRef object, String actual, String message) {
        return new Finding(rule, rule.defaultSeverity(), object, null, actual, message);
    }

    /** @return e.g. {@code 30 s}, {@code 1 ms}, {@code 1.5 s} */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** @return e.g. {@code 1 row}, {@code 3 rows}, {@code more than 10,000 rows} */
    static String rows(long n, long cap, String singular, String plural) {
        // n is at most cap + 1: the counting query stops there
        if (n > cap) {
            return String.format(Locale.ROOT, "more than %,d %s", cap, plural);
        }
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
    }

    /** @return a server message on one line, without its {@code Where:} context and {@code Position:}; "" for null */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        for (String tail : List.of(" Where: ", " Position: ")) {
            int at = line.indexOf(tail);
            if (at > 0) {
                line = line.substring(0, at);
            }
        }
        return line;
    }

    // ------------------------------------------------------------------------------------------
    // planning: which probes, built from the changes and the live model, no database access

    /** Runs one probe; the session is inside the probe's savepoint. */
    @FunctionalInterface
    private interface Body {
        Optional<Finding> run(Session s) throws SQLException;
    }

    /** Turns a probe's SQL error into its own finding (the type probe's failed cast), or declines. */
    @FunctionalInterface
    private interface ErrorHandler {
        Optional<Finding> handle(SQLException e);
    }

    /**
     * One planned probe, or ({@code fixed != null}) a finding known without a query.
     *
     * @param relation the table probed, for messages
     * @param reads    the live tables the probe's queries read (for the GRANT a refusal needs)
     * @param vets     what the probe evaluates that comes from the pending migration: it runs only when
     *                 {@link ProbeVetting} finds every one safe
     * @param byHand   the query a person can run instead when the probe does not run, e.g.
     *                 {@code SELECT pg_catalog.count(*) FROM public.orders WHERE NOT (...)}
     */
    private record Planned(String script, ObjectRef object, String what, String relation, List<Table> reads,
                           Body body, ErrorHandler onError, Finding fixed, List<ProbeVetting.Subject> vets,
                           String byHand) {
        static Planned query(String script, ObjectRef object, String what, Table table, Body body) {
            return new Planned(script, object, what, Identifiers.qualified(table.schema(), table.name()),
                    List.of(table), body, e -> Optional.empty(), null, List.of(), null);
        }

        static Planned known(Finding f) {
            return new Planned(null, f.object(), null, null, List.of(), null, null, f, List.of(), null);
        }

        Planned onError(ErrorHandler handler) {
            return new Planned(script, object, what, relation, reads, body, handler, fixed, vets, byHand);
        }

        Planned reading(Table also) {
            List<Table> more = new ArrayList<>(reads);
            more.add(also);
            return new Planned(script, object, what, relation, List.copyOf(more), body, onError, fixed, vets, byHand);
        }

        /** @return this probe, to run only when {@code evaluated} are safe; {@code byHand} otherwise */
        Planned vetting(List<ProbeVetting.Subject> evaluated, String query) {
            return new Planned(script, object, what, relation, reads, body, onError, fixed, List.copyOf(evaluated),
                    query);
        }
    }

    private static final class Planner {
        private final String script;
        private final List<Change> changes;
        private final ProbeSettings settings;
        private final int serverMajor;
        private final Map<List<String>, Table> live = new HashMap<>();
        private final Set<String> droppedPositions = new HashSet<>();
        private final Set<List<String>> nullProbed = new LinkedHashSet<>();
        private final List<Planned> out = new ArrayList<>();

        Planner(String script, List<Change> changes, SchemaModel liveModel, ProbeSettings settings, int serverMajor) {
            this.script = script;
            this.changes = changes;
            this.settings = settings;
            this.serverMajor = serverMajor;
            for (Table t : liveModel.tables()) {
                live.put(List.of(t.schema(), t.name()), t);
            }
            for (Change c : changes) {
                if (c instanceof Change.DropColumn d) {
                    droppedPositions.add(d.table().schema() + '\0' + d.table().name() + '\0' + d.column().position());
                }
            }
        }

        List<Planned> plan() {
            for (Change c : changes) {
                if (c instanceof Change.ModifyColumn m) {
                    modifyColumn(m);
                } else if (c instanceof Change.AddConstraint a) {
                    constraint(a.table(), a.constraint(), a.ref(), "adds");
                } else if (c instanceof Change.ModifyConstraint m) {
                    boolean validates = m.from().type() == m.to().type()
                            && DefinitionText.notValid(m.from().definition())
                            && !DefinitionText.notValid(m.to().definition())
                            && (m.to().type() == Constraint.Type.CHECK || m.to().type() == Constraint.Type.FOREIGN_KEY);
                    if (validates) {
                        constraint(m.table(), m.to(), m.ref(), "validates");
                    }
                } else if (c instanceof Change.AddIndex a && a.index().unique()) {
                    uniqueIndex(a.table(), a.index(), a.ref());
                } else if (c instanceof Change.AddColumn a) {
                    addColumn(a);
                }
            }
            return out;
        }

        private Table liveTable(Table t) {
            return live.get(List.of(t.schema(), t.name()));
        }

        private static Column column(Table t, String name) {
            for (Column c : t.columns()) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            return null;
        }

        private static boolean allLive(Table t, List<String> columns) {
            return !columns.isEmpty() && columns.stream().allMatch(c -> column(t, c) != null);
        }

        // ---- DW320 / DW324

        private void modifyColumn(Change.ModifyColumn m) {
            Table t = liveTable(m.table());
            Column lc = t == null ? null : column(t, m.from().name());
            if (lc == null) {
                return;
            }
            ObjectRef ref = m.ref();
            if (m.changes().contains(ChangeKind.NULLABILITY) && !m.from().notNull() && m.to().notNull()
                    && !lc.notNull()) {
                nulls(t, lc.name(), ref, null);
            }
            if (m.changes().contains(ChangeKind.TYPE) && !lc.type().equals(m.to().type())) {
                cast(t, lc, m.to().type(), ref);
            }
        }

        private void nulls(Table t, String col, ObjectRef ref, String via) {
            if (!nullProbed.add(List.of(t.schema(), t.name(), col))) {
                return;
            }
            String rel = Sql.rel(t, false);
            String where = Sql.q(col) + " IS NULL";
            String what = "NULLs in " + ref.qualifiedName();
            out.add(Planned.query(script, ref, what, t, s -> {
                long n = s.count("SELECT 1 FROM " + rel + " WHERE " + where);
                if (n == 0) {
                    return Optional.empty();
                }
                String sample = s.sampleKeys(t, rel, where);
                String verb = via == null ? "sets " + ref.qualifiedName() + " NOT NULL"
                        : "adds " + via + ", which makes " + ref.qualifiedName() + " NOT NULL,";
                String count = rows(n, settings.countCap(), "live row holds", "live rows hold");
                String message = script + " " + verb + " but " + count + " NULL (" + sample + "): backfill them first (UPDATE "
                        + display(t) + " SET " + Identifiers.quoteIfNeeded(col) + " = ... WHERE "
                        + Identifiers.quoteIfNeeded(col) + " IS NULL) or the migration fails";
                return Optional.of(finding(Rule.DW320, ref, rows(n, settings.countCap(), "row", "rows"), message));
            }));
        }

        private void cast(Table t, Column lc, String newType, ObjectRef ref) {
            String rel = Sql.rel(t, false);
            String col = Sql.q(lc.name());
            String what = "values of " + ref.qualifiedName() + " that do not convert to " + newType;
            String change = script + " changes " + ref.qualifiedName() + " from " + lc.type() + " to " + newType;
            String fix = ": fix or clear those values first, or give ALTER COLUMN ... TYPE a USING clause that handles them"
                    + " (the probe assumes the plain cast; a USING clause the migration has is not checked)";
            Matcher length = LENGTH_TYPE.matcher(newType);
            if (length.matches()) {
                // ALTER TYPE uses the assignment cast, which errors on a too-long value (unless the excess is
                // spaces); an explicit cast would silently truncate, so count by length instead
                String bad = col + " IS NOT NULL AND pg_catalog.length(pg_catalog.rtrim((" + col + ")::text, ' ')) > "
                        + Long.parseLong(length.group(2));
                out.add(Planned.query(script, ref, what, t, s -> badValues(s, rel, col, bad, change, fix, ref))
                        .vetting(List.of(new ProbeVetting.Expression(t.schema(), t.name(), bad)),
                                "SELECT pg_catalog.count(*) FROM " + Sql.shown(t, false) + " WHERE " + bad));
                return;
            }
            if (serverMajor >= 16 && TEXT_LIKE.matcher(lc.type()).matches()) {
                // counts and samples every bad value; pg_input_is_valid runs the new type's input function
                String bad = col + " IS NOT NULL AND NOT pg_catalog.pg_input_is_valid((" + col + ")::text, "
                        + Identifiers.literal(newType) + ")";
                out.add(Planned.query(script, ref, what, t, s -> badValues(s, rel, col, bad, change, fix, ref))
                        .vetting(List.of(new ProbeVetting.Expression(t.schema(), t.name(), "(" + col + ")::text"),
                                new ProbeVetting.TypeInput(newType)),
                                "SELECT pg_catalog.count(*) FROM " + Sql.shown(t, false) + " WHERE " + bad));
                return;
            }
            // PostgreSQL 15 and non-text columns: the plain cast over the whole column; the first value
            // that does not convert stops it with the server's message
            String converted = "(" + col + ")::" + newType;
            String castAll = " WHERE " + col + " IS NOT NULL";
            out.add(Planned.query(script, ref, what, t, s -> {
                s.single("SELECT pg_catalog.count(" + converted + ") FROM " + rel + castAll);
                return Optional.empty();
            }).vetting(List.of(new ProbeVetting.Expression(t.schema(), t.name(), converted)),
                    "SELECT pg_catalog.count(" + converted + ") FROM " + Sql.shown(t, false) + castAll).onError(e -> {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.startsWith("22") || state.equals("23514")) { // 23514: a domain's CHECK refused the value
                    String message = change + " but a live value does not convert (" + oneLine(e.getMessage()) + ")" + fix;
                    return Optional.of(finding(Rule.DW324, ref, "at least 1 row", message));
                }
                if (state.equals("42846")) {
                    String message = script + ": the probe for " + what + " found no plain cast from " + lc.type() + " to "
                            + newType + " (" + oneLine(e.getMessage())
                            + "), so the migration must convert with USING, which the probe cannot check: check the values by hand";
                    return Optional.of(finding(Rule.DW329, ref, "not checked", message));
                }
                return Optional.empty();
            }));
        }

        private Optional<Finding> badValues(Session s, String rel, String col, String bad, String change, String fix,
                                            ObjectRef ref) throws SQLException {
            long n = s.count("SELECT 1 FROM " + rel + " WHERE " + bad);
            if (n == 0) {
                return Optional.empty();
            }
            List<List<String>> values = s.rows("SELECT (" + col + ")::text FROM " + rel + " WHERE " + bad
                    + " LIMIT " + settings.samples());
            String sample = values.stream().map(r -> r.get(0)).collect(Collectors.joining(", "));
            String message = change + " but " + rows(n, settings.countCap(), "live value does", "live values do")
                    + " not convert (" + sample + ")" + fix;
            return Optional.of(finding(Rule.DW324, ref, rows(n, settings.countCap(), "row", "rows"), message));
        }

        // ---- DW321 / DW322 / DW323

        private void constraint(Table changed, Constraint con, ObjectRef ref, String verb) {
            Table t = liveTable(changed);
            if (t == null) {
                return;
            }
            switch (con.type()) {
                case PRIMARY_KEY, UNIQUE -> {
                    if (!allLive(t, con.columns())) {
                        return;
                    }
                    if (con.type() == Constraint.Type.PRIMARY_KEY) {
                        for (String c : con.columns()) {
                            if (!column(t, c).notNull()) {
                                nulls(t, c, ObjectRef.child(ObjectKind.COLUMN, t.schema(), t.name(), c),
                                        "primary key " + ref.qualifiedName());
                            }
                        }
                    }
                    boolean nullsDistinct = con.type() == Constraint.Type.UNIQUE
                            && !DefinitionText.hasKeyword(con.definition(), "NULLS NOT DISTINCT");
                    List<DefinitionText.IndexKey> keys = con.columns().stream()
                            .map(c -> new DefinitionText.IndexKey(Sql.q(c), c)).toList();
                    duplicates(t, keys, nullsDistinct || con.type() == Constraint.Type.PRIMARY_KEY, null, ref,
                            con.type() == Constraint.Type.UNIQUE ? "unique constraint" : "primary key");
                }
                case FOREIGN_KEY -> {
                    if (!DefinitionText.notValid(con.definition()) && allLive(t, con.columns())) {
                        orphans(t, con, ref, verb);
                    }
                }
                case CHECK -> {
                    if (!DefinitionText.notValid(con.definition())
                            && con.columns().stream().allMatch(c -> column(t, c) != null)) {
                        check(t, con, ref, verb);
                    }
                }
                default -> {
                    // exclusion constraints are not probed
                }
            }
        }

        private void uniqueIndex(Table changed, Index index, ObjectRef ref) {
            Table t = liveTable(changed);
            if (t == null) {
                return;
            }
            Optional<List<DefinitionText.IndexKey>> keys = DefinitionText.indexKeys(index.definition());
            if (keys.isEmpty()) {
                out.add(Planned.known(finding(Rule.DW329, ref, "not checked", script + ": the probe for duplicates of unique index "
                        + ref.qualifiedName() + " cannot map its key to columns or expressions (" + oneLine(index.definition())
                        + "), so the data was not checked: look for duplicates by hand before deploying")));
                return;
            }
            for (DefinitionText.IndexKey k : keys.get()) {
                if (k.isColumn() && column(t, k.column()) == null) {
                    return; // a column the migration adds: no live data to duplicate
                }
            }
            boolean nullsDistinct = !DefinitionText.hasKeyword(DefinitionText.afterIndexKeys(index.definition()),
                    "NULLS NOT DISTINCT");
            duplicates(t, keys.get(), nullsDistinct, index.predicate(), ref, "unique index");
        }

        private void duplicates(Table t, List<DefinitionText.IndexKey> keys, boolean skipNullKeys, String predicate,
                                ObjectRef ref, String label) {
            // a unique constraint or index applies to the table's own rows, not to plain-inheritance children
            String rel = Sql.rel(t, !t.partitioned());
            List<String> filter = new ArrayList<>();
            if (skipNullKeys) {
                keys.forEach(k -> filter.add(k.sql() + " IS NOT NULL"));
            }
            if (predicate != null && !predicate.isBlank()) {
                filter.add("(" + predicate + ")");
            }
            String where = filter.isEmpty() ? "" : " WHERE " + String.join(" AND ", filter);
            String select = keys.stream().map(DefinitionText.IndexKey::sql).collect(Collectors.joining(", "));
            StringBuilder ordinals = new StringBuilder();
            for (int i = 1; i <= keys.size(); i++) {
                ordinals.append(i == 1 ? "" : ", ").append(i);
            }
            String grouped = " FROM " + rel + where + " GROUP BY " + ordinals + " HAVING pg_catalog.count(*) > 1";
            List<String> names = keys.stream()
                    .map(k -> k.isColumn() ? Identifiers.quoteIfNeeded(k.column()) : k.sql()).toList();
            String what = "duplicate keys of " + label + " " + ref.qualifiedName();
            List<ProbeVetting.Subject> evaluated = new ArrayList<>();
            for (DefinitionText.IndexKey k : keys) {
                if (!k.isColumn()) {
                    evaluated.add(new ProbeVetting.Expression(t.schema(), t.name(), k.sql()));
                }
            }
            if (predicate != null && !predicate.isBlank()) {
                evaluated.add(new ProbeVetting.Expression(t.schema(), t.name(), predicate));
            }
            out.add(Planned.query(script, ref, what, t, s -> {
                long n = s.count("SELECT " + select + grouped);
                if (n == 0) {
                    return Optional.empty();
                }
                List<List<String>> rows = s.rows("SELECT " + select + ", pg_catalog.count(*)" + grouped
                        + " ORDER BY pg_catalog.count(*) DESC LIMIT " + settings.samples());
                List<String> shown = new ArrayList<>();
                for (List<String> r : rows) {
                    String copies = r.get(r.size() - 1);
                    shown.add(Sql.tuple(r.subList(0, r.size() - 1)) + " ×" + copies);
                }
                String message = script + " adds " + label + " " + ref.qualifiedName() + " but "
                        + rows(n, settings.countCap(), "key is", "keys are") + " duplicated in live rows of " + display(t)
                        + " (" + Sql.tuple(names) + " = " + String.join(", ", shown)
                        + "): remove or merge the duplicates first or the migration fails";
                return Optional.of(finding(Rule.DW321, ref, rows(n, settings.countCap(), "duplicated key", "duplicated keys"),
                        message));
            }).vetting(evaluated, "SELECT " + select + ", pg_catalog.count(*)"
                    + grouped.replace(" FROM " + rel, " FROM " + Sql.shown(t, !t.partitioned()))));
        }

        private void orphans(Table t, Constraint con, ObjectRef ref, String verb) {
            Optional<DefinitionText.ForeignKeyTarget> target = DefinitionText.foreignKeyTarget(con.definition());
            Optional<DefinitionText.QualifiedName> parentName = con.referencedTable() == null ? Optional.empty()
                    : DefinitionText.qualifiedName(con.referencedTable());
            if (parentName.isEmpty()) {
                parentName = target.map(DefinitionText.ForeignKeyTarget::table);
            }
            if (target.isEmpty() || parentName.isEmpty() || target.get().columns().size() != con.columns().size()) {
                out.add(Planned.known(finding(Rule.DW329, ref, "not checked", script + ": the probe for orphans of foreign key "
                        + ref.qualifiedName() + " cannot read its definition (" + oneLine(con.definition())
                        + "), so the data was not checked: look for orphans by hand before deploying")));
                return;
            }
            String parentSchema = parentName.get().schema() == null ? t.schema() : parentName.get().schema();
            String parentTable = parentName.get().name();
            List<String> refCols = target.get().columns();
            Table parent = live.get(List.of(parentSchema, parentTable));
            boolean parentNew = parent == null || !allLive(parent, refCols);
            boolean full = DefinitionText.hasKeyword(con.definition(), "MATCH FULL");
            String child = Sql.rel(t, !t.partitioned()) + " AS dw_c";
            List<String> keyCols = con.columns().stream().map(c -> "dw_c." + Sql.q(c)).toList();
            String notNull = keyCols.stream().map(k -> k + " IS NOT NULL")
                    .collect(Collectors.joining(full ? " OR " : " AND ", "(", ")"));
            String parentDisplay = Identifiers.qualified(parentSchema, parentTable);
            String where;
            if (parentNew) {
                where = notNull;
            } else {
                List<String> eq = new ArrayList<>();
                for (int i = 0; i < refCols.size(); i++) {
                    eq.add("dw_p." + Sql.q(refCols.get(i)) + " = " + keyCols.get(i));
                }
                where = notNull + " AND NOT EXISTS (SELECT 1 FROM " + Sql.rel(parent, !parent.partitioned())
                        + " AS dw_p WHERE " + String.join(" AND ", eq) + ")";
            }
            List<String> names = con.columns().stream().map(Identifiers::quoteIfNeeded).toList();
            String what = "orphans of foreign key " + ref.qualifiedName();
            Planned probe = Planned.query(script, ref, what, t, s -> {
                long n = s.count("SELECT 1 FROM " + child + " WHERE " + where);
                if (n == 0) {
                    return Optional.empty();
                }
                List<List<String>> keys = s.rows("SELECT DISTINCT " + String.join(", ", keyCols) + " FROM " + child
                        + " WHERE " + where + " LIMIT " + settings.samples());
                String sample = Sql.tuple(names) + " = "
                        + keys.stream().map(Sql::tuple).collect(Collectors.joining(", "));
                String count = rows(n, settings.countCap(), "live row", "live rows") + " of " + display(t);
                if (parentNew) {
                    String message = script + " " + verb + " foreign key " + ref.qualifiedName() + " to " + parentDisplay
                            + ", which is new in this migration (no live rows), but " + count + " hold keys (" + sample
                            + "): the migration fails unless it fills " + parentDisplay + " with those keys before adding the constraint";
                    return Optional.of(new Finding(Rule.DW322, io.driftwatch.policy.Severity.WARNING, ref, null,
                            rows(n, settings.countCap(), "row", "rows"), message));
                }
                String message = script + " " + verb + " foreign key " + ref.qualifiedName() + " but " + count
                        + " reference keys missing from " + parentDisplay + " (" + sample + "): insert the missing "
                        + parentDisplay + " rows or fix or delete the orphans first, or add the constraint NOT VALID, or the migration fails";
                return Optional.of(finding(Rule.DW322, ref, rows(n, settings.countCap(), "row", "rows"), message));
            });
            out.add(parentNew ? probe : probe.reading(parent));
        }

        private void check(Table t, Constraint con, ObjectRef ref, String verb) {
            Optional<String> expr = DefinitionText.checkExpression(con.definition());
            if (expr.isEmpty()) {
                out.add(Planned.known(finding(Rule.DW329, ref, "not checked", script + ": the probe for rows violating check "
                        + ref.qualifiedName() + " cannot read its expression (" + oneLine(con.definition())
                        + "), so the data was not checked: check the rows by hand before deploying")));
                return;
            }
            boolean noInherit = DefinitionText.hasKeyword(con.definition(), "NO INHERIT");
            String rel = Sql.rel(t, noInherit && !t.partitioned());
            String where = "NOT (" + expr.get() + ")";
            String what = "rows violating check " + ref.qualifiedName();
            out.add(Planned.query(script, ref, what, t, s -> {
                long n = s.count("SELECT 1 FROM " + rel + " WHERE " + where);
                if (n == 0) {
                    return Optional.empty();
                }
                String sample = s.sampleKeys(t, rel, where);
                String message = script + " " + verb + " check constraint " + ref.qualifiedName() + " CHECK ("
                        + oneLine(expr.get()) + ") but " + rows(n, settings.countCap(), "live row", "live rows")
                        + " of " + display(t) + (n == 1 ? " violates" : " violate") + " it (" + sample
                        + "): fix those rows first or add the constraint NOT VALID, or the migration fails";
                return Optional.of(finding(Rule.DW323, ref, rows(n, settings.countCap(), "row", "rows"), message));
            }).vetting(List.of(new ProbeVetting.Expression(t.schema(), t.name(), expr.get())),
                    "SELECT pg_catalog.count(*) FROM " + Sql.shown(t, noInherit && !t.partitioned()) + " WHERE " + where));
        }

        // ---- DW325

        private void addColumn(Change.AddColumn a) {
            Column c = a.column();
            Table t = liveTable(a.table());
            if (t == null || column(t, c.name()) != null || !c.notNull() || c.defaultExpr() != null
                    || c.identity() != Column.Identity.NONE || c.generatedExpr() != null) {
                return;
            }
            if (droppedPositions.contains(a.table().schema() + '\0' + a.table().name() + '\0' + c.position())) {
                return; // same attribute number as a dropped column: a RENAME COLUMN, not a new column
            }
            ObjectRef ref = a.ref();
            String rel = Sql.rel(t, false);
            String what = "rows of " + display(t);
            out.add(Planned.query(script, ref, what, t, s -> {
                if (!"t".equals(s.single("SELECT EXISTS (SELECT 1 FROM " + rel + ")"))) {
                    return Optional.empty();
                }
                String message = script + " adds " + ref.qualifiedName() + " " + c.type()
                        + " NOT NULL without a default but " + display(t)
                        + " holds rows: give it a DEFAULT, or add it nullable, backfill it and then SET NOT NULL, or the migration fails";
                return Optional.of(finding(Rule.DW325, ref, "table holds rows", message));
            }));
        }

        private static String display(Table t) {
            return Identifiers.qualified(t.schema(), t.name());
        }
    }

    // ------------------------------------------------------------------------------------------
    // SQL text

    private static final class Sql {
        private Sql() {
        }

        static String q(String identifier) {
            return Identifiers.quote(identifier);
        }

        static String rel(Table t, boolean only) {
            return (only ? "ONLY " : "") + q(t.schema()) + "." + q(t.name());
        }

        /** @return {@link #rel} quoted only where needed: for queries a person reads and runs */
        static String shown(Table t, boolean only) {
            return (only ? "ONLY " : "") + Identifiers.qualified(t.schema(), t.name());
        }

        static String tuple(List<String> values) {
            return values.size() == 1 ? values.get(0) : "(" + String.join(", ", values) + ")";
        }
    }

    /** The probes' transaction. */
    private static final class Session {
        private final Connection connection;
        private final ProbeSettings settings;

        Session(Connection connection, ProbeSettings settings) {
            this.connection = connection;
            this.settings = settings;
        }

        void execute(String sql) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute(sql);
            }
        }

        /** @return {@code current_user}: the role the privileges are checked for */
        String role() throws SQLException {
            return single("SELECT CURRENT_USER");
        }

        /**
         * @return the statements that give {@link #role()} what reading {@code tables} needs and it lacks,
         *         e.g. {@code GRANT SELECT ON public.orders TO auditor;}; empty when it has them all
         */
        List<String> missingGrants(List<Table> tables) throws SQLException {
            String grantee = Identifiers.quoteIfNeeded(role());
            Set<String> out = new LinkedHashSet<>();
            String sql = "SELECT pg_catalog.has_schema_privilege(n.oid, 'USAGE'), pg_catalog.has_table_privilege(c.oid, 'SELECT')"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ?";
            for (Table t : tables) {
                try (var ps = connection.prepareStatement(sql)) {
                    ps.setString(1, t.schema());
                    ps.setString(2, t.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        if (!rs.getBoolean(1)) {
                            out.add("GRANT USAGE ON SCHEMA " + Identifiers.quoteIfNeeded(t.schema()) + " TO " + grantee + ";");
                        }
                        if (!rs.getBoolean(2)) {
                            out.add("GRANT SELECT ON " + Identifiers.qualified(t.schema(), t.name()) + " TO " + grantee + ";");
                        }
                    }
                }
            }
            return List.copyOf(out);
        }

        String single(String sql) throws SQLException {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }

        /** @return rows of {@code inner}, counted up to {@code countCap + 1} */
        long count(String inner) throws SQLException {
            String n = single("SELECT pg_catalog.count(*) FROM (" + inner + " LIMIT " + (settings.countCap() + 1)
                    + ") AS dw_s");
            return Long.parseLong(n);
        }

        /** @return rows with every value rendered for a message ({@code 17}, {@code 'a@x'}, {@code NULL}) */
        List<List<String>> rows(String sql) throws SQLException {
            List<List<String>> out = new ArrayList<>();
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.add(render(rs.getString(i), md.getColumnType(i), md.getColumnTypeName(i)));
                    }
                    out.add(row);
                }
            }
            return out;
        }

        /** @return e.g. {@code id = 17, 42, 99}, {@code (a, b) = (1, 'x')} or {@code ctid = (0,1)} */
        String sampleKeys(Table t, String rel, String where) throws SQLException {
            List<String> pk = t.constraints().stream()
                    .filter(c -> c.type() == Constraint.Type.PRIMARY_KEY)
                    .findFirst().map(Constraint::columns).orElse(List.of());
            List<String> select = pk.isEmpty() ? List.of("ctid") : pk.stream().map(Sql::q).toList();
            List<String> names = pk.isEmpty() ? List.of("ctid") : pk.stream().map(Identifiers::quoteIfNeeded).toList();
            List<List<String>> rows = rows("SELECT " + String.join(", ", select) + " FROM " + rel + " WHERE " + where
                    + " LIMIT " + settings.samples());
            if (rows.isEmpty()) { // READ COMMITTED: the rows changed between the count and the sample
                return "no sample: the rows changed meanwhile";
            }
            return Sql.tuple(names) + " = " + rows.stream().map(Sql::tuple).collect(Collectors.joining(", "));
        }

        private static String render(String value, int jdbcType, String typeName) {
            if (value == null) {
                return "NULL";
            }
            String shown = value.length() > MAX_VALUE_CHARS ? value.substring(0, MAX_VALUE_CHARS) + "…" : value;
            shown = shown.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
            boolean bare = switch (jdbcType) {
                case Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL, Types.REAL,
                        Types.DOUBLE, Types.FLOAT, Types.BOOLEAN, Types.BIT -> true;
                default -> "tid".equals(typeName);
            };
            return bare ? shown : "'" + shown.replace("'", "''") + "'";
        }
    }
}
