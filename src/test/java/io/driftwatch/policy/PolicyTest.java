package io.driftwatch.policy;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Policy} on findings and models built in Java: severity overrides, configuration and inline
 * waivers, expiry, unused and invalid waivers, the comment-noise rule, glob matching of hostile names.
 */
class PolicyTest {

    static final Clock TODAY = Clock.fixed(LocalDate.of(2026, 6, 15).atStartOfDay().toInstant(ZoneOffset.UTC),
            ZoneOffset.UTC);

    static final ObjectRef ORDERS = ObjectRef.of(ObjectKind.TABLE, "public", "orders");
    static final ObjectRef REPORT_IDX = ObjectRef.child(ObjectKind.INDEX, "public", "orders", "orders_report_idx");
    static final ObjectRef HOTFIX = ObjectRef.child(ObjectKind.COLUMN, "public", "orders", "hotfix");
    static final ObjectRef CUSTOMERS_IDX = ObjectRef.child(ObjectKind.INDEX, "public", "customers", "customers_x_idx");

    static Finding extraIndex(ObjectRef ref) {
        return new Finding(Rule.DW101, Severity.WARNING, ref, null, "CREATE INDEX ...", "index " + ref.qualifiedName()
                + " exists in the database but no migration creates it");
    }

    static Finding extraColumn(ObjectRef ref) {
        return new Finding(Rule.DW107, Severity.WARNING, ref, null, "integer", "column " + ref.qualifiedName() + " extra");
    }

    static Policy policy(List<SeverityOverride> s, List<WaiverSpec> w) {
        return new Policy(s, w, Set.of(), TODAY, "driftwatch.yaml");
    }

    static WaiverSpec waiver(String rule, String glob, LocalDate expires, int line) {
        return new WaiverSpec(List.of(rule), glob, "BI team owns it", expires, "driftwatch.yaml:" + line);
    }

    static CatalogObject comment(ObjectRef target, String text) {
        return new CatalogObject(new ObjectRef(ObjectKind.COMMENT, target.schema(), null, target.toString()),
                Map.of("text", text), target);
    }

    static SchemaModel model(CatalogObject... objects) {
        return new SchemaModel("15.0", List.of("public"), List.of(), List.of(), List.of(), List.of(),
                List.of(objects), List.of());
    }

    static Finding only(List<Finding> fs, Rule r) {
        List<Finding> hits = fs.stream().filter(f -> f.rule().equals(r)).toList();
        assertEquals(1, hits.size(), "one " + r + " in " + fs);
        return hits.get(0);
    }

    @Test
    void severityOverridesChangeOrDropFindingsAndKeepTheOrder() {
        Policy p = policy(List.of(new SeverityOverride("extra-index", Severity.ERROR, "driftwatch.yaml:3"),
                new SeverityOverride("dw107", null, "driftwatch.yaml:4")), List.of());
        Finding info = new Finding(Rule.DW203, Severity.INFO, ObjectRef.migration("5"), null, null, "pending");
        List<Finding> out = p.evaluate(List.of(info, extraColumn(HOTFIX), extraIndex(REPORT_IDX)), null, null).findings();
        assertEquals(2, out.size(), out.toString());
        assertEquals(Rule.DW101, out.get(0).rule(), "errors sort first");
        assertEquals(Severity.ERROR, out.get(0).severity());
        assertEquals(Rule.DW203, out.get(1).rule());
        assertTrue(out.stream().noneMatch(f -> f.rule().equals(Rule.DW107)), "off drops the finding");
    }

    @Test
    void aConfigWaiverMarksTheFindingAndKeepsIt() {
        Policy p = policy(List.of(), List.of(waiver("DW101", "public.orders.*_idx", LocalDate.of(2027, 3, 31), 14)));
        List<Finding> out = p.evaluate(List.of(extraIndex(REPORT_IDX), extraIndex(CUSTOMERS_IDX)), null, null).findings();
        assertEquals(2, out.size(), out.toString());
        Finding waived = out.stream().filter(f -> f.object().equals(REPORT_IDX)).findFirst().orElseThrow();
        assertEquals(new Waiver("BI team owns it", LocalDate.of(2027, 3, 31), "driftwatch.yaml:14"), waived.waiver());
        assertFalse(waived.waiver().inline());
        assertFalse(out.stream().filter(f -> f.object().equals(CUSTOMERS_IDX)).findFirst().orElseThrow().waived(),
                "the glob does not reach another table");
    }

    @Test
    void aWaiverHoldsThroughItsExpiryDayThenIsReportedAndStopsHiding() {
        WaiverSpec today = waiver("DW101", "public.orders.orders_report_idx", LocalDate.of(2026, 6, 15), 7);
        assertTrue(policy(List.of(), List.of(today)).evaluate(List.of(extraIndex(REPORT_IDX)), null, null)
                .findings().get(0).waived(), "the expiry day itself is still covered");

        WaiverSpec yesterday = waiver("DW101", "public.orders.*", LocalDate.of(2026, 6, 14), 7);
        List<Finding> out = policy(List.of(), List.of(yesterday)).evaluate(List.of(extraIndex(REPORT_IDX)), null, null)
                .findings();
        assertFalse(only(out, Rule.DW101).waived(), "an expired waiver hides nothing");
        Finding expired = only(out, Rule.DW401);
        assertEquals(Severity.WARNING, expired.severity());
        assertEquals(new ObjectRef(ObjectKind.WAIVER, null, null, "driftwatch.yaml:7"), expired.object());
        assertEquals("waiver driftwatch.yaml:7 (DW101 on public.orders.*) expired on 2026-06-14: it no longer hides "
                + "1 finding", expired.message());
        assertTrue(policy(List.of(), List.of(yesterday)).withClock(Clock.offset(TODAY, java.time.Duration.ofDays(-1)))
                .evaluate(List.of(extraIndex(REPORT_IDX)), null, null).findings().get(0).waived(),
                "the injected clock decides what today is");
    }

    @Test
    void aWaiverThatMatchesNothingIsUnused() {
        List<Finding> out = policy(List.of(), List.of(waiver("DW107", "public.orders.*", null, 9),
                waiver("DW101", "public.orders.*", null, 12))).evaluate(List.of(extraIndex(REPORT_IDX)), null, null)
                .findings();
        Finding unused = only(out, Rule.DW402);
        assertEquals(Severity.INFO, unused.severity());
        assertEquals("driftwatch.yaml:9", unused.object().name());
        assertTrue(only(out, Rule.DW101).waived());
    }

    @Test
    void anInlineWaiverOnATableCoversItsColumnsAndIndexesButNotOtherRules() {
        SchemaModel actual = model(comment(ORDERS, "Orders.\ndriftwatch:ignore DW107, extra-index until 2027-01-31 hotfix INC-42"));
        Finding otherRule = new Finding(Rule.DW111, Severity.WARNING, HOTFIX, "0", "1", "default changed");
        List<Finding> out = Policy.defaults().withClock(TODAY).evaluate(
                List.of(extraColumn(HOTFIX), extraIndex(REPORT_IDX), otherRule, extraIndex(CUSTOMERS_IDX)), model(), actual)
                .findings();
        Waiver w = new Waiver("hotfix INC-42", LocalDate.of(2027, 1, 31), "comment on table public.orders in the database");
        assertEquals(w, only(out, Rule.DW107).waiver());
        assertTrue(w.inline());
        assertEquals(w, out.stream().filter(f -> f.object().equals(REPORT_IDX)).findFirst().orElseThrow().waiver());
        assertFalse(only(out, Rule.DW111).waived(), "DW111 is not named");
        assertFalse(out.stream().filter(f -> f.object().equals(CUSTOMERS_IDX)).findFirst().orElseThrow().waived());
    }

    @Test
    void anInlineWaiverSetByAMigrationWorksAndItsCommentIsNoNoise() {
        ObjectRef commentRef = new ObjectRef(ObjectKind.COMMENT, "public", null, REPORT_IDX.toString());
        SchemaModel expected = model(comment(REPORT_IDX, "driftwatch:ignore DW103: rebuilt by hand with fillfactor"));
        Finding changed = new Finding(Rule.DW103, Severity.WARNING, REPORT_IDX, "a", "b", "index differs");
        Finding missingComment = new Finding(Rule.DW163, Severity.INFO, commentRef, "driftwatch:ignore DW103: ...", null,
                "comment missing");
        List<Finding> out = Policy.defaults().withClock(TODAY).evaluate(List.of(changed, missingComment), expected,
                model()).findings();
        assertEquals(1, out.size(), "the missing waiver comment is not reported: " + out);
        assertEquals("rebuilt by hand with fillfactor", out.get(0).waiver().reason());
        assertEquals("comment on index public.orders.orders_report_idx in the migrations", out.get(0).waiver().origin());
    }

    @Test
    void aCommentThatDiffersBeyondItsWaiverIsStillReported() {
        ObjectRef commentRef = new ObjectRef(ObjectKind.COMMENT, "public", null, ORDERS.toString());
        SchemaModel expected = model(comment(ORDERS, "Orders placed by customers."));
        SchemaModel actual = model(comment(ORDERS, "Orders placed by customers. driftwatch:ignore DW107 hotfix"));
        SchemaModel actual2 = model(comment(ORDERS, "All orders. driftwatch:ignore DW107 hotfix"));
        Finding changed = new Finding(Rule.DW164, Severity.INFO, commentRef, "x", "y", "comment differs");
        assertTrue(Policy.defaults().evaluate(List.of(changed), expected, actual).findings().isEmpty(),
                "only the waiver differs");
        assertEquals(List.of(changed), Policy.defaults().evaluate(List.of(changed), expected, actual2).findings(),
                "the text itself changed");
    }

    @Test
    void invalidInlineWaiversAreReportedAndWaiveNothing() {
        SchemaModel actual = model(
                comment(REPORT_IDX, "driftwatch:ignore DW999 not a rule"),
                comment(HOTFIX, "driftwatch:ignore DW107"),
                comment(ObjectRef.child(ObjectKind.INDEX, "public", "customers", "customers_x_idx"),
                        "driftwatch:ignore DW101 until 2026-02-30 typo"));
        List<Finding> out = Policy.defaults().withClock(TODAY).evaluate(
                List.of(extraIndex(REPORT_IDX), extraColumn(HOTFIX), extraIndex(CUSTOMERS_IDX)), model(), actual).findings();
        List<Finding> invalid = out.stream().filter(f -> f.rule().equals(Rule.DW403)).toList();
        assertEquals(3, invalid.size(), out.toString());
        assertTrue(out.stream().noneMatch(Finding::waived));
        assertTrue(invalid.stream().anyMatch(f -> f.object().equals(REPORT_IDX)
                && f.message().equals("comment on index public.orders.orders_report_idx: driftwatch:ignore names "
                + "unknown rule DW999; it waives nothing")), invalid.toString());
        assertTrue(invalid.stream().anyMatch(f -> f.object().equals(HOTFIX) && f.message().contains("gives no reason")));
        assertTrue(invalid.stream().anyMatch(f -> f.object().equals(CUSTOMERS_IDX)
                && f.message().contains("'until 2026-02-30' is not a date")));
    }

    @Test
    void anExpiredInlineWaiverIsReportedOnItsObject() {
        SchemaModel actual = model(comment(REPORT_IDX, "driftwatch:ignore DW101 until 2026-01-01 temporary"));
        List<Finding> out = Policy.defaults().withClock(TODAY).evaluate(List.of(extraIndex(REPORT_IDX)), model(), actual)
                .findings();
        assertFalse(only(out, Rule.DW101).waived());
        Finding expired = only(out, Rule.DW401);
        assertEquals(REPORT_IDX, expired.object());
        assertTrue(expired.message().endsWith("expired on 2026-01-01: it no longer hides 1 finding"), expired.message());
    }

    @Test
    void anInlineWaiverMayNameAnExtraRule() {
        SchemaModel actual = model(comment(ORDERS, "driftwatch:ignore ACME001 legacy table without a key"));
        Rule acme = Rule.custom("ACME001", "table-without-key", Severity.ERROR, "no key", "", "");
        Finding f = new Finding(acme, Severity.ERROR, ORDERS, null, null, "no primary key");
        assertEquals(Rule.DW403, Policy.defaults().evaluate(List.of(f), model(), actual).findings().stream()
                .filter(x -> !x.rule().equals(acme)).findFirst().orElseThrow().rule(), "unknown without the rule set");
        Policy withRules = new Policy(List.of(), List.of(), Set.of("ACME001"), TODAY, null);
        List<Finding> out = withRules.evaluate(List.of(f), model(), actual).findings();
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).waived());
    }

    @Test
    void globsMatchHostileNamesLiterally() {
        ObjectRef weird = ObjectRef.child(ObjectKind.INDEX, "public", "Order Items", "idx (a|b)+ \"q\"; DROP");
        ObjectRef plain = ObjectRef.child(ObjectKind.INDEX, "public", "Order Items", "idx aaa \"q\"; DROP");
        Policy p = policy(List.of(), List.of(waiver("DW101", "public.Order Items.idx (a|b)+ \"q\"; DROP", null, 3)));
        List<Finding> out = p.evaluate(List.of(extraIndex(weird), extraIndex(plain)), null, null).findings();
        assertTrue(out.stream().filter(f -> f.object().equals(weird)).findFirst().orElseThrow().waived(),
                "the exact name matches");
        assertFalse(out.stream().filter(f -> f.object().equals(plain)).findFirst().orElseThrow().waived(),
                "regular-expression characters are literal");
        Policy star = policy(List.of(), List.of(waiver("DW101", "public.*", null, 3)));
        assertTrue(star.evaluate(List.of(extraIndex(weird)), null, null).findings().stream()
                .anyMatch(f -> f.rule().equals(Rule.DW402)), "* stays within one name part");
        Policy twoStars = policy(List.of(), List.of(waiver("DW101", "public.**", null, 3)));
        assertTrue(twoStars.evaluate(List.of(extraIndex(weird)), null, null).findings().get(0).waived());
    }

    @Test
    void matchNamesCoverRoutinesMigrationsAndAttachedObjects() {
        ObjectRef fn = ObjectRef.of(ObjectKind.FUNCTION, "public", "total(integer, text)");
        assertEquals(List.of("public.total(integer, text)", "public.total"), Policy.matchNames(fn, Map.of()));
        assertEquals(List.of("3"), Policy.matchNames(ObjectRef.migration("3"), Map.of()));
        ObjectRef grant = new ObjectRef(ObjectKind.PRIVILEGE, "public", null, "table public.orders to app");
        assertEquals(List.of("table public.orders to app", "public.orders"),
                Policy.matchNames(grant, Map.of(grant, ORDERS)));
        assertTrue(Policy.matchNames(new ObjectRef(ObjectKind.WAIVER, null, null, "x:1"), Map.of()).isEmpty());
    }

    @Test
    void ownFindingsCannotBeWaivedButCanBeSilenced() {
        WaiverSpec everything = new WaiverSpec(List.of("DW401", "DW402"), "**", "hide it all", null, "driftwatch.yaml:2");
        WaiverSpec expired = waiver("DW101", "public.**", LocalDate.of(2020, 1, 1), 5);
        List<Finding> out = policy(List.of(), List.of(everything, expired))
                .evaluate(List.of(extraIndex(REPORT_IDX)), null, null).findings();
        Finding e = only(out, Rule.DW401);
        assertFalse(e.waived(), "an expired waiver is never hidden by another waiver");
        List<Finding> silenced = policy(List.of(new SeverityOverride("expired-waiver", null, "driftwatch.yaml:1")),
                List.of(expired)).evaluate(List.of(extraIndex(REPORT_IDX)), null, null).findings();
        assertTrue(silenced.stream().noneMatch(f -> f.rule().equals(Rule.DW401)), "severity off applies to DW401 too");
        assertFalse(only(silenced, Rule.DW101).waived());
    }

    @Test
    void noConfigurationAndNoCommentsMeansNoChangeAndNoNote() {
        List<Finding> in = new ArrayList<>(List.of(extraIndex(REPORT_IDX), extraColumn(HOTFIX)));
        Policy.Outcome o = Policy.defaults().evaluate(in, model(), model());
        assertEquals(in.stream().sorted(Classifier.ORDER).toList(), o.findings());
        assertNull(o.note());
    }
}
