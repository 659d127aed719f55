package io.driftwatch.postgres.ddl;

import io.driftwatch.model.View;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which relations and types a view depends on: from {@code pg_depend} when the view was read from a
 * catalog ({@link View#dependsOn()}), else judged on its definition text: the reader pins
 * {@code search_path = pg_catalog}, so {@code pg_get_viewdef} names every relation and type
 * schema-qualified and quoted as {@link io.driftwatch.model.Identifiers#qualified} quotes it.
 * A mention is the qualified name not preceded or followed by more identifier text, so
 * {@code public.orders} does not match {@code public.orders_archive}. Pure functions only.
 */
final class ViewGraph {

    private ViewGraph() {
    }

    /**
     * @param text          SQL text (a view definition, an index or constraint definition)
     * @param qualifiedName {@code schema.name} as {@code Identifiers.qualified} renders it
     * @return true when {@code text} mentions {@code qualifiedName} as a whole name
     */
    static boolean mentions(String text, String qualifiedName) {
        if (text == null) {
            return false;
        }
        int from = 0;
        while (true) {
            int i = text.indexOf(qualifiedName, from);
            if (i < 0) {
                return false;
            }
            int end = i + qualifiedName.length();
            boolean startOk = i == 0 || !continues(text.charAt(i - 1)) && text.charAt(i - 1) != '.';
            boolean endOk = end >= text.length()
                    || (qualifiedName.endsWith("\"") ? text.charAt(end) != '"' : !continues(text.charAt(end)));
            if (startOk && endOk) {
                return true;
            }
            from = i + 1;
        }
    }

    /**
     * @param v             a view
     * @param qualifiedName a relation or type, {@code schema.name} as {@code Identifiers.qualified} renders it
     * @return whether {@code v} depends on it: recorded in {@code pg_depend} ({@link View#dependsOn()},
     *         when the view was read from a catalog) or named in its definition text ({@link #mentions});
     *         either is enough, as dropping and creating one view too many is safe and one too few is not
     */
    static boolean dependsOn(View v, String qualifiedName) {
        return (v.dependsOn() != null && v.dependsOn().contains(qualifiedName)) || mentions(v.definition(), qualifiedName);
    }

    private static boolean continues(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '"';
    }

    /**
     * Orders views so that every view comes after the views (of the same collection) it depends on
     * ({@link #dependsOn}); ties by schema and name. A cycle (impossible in a real catalog) is broken
     * by name order.
     *
     * @param views the views to order
     * @return the same views, referenced ones first
     */
    static List<View> dependencyOrder(Collection<View> views) {
        List<View> pending = new ArrayList<>(views);
        pending.sort(Comparator.comparing(View::schema).thenComparing(View::name));
        List<View> out = new ArrayList<>(pending.size());
        while (!pending.isEmpty()) {
            View next = null;
            for (View v : pending) {
                boolean ready = true;
                for (View w : pending) {
                    if (w != v && dependsOn(v, PgDdl.rel(w.schema(), w.name()))) {
                        ready = false;
                        break;
                    }
                }
                if (ready) {
                    next = v;
                    break;
                }
            }
            if (next == null) {
                next = pending.get(0);
            }
            pending.remove(next);
            out.add(next);
        }
        return out;
    }
}
