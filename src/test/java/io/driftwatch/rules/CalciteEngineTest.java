package io.driftwatch.rules;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's dialect: every table and column of {@link RuleTables#schema()} is usable unquoted
 * (none is a Calcite reserved word such as {@code position}, {@code method} or {@code element}),
 * unquoted names fold to lower case, PostgreSQL functions are there, and errors carry positions.
 */
class CalciteEngineTest {

    @Test
    void everyRuleTableColumnIsUsableUnquoted() throws Exception {
        try (CalciteEngine e = new CalciteEngine(RuleTables.schema())) {
            for (RowSet t : RuleTables.schema()) {
                for (RowSet.Col c : t.columns()) {
                    String sql = "SELECT x." + c.name() + ", " + c.name() + " FROM " + t.name() + " x WHERE "
                            + c.name() + " IS NOT NULL ORDER BY 1";
                    CalciteEngine.Result r = e.query(sql);
                    assertEquals(List.of(c.name(), c.name()), r.columns(), sql);
                }
            }
        }
    }

    @Test
    void postgresFlavourAndPositions() throws Exception {
        List<RowSet.Col> cols = List.of(new RowSet.Col("name", RowSet.Type.TEXT, ""),
                new RowSet.Col("n", RowSet.Type.INTEGER, ""), new RowSet.Col("ok", RowSet.Type.BOOLEAN, ""));
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"Alpha", 1, true});
        rows.add(new Object[] {"beta", 2, false});
        rows.add(new Object[] {null, null, null});
        try (CalciteEngine e = new CalciteEngine(List.of(new RowSet("things", cols, rows)))) {
            CalciteEngine.Result r = e.query("SELECT STRING_AGG(name, ',' ORDER BY name) AS Names, SUM(n) AS \"Total\"\n"
                    + "FROM things WHERE name ILIKE 'a%' OR NOT ok");
            assertEquals(List.of("names", "Total"), r.columns());
            assertEquals("Alpha,beta", r.rows().get(0)[0]);
            assertEquals(3, ((Number) r.rows().get(0)[1]).intValue());
            CalciteEngine.QueryException bad = assertThrows(CalciteEngine.QueryException.class,
                    () -> e.query("SELECT name\nFROM things\n  WHERE nmae = 'x'"));
            assertEquals(3, bad.line());
            assertEquals(9, bad.column());
            assertTrue(bad.getMessage().contains("Column 'nmae' not found"), bad.getMessage());
            CalciteEngine.QueryException syntax = assertThrows(CalciteEngine.QueryException.class,
                    () -> e.query("SELECT name FROM things WHERE"));
            assertEquals(1, syntax.line());
            assertTrue(syntax.getMessage().startsWith("Encountered"), syntax.getMessage());
        }
    }
}
